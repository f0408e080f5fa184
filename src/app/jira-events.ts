import { z } from "zod";
import {
  listKnownBoards,
  markBoardChanged,
  recordSprintSnapshot,
  type SprintSnapshot,
  type SyncPorts,
} from "./board-sync";

/** Fields whose change can move a category (SPEC §3); other edits never need a recompute. */
const CLASSIFYING_FIELDS = new Set([
  "labels",
  "parent",
  "issuetype",
  "summary",
  "components",
  "project",
  "issueparentassociation",
]);

/**
 * `avi:jira:created:issue` / `avi:jira:updated:issue`, the parts this app reads.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/#issue-events
 */
const issueEventSchema = z.object({
  eventType: z.string(),
  atlassianId: z.string().optional(),
  issue: z.object({
    key: z.string(),
    fields: z.object({ project: z.object({ key: z.string() }).optional() }).optional(),
  }),
  changelog: z
    .object({
      items: z.array(z.object({ field: z.string().optional(), fieldId: z.string().optional() })),
    })
    .optional(),
});

export interface IssueEventOutcome {
  readonly action: "ignored" | "queued";
  readonly reason: string;
  readonly boardIds: readonly number[];
}

/**
 * An issue was created or changed: when the change can move a category (labels, parent, type,
 * title, components, project), every known board of the issue's project is queued for a
 * recompute, which re-derives the item's and its children's categories. Changes made by the app
 * itself (`appAccountId`) are ignored, so its own writes never loop back.
 */
export async function handleIssueEvent(
  payload: unknown,
  ports: SyncPorts & {
    readonly enqueue: (boardId: number) => Promise<void>;
    readonly appAccountId?: string;
  },
): Promise<IssueEventOutcome> {
  const parsed = issueEventSchema.safeParse(payload);
  if (!parsed.success)
    return { action: "ignored", reason: "not an issue event this app reads", boardIds: [] };
  const event = parsed.data;
  if (ports.appAccountId !== undefined && event.atlassianId === ports.appAccountId) {
    return { action: "ignored", reason: "caused by the app itself", boardIds: [] };
  }
  const projectKey = event.issue.fields?.project?.key ?? event.issue.key.replace(/-\d+$/, "");
  const boards = (await listKnownBoards(ports.store)).filter((b) => b.projectKey === projectKey);
  // Any change (status, estimate, sprint, …) moves the numbers, so no cached report stays fresh;
  // only a change to what classifies an issue needs its category property rewritten.
  for (const board of boards) await markBoardChanged(ports.store, board.boardId, ports.now());
  const items = event.changelog?.items;
  if (event.eventType.endsWith(":updated:issue") && items !== undefined) {
    const relevant = items.some((item) =>
      CLASSIFYING_FIELDS.has((item.fieldId ?? item.field ?? "").toLowerCase()),
    );
    if (!relevant)
      return {
        action: "ignored",
        reason: "no classifying field changed",
        boardIds: boards.map((b) => b.boardId),
      };
  }
  for (const board of boards) await ports.enqueue(board.boardId);
  return {
    action: boards.length > 0 ? "queued" : "ignored",
    reason:
      boards.length > 0 ? `recompute of ${projectKey}'s boards` : `no known board in ${projectKey}`,
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

/** A sprint started (committed split) or closed (delivered split): record the snapshot. */
export async function handleSprintEvent(
  payload: unknown,
  phase: "started" | "closed",
  ports: SyncPorts,
): Promise<SprintSnapshot | null> {
  const parsed = sprintEventSchema.safeParse(payload);
  if (!parsed.success || !Number.isInteger(parsed.data.sprint.originBoardId)) return null;
  const { id, originBoardId } = parsed.data.sprint;
  return recordSprintSnapshot(originBoardId, id, phase, ports);
}
