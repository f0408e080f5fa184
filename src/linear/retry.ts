import { retry, type RetryEvent, type RetryOptions } from "../shared/index";
import { LinearSyncError } from "./errors";

/**
 * Retry for Linear requests: a rate limit waits as long as Linear said (retrying sooner only spends
 * more of the budget), 5xx and network failures back off exponentially with full jitter, and
 * authentication or invalid-input errors are final. Label writes are set operations
 * (`addedLabelIds`/`removedLabelIds`) and creations look up by name first, so a repeat never
 * duplicates anything.
 *
 * `maxWaitMs`: the longest rate-limit wait to sleep on; a longer one is thrown as
 * `LINEAR_RATE_LIMITED` with the wait in `retryAfterMs`, for a host that cannot wait (a Forge
 * function dies at 900 s) to continue later from the pull's saved progress. Default: no limit,
 * every wait is slept on.
 */
export type LinearRetryOptions = RetryOptions<LinearSyncError>;

export type LinearRetryEvent = RetryEvent<LinearSyncError>;

export function withLinearRetry<T>(
  operation: () => Promise<T>,
  options: LinearRetryOptions = {},
): Promise<T> {
  return retry(
    () => operation(),
    {
      owns: (error): error is LinearSyncError => error instanceof LinearSyncError,
      requestedWaitMs: (error) => error.retryAfterMs,
      beyondWait: rateLimitBeyondWait,
    },
    options,
  );
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
