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
export type { BoardSummary, BoardSyncing, ClassifyChange, ItemAnswer } from "./board-source";
export type { LastLinearSync } from "./last-linear-sync";
export type { LinearConnectionView, SyncNowAnswer } from "./linear-admin";
export type { RulesPreview } from "./rules-preview";
export type { OrgTargetEntry, TargetEntry } from "./targets";
export type { TeamSettings, TeamSettingsAnswer } from "./team-settings";
