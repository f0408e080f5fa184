/**
 * One retry loop for every tracker client. A failure says whether repeating the request may
 * succeed (`retryable`) and may say how long the other side asked to wait; that wait is honoured
 * (retrying sooner is refused again and spends more of the budget), a wait longer than the caller
 * can afford is handed back at once, and failures that name no wait back off exponentially with
 * full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), so clients that failed
 * together do not come back together. The tracker's own rules come in as a `RetryPolicy`.
 */
export interface RetryOptions<E> {
  /** Attempts in all, the first included. Default 6. */
  readonly maxAttempts?: number;
  /** The backoff's first ceiling; attempt n waits a random time up to base × 2^(n-1). Default 1 s. */
  readonly baseDelayMs?: number;
  /** The backoff's cap. Default 30 s. */
  readonly maxDelayMs?: number;
  /**
   * The longest requested wait to sit out; a longer one ends the loop with the policy's
   * `beyondWait` error, for a caller that can reschedule (a Forge queue event, a later run). A
   * function is asked at each wait, so a host can answer the time it has left. Default: no limit.
   */
  readonly maxWaitMs?: number | (() => number);
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); the jitter's source. */
  readonly random?: () => number;
  /** Called before each wait, so the caller can log; the loop itself logs nothing. */
  readonly onRetry?: (event: RetryEvent<E>) => void;
}

export interface RetryEvent<E> {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: E;
}

/** A client's failure: whether the same request may succeed later. */
export interface RetryableError extends Error {
  readonly retryable: boolean;
}

/** What a tracker client tells the loop about its errors. */
export interface RetryPolicy<E extends RetryableError> {
  /** The client's own errors; anything else is a bug and is thrown at once, never retried. */
  readonly owns: (error: unknown) => error is E;
  /** How long the other side asked to wait, or null when it did not say. */
  readonly requestedWaitMs: (error: E) => number | null;
  /** Added to a requested wait (never taken off it: waking up early is a wasted request). */
  readonly jitterRequested?: (requestedMs: number, random: () => number) => number;
  /** The wait for a failure that named none, when the default backoff does not fit it. */
  readonly unrequestedWaitMs?: (error: E, attempt: number, random: () => number) => number | null;
  /** What to throw when the requested wait is beyond `maxWaitMs`; default the error itself. */
  readonly beyondWait?: (error: E, requestedMs: number) => Error;
}

export const DEFAULT_MAX_ATTEMPTS = 6;
export const DEFAULT_BASE_DELAY_MS = 1_000;
export const DEFAULT_MAX_DELAY_MS = 30_000;

export const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation` until it succeeds, fails with a final error, or runs out of attempts; then
 * rethrows the last error as it was.
 */
export async function retry<T, E extends RetryableError>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy<E>,
  options: RetryOptions<E> = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!policy.owns(error) || !error.retryable || attempt >= maxAttempts) throw error;
      const delayMs = waitBeforeRetry(error, attempt, policy, options, random);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/** The wait before attempt `attempt + 1`; throws when the requested wait is more than allowed. */
export function waitBeforeRetry<E extends RetryableError>(
  error: E,
  attempt: number,
  policy: RetryPolicy<E>,
  options: RetryOptions<E>,
  random: () => number,
): number {
  const requested = policy.requestedWaitMs(error);
  if (requested !== null) {
    if (requested > maxWaitOf(options)) throw policy.beyondWait?.(error, requested) ?? error;
    return requested + (policy.jitterRequested?.(requested, random) ?? 0);
  }
  return (
    policy.unrequestedWaitMs?.(error, attempt, random) ??
    fullJitterBackoff(
      attempt,
      options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
      options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
      random,
    )
  );
}

/** A random wait up to base × 2^(attempt-1), capped. */
export function fullJitterBackoff(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
}

function maxWaitOf(options: Pick<RetryOptions<never>, "maxWaitMs">): number {
  const { maxWaitMs } = options;
  if (maxWaitMs === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(0, typeof maxWaitMs === "number" ? maxWaitMs : maxWaitMs());
}
