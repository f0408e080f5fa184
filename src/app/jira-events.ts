import { z } from "zod";
import {
  recordSprintSnapshot,
  requestBoardSync,
  type BoardSyncPorts,
  type SyncRequest,
} from "./board-refresh";
import { recordLeaving } from "./board-leaving";
import { listKnownBoards, markBoardChanged, type SprintSnapshot } from "./board-sync";

/**
 * `avi:jira:created:issue` / `avi:jira:updated:issue` / `avi:jira:deleted:issue`, the parts this
 * app reads (https://developer.atlassian.com/platform/forge/events-reference/jira/, "Issue
 * events"): `eventType`, `selfGenerated`, `atlassianId` (optional), the issue's `id`, `key` and
 * `fields.project`, and for an update `changelog.items`, each a REST v3 `ChangeDetails` (`field`,
 * `fieldtype`, optional `fieldId`, `from`, `fromString`, `to`, `toString`). The optional
 * `jiraEventTypeName`, `associatedUsers` and `associatedStatuses` are not read.
 *
 * A move to another project has no event of its own: it is an update of the issue under its new
 * key and project, whose changelog has Jira's `project` item (project ids) and `Key` item (the old
 * key in `fromString`, by field name only), so the boards of the project it left hear of it too.
 */
const issueEventSchema = z.object({
  eventType: z.string(),
  atlassianId: z.string().optional(),
  /** True when the app's own request caused the event. */
  selfGenerated: z.boolean().optional(),
  issue: z.object({
    id: z.string().regex(/^\d+$/).optional(),
    key: z.string(),
    fields: z.object({ project: z.object({ key: z.string() }).optional() }).optional(),
  }),
  changelog: z
    .object({
      items: z.array(
        z.object({ field: z.string().optional(), fromString: z.string().nullish() }).loose(),
      ),
    })
    .loose()
    .nullish(),
});

const projectOfKey = (key: string): string => key.replace(/-\d+$/, "");

export interface IssueEventOutcome {
  /** `folded`: a sync of the boards was already waiting and will read this change too. */
  readonly action: "ignored" | "queued" | "folded";
  readonly reason: string;
  readonly boardIds: readonly number[];
}

/**
 * An issue was created or changed: every known board of the issue's project gets a sync queued
 * (one at a time per board, so a burst of events is read by one refresh of the changed issues).
 * Any change can move the numbers (status, estimate, sprint, labels), so any change queues one.
 * Events the app caused itself are ignored: Forge marks them `selfGenerated` (and the manifest's
 * `ignoreSelf` filter keeps most from arriving at all); the app's account id is the older sign.
 */
export async function handleIssueEvent(
  payload: unknown,
  ports: BoardSyncPorts & {
    readonly enqueue: (request: SyncRequest) => Promise<void>;
    readonly appAccountId?: string;
  },
): Promise<IssueEventOutcome> {
  const parsed = issueEventSchema.safeParse(payload);
  if (!parsed.success)
    return { action: "ignored", reason: "not an issue event this app reads", boardIds: [] };
  const event = parsed.data;
  if (
    event.selfGenerated === true ||
    (ports.appAccountId !== undefined && event.atlassianId === ports.appAccountId)
  ) {
    return { action: "ignored", reason: "caused by the app itself", boardIds: [] };
  }
  const projectKey = event.issue.fields?.project?.key ?? projectOfKey(event.issue.key);
  const projects = new Set([projectKey]);
  for (const item of event.changelog?.items ?? []) {
    if (item.field?.toLowerCase() === "key" && item.fromString) {
      projects.add(projectOfKey(item.fromString));
    }
  }
  const boards = (await listKnownBoards(ports.store)).filter(
    (b) => b.projectKey !== null && projects.has(b.projectKey),
  );
  const deleted = event.eventType === "avi:jira:deleted:issue";
  const queued: number[] = [];
  for (const board of boards) {
    // The board's next refresh names the issue to Jira's search, which may not show the change
    // yet, and checks whether it is still on the board (moved, edited out, deleted).
    if (event.issue.id !== undefined) {
      await recordLeaving(ports.store, board.boardId, {
        id: event.issue.id,
        at: ports.now(),
        deleted,
      });
    }
    await markBoardChanged(ports.store, board.boardId, ports.now());
    if (await requestBoardSync(ports, board.boardId)) queued.push(board.boardId);
  }
  if (boards.length === 0) {
    return { action: "ignored", reason: `no known board in ${projectKey}`, boardIds: [] };
  }
  return {
    action: queued.length > 0 ? "queued" : "folded",
    reason:
      queued.length > 0
        ? `sync of ${projectKey}'s boards`
        : `a sync of ${projectKey}'s boards is already queued`,
    boardIds: boards.map((b) => b.boardId),
  };
}

/**
 * `avi:jira-software:started:sprint` / `…:closed:sprint`.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira-software/#sprint-events
 */
const sprintEventSchema = z.object({
  sprint: z.object({
    id: z.union([z.number(), z.string()]).transform(String),
    originBoardId: z.union([z.number(), z.string()]).transform(Number),
  }),
});

/** The board and sprint of a sprint event, or null for a payload this app does not read. */
export function parseSprintEvent(
  payload: unknown,
): { readonly boardId: number; readonly sprintId: string } | null {
  const parsed = sprintEventSchema.safeParse(payload);
  if (!parsed.success || !Number.isInteger(parsed.data.sprint.originBoardId)) return null;
  return { boardId: parsed.data.sprint.originBoardId, sprintId: parsed.data.sprint.id };
}

/**
 * A sprint started (committed split) or closed (delivered split): sync the board, then record the
 * snapshot. Forge's trigger has too little time for a first pull, so there it queues this instead.
 */
export async function handleSprintEvent(
  payload: unknown,
  phase: "started" | "closed",
  ports: BoardSyncPorts,
): Promise<SprintSnapshot | null> {
  const event = parseSprintEvent(payload);
  if (event === null) return null;
  return recordSprintSnapshot(event.boardId, event.sprintId, phase, ports);
}
