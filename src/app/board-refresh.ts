import { z } from "zod";
import { computeReport, type Report, type Split, type Workspace } from "../domain/index";
import {
  BadRequestError,
  type BoardContext,
  type ChangeHistory,
  CHANGELOG_BATCH_SIZE,
  combineJql,
  type JiraClient,
  type JiraIssue,
  type JiraSprint,
  PROPERTY_BATCH_SIZE,
  type PullProgress,
} from "../jira/index";
import { TaskPool } from "../shared/index";
import { type Store, storeKeys } from "../store/index";
import {
  mapBoardData,
  readBoardData,
  readBoardHead,
  shardOf,
  writeBoardData,
  type BoardData,
} from "./board-data";
import {
  readReportBasis,
  readWrittenCategories,
  rememberBoard,
  storeBoardView,
  storeCachedReport,
  writeWrittenCategories,
  type SprintSnapshot,
  type SyncPorts,
} from "./board-sync";
import { boardAsWorkspace, teamOptionsOf } from "./board-workspace";
import { getTeamSettings } from "./team-settings";

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
 */

/** Minutes added to the window of a refresh: Jira's clock and ours may differ a little. */
export const OVERLAP_MINUTES = 2;
/** Property write requests in flight at once. */
const PROPERTY_WRITE_CONCURRENCY = 4;
/** How often a running first pull records its progress for the pages, at most. */
const PROGRESS_EVERY_MS = 2_000;

export interface BoardSyncPorts extends SyncPorts {
  /**
   * True once this invocation should stop reading and leave the rest to the next one (the
   * function's time budget); checked between pages. Without it a pull runs to the end.
   */
  readonly shouldStop?: () => boolean;
}

export type BoardSyncOutcome =
  | {
      readonly status: "done";
      readonly kind: "full" | "incremental";
      /** Issues read in this run: the whole board, or the changed ones. */
      readonly issuesRead: number;
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

const syncStateSchema = z.object({
  phase: z.enum(["full", "idle"]),
  /** When the running first pull began, in its first invocation: the next refresh starts there. */
  startedAt: z.iso.datetime().nullable(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  at: z.iso.datetime(),
});
export type BoardSyncState = z.infer<typeof syncStateSchema>;

export async function readBoardSyncState(
  store: Store,
  boardId: number,
): Promise<BoardSyncState | null> {
  const parsed = syncStateSchema.safeParse(await store.get(storeKeys.boardSync(String(boardId))));
  return parsed.success ? parsed.data : null;
}

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
  const stored =
    options.full === true || head === null || state?.phase === "full"
      ? null
      : await readBoardData(ports.store, boardId);
  let data: BoardData;
  let issuesRead: number;
  let kind: "full" | "incremental";
  if (stored === null) {
    const pulled = await pullWholeBoard(boardId, ports, state);
    if (pulled.status === "continue") {
      return { ...pulled, requests: ports.jira.requestCount - startRequests };
    }
    data = pulled.data;
    issuesRead = data.issues.size;
    kind = "full";
  } else {
    const refreshed = await refreshChangedIssues(ports, stored);
    data = refreshed.data;
    issuesRead = refreshed.changed;
    kind = "incremental";
  }
  const computed = await computeFromStore(boardId, ports, data);
  return {
    status: "done",
    kind,
    issuesRead,
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

// ---------------------------------------------------------------------------------------------
// The first pull, across invocations

async function pullWholeBoard(
  boardId: number,
  ports: BoardSyncPorts,
  state: BoardSyncState | null,
): Promise<
  { status: "done"; data: BoardData } | { status: "continue"; done: number; total: number | null }
> {
  const { store, jira } = ports;
  const teamId = String(boardId);
  const startedAt =
    state?.phase === "full" && state.startedAt !== null ? Date.parse(state.startedAt) : ports.now();
  const progressOf = (progress: PullProgress | null) => ({
    phase: "full" as const,
    startedAt: new Date(startedAt).toISOString(),
    done: progress?.issuesRead ?? state?.done ?? 0,
    total: progress?.issuesExpected ?? state?.total ?? null,
    at: new Date(ports.now()).toISOString(),
  });
  await store.set(storeKeys.boardSync(teamId), progressOf(null));
  const settings = await getTeamSettings(store, teamId);
  // The board's configuration is read once per pull, not once per invocation.
  const saved = savedPullSchema.safeParse(await store.get(storeKeys.boardPullCursor(teamId)));
  const context = saved.success ? saved.data.context : await jira.getBoardContext(boardId);
  if (!saved.success) await store.set(storeKeys.boardPullCursor(teamId), { context, pull: null });
  const controller = new AbortController();
  const seen: { latest: PullProgress | null } = { latest: null };
  let lastWrite = Date.now();
  let progressWrites = Promise.resolve();
  const onProgress = (progress: PullProgress): void => {
    if (progress.phase !== "context") seen.latest = progress;
    if (ports.shouldStop?.() === true) controller.abort();
    if (Date.now() - lastWrite >= PROGRESS_EVERY_MS) {
      lastWrite = Date.now();
      const value = progressOf(progress);
      progressWrites = progressWrites
        .then(() => store.set(storeKeys.boardSync(teamId), value))
        .catch(() => undefined);
    }
  };
  try {
    await jira.pullBoard(boardId, {
      ...teamOptionsOf(settings),
      context,
      resume: saved.success ? (saved.data.pull ?? undefined) : undefined,
      onProgress,
      signal: controller.signal,
    });
  } catch (error) {
    await progressWrites;
    // What was read is kept, whatever stopped the pull: the next invocation continues from it.
    const last = seen.latest;
    if (last !== null) {
      await store.set(storeKeys.boardPullCursor(teamId), { context, pull: last.cursor() });
    }
    await store.set(storeKeys.boardSync(teamId), progressOf(last));
    if (controller.signal.aborted) {
      const progress = progressOf(last);
      return { status: "continue", done: progress.done, total: progress.total };
    }
    throw error;
  }
  await progressWrites;
  const last = seen.latest;
  if (last === null) throw new Error(`The pull of board ${boardId} reported no progress.`);
  const cursor = last.cursor();
  const sprints = await readSprints(jira, boardId);
  const at = new Date(startedAt).toISOString();
  const data: BoardData = {
    head: {
      version: 1,
      boardId,
      context,
      sprints,
      syncedAt: at,
      fullAt: at,
      issues: cursor.issues.length,
    },
    issues: new Map(cursor.issues.map((issue) => [issue.id, issue])),
    changelogs: new Map(Object.entries(cursor.changelogs)),
  };
  await writeBoardData(store, data);
  await store.delete(storeKeys.boardPullCursor(teamId));
  await store.set(storeKeys.boardSync(teamId), {
    ...progressOf(last),
    phase: "idle",
    startedAt: null,
    done: data.issues.size,
    total: data.issues.size,
  } satisfies BoardSyncState);
  return { status: "done", data };
}

/** A first pull in progress: the board's configuration and the pull's cursor (see pull-board.ts). */
const savedPullSchema = z.object({
  context: z.custom<BoardContext>(
    (v) => typeof v === "object" && v !== null && "jql" in v && "board" in v,
  ),
  pull: z.unknown(),
});

/** Every sprint of the board; a board without the sprint feature answers 400 and has none. */
async function readSprints(jira: JiraClient, boardId: number): Promise<JiraSprint[]> {
  try {
    return await jira.getSprints(boardId);
  } catch (error) {
    if (error instanceof BadRequestError) return [];
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// A refresh of what changed

/** The JQL of the issues of the board changed in the last `minutes` by Jira's clock. */
export function changedSinceJql(boardJql: string, minutes: number): string {
  return combineJql(boardJql, `updated >= "-${Math.max(1, Math.ceil(minutes))}m"`);
}

async function refreshChangedIssues(
  ports: BoardSyncPorts,
  data: BoardData,
): Promise<{ data: BoardData; changed: number }> {
  const { jira, store } = ports;
  const { head } = data;
  const startedAt = ports.now();
  const minutes = (startedAt - Date.parse(head.syncedAt)) / 60_000 + OVERLAP_MINUTES;
  const jql = changedSinceJql(head.context.jql, minutes);
  const [changed, sprints] = await Promise.all([
    searchAll(jira, jql, head.context),
    readSprints(jira, head.boardId),
  ]);
  const histories = await readHistories(
    jira,
    changed.map((issue) => issue.id),
    changelogFields(head.context),
  );
  const issues = new Map(data.issues);
  const changelogs = new Map(data.changelogs);
  const shards = new Set<number>();
  for (const issue of changed) {
    issues.set(issue.id, issue);
    changelogs.set(issue.id, histories.get(issue.id) ?? []);
    shards.add(shardOf(issue.id));
  }
  const next: BoardData = {
    head: {
      ...head,
      sprints,
      syncedAt: new Date(startedAt).toISOString(),
      issues: issues.size,
    },
    issues,
    changelogs,
  };
  await writeBoardData(store, next, shards);
  return { data: next, changed: changed.length };
}

async function searchAll(jira: JiraClient, jql: string, ids: BoardContext): Promise<JiraIssue[]> {
  const issues: JiraIssue[] = [];
  for (let token: string | null = null; ;) {
    const page = await jira.searchIssues(jql, ids, token);
    issues.push(...page.issues);
    token = page.nextPageToken;
    if (token === null) return issues;
  }
}

/** The whole change history of the given issues, up to 1000 issues a request, every page. */
async function readHistories(
  jira: JiraClient,
  issueIds: readonly string[],
  fieldIds: readonly string[],
): Promise<Map<string, ChangeHistory[]>> {
  const histories = new Map<string, ChangeHistory[]>();
  for (let start = 0; start < issueIds.length; start += CHANGELOG_BATCH_SIZE) {
    const batch = issueIds.slice(start, start + CHANGELOG_BATCH_SIZE);
    for (let token: string | null = null; ;) {
      const page = await jira.getChangelogs(batch, fieldIds, token);
      for (const [id, list] of page.histories) {
        histories.set(id, [...(histories.get(id) ?? []), ...list]);
      }
      token = page.nextPageToken;
      if (token === null) break;
    }
  }
  return histories;
}

/** The fields whose history the model reads (as the full pull asks for them). */
function changelogFields(context: BoardContext): string[] {
  return ["status", "resolution", context.sprintFieldId, context.estimateFieldId].filter(
    (id): id is string => id !== null,
  );
}

// ---------------------------------------------------------------------------------------------
// From the store: the report, the panel's view, the properties

/** The board's workspace from its stored copy: no Jira request. */
export async function storedBoardWorkspace(store: Store, data: BoardData): Promise<Workspace> {
  const settings = await getTeamSettings(store, String(data.head.boardId));
  return boardAsWorkspace(store, data.head.boardId, mapBoardData(data, teamOptionsOf(settings)));
}

/**
 * Per item: id, title, type, labels, components, project, parent; then what the triage list
 * shows besides: status, estimate, sprints (absent from values kept before it showed them).
 */
const classifyingItemsSchema = z.array(
  z.tuple([
    z.string(),
    z.string(),
    z.string(),
    z.array(z.string()),
    z.array(z.string()),
    z.string().nullable(),
    z.string().nullable(),
    z.enum(["todo", "inProgress", "done", "canceled"]).optional(),
    z.number().nullable().optional(),
    z.array(z.string()).optional(),
  ]),
);

async function storeClassifyingItems(
  store: Store,
  boardId: number,
  workspace: Workspace,
): Promise<void> {
  await store.set(
    storeKeys.boardItems(String(boardId)),
    workspace.items.map((item): z.infer<typeof classifyingItemsSchema>[number] => [
      item.id,
      item.title,
      item.type,
      [...item.labels],
      [...item.components],
      item.project,
      item.parentId,
      item.status,
      item.estimate,
      [...item.sprintIds],
    ]),
  );
}

/**
 * The board as far as classifying goes (SPEC §3: type, labels, components, project, parent), the
 * team with the settings in the store now, from what the last sync kept: a rules preview or the
 * triage list of a big board reads one value instead of the whole board. Items carry their
 * current status, estimate and sprints, and the board its sprints, but no history. Null before
 * the first sync.
 */
export async function classifyingWorkspace(
  store: Store,
  boardId: number,
): Promise<Workspace | null> {
  const [head, stored] = await Promise.all([
    readBoardHead(store, boardId),
    store.get(storeKeys.boardItems(String(boardId))),
  ]);
  const items = classifyingItemsSchema.safeParse(stored);
  if (head === null || !items.success) return null;
  const settings = await getTeamSettings(store, String(boardId));
  const empty: BoardData = {
    head,
    issues: new Map(),
    changelogs: new Map(),
  };
  const base = await boardAsWorkspace(store, boardId, mapBoardData(empty, teamOptionsOf(settings)));
  const teamId = String(boardId);
  return {
    ...base,
    items: items.data.map(
      ([id, title, type, labels, components, project, parentId, status, estimate, sprintIds]) => ({
        id,
        teamId,
        title,
        type,
        labels,
        components,
        project,
        parentId,
        estimate: estimate ?? null,
        status: status ?? "todo",
        sprintIds: sprintIds ?? [],
        // Not read by classification or the triage list; neutral values.
        createdAt: 0,
        completedAt: null,
        history: [],
      }),
    ),
  };
}

/** Computes the report from the stored board and keeps it for the pages; no Jira request. */
export async function reportFromStore(
  boardId: number,
  ports: Pick<SyncPorts, "store" | "now">,
  data: BoardData,
): Promise<{ report: Report; titles: Map<string, string> }> {
  const basis = { ...(await readReportBasis(ports, boardId)), at: Date.parse(data.head.syncedAt) };
  const workspace = await storedBoardWorkspace(ports.store, data);
  const report = computeReport(workspace, { now: ports.now() });
  await storeCachedReport(ports, boardId, { basis, workspace, report });
  await storeClassifyingItems(ports.store, boardId, workspace);
  return { report, titles: new Map(workspace.items.map((item) => [item.id, item.title])) };
}

async function computeFromStore(
  boardId: number,
  ports: BoardSyncPorts,
  data: BoardData,
): Promise<{ report: Report; items: number; propertiesWritten: number }> {
  const { report } = await reportFromStore(boardId, ports, data);
  const projectKey = data.head.context.board.projectKey;
  await rememberBoard(ports.store, { boardId, projectKey });
  await storeBoardView(ports, boardId, data.head.context, report);
  const items = report.teams[0]?.items ?? [];
  const propertiesWritten = await writeChangedProperties(boardId, ports, data, items);
  return { report, items: items.length, propertiesWritten };
}

/**
 * Writes the `capacity-split` property of every item whose category, source or ancestor differs
 * from what was last written, 100 issues a request. What Jira took is recorded as it goes, so a
 * failure midway leaves only the rest to write, and a repeat writes nothing.
 */
async function writeChangedProperties(
  boardId: number,
  ports: BoardSyncPorts,
  data: BoardData,
  items: Report["teams"][number]["items"],
): Promise<number> {
  const written = await readWrittenCategories(ports.store, boardId);
  const idByKey = new Map([...data.issues.values()].map((issue) => [issue.key, issue.id]));
  const pending = items.filter((item) => {
    const last = written.get(item.id);
    return (
      idByKey.has(item.id) &&
      (last === undefined ||
        last.category !== item.category ||
        last.source !== item.source ||
        last.via !== item.via)
    );
  });
  const updatedAt = new Date(ports.now()).toISOString();
  const pool = new TaskPool(PROPERTY_WRITE_CONCURRENCY);
  let count = 0;
  for (let start = 0; start < pending.length; start += PROPERTY_BATCH_SIZE) {
    const batch = pending.slice(start, start + PROPERTY_BATCH_SIZE);
    pool.add(async () => {
      await ports.jira.setCategoryProperties(
        batch.map((item) => ({
          issueId: idByKey.get(item.id) ?? "",
          value: { category: item.category, source: item.source, via: item.via, updatedAt },
        })),
      );
      for (const { id, category, source, via } of batch) written.set(id, { category, source, via });
      count += batch.length;
    });
  }
  try {
    await pool.drain();
  } finally {
    if (count > 0) await writeWrittenCategories(ports.store, boardId, written);
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Queueing: one sync of a board waiting at a time

const queuedSchema = z.object({ at: z.number(), full: z.boolean() });

/** A queued sync not started within this long was lost (a failed push): the next request queues again. */
export const QUEUED_WINDOW_MS = 15 * 60_000;

export interface SyncRequest {
  readonly boardId: number;
  readonly full: boolean;
}

/**
 * Queues a sync of the board unless one is already waiting: a burst of events folds into one
 * sync, which reads every change of the burst. A full pull asked for while a refresh waits is
 * queued too (it does more). True when this call queued one.
 */
export async function requestBoardSync(
  ports: {
    readonly store: Store;
    readonly now: () => number;
    readonly enqueue: (request: SyncRequest) => Promise<void>;
  },
  boardId: number,
  options: { readonly full?: boolean } = {},
): Promise<boolean> {
  const key = storeKeys.boardSyncQueued(String(boardId));
  const full = options.full === true;
  const mark = queuedSchema.safeParse(await ports.store.get(key));
  if (mark.success && ports.now() - mark.data.at < QUEUED_WINDOW_MS && (mark.data.full || !full)) {
    return false;
  }
  await ports.store.set(key, { at: ports.now(), full });
  try {
    await ports.enqueue({ boardId, full });
  } catch (error) {
    // Not queued: the next request must not be folded into it.
    await ports.store.delete(key);
    throw error;
  }
  return true;
}

/** The queued sync starts: changes from now on queue the next one. */
export async function claimBoardSync(store: Store, boardId: number): Promise<void> {
  await store.delete(storeKeys.boardSyncQueued(String(boardId)));
}
