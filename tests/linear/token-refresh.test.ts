/**
 * Refreshing a Linear OAuth connection from runs that need a token at once, against the fake
 * Linear, whose refresh tokens rotate as Linear's do: a refresh answers a new refresh token and
 * the one used is refused from then on (`invalid_grant`).
 */
import { describe, expect, it } from "vitest";
import {
  finishLinearConnect,
  linearAccessToken,
  readLinearOAuth,
  REFRESH_CLAIM_MS,
  startLinearConnect,
} from "../../src/app/linear-oauth";
import { connectLinear, type LinearOAuthApp } from "../../src/linear/index";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { fakeLinearOAuthOptions, oauthAppOn } from "./helpers";

const CLIENT = { clientId: "capacity-split-refresh", clientSecret: "refresh-secret-0000" };
const REDIRECT = "http://127.0.0.1:3000/linear/oauth/callback";

let app: LinearOAuthApp;
const fake = useFakeLinear(fakeLinearOAuthOptions(CLIENT), (started) => {
  app = oauthAppOn(started, CLIENT, REDIRECT);
});

const clientWith = (accessToken: string) =>
  connectLinear({ apiKey: "", accessToken, apiUrl: fake.url, maxAttempts: 1 });

/** A store holding a fresh connection, made the way the admin page makes it. */
async function connected(): Promise<{ store: MemoryStore; expiresAt: number }> {
  const store = new MemoryStore();
  const consent = await startLinearConnect(store, app, Date.now());
  const redirect = await fetch(consent, { redirect: "manual" });
  const back = new URL(redirect.headers.get("location") ?? "");
  const connection = await finishLinearConnect(
    store,
    app,
    { code: back.searchParams.get("code"), state: back.searchParams.get("state") },
    { now: Date.now(), connect: clientWith },
  );
  return { store, expiresAt: connection.expiresAt };
}

const refreshes = () => fake.tokenRequests().filter((grant) => grant === "refresh_token").length;

describe("refreshing the Linear connection near its expiry", () => {
  it("refreshes once for runs asking at once, and every one gets a token that works", async () => {
    const { store, expiresAt } = await connected();
    const before = refreshes();
    const nearExpiry = expiresAt - 60_000;
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => linearAccessToken(store, app, nearExpiry)),
    );
    expect(refreshes() - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    const [token] = tokens;
    if (token === null || token === undefined) throw new Error("no token");
    await expect(clientWith(token).viewer()).resolves.toMatchObject({ name: "Capacity Split" });
    expect(await store.get(storeKeys.linearTokenRefresh())).toBeUndefined();
    // The rotated refresh token was kept: the next refresh works too.
    const later = (await readLinearOAuth(store))?.expiresAt ?? 0;
    const next = await linearAccessToken(store, app, later - 60_000);
    expect(next).not.toBe(token);
    expect(refreshes() - before).toBe(2);
  });

  it("takes over a claim left by a run that died while refreshing, once it has expired", async () => {
    const { store, expiresAt } = await connected();
    const before = refreshes();
    await store.set(storeKeys.linearTokenRefresh(), { expiresAt: Date.now() + 1_000 });
    let clock = Date.now();
    const slept: number[] = [];
    const token = await linearAccessToken(store, app, expiresAt - 60_000, {
      clock: () => clock,
      sleep: (ms) => {
        slept.push(ms);
        clock += REFRESH_CLAIM_MS / 10;
        return Promise.resolve();
      },
    });
    expect(slept.length).toBeGreaterThan(0);
    expect(refreshes() - before).toBe(1);
    if (token === null) throw new Error("no token");
    await expect(clientWith(token).viewer()).resolves.toBeDefined();
  });
});
