import type { Report, Split, Workspace } from "../domain/index";
import { storeKeys } from "../store/index";
import {
  readBoardData,
  readBoardHead,
  shardOf,
  writeBoardData,
  type BoardData,
} from "./board-data";
import { refreshChangedIssues } from "./board-changes";
import { forgetLeaving, readLeaving } from "./board-leaving";
import { writeChangedProperties } from "./board-properties";
import { pullWholeBoard, readBoardSyncState, type BoardSyncPorts } from "./board-pull";
import { mapStoredBoard, reportFromStore } from "./board-stored-report";
import { rememberBoard, storeBoardView, type SprintSnapshot, type SyncPorts } from "./board-sync";

/**
 * Keeps a board's copy in the store current, so no page ever pulls a board:
 *
 * - the first pull (a new board, or the daily reconcile) reads the whole board in a queue consumer,
 *   and when the function's time runs short it saves the pull's cursor and hands over to the next
 *   invocation, which continues from it;
 * - every later refresh reads only the issues Jira says changed since the last one began
 *   (`updated >= "-Nm"`, a period relative to Jira's own clock, so neither the user's timezone nor
 *   minute precision can skip a change; a few minutes of overlap cover clock skew) and the change
 *   history of those issues only;
 * - after either, the report is computed from the store, kept for the pages, and the issue
 *   property `capacity-split` written where the category changed, up to 100 issues a request.
 *
 * The parts: the first pull (`board-pull.ts`), reading what changed (`board-changes.ts`), the
 * issues that left the board (`board-leaving.ts`, `board-leaving-check.ts`), the report and the
 * issue panel's view from the stored board (`board-stored-report.ts`), the issue properties
 * (`board-properties.ts`), and the queue of syncs (`board-sync-queue.ts`). This module runs them
 * in order and is where the rest of the app reaches them.
 */

export { changedSinceJql, OVERLAP_MINUTES } from "./board-changes";
export { readBoardSyncState, type BoardSyncPorts, type BoardSyncState } from "./board-pull";
export {
  classifyingWorkspace,
  mapStoredBoard,
  reportFromStore,
  storedBoardWorkspace,
} from "./board-stored-report";
export {
  claimBoardSync,
  QUEUED_WINDOW_MS,
  requestBoardSync,
  type SyncRequest,
} from "./board-sync-queue";

export type BoardSyncOutcome =
  | {
      readonly status: "done";
      readonly kind: "full" | "incremental";
      /** Issues read in this run: the whole board, or the changed ones. */
      readonly issuesRead: number;
      /** Issues dropped by a refresh: moved away, deleted, or no longer matched by the filter. */
      readonly left: number;
      /** Issues mapped to items in this run; the others' items were kept from the last one. */
      readonly mapped: number;
      readonly items: number;
      readonly propertiesWritten: number;
      readonly requests: number;
      readonly report: Report;
    }
  | {
      readonly status: "continue";
      readonly done: number;
      readonly total: number | null;
      readonly requests: number;
    };

/**
 * One sync of one board: the first pull (or its continuation) when the board was never read
 * whole, or `full` is asked for; otherwise a refresh of what changed. Then the report, the view
 * the issue panel reads and the properties that changed.
 */
export async function syncBoard(
  boardId: number,
  ports: BoardSyncPorts,
  options: { readonly full?: boolean } = {},
): Promise<BoardSyncOutcome> {
  const startRequests = ports.jira.requestCount;
  const state = await readBoardSyncState(ports.store, boardId);
  const head = await readBoardHead(ports.store, boardId);
  const whole = options.full === true || head === null || state?.phase === "full";
  // A full pull reads every issue: what left needs no check then, so the list is not read.
  const leaving = whole ? null : await readLeaving(ports.store, boardId);
  const stored =
    leaving === null || leaving.overflow ? null : await readBoardData(ports.store, boardId);
  let data: BoardData;
  let issuesRead: number;
  let kind: "full" | "incremental";
  /** Shards whose issues changed; null: every shard. */
  let shards: Set<number> | null;
  let left = 0;
  if (stored === null || leaving === null) {
    const pulled = await pullWholeBoard(boardId, ports, state);
    if (pulled.status === "continue") {
      return { ...pulled, requests: ports.jira.requestCount - startRequests };
    }
    data = pulled.data;
    issuesRead = data.issues.size;
    kind = "full";
    shards = null;
  } else {
    const refreshed = await refreshChangedIssues(ports, stored, leaving.entries);
    data = refreshed.data;
    issuesRead = refreshed.changed;
    left = refreshed.left;
    kind = "incremental";
    shards = refreshed.shards;
  }
  // Only the issues without a kept item are mapped; the rest are kept as they were.
  const mapped = await mapStoredBoard(ports.store, data);
  if (shards !== null && !mapped.all) {
    for (const id of mapped.remapped) shards.add(shardOf(id));
  }
  await writeBoardData(ports.store, mapped.data, shards ?? undefined);
  // What left the board is gone from its copy now; events since stay for the next sync.
  await forgetLeaving(
    ports.store,
    boardId,
    leaving === null || kind === "full"
      ? { before: Date.parse(data.head.fullAt) }
      : { read: leaving },
  );
  const computed = await computeFromStore(boardId, ports, mapped.data, mapped.workspace);
  return {
    status: "done",
    kind,
    issuesRead,
    left,
    mapped: mapped.remapped.size,
    items: computed.items,
    propertiesWritten: computed.propertiesWritten,
    requests: ports.jira.requestCount - startRequests,
    report: computed.report,
  };
}

/** A sync run to its end (no time budget): the first pull or a refresh, with what it wrote. */
export async function recomputeBoard(
  boardId: number,
  ports: SyncPorts,
): Promise<{ items: number; propertiesWritten: number }> {
  const outcome = await syncBoard(boardId, ports);
  if (outcome.status !== "done") throw new Error(`The sync of board ${boardId} did not finish.`);
  return { items: outcome.items, propertiesWritten: outcome.propertiesWritten };
}

/**
 * Records a sprint's committed split when it starts, or its delivered split when it closes (SPEC
 * §6), with the flags raised then, from a sync that reads the sprint's new state first. A
 * repeated event rewrites the same record. Null when the sprint is not the board's, or the board's
 * first pull did not finish in this invocation (the pull goes on; the snapshot is not invented).
 */
export async function recordSprintSnapshot(
  boardId: number,
  sprintId: string,
  phase: "started" | "closed",
  ports: BoardSyncPorts,
): Promise<SprintSnapshot | null> {
  const outcome = await syncBoard(boardId, ports);
  if (outcome.status !== "done") return null;
  const sprint = outcome.report.teams[0]?.sprints.find((s) => s.id === sprintId);
  if (!sprint) return null;
  const split: Split = phase === "started" ? sprint.committed : sprint.delivered;
  const snapshot: SprintSnapshot = {
    sprintId,
    boardId,
    phase,
    recordedAt: new Date(ports.now()).toISOString(),
    split: { ...split },
    investmentShare:
      phase === "started" ? sprint.investmentShare.committed : sprint.investmentShare.delivered,
    flags: sprint.flags.map(({ code, severity }) => ({ code, severity })),
  };
  await ports.store.set(storeKeys.sprintSnapshot(sprintId, phase), snapshot);
  return snapshot;
}

async function computeFromStore(
  boardId: number,
  ports: BoardSyncPorts,
  data: BoardData,
  workspace: Workspace,
): Promise<{ report: Report; items: number; propertiesWritten: number }> {
  const { report } = await reportFromStore(boardId, ports, data, workspace);
  const { projectKey, projectId } = data.head.context.board;
  await rememberBoard(ports.store, { boardId, projectKey, projectId: projectId ?? null });
  await storeBoardView(ports, boardId, data.head.context, report);
  const items = report.teams[0]?.items ?? [];
  const propertiesWritten = await writeChangedProperties(boardId, ports, data, items);
  return { report, items: items.length, propertiesWritten };
}
