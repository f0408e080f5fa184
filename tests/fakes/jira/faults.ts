/**
 * Faults the fake can be told to produce, each on the next `times` requests to one endpoint (or to
 * any endpoint when `endpoint` is left out). Endpoints are named as the request counters name them:
 * `POST /rest/api/3/search/jql`, `GET /rest/agile/1.0/board/{boardId}/sprint`.
 */
export type Fault =
  | {
      readonly kind: "status";
      /** 429 is rate limiting; 500/502/503 are Jira failing. */
      readonly status: 429 | 500 | 502 | 503 | 504;
      readonly endpoint?: string;
      readonly times?: number;
      /** Sent as `Retry-After` (seconds, or an HTTP date). */
      readonly retryAfter?: string;
      /** Sent as `X-RateLimit-Reset` (ISO 8601 to the minute, e.g. 2026-11-24T10:15Z). */
      readonly rateLimitReset?: string;
      /** A 429's `RateLimit-Reason` (default `jira-burst-based`). */
      readonly reason?: string;
    }
  /**
   * Answers as usual, with `X-RateLimit-NearLimit: true` ("less than 20% of any budget remains",
   * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/).
   */
  | { readonly kind: "near-limit"; readonly endpoint?: string; readonly times?: number }
  /** Answers only after `delayMs`, past a client's timeout. */
  | {
      readonly kind: "slow";
      readonly delayMs: number;
      readonly endpoint?: string;
      readonly times?: number;
    }
  /** A 200 whose body is cut off mid-JSON, as a dropped proxy connection leaves it. */
  | { readonly kind: "malformed"; readonly endpoint?: string; readonly times?: number }
  /** A 200 with valid JSON of the wrong shape, as a login page or an API change would give. */
  | { readonly kind: "wrong-shape"; readonly endpoint?: string; readonly times?: number }
  /** Closes the connection without an answer. */
  | { readonly kind: "disconnect"; readonly endpoint?: string; readonly times?: number }
  /** Every page token handed out so far stops working (Jira's expire after 7 days). */
  | { readonly kind: "expire-page-tokens" };

export type QueuedFault = Exclude<Fault, { kind: "expire-page-tokens" }>;

export class FaultQueue {
  private readonly pending: { fault: QueuedFault; left: number }[] = [];

  add(fault: QueuedFault): void {
    this.pending.push({ fault, left: fault.times ?? 1 });
  }

  /** The fault for this request, if one is waiting for its endpoint; consumes one use. */
  take(endpoint: string): QueuedFault | undefined {
    const entry = this.pending.find(
      ({ fault, left }) =>
        left > 0 && (fault.endpoint === undefined || fault.endpoint === endpoint),
    );
    if (entry === undefined) return undefined;
    entry.left--;
    if (entry.left === 0) this.pending.splice(this.pending.indexOf(entry), 1);
    return entry.fault;
  }

  get size(): number {
    return this.pending.length;
  }
}
