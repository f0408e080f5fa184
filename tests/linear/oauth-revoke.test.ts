/**
 * Revoking a Linear OAuth connection, against the fake Linear over loopback: the client sends the
 * request Linear documents (the refresh token as the `refresh_token` form field), which ends both
 * tokens; the fake answers the other documented forms and refuses what Linear does not name.
 */
import { describe, expect, it } from "vitest";
import {
  connectLinear,
  exchangeLinearCode,
  refreshLinearTokens,
  revokeLinearToken,
  type LinearOAuthApp,
  type LinearTokens,
} from "../../src/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { fakeLinearOAuthOptions, oauthAppOn } from "./helpers";

const CLIENT = { clientId: "capacity-split-server", clientSecret: "server-secret-0000" };
const REDIRECT = "http://127.0.0.1:3000/linear/oauth/callback";

let app: LinearOAuthApp;
const fake = useFakeLinear(fakeLinearOAuthOptions(CLIENT), (started) => {
  app = oauthAppOn(started, CLIENT, REDIRECT);
});

/** A fresh authorization: consent (the fake approves at once), then the code for tokens. */
async function authorize(): Promise<LinearTokens> {
  const consent = new URL(app.authorizeUrl ?? "");
  for (const [name, value] of Object.entries({
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "read,write",
    state: "s",
    actor: "app",
  })) {
    consent.searchParams.set(name, value);
  }
  const redirect = await fetch(consent, { redirect: "manual" });
  const code = new URL(redirect.headers.get("location") ?? "").searchParams.get("code") ?? "";
  return exchangeLinearCode(app, code, Date.now());
}

async function works(tokens: LinearTokens): Promise<boolean> {
  const client = connectLinear({ apiKey: "", accessToken: tokens.accessToken, apiUrl: fake.url });
  try {
    await client.viewer();
    return true;
  } catch {
    return false;
  }
}

function revoke(form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(app.revokeUrl ?? "", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
}

describe("revoking a Linear OAuth connection", () => {
  it("ends both tokens with the refresh token sent as Linear documents it", async () => {
    const tokens = await authorize();
    expect(await works(tokens)).toBe(true);
    await revokeLinearToken(app, tokens.refreshToken);
    expect(await works(tokens)).toBe(false);
    await expect(refreshLinearTokens(app, tokens.refreshToken, Date.now())).rejects.toThrow();
    // Already revoked: Linear answers 400, which is the state that was wanted.
    await expect(revokeLinearToken(app, tokens.refreshToken)).resolves.toBeUndefined();
  });

  it.each([
    ["the access token as a bearer header", (t: LinearTokens) => revoke({}, bearer(t))],
    [
      "the access token as the access_token field",
      (t: LinearTokens) => revoke({ access_token: t.accessToken }),
    ],
    [
      "the refresh token as the refresh_token field",
      (t: LinearTokens) => revoke({ refresh_token: t.refreshToken }),
    ],
  ])("revokes with %s, then answers 400 for it", async (_, send) => {
    const tokens = await authorize();
    expect((await send(tokens)).status).toBe(200);
    expect(await works(tokens)).toBe(false);
    expect((await revoke({ refresh_token: tokens.refreshToken })).status).toBe(400);
  });

  it("has nothing to revoke in RFC 7009's token and token_type_hint, which Linear does not name", async () => {
    const tokens = await authorize();
    const response = await revoke({ token: tokens.refreshToken, token_type_hint: "refresh_token" });
    expect(response.status).toBe(400);
    expect(await works(tokens)).toBe(true);
  });

  it("answers 401 for a bearer token it cannot authenticate", async () => {
    const response = await revoke({}, { authorization: "Bearer lin_oauth_unknown" });
    expect(response.status).toBe(401);
  });
});

function bearer(tokens: LinearTokens): Record<string, string> {
  return { authorization: `Bearer ${tokens.accessToken}` };
}
