/** The stable codes a host maps to its own answers (resolver envelope, HTTP status, exit code). */
export type AppErrorCode =
  "BAD_REQUEST" | "FORBIDDEN" | "NOT_FOUND" | "RATE_LIMITED" | "UPSTREAM" | "INTERNAL";

/** An expected failure of a use case, with a message a person can act on. */
export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
