export {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  fullJitterBackoff,
  realSleep,
  retry,
  waitBeforeRetry,
  type RetryableError,
  type RetryEvent,
  type RetryOptions,
  type RetryPolicy,
} from "./retry";
export { TaskPool } from "./task-pool";
