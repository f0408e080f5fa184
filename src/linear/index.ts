export { LinearSyncClient, type LinearClientOptions, type LabelInput } from "./client";
export { connectLinear } from "./connect";
export { LinearSyncError, type LinearErrorCode } from "./errors";
export { withLinearRetry, type LinearRetryEvent, type LinearRetryOptions } from "./retry";
export {
  DEFAULT_CAPACITY_LABELS,
  mapCycle,
  mapHistory,
  mapIssue,
  mapTeam,
  statusOfStateType,
  type CapacityLabelNames,
} from "./map-team";
export {
  findTeams,
  inlineHistoryFirst,
  readParentContext,
  selectTeams,
  linearWorkspaceFile,
  mergePulledTeam,
  pullLinearTeam,
  pullLinearWorkspace,
  type LinearPullCheckpoint,
  type LinearPullOptions,
  type LinearPullStep,
  type LinearPullProgress,
  type ParentContext,
  type PulledLinearTeam,
} from "./pull-team";
export {
  bootstrapCapacityLabels,
  setIssueCategory,
  categoryLabelChange,
  DEFAULT_LABEL_CONFIG,
  type CapacityLabelConfig,
  type CapacityLabels,
} from "./labels";
export { LINEAR_DOCUMENTS, BATCH_UPDATE_SIZE } from "./documents";
export type {
  LinearTeam,
  LinearIssue,
  LinearPagedIssue,
  LinearContextIssue,
  LinearCycle,
  LinearLabel,
  LinearHistoryEntry,
} from "./schemas";
export { issueSchema, pagedIssueSchema, historyEntrySchema } from "./schemas";
export {
  verifyLinearWebhook,
  isOwnEcho,
  recordedWriteSchema,
  ECHO_WINDOW_MS,
  LINEAR_DELIVERY_HEADER,
  WEBHOOK_TIMESTAMP_TOLERANCE_MS,
  type RecordedWrite,
  type LinearWebhookEvent,
  type WebhookVerdict,
} from "./webhook";
export {
  cycleMarker,
  isCycleUpdateOf,
  publishTeamReport,
  reportProjectName,
  type CycleUpdate,
  type PublishResult,
} from "./publish";
export {
  capacityLabelOf,
  describeLabelWrite,
  planWriteBack,
  withoutWrittenLabels,
  writtenLabelsSchema,
  settleWrittenLabels,
  hasPendingWrites,
  type LabelWrite,
  type WrittenCategory,
  type WrittenLabels,
  type WrittenLabelsRecord,
} from "./write-back";
export {
  type LinearOAuthApp,
  type LinearTokens,
  exchangeLinearCode,
  linearAuthorizeUrl,
  refreshLinearTokens,
  revokeLinearToken,
} from "./oauth";
