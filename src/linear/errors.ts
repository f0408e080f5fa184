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

/**
 * What a request was for, in words: messages reach people (the admin page, the CLI, the last
 * sync's record), who know nothing of the GraphQL operation names the client sends.
 */
const OPERATIONS: Readonly<Record<string, string>> = {
  CapacityTeams: "listing the teams",
  CapacityCycles: "reading the cycles",
  CapacityIssues: "reading the issues",
  CapacityIssuesById: "reading the issues",
  CapacityViewer: "asking whom the connection acts as",
  CapacityIssueHistory: "reading the issues' history",
  CapacityIssueHistoryPage: "reading the issues' history",
  CapacityLabels: "reading the labels",
  CapacityLabelCreate: "creating a label",
  CapacityIssueLabels: "labelling an issue",
  CapacityIssueBatchLabels: "labelling issues",
  CapacityProjects: "reading the projects",
  CapacityProjectCreate: "creating the report project",
  CapacityDocumentCreate: "writing the report document",
  CapacityDocumentUpdate: "writing the report document",
  CapacityProjectUpdateCreate: "posting a project update",
};

export function describeOperation(operationName: string): string {
  return OPERATIONS[operationName] ?? "syncing";
}

const KEY_HINT =
  "Check LINEAR_API_KEY or the key saved on the admin page (Linear › Settings › Security & access makes one), or connect Linear again there.";

/**
 * Turns whatever the SDK's raw request threw into a {@link LinearSyncError}. The SDK already parses
 * Linear's HTTP 400 answers by `errors[0].extensions.type` into its own classes; a rate limit
 * carries `retryAfter` (seconds) or the `x-ratelimit-requests-reset` time (epoch ms).
 */
export function toLinearError(error: unknown, operationName: string, now: number): LinearSyncError {
  if (error instanceof LinearSyncError) return error;
  const operation = describeOperation(operationName);
  if (error instanceof RatelimitedLinearError) {
    return new LinearSyncError(
      `Linear rate-limited the sync while ${operation}.`,
      "LINEAR_RATE_LIMITED",
      true,
      retryAfterMsOf(error, now),
      { cause: error },
    );
  }
  if (error instanceof AuthenticationLinearError) {
    return new LinearSyncError(
      `Linear refused the credentials while ${operation}. ${KEY_HINT}`,
      "LINEAR_UNAUTHORIZED",
      false,
      null,
      { cause: error },
    );
  }
  if (error instanceof ForbiddenLinearError) {
    return new LinearSyncError(
      `Linear did not allow ${operation}: the API key or connection needs read and write access to issues and labels.`,
      "LINEAR_FORBIDDEN",
      false,
      null,
      { cause: error },
    );
  }
  if (error instanceof NetworkLinearError || error instanceof InternalLinearError) {
    return new LinearSyncError(
      `Linear failed while ${operation} (HTTP ${error.status ?? "?"}).`,
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
        `Linear failed while ${operation} (HTTP ${status}).`,
        "LINEAR_UPSTREAM",
        true,
        null,
        {
          cause: error,
        },
      );
    }
    return new LinearSyncError(
      `Linear refused a request while ${operation}: ${error.errors?.[0]?.message ?? error.message}`,
      "LINEAR_BAD_REQUEST",
      false,
      null,
      { cause: error },
    );
  }
  // fetch rejects with a TypeError when the connection fails: worth another try.
  if (error instanceof TypeError) {
    return new LinearSyncError(
      `Could not reach Linear while ${operation} (${error.message}).`,
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

export function malformedResponse(operationName: string, detail: string): LinearSyncError {
  return new LinearSyncError(
    `Linear's answer while ${describeOperation(operationName)} had an unexpected shape: ${detail}`,
    "LINEAR_MALFORMED_RESPONSE",
    false,
    null,
  );
}
