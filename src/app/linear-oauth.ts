import { z } from "zod";
import {
  exchangeLinearCode,
  linearAuthorizeUrl,
  type LinearOAuthApp,
  type LinearSyncClient,
  LinearSyncError,
  refreshLinearTokens,
  revokeLinearToken,
} from "../linear/index";
import { secretKeys, type Store, storeKeys } from "../store/index";

export type { LinearOAuthApp };

/** How long a "Connect Linear" may take between leaving for Linear and coming back. */
const STATE_TTL_MS = 10 * 60_000;
/** An access token this close to its expiry is refreshed first. */
const REFRESH_MARGIN_MS = 5 * 60_000;

const stateRecord = z.object({
  state: z.string(),
  expiresAt: z.number(),
  startedBy: z.string().nullable().optional(),
});
const connectionRecord = z.object({
  appUserId: z.string(),
  appUserName: z.string(),
  expiresAt: z.number(),
  /** The Linear workspace the tokens belong to (kept since connections made after it knew it). */
  workspace: z.object({ name: z.string(), urlKey: z.string() }).optional(),
  /** Who started the connection on the admin page (Forge: the Atlassian account id). */
  connectedBy: z.string().nullable().optional(),
});
export type LinearOAuthConnection = z.infer<typeof connectionRecord>;

/**
 * "Connect Linear": a fresh `state` is kept, and the URL to send the admin to is answered. The
 * state lives in the host's own store (inside Jira, the installation's storage), so a redirect
 * can only finish a connection started on the same site, and a newer start replaces an older one.
 */
export async function startLinearConnect(
  store: Store,
  app: LinearOAuthApp,
  now: number,
  startedBy: string | null = null,
): Promise<string> {
  const state = randomState();
  await store.set(storeKeys.linearOAuthState(), {
    state,
    expiresAt: now + STATE_TTL_MS,
    startedBy,
  });
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
  const connection: LinearOAuthConnection = {
    appUserId: viewer.id,
    appUserName: viewer.name,
    expiresAt: tokens.expiresAt,
    workspace: { name: viewer.organization.name, urlKey: viewer.organization.urlKey },
    connectedBy: kept.data.startedBy ?? null,
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

/** How long a run's claim on refreshing the tokens holds: a claim older was left by a crashed run. */
export const REFRESH_CLAIM_MS = 30_000;
/** How often a run that found the refresh claimed reads the stored tokens again. */
const REFRESH_POLL_MS = 200;

const refreshClaimSchema = z.object({ expiresAt: z.number() });

/**
 * A live access token: the stored one, or, within 5 minutes of its expiry, a refreshed one. The
 * rotated refresh token is stored before the new access token, so a failure between the two
 * leaves a refresh token that works. Null when Linear was not connected through OAuth.
 *
 * Linear's refresh tokens rotate (a refresh answers a new one and the one used stops working),
 * so of runs refreshing at once only one may: each claims the refresh with the store's atomic
 * `setIfAbsent`; the one that wins refreshes, the others wait and read the tokens it stored. A
 * claim left by a run that died expires after {@link REFRESH_CLAIM_MS}.
 */
export async function linearAccessToken(
  store: Store,
  app: LinearOAuthApp,
  now: number,
  options: { readonly sleep?: (ms: number) => Promise<void>; readonly clock?: () => number } = {},
): Promise<string | null> {
  const sleep =
    options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? Date.now;
  const claimKey = storeKeys.linearTokenRefresh();
  const waitUntil = clock() + REFRESH_CLAIM_MS * 2;
  for (;;) {
    const current = await liveToken(store, now);
    if (current.connection === null) return null;
    if (current.access !== null) return current.access;
    if (await store.setIfAbsent(claimKey, { expiresAt: clock() + REFRESH_CLAIM_MS })) {
      try {
        // Read again under the claim: a run that held it a moment ago may have refreshed.
        const latest = await liveToken(store, now);
        if (latest.connection === null) return null;
        if (latest.access !== null) return latest.access;
        return await refreshTokens(store, app, now, latest.connection);
      } finally {
        await store.delete(claimKey);
      }
    }
    const claim = refreshClaimSchema.safeParse(await store.get(claimKey));
    if (!claim.success || claim.data.expiresAt < clock()) {
      // Left by a run that died while refreshing (or unreadable): free it and claim again.
      await store.delete(claimKey);
      continue;
    }
    if (clock() > waitUntil) {
      throw new LinearSyncError(
        "Another run has been refreshing the Linear connection for too long; try again in a minute.",
        "LINEAR_UPSTREAM",
        true,
        null,
      );
    }
    await sleep(REFRESH_POLL_MS);
  }
}

/** The stored connection, and its access token when it is good for more than the margin. */
async function liveToken(
  store: Store,
  now: number,
): Promise<{ connection: LinearOAuthConnection | null; access: string | null }> {
  const connection = await readLinearOAuth(store);
  if (connection === null) return { connection: null, access: null };
  const access = await store.getSecret(secretKeys.linearAccessToken);
  const live =
    access !== undefined && access !== "" && connection.expiresAt - REFRESH_MARGIN_MS > now;
  return { connection, access: live ? access : null };
}

async function refreshTokens(
  store: Store,
  app: LinearOAuthApp,
  now: number,
  connection: LinearOAuthConnection,
): Promise<string> {
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

/**
 * Ends the OAuth connection: Linear is asked to revoke it (so the app stops showing as connected
 * there and neither token works), then the tokens are forgotten (the Store port deletes no
 * secret; empty reads as none). When Linear cannot be reached nothing is forgotten, so the
 * disconnect can be tried again rather than leaving a live token no one can revoke.
 * @throws LinearSyncError when Linear could not be reached to revoke
 */
export async function disconnectLinearOAuth(store: Store, app: LinearOAuthApp): Promise<void> {
  const refresh = await store.getSecret(secretKeys.linearRefreshToken);
  if (refresh !== undefined && refresh !== "") await revokeLinearToken(app, refresh);
  await forgetLinearOAuth(store);
}

/** Forgets the OAuth connection without asking Linear anything. */
export async function forgetLinearOAuth(store: Store): Promise<void> {
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

/** 24 random bytes as hex, from the Web Crypto API both Node and the pages' build know. */
function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Compares in time that does not depend on where the two differ, so a state cannot be guessed. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) {
    difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  }
  return difference === 0;
}

function refused(message: string): LinearSyncError {
  return new LinearSyncError(message, "LINEAR_UNAUTHORIZED", false, null);
}

/**
 * The small page a redirect back from Linear ends on, in a tab of its own: what happened, in
 * words. Every text is escaped, since Linear's error and the app user's name are outside input.
 */
export function renderConnectPage(outcome: {
  readonly ok: boolean;
  readonly message: string;
}): string {
  const title = outcome.ok ? "Linear is connected" : "Linear was not connected";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · Capacity split</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}h1{font-size:1.4rem}</style>
</head>
<body>
<h1>${outcome.ok ? "✓" : "✗"} ${escapeHtml(title)}</h1>
<p>${escapeHtml(outcome.message)}</p>
<p>You can close this tab; the admin page shows the connection.</p>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character] ??
      character,
  );
}
