import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import {
  exchangeLinearCode,
  linearAuthorizeUrl,
  type LinearOAuthApp,
  type LinearSyncClient,
  LinearSyncError,
  refreshLinearTokens,
} from "../linear/index";
import { secretKeys, type Store, storeKeys } from "../store/index";

export type { LinearOAuthApp };

/** How long a "Connect Linear" may take between leaving for Linear and coming back. */
const STATE_TTL_MS = 10 * 60_000;
/** An access token this close to its expiry is refreshed first. */
const REFRESH_MARGIN_MS = 5 * 60_000;

const stateRecord = z.object({ state: z.string(), expiresAt: z.number() });
const connectionRecord = z.object({
  appUserId: z.string(),
  appUserName: z.string(),
  expiresAt: z.number(),
});
export type LinearOAuthConnection = z.infer<typeof connectionRecord>;

/** "Connect Linear": a fresh `state` is kept, and the URL to send the admin to is answered. */
export async function startLinearConnect(
  store: Store,
  app: LinearOAuthApp,
  now: number,
): Promise<string> {
  const state = randomBytes(24).toString("base64url");
  await store.set(storeKeys.linearOAuthState(), { state, expiresAt: now + STATE_TTL_MS });
  return linearAuthorizeUrl(app, state);
}

/**
 * The redirect back from Linear: the `state` must be the one kept (once, and in time), the code
 * is exchanged, the refresh token stored first and then the access token, and the app user the
 * tokens act as is asked for and kept, so the sync knows its own webhook echoes by their actor.
 * A refused or forged redirect changes nothing.
 */
export async function finishLinearConnect(
  store: Store,
  app: LinearOAuthApp,
  query: {
    readonly code: string | null;
    readonly state: string | null;
    readonly error?: string | null;
  },
  ports: { readonly now: number; readonly connect: (accessToken: string) => LinearSyncClient },
): Promise<LinearOAuthConnection> {
  const kept = stateRecord.safeParse(await store.get(storeKeys.linearOAuthState()));
  await store.delete(storeKeys.linearOAuthState());
  if (query.error) {
    throw refused(`Linear answered "${query.error}": the connection was not approved.`);
  }
  if (
    !kept.success ||
    query.state === null ||
    kept.data.expiresAt < ports.now ||
    !sameText(kept.data.state, query.state)
  ) {
    throw refused(
      "This redirect does not belong to a Connect Linear started here in the last 10 minutes; start it again from the admin page.",
    );
  }
  if (query.code === null || query.code === "") {
    throw refused("Linear sent no authorization code back; start Connect Linear again.");
  }
  const tokens = await exchangeLinearCode(app, query.code, ports.now);
  const viewer = await ports.connect(tokens.accessToken).viewer();
  await store.setSecret(secretKeys.linearRefreshToken, tokens.refreshToken);
  await store.setSecret(secretKeys.linearAccessToken, tokens.accessToken);
  const connection = {
    appUserId: viewer.id,
    appUserName: viewer.name,
    expiresAt: tokens.expiresAt,
  };
  await store.set(storeKeys.linearOAuth(), connection);
  return connection;
}

/** The OAuth connection, when Linear was connected that way and not disconnected since. */
export async function readLinearOAuth(store: Store): Promise<LinearOAuthConnection | null> {
  const parsed = connectionRecord.safeParse(await store.get(storeKeys.linearOAuth()));
  if (!parsed.success) return null;
  const access = await store.getSecret(secretKeys.linearAccessToken);
  return access === undefined || access === "" ? null : parsed.data;
}

/**
 * A live access token: the stored one, or, within 5 minutes of its expiry, a refreshed one. The
 * rotated refresh token is stored before the new access token, so a failure between the two
 * leaves a refresh token that works. Null when Linear was not connected through OAuth.
 */
export async function linearAccessToken(
  store: Store,
  app: LinearOAuthApp,
  now: number,
): Promise<string | null> {
  const connection = await readLinearOAuth(store);
  if (connection === null) return null;
  const access = await store.getSecret(secretKeys.linearAccessToken);
  if (access !== undefined && access !== "" && connection.expiresAt - REFRESH_MARGIN_MS > now) {
    return access;
  }
  const refresh = await store.getSecret(secretKeys.linearRefreshToken);
  if (refresh === undefined || refresh === "") {
    throw refused(
      "The Linear connection has no refresh token; connect Linear again on the admin page.",
    );
  }
  const tokens = await refreshLinearTokens(app, refresh, now);
  await store.setSecret(secretKeys.linearRefreshToken, tokens.refreshToken);
  await store.setSecret(secretKeys.linearAccessToken, tokens.accessToken);
  await store.set(storeKeys.linearOAuth(), { ...connection, expiresAt: tokens.expiresAt });
  return tokens.accessToken;
}

/** Forgets the OAuth connection (the Store port deletes no secret; empty reads as none). */
export async function disconnectLinearOAuth(store: Store): Promise<void> {
  await store.setSecret(secretKeys.linearAccessToken, "");
  await store.setSecret(secretKeys.linearRefreshToken, "");
  await store.delete(storeKeys.linearOAuth());
}

/**
 * Whether a webhook event is the echo of the sync's own write: with an `actor=app` connection
 * every write the sync makes carries the app user as its actor, and nothing else does.
 */
export function isAppEcho(
  event: { readonly actor?: { readonly id?: unknown } | undefined },
  connection: LinearOAuthConnection | null,
): boolean {
  return connection !== null && event.actor?.id === connection.appUserId;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function refused(message: string): LinearSyncError {
  return new LinearSyncError(message, "LINEAR_UNAUTHORIZED", false, null);
}
