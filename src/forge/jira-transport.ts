import { asApp, asUser, isForgePlatformError, route, type Route } from "@forge/api";
import {
  assertQueryKey,
  describePath,
  type JiraRequest,
  type JiraResponse,
  type JiraTransport,
  UpstreamError,
} from "../jira/index";

/** The part of `@forge/api` the transport uses; injectable so hosts can swap the runtime. */
export interface ForgeRequestApi {
  asApp(): { requestJira: RequestJira };
  asUser(): { requestJira: RequestJira };
}

type RequestJira = (
  url: Route,
  init?: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    redirect?: "manual";
  },
) => Promise<{
  status: number;
  text(): Promise<string>;
  headers: { get(name: string): string | null };
}>;

export interface ForgeTransportOptions {
  readonly api?: ForgeRequestApi;
  /** Per request; Forge's own invocation limit (25 s for a resolver) still applies. */
  readonly timeoutMs?: number;
}

/**
 * The transport inside the Forge app: `requestJira` as the app (reads, reconciles, property
 * writes) or as the user (label edits and permission checks, where the user's own Jira permissions
 * must decide). Forge's platform errors (`isForgePlatformError`: no consent yet, an egress or proxy
 * refusal) are rethrown as they are; only a failure to reach Jira becomes an `UpstreamError`.
 * Routes go through Forge's `route` tag with every path parameter passed as a value,
 * so Forge rejects one that would change the path (`/`, `?`, `#`, `..`) and encodes query values.
 */
export function createForgeTransport(options: ForgeTransportOptions = {}): JiraTransport {
  const api = options.api ?? { asApp, asUser };
  const timeoutMs = options.timeoutMs ?? 20_000;
  return {
    description: {
      site: "this Jira site",
      credentials:
        "the app's installation (reinstall it to grant its scopes) or, for actions taken as you, your consent to the app",
    },
    async send(request: JiraRequest): Promise<JiraResponse> {
      const label = `${request.method} ${describePath(request.path)}`;
      const requester = request.as === "user" ? api.asUser() : api.asApp();
      const headers: Record<string, string> = { Accept: "application/json" };
      if (request.body !== undefined) headers["Content-Type"] = "application/json";
      try {
        const response = await requester.requestJira(toForgeRoute(request), {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(timeoutMs),
          ...(request.redirect === undefined ? {} : { redirect: request.redirect }),
        });
        return { status: response.status, headers: response.headers, text: await response.text() };
      } catch (error) {
        // The platform's own refusals go up untouched: `NEEDS_AUTHENTICATION_ERR` for a person
        // who has not allowed the app access yet must leave the function for Forge to show its
        // "Allow access" prompt (https://developer.atlassian.com/platform/forge/add-scopes-to-call-an-atlassian-rest-api/),
        // and none of them is Jira's answer, nor worth a retry.
        if (error instanceof Error && isForgePlatformError(error)) throw error;
        const timedOut =
          error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        throw new UpstreamError(
          timedOut
            ? `Jira did not answer ${label} within ${timeoutMs / 1000} s; try again.`
            : `Could not reach Jira for ${label}: ${error instanceof Error ? error.message : String(error)}.`,
          timedOut ? "JIRA_TIMEOUT" : "JIRA_NETWORK",
          true,
          { cause: error },
        );
      }
    },
  };
}

/**
 * The request's `route`: its path parts become the template's strings and its parameters the
 * values, then `?key=` / `&key=` strings with the query values, so `route` escapes every one of
 * them (path values are checked, query values percent-encoded) exactly as for a literal template.
 */
export function toForgeRoute(request: JiraRequest): Route {
  const strings = [...request.path.parts];
  const values: (string | number)[] = [...request.path.params];
  let separator = "?";
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value === undefined) continue;
    assertQueryKey(key);
    strings[strings.length - 1] += `${separator}${key}=`;
    values.push(Array.isArray(value) ? value.join(",") : String(value));
    strings.push("");
    separator = "&";
  }
  const template: TemplateStringsArray = Object.assign([...strings], { raw: [...strings] });
  return route(template, ...values);
}
