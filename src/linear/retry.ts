import { LinearSyncError } from "./errors";

/**
 * Retry for Linear requests: a rate limit waits as long as Linear said (retrying sooner only spends
 * more of the budget), 5xx and network failures back off exponentially with full jitter, and
 * authentication or invalid-input errors are final. Label writes are set operations
 * (`addedLabelIds`/`removedLabelIds`) and creations look up by name first, so a repeat never
 * duplicates anything.
 */
export interface LinearRetryOptions {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * The longest rate-limit wait to sleep on; a longer one is thrown as `LINEAR_RATE_LIMITED` with
   * the wait in `retryAfterMs`, for a host that cannot wait (a Forge function dies at 900 s) to
   * continue later from the pull's saved progress. A function is asked at each wait, so a host
   * can answer the time it has left. Default: no limit, every wait is slept on.
   */
  readonly maxWaitMs?: number | (() => number);
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (event: LinearRetryEvent) => void;
}

export interface LinearRetryEvent {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: LinearSyncError;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withLinearRetry<T>(
  operation: () => Promise<T>,
  options: LinearRetryOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const base = options.baseDelayMs ?? 1_000;
  const cap = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof LinearSyncError) || !error.retryable || attempt >= maxAttempts) {
        throw error;
      }
      let delayMs: number;
      if (error.retryAfterMs !== null) {
        const maxWait = maxWaitOf(options);
        if (error.code === "LINEAR_RATE_LIMITED" && error.retryAfterMs > maxWait) {
          throw rateLimitBeyondWait(error, error.retryAfterMs);
        }
        delayMs = error.retryAfterMs;
      } else {
        delayMs = Math.round(random() * Math.min(cap, base * 2 ** (attempt - 1)));
      }
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

function maxWaitOf(options: LinearRetryOptions): number {
  const { maxWaitMs } = options;
  if (maxWaitMs === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(0, typeof maxWaitMs === "number" ? maxWaitMs : maxWaitMs());
}

function rateLimitBeyondWait(error: LinearSyncError, waitMs: number): LinearSyncError {
  return new LinearSyncError(
    `${error.message} Linear asks to wait ${Math.ceil(waitMs / 1000)} s, longer than this run may wait.`,
    "LINEAR_RATE_LIMITED",
    true,
    waitMs,
    { cause: error },
  );
}
