export {
  JiraClient,
  BULK_PERMISSION_CHECK_MAX,
  combineJql,
  issueFields,
  ESTIMATE_FIELD_NAMES,
  SPRINT_FIELD_TYPE,
  type BoardContext,
  type IssueContext,
  type IssueSnapshot,
  type JiraClientOptions,
  type LabelChange,
  PROPERTY_BATCH_SIZE,
  RECONCILE_MAX,
  type SearchOptions,
  unboundedFilterMessage,
} from "./client";
export { connectJira } from "./connect";
export {
  AuthError,
  BadRequestError,
  JiraError,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  isNearLimit,
  retryAfterOf,
  type JiraErrorCode,
  type RateLimitReason,
} from "./errors";
export {
  planLabelUpdate,
  type CategoryChoice,
  type CategoryLabels,
  type LabelPlan,
} from "./labels";
export {
  CHANGELOG_BATCH_SIZE,
  CHANGELOG_PAGE_SIZE,
  SEARCH_PAGE_SIZE,
  SPRINT_PAGE_SIZE,
} from "./limits";
export {
  DEFAULT_DROPPED_RESOLUTIONS,
  compareKeys,
  mapBoard,
  mapSingleIssue,
  mapStatus,
  TEAM_OPTION_DEFAULTS,
  type BoardSnapshot,
  type HistoryFile,
  type ItemFile,
  type MappedBoard,
  type SprintFile,
  type TeamFile,
  type TeamOptions,
} from "./map-board";
export { createNodeTransport, normalizeSite, type NodeTransportOptions } from "./node-transport";
export {
  DEFAULT_CHANGELOG_CONCURRENCY,
  changelogFieldIds,
  fieldIdsByName,
  pullCursorSchema,
  type PullCursor,
  type PullOptions,
  type PullPhase,
  type PullProgress,
  type PulledBoard,
} from "./pull-board";
export { DEFAULT_RETRY, withRetry, type RetryEvent, type RetryOptions } from "./retry";
export {
  CATEGORY_PROPERTY_KEY,
  categoryPropertySchema,
  type CategoryProperty,
  type ChangeHistory,
  type IssueFieldIds,
  type JiraBoard,
  type JiraIssue,
  type JiraSprint,
  type JiraStatus,
  changeHistorySchema,
  jiraIssueSchema,
} from "./schemas";
export {
  jiraPath,
  type JiraMethod,
  type JiraPath,
  type JiraRequest,
  type JiraResponse,
  type JiraTransport,
  type QueryValue,
  type TransportDescription,
  assertQueryKey,
  describePath,
} from "./transport";
export { toWorkspaceFile } from "./workspace-file";
