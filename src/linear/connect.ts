import { LinearSyncClient } from "./client";
import type { LinearRetryEvent, LinearRetryOptions } from "./retry";

/**
 * A Linear workspace reached with a personal API key (CLI, self-hosted server), or an OAuth access
 * token of an `actor=app` connection (`accessToken`, which wins).
 */
export function connectLinear(options: {
  readonly apiKey: string;
  readonly accessToken?: string;
  readonly apiUrl?: string;
  readonly onRetry?: (event: LinearRetryEvent) => void;
  /** See `LinearRetryOptions.maxWaitMs`; without it every rate limit is waited out. */
  readonly maxWaitMs?: LinearRetryOptions["maxWaitMs"];
  readonly maxAttempts?: number;
}): LinearSyncClient {
  return new LinearSyncClient({
    ...(options.accessToken === undefined
      ? { apiKey: options.apiKey }
      : { accessToken: options.accessToken }),
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
    retry: {
      onRetry: options.onRetry,
      ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    },
  });
}
