import { UpstreamError } from "./errors";
import {
  describePath,
  encodeQuery,
  type JiraRequest,
  type JiraResponse,
  type JiraTransport,
} from "./transport";

export interface NodeTransportOptions {
  /** `https://example.atlassian.net` (a trailing slash or path is ignored). */
  readonly site: string;
  readonly email: string;
  /** An Atlassian API token (id.atlassian.com → Security → API tokens). */
  readonly apiToken: string;
  /** Per request, first byte to last (default 30 s). */
  readonly timeoutMs?: number;
  /** What a 401 message tells the person to check (default: the CLI's environment variables). */
  readonly credentialsHint?: string;
  /** For tests and proxies; defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * The transport for the CLI and the self-hosted server: `fetch` with Basic auth (email and API
 * token, https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/), every
 * path parameter percent-encoded, and a timeout on every request.
 */
export function createNodeTransport(options: NodeTransportOptions): JiraTransport {
  const site = normalizeSite(options.site);
  const authorization = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString("base64")}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fetchImpl = options.fetch ?? fetch;
  const description = {
    site,
    credentials: options.credentialsHint ?? "JIRA_EMAIL and JIRA_API_TOKEN",
  };

  return {
    description,
    async send(request: JiraRequest): Promise<JiraResponse> {
      const url = `${site}${buildPath(request)}`;
      const headers: Record<string, string> = {
        Authorization: authorization,
        Accept: "application/json",
      };
      if (request.body !== undefined) headers["Content-Type"] = "application/json";
      const label = `${request.method} ${describePath(request.path)}`;
      try {
        // The timeout covers the body too: a response that stalls mid-stream aborts the read.
        const response = await fetchImpl(url, {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(timeoutMs),
          ...(request.redirect === undefined ? {} : { redirect: request.redirect }),
        });
        const text = await response.text();
        return { status: response.status, headers: response.headers, text };
      } catch (error) {
        if (isTimeout(error)) {
          throw new UpstreamError(
            `Jira at ${site} did not answer ${label} within ${timeoutMs / 1000} s. It may be overloaded: try again later.`,
            "JIRA_TIMEOUT",
            true,
            { cause: error },
          );
        }
        throw new UpstreamError(
          `Could not reach Jira at ${site} (${label}): ${reasonOf(error)}. Check the site URL and the network.`,
          "JIRA_NETWORK",
          true,
          { cause: error },
        );
      }
    },
  };
}

/** The path with each parameter percent-encoded, and the query string. */
export function buildPath(request: JiraRequest): string {
  const { parts, params } = request.path;
  let path = parts[0] ?? "";
  for (let i = 1; i < parts.length; i++) {
    path += encodeURIComponent(String(params[i - 1])) + (parts[i] ?? "");
  }
  const query = encodeQuery(request.query);
  return query === "" ? path : `${path}?${query}`;
}

/** `https://x.atlassian.net/jira/` → `https://x.atlassian.net`; anything but http(s) is an error. */
export function normalizeSite(site: string): string {
  let url: URL;
  try {
    url = new URL(site);
  } catch {
    throw new Error(
      `Invalid Jira site ${JSON.stringify(site)}: expected a URL such as https://example.atlassian.net.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`Invalid Jira site ${JSON.stringify(site)}: expected an http(s) URL.`);
  }
  return url.origin;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the socket error: "fetch failed" with the useful part in `cause`.
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = "code" in cause && typeof cause.code === "string" ? cause.code : "";
    return code !== "" && !cause.message.includes(code)
      ? `${code} ${cause.message}`
      : cause.message;
  }
  return error.message;
}
