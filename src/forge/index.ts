// The one table of handlers that manifest.yml names, grouped by kind.

// Resolvers
export { handler as resolver } from "./resolver";

// Product-event triggers
export { onIssueChanged, onSprintStarted, onSprintClosed } from "./sync-handlers";

// Web triggers
export { onLinearWebhook, onLinearOAuthCallback } from "./linear-handlers";

// Queue consumers
export { onBoardRecompute } from "./sync-handlers";
export { onLinearSync } from "./linear-handlers";
export { onBulkClassify } from "./bulk-handlers";

// Scheduled triggers
export { onJiraReconcile } from "./sync-handlers";
export { onLinearSchedule } from "./linear-handlers";
