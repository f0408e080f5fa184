import { NeedsAuthenticationError, type Route } from "@forge/api";
import type { ForgeRequestApi } from "../../../src/forge/jira-transport";
import type { FakeJira } from "../jira/index";
import type { FakeUser } from "../jira/routes";

/**
 * Forge's product fetch (`asApp()` / `asUser()` `.requestJira` of `@forge/api`) in front of the
 * fake Jira, for one invocation, as Atlassian documents it:
 * - `asApp()` calls "as the app, using the app user" (here the app's own fake account);
 * - `asUser()` calls as the person whose invocation it is, and "this context method is only
 *   available in modules that support the UI kit"
 *   (https://developer.atlassian.com/platform/forge/apis-reference/fetch-api-product.requestjira/).
 *   An invocation with nobody behind it (a queue consumer, a scheduled trigger) has no user's
 *   authorization to send; Forge's proxy answers such a call with `forge-proxy-error:
 *   NEEDS_AUTHENTICATION_ERR`, which `@forge/api` throws as `NeedsAuthenticationError` (status
 *   401, `handleProxyResponseErrors` in @forge/api 8.3.0), as this does without calling Jira;
 * - a person who has not allowed the app access yet gets the same from `asUser()`: "Your users are
 *   prompted to allow access the first time they use your app … Each time scopes are changed, your
 *   users will need to reauthorize the app"
 *   (https://developer.atlassian.com/platform/forge/add-scopes-to-call-an-atlassian-rest-api/);
 *   the prompt is Forge's answer to that error leaving the function.
 * Every call is recorded with its identity. A virtual clock can be moved on per call (Jira at
 * 150 ms a request), and the invocation can be killed after a number of label writes: every later
 * call then never answers, as nothing answers a function Forge has stopped.
 */
export interface ForgeApiDouble extends ForgeRequestApi {
  /** Each call in order: who made it, its method and path. */
  readonly calls: { who: "app" | "user"; method: string; path: string }[];
  /** Resolves once the invocation was killed (see `killAfterWrites`). */
  readonly killed: Promise<void>;
}

export interface ForgeApiOptions {
  /** The app's own account on the fake. */
  readonly app: FakeUser;
  /** The person behind the invocation (a resolver); null in a consumer or trigger. */
  readonly user: FakeUser | null;
  /** False: the person has not allowed the app access (first use, or after a scope change). */
  readonly consented?: boolean;
  /** Moved on by `msPerCall` for each call. */
  readonly clock?: { now: number };
  readonly msPerCall?: number;
  /** After this many `PUT /rest/api/3/issue/…` calls have been answered, nothing answers. */
  readonly killAfterWrites?: number;
}

export function forgeApiFor(fake: FakeJira, options: ForgeApiOptions): ForgeApiDouble {
  const calls: ForgeApiDouble["calls"] = [];
  let writes = 0;
  let markKilled = (): void => undefined;
  const killed = new Promise<void>((resolve) => (markKilled = resolve));
  const dead = (): boolean =>
    options.killAfterWrites !== undefined && writes >= options.killAfterWrites;

  const requester = (who: "app" | "user") => ({
    requestJira: async (
      route: Route,
      init?: { method?: string; headers?: Record<string, string>; body?: string },
    ) => {
      const method = init?.method ?? "GET";
      if (dead()) {
        markKilled();
        return new Promise<never>(() => undefined);
      }
      calls.push({ who, method, path: route.value });
      if (options.clock) options.clock.now += options.msPerCall ?? 0;
      const account = who === "app" ? options.app : options.user;
      if (account === null || (who === "user" && options.consented === false)) {
        throw needsAuthentication();
      }
      const auth = Buffer.from(`${account.email}:${account.token}`).toString("base64");
      const response = await fetch(`${fake.url}${route.value}`, {
        ...init,
        headers: { ...init?.headers, Authorization: `Basic ${auth}` },
      });
      if (method === "PUT" && /^\/rest\/api\/3\/issue\/[^/?]+(\?|$)/.test(route.value)) writes++;
      return response;
    },
  });
  return { calls, killed, asApp: () => requester("app"), asUser: () => requester("user") };
}

/**
 * What `@forge/api` throws for a call as a user it holds no authorization of: its own class, built
 * as `handleProxyResponseErrors` builds it from the proxy's `forge-proxy-error` header.
 */
function needsAuthentication(): Error {
  return new NeedsAuthenticationError("Authentication Required", "atlassian-token-service-key");
}
