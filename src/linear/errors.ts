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
  CapacityIssueIds: "listing the team's issues",
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
 * Turns whatever the SDK's raw request threw into a {@link LinearSyncError}. The SDK parses
 * Linear's HTTP 400 answers by `errors[0].extensions.type` into its own classes; a rate limit is
 * recognised by Linear's documented `extensions.code` too (see `isRateLimit`), and waits as long
 * as its headers say.
 */
export function toLinearError(error: unknown, operationName: string, now: number): LinearSyncError {
  if (error instanceof LinearSyncError) return error;
  const operation = describeOperation(operationName);
  if (error instanceof SdkLinearError && isRateLimit(error)) {
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

/**
 * Whether Linear answered a rate limit. Linear documents it as an error with
 * `extensions.code: "RATELIMITED"` on HTTP 400 (linear.app/developers/rate-limiting), with
 * `extensions.statusCode: 429` in live answers; the SDK only knows it by `extensions.type`, and a
 * bare HTTP 429 is the same signal.
 */
function isRateLimit(error: SdkLinearError): boolean {
  if (error instanceof RatelimitedLinearError || error.status === 429) return true;
  return rawErrorsOf(error).some((entry) => {
    const extensions = recordOf(recordOf(entry).extensions);
    return extensions.code === "RATELIMITED" || extensions.statusCode === 429;
  });
}

/**
 * How long to wait: `retry-after` (seconds) when sent, else until the reset (epoch ms) of the
 * budget that ran out (`x-ratelimit-requests-reset`, `x-ratelimit-complexity-reset`), the later
 * of the two when neither says it is empty. Read from the raw response, which every SDK error keeps.
 */
function retryAfterMsOf(error: SdkLinearError, now: number): number | null {
  const headers = headersOf(error);
  const retryAfter = numberHeader(headers, "retry-after");
  if (retryAfter !== null) return retryAfter * 1000;
  const budgets = (["requests", "complexity"] as const).map((budget) => ({
    reset: numberHeader(headers, `x-ratelimit-${budget}-reset`),
    empty: numberHeader(headers, `x-ratelimit-${budget}-remaining`) === 0,
  }));
  const known = budgets.filter((budget) => budget.reset !== null);
  const spent = known.filter((budget) => budget.empty);
  const resets = (spent.length > 0 ? spent : known).map((budget) => budget.reset ?? 0);
  if (resets.length === 0) return null;
  // Linear sends the reset as epoch milliseconds; tolerate seconds.
  const resetMs = Math.max(...resets.map((reset) => (reset < 1e12 ? reset * 1000 : reset)));
  return Math.max(0, resetMs - now);
}

function rawResponseOf(error: SdkLinearError): Record<string, unknown> {
  return recordOf(recordOf(error.raw).response);
}

function rawErrorsOf(error: SdkLinearError): readonly unknown[] {
  const errors = rawResponseOf(error).errors;
  return Array.isArray(errors) ? errors : [];
}

interface HeaderReader {
  get(name: string): string | null;
}

/** The response headers, whichever fetch made them (anything with a `get`). */
function headersOf(error: SdkLinearError): HeaderReader | null {
  const headers = recordOf(rawResponseOf(error).headers);
  return typeof headers.get === "function" ? (headers as unknown as HeaderReader) : null;
}

function numberHeader(headers: HeaderReader | null, name: string): number | null {
  const value = headers?.get(name);
  if (value === null || value === undefined || value.trim() === "") return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

export function malformedResponse(operationName: string, detail: string): LinearSyncError {
  return new LinearSyncError(
    `Linear's answer while ${describeOperation(operationName)} had an unexpected shape: ${detail}`,
    "LINEAR_MALFORMED_RESPONSE",
    false,
    null,
  );
}
