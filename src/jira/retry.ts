import {
  retry,
  type RetryEvent as SharedRetryEvent,
  type RetryOptions as SharedRetryOptions,
  type RetryPolicy,
} from "../shared/index";
import { JiraError, RateLimitedError } from "./errors";

/**
 * Retry policy for Jira requests, after Atlassian's guidance
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): a 429 waits as long as
 * `Retry-After` / `X-RateLimit-Reset` say (a retry before then fails again with the same or a longer
 * wait), and at least a doubling minimum when they do not (a reset of minute precision may read as
 * past while a minute is left); a 503 that carries `Retry-After` likewise; other 5xx and network
 * failures back off exponentially with full jitter; 400/401/403/404 are final. Every request the client sends is
 * idempotent (reads, label add/remove ops, property PUTs), so repeating one is safe.
 */
export interface RetryOptions extends Omit<SharedRetryOptions<JiraError>, "maxWaitMs"> {
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
}

export type RetryEvent = SharedRetryEvent<JiraError>;

export const DEFAULT_RETRY = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  minRateLimitDelayMs: 5_000,
} as const;

/**
 * Runs `operation` until it succeeds, fails with a final error, or runs out of attempts; then
 * rethrows the last error as it was. Errors that are not `JiraError`s (bugs) are never retried.
 */
export function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  return retry(operation, jiraRetryPolicy(options), {
    ...options,
    maxAttempts: options.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    maxWaitMs: options.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
  });
}

/** Jira's rules for the shared retry loop. */
function jiraRetryPolicy(options: RetryOptions): RetryPolicy<JiraError> {
  return {
    owns: (error): error is JiraError => error instanceof JiraError,
    requestedWaitMs: (error) => error.retryAfterMs,
    // Additive jitter only: waking up before the server's time is a wasted request.
    jitterRequested: (requested, random) => Math.floor(random() * Math.min(1_000, requested * 0.3)),
    unrequestedWaitMs: (error, attempt, random) => {
      if (!(error instanceof RateLimitedError)) return null;
      // Jitter of ×0.7–1.3 around a doubling floor, as in Atlassian's rate-limiting example: never
      // at once, and clients refused together do not come back together.
      const floor = Math.min(
        options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
        (options.minRateLimitDelayMs ?? DEFAULT_RETRY.minRateLimitDelayMs) * 2 ** (attempt - 1),
      );
      return Math.floor(floor * (0.7 + 0.6 * random()));
    },
  };
}
