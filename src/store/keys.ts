/**
 * Every storage key the app uses, in one place, so no two modules ever write the same key and a
 * key's shape changes in one edit. Parts are encoded so an id can never reach into another key.
 */

/**
 * Forge's KVS takes only letters, digits, `:._-#` and whitespace in a key
 * (https://developer.atlassian.com/platform/forge/limits-kvs-ce/), so `%` escapes are refused. Every
 * UTF-16 code unit outside `[A-Za-z0-9._-]` becomes `#` and four hex digits: `#` is escaped too, so
 * the encoding is injective, `:` never appears, so parts stay apart, and ids made only of those
 * characters keep the keys self-hosted data was stored under.
 */
const part = (value: string): string =>
  value.replace(
    /[^A-Za-z0-9._-]/g,
    (unit) => `#${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** A key part as `storeKeys` writes it, to match or strip it (the inverse is `decodeKeyPart`). */
export const encodeKeyPart = part;

/** The id a key part was made from. */
export function decodeKeyPart(encoded: string): string {
  return encoded.replace(/#([0-9a-f]{4})/g, (_match, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

export const storeKeys = {
  /** Team settings (unit, labels, rules, timezone, fiscal year start) of one board or team. */
  teamSettings: (teamId: string) => `settings:${part(teamId)}`,
  /** Target declarations of a team: one key per entry, so concurrent appends never collide. */
  targetPrefix: (teamId: string) => `targets:${part(teamId)}:`,
  targetEntry: (teamId: string, declaredAt: string, nonce: string) =>
    `targets:${part(teamId)}:${declaredAt}:${part(nonce)}`,
  /** The org target's declarations (SPEC §2 `teamId: null`): one key per entry, append-only. */
  orgTargetPrefix: () => "org-targets:",
  orgTargetEntry: (declaredAt: string, nonce: string) => `org-targets:${declaredAt}:${part(nonce)}`,
  /** The committed split recorded when a sprint started, and the delivered one when it closed. */
  sprintSnapshot: (sprintId: string, phase: "started" | "closed") =>
    `sprint:${part(sprintId)}:${phase}`,
  /** Boards the app has seen, one key each: `{ boardId, projectKey }`. */
  boardPrefix: () => "board:",
  board: (boardId: string) => `board:${part(boardId)}`,
  /** The category last written to an issue's property, per board, so reconciles write only changes. */
  writtenCategoryPrefix: (teamId: string) => `category:${part(teamId)}:`,
  writtenCategory: (teamId: string, itemId: string) => `category:${part(teamId)}:${part(itemId)}`,
  /** What the issue panel needs without reading the board again: field ids, labels, active sprints. */
  boardView: (teamId: string) => `board-view:${part(teamId)}`,
  /** The last computed report of a board or team: its periods, and where its items are kept. */
  cachedReport: (teamId: string) => `report:${part(teamId)}`,
  /**
   * When something last changed on a board (an issue event, a label the app wrote), apart from its
   * report's head so marking a change never rewrites a report being stored at the same moment.
   */
  boardChanged: (boardId: string) => `board-changed:${part(boardId)}`,
  /**
   * One key per moment a change was marked (ms, zero-padded so key order is time order): marks
   * made at once never overwrite each other, and the board's changed time is the latest of them.
   */
  boardChangedPrefix: (boardId: string) => `board-changed:${part(boardId)}:`,
  boardChangedMark: (boardId: string, at: number) =>
    `board-changed:${part(boardId)}:${String(Math.max(0, Math.trunc(at))).padStart(15, "0")}`,
  /** One part of that report's items; an encoded id holds no `:`, so no team's key is a part's. */
  cachedReportPart: (teamId: string, index: number) => `report:${part(teamId)}:${index}`,
  /**
   * A Jira board as the app keeps it between syncs: its configuration, sprints and where the sync's
   * cursor stands, then its issues with their change history in a fixed number of shards, so a
   * refresh rewrites only the shards its changed issues fall in.
   */
  boardData: (boardId: string) => `board-data:${part(boardId)}`,
  boardDataShard: (boardId: string, shard: number) => `board-data:${part(boardId)}:${shard}`,
  /** Every issue of a board's stored copy, key → id: what a browse check of a page of keys needs. */
  boardIssueIds: (boardId: string) => `board-ids:${part(boardId)}`,
  /**
   * What a board's triage list filters, sorts and shows of the items it lists, with their issue
   * ids: the list reads this instead of the board's items.
   */
  boardTriage: (boardId: string) => `board-triage:${part(boardId)}`,
  /** What classifies each of a board's items (type, labels, components, parent), for rule previews. */
  boardItems: (boardId: string) => `board-items:${part(boardId)}`,
  /** A board's sync: the phase and progress the pages show, and a first pull's saved cursor. */
  boardSyncPrefix: () => "board-sync:",
  boardSync: (boardId: string) => `board-sync:${part(boardId)}`,
  boardPullCursor: (boardId: string) => `board-sync:${part(boardId)}:cursor`,
  /** The site's reconcile: the boards still to queue today, and the points its hour has spent. */
  jiraReconcile: () => "jira-reconcile",
  /** A sync of the board is queued and has not started yet: a burst of events queues one. */
  boardSyncQueued: (boardId: string) => `board-sync:${part(boardId)}:queued`,
  /**
   * Issues that events say changed, moved or went: the next refresh checks they are still on the
   * board. One key per event, so events recorded at once never overwrite each other, and a refresh
   * deletes exactly the entries it read.
   */
  boardLeavingPrefix: (boardId: string) => `board-leaving:${part(boardId)}:`,
  boardLeavingEntry: (boardId: string, issueId: string, at: number, nonce: string) =>
    `board-leaving:${part(boardId)}:${part(issueId)}:${at}:${part(nonce)}`,
  /** The categories last written to the board's issue properties, one map for the whole board. */
  writtenCategories: (boardId: string) => `board-written:${part(boardId)}`,
  /**
   * A bulk label edit of a board (a triage classify or its undo): a small head with its progress,
   * then its input and its outcomes one batch per key, so every write stays one batch's size.
   */
  bulkJob: (boardId: string, jobId: string) => `bulk:${part(boardId)}:${part(jobId)}`,
  bulkJobPart: (boardId: string, jobId: string, kind: "in" | "plan" | "out", index: number) =>
    `bulk:${part(boardId)}:${part(jobId)}:${kind}:${index}`,
  /** Set when a bulk classify is being undone: a run that sees it edits nothing more. */
  bulkJobStop: (boardId: string, jobId: string) => `bulk:${part(boardId)}:${part(jobId)}:stop`,
  /** The board's last bulk classify, the one its undo reverts. */
  bulkLast: (boardId: string) => `bulk-last:${part(boardId)}`,
  /** The self-hosted server's workspace file (the demo, seeded on first run); edits write it back. */
  workspaceFile: () => "workspace-file",
  /** Linear sync state: the `updatedAt` cursor and the ids of what the sync created. */
  linearCursor: (teamId: string) => `linear:${part(teamId)}:cursor`,
  linearIds: (teamId: string) => `linear:${part(teamId)}:ids`,
  /** The last pulled state of a Linear team (team, cycles, issues), which incremental pulls update. */
  linearTeamState: (teamId: string) => `linear:${part(teamId)}:state`,
  /**
   * A Linear team's pull in progress, so a run stopped midway (a rate limit, a timeout) continues
   * it: a small header here, each issues page and history batch read under its own part, so every
   * write stays the size of one page however big the team.
   */
  linearPullProgress: (teamId: string) => `linear:${part(teamId)}:pull`,
  linearPullProgressPart: (teamId: string, kind: "issues" | "history", index: number) =>
    `linear:${part(teamId)}:pull:${kind}:${index}`,
  /**
   * When a Linear webhook last told of an issue leaving a team (deleted, trashed, moved): each
   * team's issue ids are listed again on its next pull, so the issue stops counting there.
   */
  linearRelistDue: () => "linear:relist-due",
  /** A run's claim on refreshing the Linear OAuth tokens, so only one refreshes at a time. */
  linearTokenRefresh: () => "linear:token-refresh",
  /** When a Linear sync was queued and has not started yet (a burst of webhooks queues one). */
  linearSyncQueued: () => "linear:sync-queued",
  /** A tracker pull the self-hosted server could not finish, kept so the next refresh continues it. */
  serverPullCursor: (source: string) => `server-pull:${part(source)}:cursor`,
  /**
   * Categories the Linear sync wrote back as labels, per team (issue identifier → category), so
   * those labels still count as derived and a person's later change wins.
   */
  linearWritten: (teamId: string) => `linear:${part(teamId)}:written`,
  /**
   * A synced Linear team as the org page shows it (its report's periods, no items), written by the
   * Jira app's Linear sync, whose Linear teams have no board to compute on.
   */
  linearOrgTeamPrefix: () => "linear-org:",
  linearOrgTeam: (teamKey: string) => `linear-org:${part(teamKey)}`,
  /**
   * What the org page's drill needs of a synced Linear team (its items with history, its cycles),
   * read only when a person opens one of its numbers; apart from `linearOrgTeam`, so `org/get`
   * never reads it.
   */
  linearOrgDrill: (teamKey: string) => `linear-drill:${part(teamKey)}`,
  /** Which Jira project's browse permission governs who sees each Linear team on the org page. */
  linearOrgAccess: () => "linear-org-access",
  /** The outcome of the last Linear sync run, for hosts to show. */
  linearLastSync: () => "linear:last-sync",
  /** A write the sync made to a Linear entity, so the webhook it causes is recognised as an echo. */
  linearWrite: (entityId: string) => `linear-write:${part(entityId)}`,
  /** The admin page's Linear choices: teams to sync, publishing, write-back. */
  linearSettings: () => "linear:settings",
  /** The `state` of a "Connect Linear" under way, with its expiry, against CSRF. */
  linearOAuthState: () => "linear:oauth-state",
  /** The OAuth connection: the app user's id (its writes' actor) and the access token's expiry. */
  linearOAuth: () => "linear:oauth",
  /**
   * Linear webhook deliveries already handled, for deduplication; each record expires when its
   * timestamp would be refused as stale. `part` never yields `:`, so the two kinds stay apart.
   */
  linearDeliveryPrefix: () => "linear-delivery:",
  /** By the unsigned `Linear-Delivery` header: Linear's retry of a delivery. */
  linearDelivery: (deliveryId: string) => `linear-delivery:id:${part(deliveryId)}`,
  /** By the SHA-256 of the signed body: a replay, whatever headers it comes with. */
  linearDeliveredBody: (bodyHash: string) => `linear-delivery:body:${part(bodyHash)}`,
} as const;

export const secretKeys = {
  linearApiKey: "linear-api-key",
  linearWebhookSecret: "linear-webhook-secret",
  linearAccessToken: "linear-access-token",
  linearRefreshToken: "linear-refresh-token",
} as const;
