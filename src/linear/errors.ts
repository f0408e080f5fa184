import {
  AuthenticationLinearError,
  ForbiddenLinearError,
  InternalLinearError,
  LinearError as SdkLinearError,
  NetworkLinearError,
  RatelimitedLinearError,
} from "@linear/sdk";

/**
 * The typed family every Linear failure becomes (ARCHITECTURE.md, "Errors"). Hosts map them by
 * `code`, which is stable; messages say what a person can do about it.
 */
export type LinearErrorCode =
  | "LINEAR_RATE_LIMITED"
  | "LINEAR_UNAUTHORIZED"
  | "LINEAR_FORBIDDEN"
  | "LINEAR_BAD_REQUEST"
  | "LINEAR_UPSTREAM"
  | "LINEAR_MALFORMED_RESPONSE";

export class LinearSyncError extends Error {
  override readonly name = "LinearSyncError";
  constructor(
    message: string,
    readonly code: LinearErrorCode,
    /** Whether the same request may succeed later. */
    readonly retryable: boolean,
    /** How long Linear asked to wait (rate limits only); null when it did not say. */
    readonly retryAfterMs: number | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const KEY_HINT =
  "Check LINEAR_API_KEY: create a personal API key under Linear › Settings › Security & access.";

/**
 * Turns whatever the SDK's raw request threw into a {@link LinearSyncError}. The SDK already parses
 * Linear's HTTP 400 answers by `errors[0].extensions.type` into its own classes; a rate limit
 * carries `retryAfter` (seconds) or the `x-ratelimit-requests-reset` time (epoch ms).
 */
export function toLinearError(error: unknown, operation: string, now: number): LinearSyncError {
  if (error instanceof LinearSyncError) return error;
  if (error instanceof RatelimitedLinearError) {
    return new LinearSyncError(
      `Linear rate-limited ${operation}.`,
      "LINEAR_RATE_LIMITED",
      true,
      retryAfterMsOf(error, now),
      { cause: error },
    );
  }
  if (error instanceof AuthenticationLinearError) {
    return new LinearSyncError(
      `Linear refused the API key for ${operation}. ${KEY_HINT}`,
      "LINEAR_UNAUTHORIZED",
      false,
      null,
      { cause: error },
    );
  }
  if (error instanceof ForbiddenLinearError) {
    return new LinearSyncError(
      `The Linear API key (LINEAR_API_KEY) may not run ${operation}: it needs read and write access to issues and labels.`,
      "LINEAR_FORBIDDEN",
      false,
      null,
      { cause: error },
    );
  }
  if (error instanceof NetworkLinearError || error instanceof InternalLinearError) {
    return new LinearSyncError(
      `Linear failed ${operation} (HTTP ${error.status ?? "?"}).`,
      "LINEAR_UPSTREAM",
      true,
      null,
      { cause: error },
    );
  }
  if (error instanceof SdkLinearError) {
    const status = error.status ?? 0;
    if (status >= 500) {
      return new LinearSyncError(
        `Linear failed ${operation} (HTTP ${status}).`,
        "LINEAR_UPSTREAM",
        true,
        null,
        {
          cause: error,
        },
      );
    }
    return new LinearSyncError(
      `Linear refused ${operation}: ${error.errors?.[0]?.message ?? error.message}`,
      "LINEAR_BAD_REQUEST",
      false,
      null,
      { cause: error },
    );
  }
  // fetch rejects with a TypeError when the connection fails: worth another try.
  if (error instanceof TypeError) {
    return new LinearSyncError(
      `Could not reach Linear for ${operation}: ${error.message}`,
      "LINEAR_UPSTREAM",
      true,
      null,
      { cause: error },
    );
  }
  throw error;
}

function retryAfterMsOf(error: RatelimitedLinearError, now: number): number | null {
  if (error.retryAfter !== undefined) return error.retryAfter * 1000;
  const reset = error.requestsResetAt ?? error.complexityResetAt;
  if (reset === undefined) return null;
  // Linear sends the reset as epoch milliseconds; tolerate seconds.
  const resetMs = reset < 1e12 ? reset * 1000 : reset;
  return Math.max(0, resetMs - now);
}

export function malformedResponse(operation: string, detail: string): LinearSyncError {
  return new LinearSyncError(
    `Linear answered ${operation} with an unexpected shape: ${detail}`,
    "LINEAR_MALFORMED_RESPONSE",
    false,
    null,
  );
}
