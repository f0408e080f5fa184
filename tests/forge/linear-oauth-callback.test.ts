/**
 * "Connect Linear" inside Jira, against the fake Linear over loopback: the admin page's resolver
 * keeps a state and answers Linear's consent URL; Linear's redirect reaches the web trigger as
 * Forge hands it a request (developer.atlassian.com/platform/forge/runtime-reference/web-trigger:
 * `method`, `path`, `headers` and `queryParameters` as lists of strings, `body`); the tokens end
 * up as secrets; the admin resolvers then work through the connection alone, a first sync writes
 * as the app user and its own webhook echoes are ignored; disconnecting revokes in Linear.
 * The store is the memory one standing in for the installation's KVS.
 */
import { describe, expect, it } from "vitest";
import type { LinearAdminPort, LinearConnectionView } from "../../src/app/linear-admin";
import { runConfiguredLinearSync } from "../../src/app/linear-host";
import { readLinearOAuth, type LinearOAuthApp } from "../../src/app/linear-oauth";
import { connectLinear } from "../../src/linear/index";
import { runResolver, type ResolverPorts } from "../../src/app/resolvers";
import {
  answerLinearOAuthRedirect,
  forgeOAuthApp,
  type WebTriggerRequest,
} from "../../src/forge/linear-handlers";
import { MemoryStore, secretKeys } from "../../src/store/index";
import { FAKE_APP_USER, FAKE_ORGANIZATION } from "../fakes/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { deliverEchoes, fakeLinearOAuthOptions, oauthAppOn } from "../linear/helpers";

const CLIENT = { clientId: "capacity-split-forge", clientSecret: "forge-secret-0000" };
/** The shape of a Forge web trigger URL, as `webTrigger.getUrl` answers one. */
const WEB_TRIGGER_URL =
  "https://8f2c6c1e-0000-4000-8000-000000000000.hello.atlassian-dev.net/x1/AbCdEfGh123";
const admin = { accountId: "5b10ac8d82e05b22cc7d4ef5", projectKey: null };

let app: LinearOAuthApp;
const fake = useFakeLinear(fakeLinearOAuthOptions(CLIENT), (started) => {
  app = oauthAppOn(started, CLIENT, WEB_TRIGGER_URL);
});
const store = new MemoryStore();

const connectToken = (accessToken: string) =>
  connectLinear({ apiKey: "", accessToken, apiUrl: fake.url });

/** The admin port as `forgeLinearPort` builds it, with the OAuth app's URLs on the fake. */
function ports(): ResolverPorts {
  const linear: LinearAdminPort = {
    connect: () => {
      throw new Error("no API key is used once Linear is connected as the app");
    },
    webhookUrl: () => Promise.resolve(`${WEB_TRIGGER_URL}-webhook`),
    syncNow: () => Promise.resolve({ ok: true, message: "A sync is queued." }),
    isAdmin: () => Promise.resolve(true),
    oauth: { app: () => Promise.resolve(app), connect: connectToken },
  };
  return { store, now: () => Date.now(), linear };
}

async function resolve<T>(key: string, payload: unknown = {}): Promise<T> {
  const envelope = await runResolver(key, payload, admin, ports());
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data as T;
}

/** Where Linear's consent page sends the browser back to, as the web trigger receives it. */
async function approveInLinear(consentUrl: string): Promise<WebTriggerRequest> {
  const consent = await fetch(consentUrl, { redirect: "manual" });
  expect(consent.status).toBe(302);
  return forgeRequestOf(consent.headers.get("location") ?? "");
}

function forgeRequestOf(url: string): WebTriggerRequest {
  const parsed = new URL(url);
  const queryParameters: Record<string, string[]> = {};
  for (const [name, value] of parsed.searchParams) {
    (queryParameters[name] ??= []).push(value);
  }
  return {
    method: "GET",
    path: parsed.pathname,
    headers: { Accept: ["text/html"], Host: [parsed.host], "User-Agent": ["Mozilla/5.0"] },
    body: "",
    queryParameters,
  };
}

const redirect = (request: WebTriggerRequest) =>
  answerLinearOAuthRedirect(request, { store, app, connect: connectToken, now: Date.now() });

describe("Connect Linear inside Jira", () => {
  it("reads the OAuth application from Forge's environment variables, or offers none", () => {
    expect(forgeOAuthApp({})).toBeNull();
    expect(forgeOAuthApp({ LINEAR_CLIENT_ID: "id", LINEAR_CLIENT_SECRET: " " })).toBeNull();
    expect(forgeOAuthApp({ LINEAR_CLIENT_ID: "id", LINEAR_CLIENT_SECRET: "s" })).toBeTypeOf(
      "function",
    );
  });

  it("answers Linear's consent URL with actor=app and the web trigger as the callback", async () => {
    const { url } = await resolve<{ url: string }>("linear/oauth-start");
    const consent = new URL(url);
    expect(consent.origin + consent.pathname).toBe(`${fake.origin}/oauth/authorize`);
    expect(Object.fromEntries(consent.searchParams)).toMatchObject({
      client_id: CLIENT.clientId,
      redirect_uri: WEB_TRIGGER_URL,
      response_type: "code",
      actor: "app",
    });
    expect(consent.searchParams.get("state")).toMatch(/^[0-9a-f]{48}$/);
  });

  it("refuses a redirect whose state is not the kept one, and stores nothing", async () => {
    const { url } = await resolve<{ url: string }>("linear/oauth-start");
    const back = await approveInLinear(url);
    const forged = await redirect({
      ...back,
      queryParameters: { ...back.queryParameters, state: ["forged"] },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.headers["Content-Type"]).toEqual(["text/html; charset=utf-8"]);
    expect(forged.body).toContain("start it again from the admin page");
    expect(await store.getSecret(secretKeys.linearAccessToken)).toBeUndefined();
    expect(await store.getSecret(secretKeys.linearRefreshToken)).toBeUndefined();
    // The forged attempt used the state up: the genuine redirect that follows is refused too.
    expect((await redirect(back)).statusCode).toBe(400);
    expect(fake.tokenRequests()).toEqual([]);
  });

  it("shows what Linear sent back as text, never as markup", async () => {
    await resolve("linear/oauth-start");
    const denied = await redirect(
      forgeRequestOf(`${WEB_TRIGGER_URL}?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E`),
    );
    expect(denied.statusCode).toBe(400);
    expect(denied.body).not.toContain("<script>");
    expect(denied.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("takes the redirect back: exchanges the code once and keeps the tokens as secrets", async () => {
    const { url } = await resolve<{ url: string }>("linear/oauth-start");
    const back = await approveInLinear(url);
    const answer = await redirect(back);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.body).toContain(`acts as ${FAKE_APP_USER.name} in ${FAKE_ORGANIZATION.name}`);
    expect(fake.tokenRequests()).toEqual(["authorization_code"]);
    expect(await store.getSecret(secretKeys.linearRefreshToken)).toMatch(/^lin_refresh_/);
    expect(await store.getSecret(secretKeys.linearAccessToken)).toMatch(/^lin_oauth_/);
    expect(await readLinearOAuth(store)).toMatchObject({
      appUserId: FAKE_APP_USER.id,
      workspace: { name: FAKE_ORGANIZATION.name },
      connectedBy: admin.accountId,
    });
    // The same redirect again (a reload of the tab) finds no state and changes nothing.
    const access = await store.getSecret(secretKeys.linearAccessToken);
    expect((await redirect(back)).statusCode).toBe(400);
    expect(await store.getSecret(secretKeys.linearAccessToken)).toBe(access);
    expect(fake.tokenRequests()).toEqual(["authorization_code"]);
  });

  it("the admin page's resolvers work through the connection, with no API key", async () => {
    const view = await resolve<LinearConnectionView>("linear/get");
    expect(view).toMatchObject({
      unavailable: null,
      oauthAvailable: true,
      connected: true,
      keyHint: null,
      app: { userName: FAKE_APP_USER.name, workspace: FAKE_ORGANIZATION.name },
      teamsError: null,
    });
    expect(view.teams.map((team) => team.key)).toContain("DATA");
    const saved = await resolve<LinearConnectionView>("linear/settings", {
      teamKeys: ["DATA"],
      publish: true,
      writeBack: true,
    });
    expect(saved.selectedTeams).toEqual(["DATA"]);
    expect(await resolve("linear/sync-now")).toMatchObject({ ok: true });
  });

  it("a first sync (as the queue's consumer runs it) writes as the app and ignores its echoes", async () => {
    const before = fake.webhookEvents().length;
    const outcome = await runConfiguredLinearSync({
      store,
      now: () => Date.now(),
      connect: () => {
        throw new Error("no API key is used once Linear is connected as the app");
      },
      oauth: { app, connect: connectToken },
    });
    expect(outcome.ok, outcome.message).toBe(true);
    const writes = fake.webhookEvents().slice(before);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((event) => event.actor?.id === FAKE_APP_USER.id)).toBe(true);

    // Known by the actor alone, headers as Forge's web trigger hands them over.
    const { outcomes, queued } = await deliverEchoes(store, writes, {
      secret: "forge-wh-secret",
      headerLists: true,
    });
    expect(outcomes).toEqual(writes.map(() => ({ status: 200, result: "ignored" })));
    expect(queued).toEqual([]);
  });

  it("disconnecting revokes the connection in Linear and forgets its tokens", async () => {
    const access = (await store.getSecret(secretKeys.linearAccessToken)) ?? "";
    const view = await resolve<LinearConnectionView>("linear/disconnect");
    expect(view).toMatchObject({ connected: false, app: null, teams: [] });
    expect(fake.tokenRequests().at(-1)).toBe("revoke");
    expect(await store.getSecret(secretKeys.linearAccessToken)).toBe("");
    expect(await store.getSecret(secretKeys.linearRefreshToken)).toBe("");
    expect(await readLinearOAuth(store)).toBeNull();
    // Linear no longer takes the token.
    await expect(connectToken(access).viewer()).rejects.toMatchObject({
      code: "LINEAR_UNAUTHORIZED",
    });
  });
});
