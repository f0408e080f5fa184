export { LinearSyncClient, type LinearClientOptions, type LabelInput } from "./client.js";
export { LinearSyncError, type LinearErrorCode } from "./errors.js";
export { withLinearRetry, type LinearRetryEvent, type LinearRetryOptions } from "./retry.js";
export {
  DEFAULT_CAPACITY_LABELS,
  mapCycle,
  mapHistory,
  mapIssue,
  mapTeam,
  statusOfStateType,
  type CapacityLabelNames,
} from "./map-team.js";
export {
  findTeams,
  linearWorkspaceFile,
  mergePulledTeam,
  pullLinearTeam,
  type LinearPullCheckpoint,
  type LinearPullOptions,
  type LinearPullStep,
  type LinearPullProgress,
  type PulledLinearTeam,
} from "./pull-team.js";
export {
  bootstrapCapacityLabels,
  setIssueCategory,
  categoryLabelChange,
  DEFAULT_LABEL_CONFIG,
  type CapacityLabelConfig,
  type CapacityLabels,
} from "./labels.js";
export { LINEAR_DOCUMENTS } from "./documents.js";
export type {
  LinearTeam,
  LinearIssue,
  LinearCycle,
  LinearLabel,
  LinearHistoryEntry,
} from "./schemas.js";
export { issueSchema, historyEntrySchema } from "./schemas.js";
export {
  verifyLinearWebhook,
  isOwnEcho,
  recordedWriteSchema,
  ECHO_WINDOW_MS,
  LINEAR_DELIVERY_HEADER,
  type RecordedWrite,
  type LinearWebhookEvent,
  type WebhookVerdict,
} from "./webhook.js";
export {
  cycleMarker,
  publishTeamReport,
  reportProjectName,
  type CycleUpdate,
  type PublishResult,
} from "./publish.js";
export {
  capacityLabelOf,
  describeLabelWrite,
  planWriteBack,
  withoutWrittenLabels,
  writtenLabelsSchema,
  type LabelWrite,
  type WrittenCategory,
  type WrittenLabels,
} from "./write-back.js";
