export {
  isResolverKey,
  payloadSchemaOf,
  RESOLVER_CONTRACT,
  type Answer,
  type Envelope,
  type LinearResolverKey,
  type ParsedPayload,
  type PayloadSchema,
  type ReportAnswer,
  type ResolverKey,
  type ResolverPayload,
  type ResolverResult,
  type TriageItem,
  type TriageListAnswer,
  type BulkJobAnswer,
} from "./contract";
export {
  HIDDEN_ISSUE_TITLE,
  RESOLVERS,
  runResolver,
  type CallContext,
  type ResolverHandler,
  type ResolverHandlers,
  type ResolverPorts,
} from "./resolvers";
// The types the contract's answers are made of, so a page names them without reaching inside.
export type {
  BoardSummary,
  BoardSyncing,
  ClassifyChange,
  ItemAnswer,
  LabelEdit,
  LabelOutcome,
  PlannedLabelEdit,
} from "./board-source";
export { backgroundBulkRunner, isFinished, runBulkJob } from "./bulk-classify";
export { jiraBoardSource } from "./jira-board-source";
export { currentSprintOf } from "./triage";
export type { RejudgedPeriod } from "./target-impact";
export type { LastLinearSync } from "./last-linear-sync";
export type { LinearConnectionView, SyncNowAnswer } from "./linear-admin";
export type {
  FlagCounts,
  OrgOverview,
  OrgTeamRow,
  TeamFlag,
  TrendPoint,
  Verdict,
  VerdictStatus,
} from "./org-overview";
export type { RulesPreview } from "./rules-preview";
export type { OrgTargetEntry, TargetEntry } from "./targets";
export type { TeamDefaults, TeamSettings, TeamSettingsAnswer } from "./team-settings";
// The use cases the hosts call, each taking its ports as arguments.
export { AppError, type AppErrorCode } from "./app-error";
export {
  type BoardSyncPorts,
  type SyncRequest,
  claimBoardSync,
  readBoardSyncState,
  recordSprintSnapshot,
  requestBoardSync,
  syncBoard,
} from "./board-refresh";
export { type BoardSource } from "./board-source";
export { listKnownBoards } from "./board-sync";
export { ReportRequestError, buildReport } from "./build-report";
export { handleIssueEvent, parseSprintEvent } from "./jira-events";
export { type LinearAdminPort, getLinearSettings } from "./linear-admin";
export {
  FORGE_MAX_SECONDS,
  claimQueuedSync,
  connectConfigured,
  ensureCapacityLabels,
  receiveLinearWebhook,
  releaseQueuedSync,
  runConfiguredLinearSync,
  waitBudget,
} from "./linear-host";
export {
  type LinearOAuthApp,
  finishLinearConnect,
  renderConnectPage,
  startLinearConnect,
} from "./linear-oauth";
export { type LinearSyncProgress, type LinearSyncRunResult, runLinearSync } from "./linear-sync";
export { type WebhookOutcome } from "./linear-webhook";
export { classifyLinearIssue } from "./linear-write-back";
export { type RulePreview } from "./rules-preview";
export {
  appendOrgTarget,
  appendTarget,
  asWorkspaceTargets,
  listOrgTargets,
  listTargets,
  orgAsWorkspaceTargets,
} from "./targets";
export { getTeamSettings } from "./team-settings";
export type { DrillDown, DrillRow } from "./drill-down";
export {
  fullPullPoints,
  pauseReconcile,
  readReconcilePlan,
  reconcileBudget,
  reconcileTick,
  type ReconcileTick,
} from "./board-reconcile";
