import { JiraError, RateLimitedError, UpstreamError } from "./errors";

/**
 * Retry policy for Jira requests, after Atlassian's guidance
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): a 429 waits as long as
 * `Retry-After` / `X-RateLimit-Reset` say (a retry before then fails again with the same or a longer
 * wait), and at least a doubling minimum when they do not (a reset of minute precision may read as
 * past while a minute is left); a 503 that carries `Retry-After` likewise; other 5xx and network
 * failures back off exponentially with full jitter; 400/401/403/404 are final. Every request the client sends is
 * idempotent (reads, label add/remove ops, property PUTs), so repeating one is safe.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  /** The backoff's first ceiling; attempt n waits a random time up to base × 2^(n-1). */
  readonly baseDelayMs?: number;
  /** The backoff's cap (Atlassian's example uses 30 s). */
  readonly maxDelayMs?: number;
  /**
   * A 429 that does not say how long to wait waits at least this, doubling per attempt (Atlassian's
   * example starts at 5 s): a retry at once would only be refused again.
   */
  readonly minRateLimitDelayMs?: number;
  /**
   * The longest server-requested wait to sit out. A longer one is given up on at once and the
   * `RateLimitedError` goes to the caller, who can reschedule (a Forge queue event, a later run).
   */
  readonly maxRetryAfterMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); the jitter's source. */
  readonly random?: () => number;
  /** Called before each wait, so the caller can log; retry itself logs nothing. */
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: JiraError;
}

export const DEFAULT_RETRY = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  minRateLimitDelayMs: 5_000,
} as const;

export const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation` until it succeeds, fails with a final error, or runs out of attempts; then
 * rethrows the last error as it was. Errors that are not `JiraError`s (bugs) are never retried.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_RETRY.maxAttempts);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!(error instanceof JiraError) || !error.retryable || attempt >= maxAttempts) throw error;
      const delayMs = delayFor(error, attempt, options, random);
      if (delayMs === null) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/** The wait before the next attempt, or null when the server asked for longer than we wait. */
export function delayFor(
  error: JiraError,
  attempt: number,
  options: RetryOptions,
  random: () => number,
): number | null {
  const requested =
    error instanceof RateLimitedError || error instanceof UpstreamError ? error.retryAfterMs : null;
  if (requested !== null) {
    if (requested > (options.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs)) return null;
    // Additive jitter only: waking up before the server's time is a wasted request.
    return requested + Math.floor(random() * Math.min(1_000, requested * 0.3));
  }
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const cap = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  if (error instanceof RateLimitedError) {
    // Jitter of ×0.7–1.3 around a doubling floor, as in Atlassian's rate-limiting example: never
    // at once, and clients refused together do not come back together.
    const floor = Math.min(
      cap,
      (options.minRateLimitDelayMs ?? DEFAULT_RETRY.minRateLimitDelayMs) * 2 ** (attempt - 1),
    );
    return Math.floor(floor * (0.7 + 0.6 * random()));
  }
  // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): spreads clients that
  // failed together so they do not retry together.
  return Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
}
