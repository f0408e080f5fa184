/**
 * "Connect Linear" on the server, over real HTTP against the fake Linear's OAuth endpoints: the
 * redirect to Linear's consent page with `actor=app`, the redirect back, the code exchange; then a
 * first sync through the connection writes as the app, ignores its own echoes by the app user's
 * id, and refreshes (and rotates) its token when the access token expires.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLinearOAuth } from "../../src/app/linear-oauth";
import { runConfiguredLinearSync, receiveLinearWebhook } from "../../src/app/linear-host";
import { connectLinear } from "../../src/linear/index";
import { start } from "../../src/server/main";
import { SqliteStore } from "../../src/store/sqlite/index";
import { secretKeys } from "../../src/store/index";
import { FAKE_APP_USER, signedWebhook } from "../fakes/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { deliverEchoes, fakeLinearOAuthOptions } from "../linear/helpers";

const CLIENT = { clientId: "capacity-split-client", clientSecret: "client-secret-0000" };

const fake = useFakeLinear(fakeLinearOAuthOptions(CLIENT));
let dir: string;
let dataFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "capacity-server-oauth-"));
  dataFile = join(dir, "linear.sqlite");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The host ports of a sync through the OAuth connection only: no API key is ever used. */
function oauthPorts(store: SqliteStore) {
  return {
    store,
    now: () => Date.now(),
    connect: (): never => {
      throw new Error("no API key is used once Linear is connected through OAuth");
    },
    teamKeys: ["DATA"],
    oauth: {
      app: {
        ...CLIENT,
        redirectUri: "http://127.0.0.1/linear/oauth/callback",
        tokenUrl: `${fake.origin}/oauth/token`,
      },
      connect: (accessToken: string) =>
        connectLinear({ apiKey: "", accessToken, apiUrl: fake.url }),
    },
  };
}

describe("Connect Linear on the server", () => {
  it("redirects to Linear with actor=app, takes the code back and keeps the tokens as secrets", async () => {
    const server = await start({
      port: 0,
      host: "127.0.0.1",
      dataFile,
      token: null,
      syncEveryMs: 0,
      source: {
        kind: "linear",
        teamKeys: ["DATA"],
        apiKey: null,
        apiUrl: fake.url,
        oauth: {
          ...CLIENT,
          authorizeUrl: `${fake.origin}/oauth/authorize`,
          tokenUrl: `${fake.origin}/oauth/token`,
        },
      },
    });
    const base = server.url.replace(/\/$/, "");
    try {
      const connect = await fetch(`${base}/linear/connect`, { redirect: "manual" });
      expect(connect.status).toBe(302);
      const authorize = new URL(connect.headers.get("location") ?? "");
      expect(authorize.origin + authorize.pathname).toBe(`${fake.origin}/oauth/authorize`);
      expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
        client_id: CLIENT.clientId,
        redirect_uri: `${base}/linear/oauth/callback`,
        response_type: "code",
        actor: "app",
      });

      // A redirect that was not started here is refused and changes nothing.
      const forged = await fetch(`${base}/linear/oauth/callback?code=x&state=forged`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain("start it again");

      // The forged one used up the state: start again, as a person would.
      const again = await fetch(`${base}/linear/connect`, { redirect: "manual" });
      const consent = await fetch(again.headers.get("location") ?? "", { redirect: "manual" });
      expect(consent.status).toBe(302);
      const back = consent.headers.get("location") ?? "";
      expect(back.startsWith(`${base}/linear/oauth/callback?`)).toBe(true);
      const done = await fetch(back);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain(`acts as ${FAKE_APP_USER.name}`);
      expect(fake.tokenRequests()).toEqual(["authorization_code"]);
    } finally {
      await server.close();
    }
    const store = new SqliteStore(dataFile);
    try {
      expect(await readLinearOAuth(store)).toMatchObject({ appUserId: FAKE_APP_USER.id });
      expect(await store.getSecret(secretKeys.linearRefreshToken)).toMatch(/^lin_refresh_/);
      expect(await store.getSecret(secretKeys.linearAccessToken)).toMatch(/^lin_oauth_/);
    } finally {
      store.close();
    }
  });

  it("a first sync through the connection writes as the app and ignores its own echoes", async () => {
    const store = new SqliteStore(dataFile);
    const ports = oauthPorts(store);
    try {
      const before = fake.webhookEvents().length;
      const outcome = await runConfiguredLinearSync(ports);
      expect(outcome.ok, outcome.message).toBe(true);
      const writes = fake.webhookEvents().slice(before);
      expect(writes.length).toBeGreaterThan(0);
      expect(writes.every((event) => event.actor?.id === FAKE_APP_USER.id)).toBe(true);

      // Recognised by the actor alone, not by the record of writes.
      const echoes = await deliverEchoes(store, writes, { secret: "s3cret" });
      expect(echoes.outcomes).toEqual(writes.map(() => ({ status: 200, result: "ignored" })));
      const enqueued = echoes.queued;
      // A person's change (another actor) still goes through.
      const issue = fake.data.issues[0];
      const person = await receiveLinearWebhook(
        signedWebhook(
          {
            action: "update",
            type: "Issue",
            data: { id: issue?.id ?? "", title: "Renamed by a person" },
            updatedFrom: { title: issue?.title ?? "" },
            actor: { id: "user-someone", name: "Someone", type: "user" },
          },
          { secret: "s3cret", deliveryId: "person-1" },
        ),
        { store, enqueue: () => Promise.resolve(void enqueued.push("person")) },
      );
      expect(person).toEqual({ status: 200, result: "accepted" });
      expect(enqueued).toEqual(["person"]);
    } finally {
      store.close();
    }
  });

  it("refreshes an expired access token, storing the rotated refresh token first", async () => {
    const store = new SqliteStore(dataFile);
    try {
      const oldRefresh = await store.getSecret(secretKeys.linearRefreshToken);
      const oldAccess = await store.getSecret(secretKeys.linearAccessToken);
      fake.expireAccessTokens();
      const connection = await readLinearOAuth(store);
      if (connection === null) throw new Error("not connected");
      // The stored expiry says the token is spent, as 24 hours passing would.
      await store.set("linear:oauth", { ...connection, expiresAt: Date.now() - 1 });
      const outcome = await runConfiguredLinearSync(oauthPorts(store));
      expect(outcome.ok, outcome.message).toBe(true);
      expect(fake.tokenRequests()).toEqual(["authorization_code", "refresh_token"]);
      const newRefresh = await store.getSecret(secretKeys.linearRefreshToken);
      expect(newRefresh).not.toBe(oldRefresh);
      expect(await store.getSecret(secretKeys.linearAccessToken)).not.toBe(oldAccess);
      // The old refresh token was rotated away: Linear refuses it now.
      const reuse = await fetch(`${fake.origin}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: oldRefresh ?? "",
          ...{ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
        }),
      });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
    } finally {
      store.close();
    }
  });
});
