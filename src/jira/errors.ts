import type { JiraRequest, JiraResponse, TransportDescription } from "./transport";
import { describePath } from "./transport";

/**
 * The typed family every Jira failure becomes (ARCHITECTURE.md, "Errors"). Hosts map them to
 * results by `code`, which is stable; messages say what a person can do about it.
 */
export type JiraErrorCode =
  | "JIRA_RATE_LIMITED"
  | "JIRA_UNAUTHORIZED"
  | "JIRA_FORBIDDEN"
  | "JIRA_NOT_FOUND"
  | "JIRA_BAD_REQUEST"
  | "JIRA_SERVER_ERROR"
  | "JIRA_NETWORK"
  | "JIRA_TIMEOUT"
  | "JIRA_MALFORMED_RESPONSE";

export interface JiraErrorOptions extends ErrorOptions {
  /** How long Jira asked to wait (Retry-After or X-RateLimit-Reset); null when it did not say. */
  readonly retryAfterMs?: number | null;
}

export abstract class JiraError extends Error {
  abstract readonly code: JiraErrorCode;
  /** Whether trying the same request again later may succeed. */
  abstract readonly retryable: boolean;
  /** How long Jira asked to wait before another try (a 429, or a 503 with Retry-After); else null. */
  readonly retryAfterMs: number | null;
  constructor(message: string, options: JiraErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/**
 * Which of Jira's limits refused a request, from the `RateLimit-Reason` header
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): the hourly points quota of
 * the app across every site (`jira-quota-global-based`) or on one site (`jira-quota-tenant-based`),
 * the per-second limit of one endpoint (`jira-burst-based`), or the write limit of one issue
 * (`jira-per-issue-on-write`). Those four are the values Atlassian documents. Jira also sends
 * `jira-cost-based`, which it does not document: seen on writes and API-token traffic, with a
 * `Retry-After` of seconds to minutes, it is a short-window cost budget, not the hourly quota, so
 * it is retried after that wait like a burst limit and does not stop the app until the hour ends.
 */
export type RateLimitReason =
  | "jira-quota-global-based"
  | "jira-quota-tenant-based"
  | "jira-burst-based"
  | "jira-per-issue-on-write"
  | (string & {});

/** 429: Jira's rate limiter refused the request. */
export class RateLimitedError extends JiraError {
  override readonly name = "RateLimitedError";
  readonly code = "JIRA_RATE_LIMITED";
  readonly retryable = true;
  constructor(
    message: string,
    options: JiraErrorOptions & { readonly reason?: RateLimitReason | null },
  ) {
    super(message, options);
    this.reason = options.reason ?? null;
  }
  /** `RateLimit-Reason`, or null when Jira did not say. */
  readonly reason: RateLimitReason | null;
  /**
   * The hourly points quota is spent: every request of the app (to this site, or to every site)
   * is refused until the quota resets, so nothing should be sent before then.
   */
  get quotaExhausted(): boolean {
    return isQuotaReason(this.reason);
  }
}

export function isQuotaReason(reason: string | null): boolean {
  return reason === "jira-quota-global-based" || reason === "jira-quota-tenant-based";
}

/** 401 (credentials rejected) or 403 (credentials fine, permission missing). Final. */
export class AuthError extends JiraError {
  override readonly name = "AuthError";
  readonly retryable = false;
  constructor(
    message: string,
    readonly code: "JIRA_UNAUTHORIZED" | "JIRA_FORBIDDEN",
    options: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 404: the board, issue or filter does not exist, or the caller cannot see it. Final. */
export class NotFoundError extends JiraError {
  override readonly name = "NotFoundError";
  readonly code = "JIRA_NOT_FOUND";
  readonly retryable = false;
}

/** 400: Jira refused the request itself (bad JQL, an expired page token, an invalid edit). Final. */
export class BadRequestError extends JiraError {
  override readonly name = "BadRequestError";
  readonly code = "JIRA_BAD_REQUEST";
  readonly retryable = false;
  constructor(
    message: string,
    options: ErrorOptions & { readonly jiraMessages: readonly string[] },
  ) {
    super(message, options);
    this.jiraMessages = options.jiraMessages;
  }
  /** Jira's own `errorMessages` and `errors`, as it phrased them. */
  readonly jiraMessages: readonly string[];
}

/** 5xx, the network, a timeout or a body that is not what the endpoint documents. */
export class UpstreamError extends JiraError {
  override readonly name = "UpstreamError";
  constructor(
    message: string,
    readonly code:
      "JIRA_SERVER_ERROR" | "JIRA_NETWORK" | "JIRA_TIMEOUT" | "JIRA_MALFORMED_RESPONSE",
    readonly retryable: boolean,
    /** A 503 may carry Retry-After, which is honoured like a 429's. */
    options: JiraErrorOptions & {
      /** HTTP status when Jira answered; null for network failures and timeouts. */
      readonly status?: number | null;
    },
  ) {
    super(message, options);
    this.status = options.status ?? null;
  }
  readonly status: number | null;
}

/** What a request was for, in words: "read board 12", "edit the labels of PAY-7". */
export type Purpose = string;

/**
 * The typed error for a response that is not a success, or null for 2xx. `now` is the clock the
 * rate-limit headers are read against.
 */
export function errorForResponse(
  response: JiraResponse,
  request: JiraRequest,
  purpose: Purpose,
  site: TransportDescription,
  now: number,
): JiraError | null {
  const { status } = response;
  if (status >= 200 && status < 300) return null;
  const messages = jiraMessages(response.text);
  const detail = messages.length > 0 ? ` Jira said: ${messages.join(" ")}` : "";
  const cause = new Error(
    `HTTP ${status} from ${request.method} ${describePath(request.path)}: ${excerpt(response.text)}`,
  );
  if (status === 401) {
    return new AuthError(
      `Jira rejected the credentials: check ${site.credentials} for ${site.site}.`,
      "JIRA_UNAUTHORIZED",
      { cause },
    );
  }
  if (status === 403) {
    return new AuthError(
      `The Jira account lacks permission to ${purpose} on ${site.site}: ask a Jira administrator for it, or use an account that has it.${detail}`,
      "JIRA_FORBIDDEN",
      { cause },
    );
  }
  if (status === 404) {
    return new NotFoundError(
      `Jira could not ${purpose} on ${site.site}: it does not exist or the account cannot see it. Check the id and the account's project access.${detail}`,
      { cause },
    );
  }
  if (status === 429) {
    const reason = response.headers.get("ratelimit-reason")?.trim() || null;
    const quota = isQuotaReason(reason);
    // The points quota resets at the top of each UTC hour; until then every request is refused.
    const asked = retryAfterOf(response, now);
    const retryAfterMs = asked ?? (quota ? untilNextUtcHour(now) : null);
    const seconds = Math.ceil((retryAfterMs ?? 0) / 1000);
    const wait =
      asked !== null
        ? ` It asked to wait ${seconds} s.`
        : retryAfterMs !== null
          ? ` The quota resets at the top of the hour, in ${seconds} s.`
          : "";
    const scope = reason === "jira-quota-global-based" ? " (shared by every site it is on)" : "";
    const message = quota
      ? `The app has used its hourly Jira quota${scope}: ${site.site} refused the request to ${purpose}.${wait} Try again after that.`
      : reason === "jira-per-issue-on-write"
        ? `Jira limits how often one issue may be edited: ${site.site} refused the request to ${purpose}.${wait} Try again in a few seconds.`
        : `Jira is rate limiting requests to ${site.site} (while trying to ${purpose}).${wait} Try again later or pull fewer boards at once.`;
    return new RateLimitedError(message, { cause, reason, retryAfterMs });
  }
  if (status >= 500) {
    return new UpstreamError(
      `Jira at ${site.site} failed with HTTP ${status} while trying to ${purpose}. It is usually temporary: try again in a few minutes.${detail}`,
      "JIRA_SERVER_ERROR",
      true,
      { cause, status, retryAfterMs: retryAfterOf(response, now) },
    );
  }
  return new BadRequestError(
    `Jira refused the request to ${purpose} (HTTP ${status}).${detail || ` ${excerpt(response.text)}`}`,
    { cause, jiraMessages: messages },
  );
}

/**
 * Milliseconds to wait from `Retry-After` (delay-seconds or an HTTP date, RFC 9110 §10.2.3) or,
 * failing that, `X-RateLimit-Reset` (per https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 * "the request timestamp plus the Retry-After period", formatted `yyyy-MM-ddTHH:mmZ`). That reset
 * has only minute precision, so one that reads as now or past says nothing about how long is left
 * (up to a minute): null then, and the retry's own minimum backoff applies. Null when neither says.
 */
export function retryAfterOf(response: Pick<JiraResponse, "headers">, now: number): number | null {
  const retryAfter = response.headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = response.headers.get("x-ratelimit-reset")?.trim();
  if (reset) {
    const at = Date.parse(reset);
    if (!Number.isNaN(at) && at > now) return at - now;
  }
  return null;
}

/**
 * Whether a successful answer says a budget is nearly spent: `X-RateLimit-NearLimit: true` (less
 * than 20 % of a quota left) or `Beta-Retry-After` (a limit Jira is trialling would have refused
 * this request), both per https://developer.atlassian.com/cloud/jira/platform/rate-limiting/.
 */
export function isNearLimit(response: Pick<JiraResponse, "headers">): boolean {
  return (
    response.headers.get("x-ratelimit-nearlimit")?.trim().toLowerCase() === "true" ||
    (response.headers.get("beta-retry-after")?.trim() ?? "") !== ""
  );
}

function untilNextUtcHour(now: number): number {
  const hour = 3_600_000;
  return (Math.floor(now / hour) + 1) * hour - now;
}

/** Jira's error body: `{ "errorMessages": [...], "errors": { field: message } }`. */
function jiraMessages(text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  if (json === null || typeof json !== "object") return [];
  const out: string[] = [];
  if ("errorMessages" in json && Array.isArray(json.errorMessages)) {
    for (const message of json.errorMessages) if (typeof message === "string") out.push(message);
  }
  if ("errors" in json && json.errors !== null && typeof json.errors === "object") {
    for (const [field, message] of Object.entries(json.errors)) {
      if (typeof message === "string") out.push(`${field}: ${message}`);
    }
  }
  return out;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return "(empty body)";
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
