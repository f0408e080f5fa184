import { z } from "zod";
import { LinearSyncError } from "./errors";

/**
 * Linear's OAuth 2.0 as linear.app/developers/oauth-2-0-authentication documents it: the person
 * is sent to `https://linear.app/oauth/authorize`, comes back to the redirect URI with `code` and
 * the `state` sent, and the code is exchanged at `https://api.linear.app/oauth/token`. With
 * `actor=app` (linear.app/developers/oauth-actor-authorization) the token acts as the application's
 * own user, so what the sync writes shows as the app, not as whoever connected it. Since
 * 2026-04-01 every token comes with a refresh token; a refresh answers a new refresh token and
 * the old one stops working, so it is stored before the new access token is used.
 */

export const LINEAR_AUTHORIZE_URL = "https://linear.app/oauth/authorize";
export const LINEAR_TOKEN_URL = "https://api.linear.app/oauth/token";
export const LINEAR_REVOKE_URL = "https://api.linear.app/oauth/revoke";

/** An OAuth application registered in Linear (Settings › API › OAuth applications). */
export interface LinearOAuthApp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The callback URL registered with the application. */
  readonly redirectUri: string;
  /** Defaults to Linear's; tests point these at the fake. */
  readonly authorizeUrl?: string;
  readonly tokenUrl?: string;
  readonly revokeUrl?: string;
}

/** What the sync needs: read, and write labels, projects, documents and project updates. */
const SCOPES = "read,write";

export function linearAuthorizeUrl(app: LinearOAuthApp, state: string): string {
  const url = new URL(app.authorizeUrl ?? LINEAR_AUTHORIZE_URL);
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("redirect_uri", app.redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", SCOPES);
  url.searchParams.set("state", state);
  url.searchParams.set("actor", "app");
  return url.toString();
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  scope: z.union([z.string(), z.array(z.string())]).optional(),
  refresh_token: z.string().min(1),
});

const tokenError = z.object({ error: z.string(), error_description: z.string().optional() });

export interface LinearTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** `grant_type=authorization_code`: the code the redirect brought back, for tokens. */
export function exchangeLinearCode(
  app: LinearOAuthApp,
  code: string,
  now: number,
): Promise<LinearTokens> {
  return tokenRequest(
    app,
    { grant_type: "authorization_code", code, redirect_uri: app.redirectUri },
    now,
  );
}

/** `grant_type=refresh_token`: new tokens, the refresh token rotated. */
export function refreshLinearTokens(
  app: LinearOAuthApp,
  refreshToken: string,
  now: number,
): Promise<LinearTokens> {
  return tokenRequest(app, { grant_type: "refresh_token", refresh_token: refreshToken }, now);
}

/**
 * `POST /oauth/revoke` with the refresh token as the `refresh_token` form field, the way
 * linear.app/developers/oauth-2-0-authentication#revoke-an-access-token documents it (the access
 * token would go as a bearer header or the `access_token` field; Linear names no `token` or
 * `token_type_hint` field). Linear ends the whole authorization, so neither token works
 * afterwards and the app no longer shows as connected in Linear. Linear answers 400 for a token
 * it cannot revoke (already revoked), which is what was wanted, so that resolves too.
 * @throws LinearSyncError when Linear cannot be reached or fails
 */
export async function revokeLinearToken(app: LinearOAuthApp, refreshToken: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(app.revokeUrl ?? LINEAR_REVOKE_URL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ refresh_token: refreshToken }),
    });
  } catch (error) {
    throw unreachable(error);
  }
  if (!response.ok && response.status !== 400) {
    throw new LinearSyncError(
      `Linear could not revoke the connection (HTTP ${response.status}).`,
      "LINEAR_UPSTREAM",
      true,
      null,
    );
  }
}

function unreachable(error: unknown): LinearSyncError {
  return new LinearSyncError(
    `Could not reach Linear's OAuth endpoint (${error instanceof Error ? error.message : String(error)}). Try again in a minute.`,
    "LINEAR_UPSTREAM",
    true,
    null,
    { cause: error },
  );
}

async function tokenRequest(
  app: LinearOAuthApp,
  grant: Record<string, string>,
  now: number,
): Promise<LinearTokens> {
  const body = new URLSearchParams({
    ...grant,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
  let response: Response;
  try {
    response = await fetch(app.tokenUrl ?? LINEAR_TOKEN_URL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  } catch (error) {
    throw unreachable(error);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const refused = tokenError.safeParse(json);
    const reason = refused.success
      ? `${refused.data.error}${refused.data.error_description ? `: ${refused.data.error_description}` : ""}`
      : `HTTP ${response.status}`;
    throw new LinearSyncError(
      `Linear refused the OAuth ${grant.grant_type === "refresh_token" ? "refresh" : "code exchange"} (${reason}). Connect Linear again on the admin page.`,
      "LINEAR_UNAUTHORIZED",
      false,
      null,
    );
  }
  const parsed = tokenResponse.safeParse(json);
  if (!parsed.success) {
    throw new LinearSyncError(
      `Linear's token endpoint answered something that is not a token: ${parsed.error.message}`,
      "LINEAR_MALFORMED_RESPONSE",
      false,
      null,
    );
  }
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    expiresAt: now + parsed.data.expires_in * 1000,
  };
}
