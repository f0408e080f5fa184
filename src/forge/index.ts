// The one table of handlers that manifest.yml names, grouped by kind.

// Resolvers
export { handler as resolver } from "./resolver.js";

// Product-event triggers
export { onIssueChanged, onSprintStarted, onSprintClosed } from "./sync-handlers.js";

// Web triggers
export { onLinearWebhook } from "./linear-handlers.js";

// Queue consumers
export { onBoardRecompute } from "./sync-handlers.js";
export { onLinearSync } from "./linear-handlers.js";

// Scheduled triggers
export { onJiraReconcile } from "./sync-handlers.js";
export { onLinearSchedule } from "./linear-handlers.js";
