import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LinearData, UserRecord } from "./workspace-data";

/**
 * Linear's OAuth 2.0 endpoints as linear.app/developers/oauth-2-0-authentication documents them:
 *
 * - `GET /oauth/authorize?client_id&redirect_uri&response_type=code&scope&state[&actor=app]`: the
 *   consent screen; the fake approves at once and redirects (302) to `redirect_uri` with `code`
 *   and the same `state`. With `actor=app` (linear.app/developers/oauth-actor-authorization) the
 *   tokens act as the application's own user, so its writes show as the app.
 * - `POST /oauth/token` (`application/x-www-form-urlencoded`): `grant_type=authorization_code`
 *   with `code`, `redirect_uri`, `client_id`, `client_secret`; or `grant_type=refresh_token` with
 *   `refresh_token`, `client_id`, `client_secret`. Answers `{ access_token, token_type: "Bearer",
 *   expires_in, scope, refresh_token }`. Refresh tokens rotate: a refresh answers a new one and
 *   the one used stops working. Failures are HTTP 400 `{ error, error_description }`
 *   (`invalid_grant`, `invalid_client`, `invalid_request`, `unsupported_grant_type`).
 * - `POST /oauth/revoke`, as the page's "Revoke an access token" section has it
 *   (https://linear.app/developers/oauth-2-0-authentication#revoke-an-access-token): the access
 *   token as `Authorization: Bearer …` or as the `access_token` form field, or the refresh token
 *   as the `refresh_token` form field (`application/x-www-form-urlencoded`). No other field names
 *   a token there (RFC 7009's `token` and `token_type_hint` are not Linear's), so a request
 *   without one of these has nothing to revoke. It ends the whole authorization, both of its
 *   tokens. Statuses as listed there: 200 revoked; 400 unable to revoke (e.g. already revoked);
 *   401 unable to authenticate with the token (a bearer token Linear does not know).
 */

/** The person a personal API key belongs to: its writes show as theirs. */
export const FAKE_KEY_OWNER = { id: "user-key-owner", name: "Key Owner", app: false } as const;
/** The user an OAuth application installed with `actor=app` acts as. */
export const FAKE_APP_USER = {
  id: "user-capacity-app",
  name: "Capacity Split",
  app: true,
} as const;
/** The person who consents, whom a token without `actor=app` acts as. */
const CONSENTING_ADMIN = { id: "user-consenting-admin", name: "Consenting Admin", app: false };

interface Grant {
  /** One per authorization: a refresh keeps it, a revoke ends every token carrying it. */
  readonly id: string;
  readonly user: UserRecord;
  readonly scope: string;
}

export interface FakeOAuth {
  /** Answers one request to `/oauth/…`, whose body the server has read. */
  handle(request: IncomingMessage, response: ServerResponse, body: string): void;
  /** The user an `Authorization: Bearer …` header acts as; null when not a live access token. */
  userOf(authorization: string, now: number): UserRecord | null;
  readonly requests: string[];
  expireAll(): void;
}

/** The user, added to the workspace the first time it acts. */
export function ensureUser(
  data: LinearData,
  user: { readonly id: string; readonly name: string; readonly app: boolean },
): UserRecord {
  const existing = data.users.find((candidate) => candidate.id === user.id);
  if (existing !== undefined) return existing;
  const created = { ...user };
  data.users.push(created);
  return created;
}

export function createOAuth(
  options: {
    readonly oauth?: { readonly clientId: string; readonly clientSecret: string };
    readonly accessTokenSeconds?: number;
  },
  data: LinearData,
): FakeOAuth {
  const lifetime = options.accessTokenSeconds ?? 86_400;
  const codes = new Map<
    string,
    Omit<Grant, "id"> & { readonly redirectUri: string; readonly clientId: string }
  >();
  const access = new Map<string, Grant & { expiresAt: number }>();
  const refresh = new Map<string, Grant>();
  const requests: string[] = [];
  const token = (prefix: string) => `${prefix}_${randomBytes(16).toString("hex")}`;

  const issue = (grant: Grant, response: ServerResponse) => {
    const accessToken = token("lin_oauth");
    const refreshToken = token("lin_refresh");
    access.set(accessToken, { ...grant, expiresAt: Date.now() + lifetime * 1000 });
    refresh.set(refreshToken, grant);
    sendJson(response, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: lifetime,
      scope: grant.scope,
      refresh_token: refreshToken,
    });
  };

  return {
    requests,
    expireAll: () => {
      for (const entry of access.values()) entry.expiresAt = 0;
    },
    userOf: (authorization, now) => {
      const match = /^Bearer (\S+)$/.exec(authorization);
      const grant = match?.[1] === undefined ? undefined : access.get(match[1]);
      return grant === undefined || grant.expiresAt <= now ? null : grant.user;
    },
    handle: (request, response, body) => {
      const url = new URL(request.url ?? "/", "http://fake");
      const client = options.oauth;
      if (url.pathname === "/oauth/authorize" && request.method === "GET") {
        const q = url.searchParams;
        const redirectUri = q.get("redirect_uri");
        if (
          client === undefined ||
          q.get("client_id") !== client.clientId ||
          redirectUri === null
        ) {
          sendJson(response, 400, {
            error: "invalid_request",
            error_description: "Unknown client",
          });
          return;
        }
        if (q.get("response_type") !== "code" || (q.get("scope") ?? "") === "") {
          sendJson(response, 400, {
            error: "invalid_request",
            error_description: "Bad parameters",
          });
          return;
        }
        const actorIsApp = q.get("actor") === "app";
        const user = ensureUser(data, actorIsApp ? FAKE_APP_USER : CONSENTING_ADMIN);
        const code = token("code");
        codes.set(code, {
          user,
          scope: q.get("scope") ?? "read",
          redirectUri,
          clientId: client.clientId,
        });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        const state = q.get("state");
        if (state !== null) back.searchParams.set("state", state);
        response.writeHead(302, { location: back.toString() });
        response.end();
        return;
      }
      if (url.pathname === "/oauth/revoke" && request.method === "POST") {
        requests.push("revoke");
        const form = new URLSearchParams(body);
        const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
        if (bearer !== undefined && !access.has(bearer)) {
          sendJson(response, 401, {
            error: "invalid_token",
            error_description: "Unable to authenticate with the token",
          });
          return;
        }
        const byAccess = bearer ?? form.get("access_token");
        const byRefresh = form.get("refresh_token");
        const grant =
          byAccess !== null
            ? access.get(byAccess)
            : byRefresh !== null
              ? refresh.get(byRefresh)
              : undefined;
        if (grant === undefined) {
          sendJson(response, 400, {
            error: "invalid_request",
            error_description: "Unable to revoke token",
          });
          return;
        }
        for (const [key, entry] of access) if (entry.id === grant.id) access.delete(key);
        for (const [key, entry] of refresh) if (entry.id === grant.id) refresh.delete(key);
        response.writeHead(200).end();
        return;
      }
      if (url.pathname !== "/oauth/token" || request.method !== "POST") {
        sendJson(response, 404, { error: "not_found" });
        return;
      }
      const form = new URLSearchParams(body);
      const grantType = form.get("grant_type") ?? "";
      requests.push(grantType);
      if (
        client === undefined ||
        form.get("client_id") !== client.clientId ||
        form.get("client_secret") !== client.clientSecret
      ) {
        sendJson(response, 401, {
          error: "invalid_client",
          error_description: "Bad client credentials",
        });
        return;
      }
      if (grantType === "authorization_code") {
        const code = form.get("code") ?? "";
        const grant = codes.get(code);
        // A code is good once, and only with the redirect URI it was issued for.
        codes.delete(code);
        if (grant === undefined || grant.redirectUri !== form.get("redirect_uri")) {
          sendJson(response, 400, { error: "invalid_grant", error_description: "Invalid code" });
          return;
        }
        issue({ id: token("grant"), user: grant.user, scope: grant.scope }, response);
        return;
      }
      if (grantType === "refresh_token") {
        const used = form.get("refresh_token") ?? "";
        const grant = refresh.get(used);
        if (grant === undefined) {
          sendJson(response, 400, {
            error: "invalid_grant",
            error_description: "Token has been expired or revoked.",
          });
          return;
        }
        refresh.delete(used);
        issue(grant, response);
        return;
      }
      sendJson(response, 400, { error: "unsupported_grant_type" });
    },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
