import { z } from "zod";
import { computeReport, type Item, type Report, type Split, type Workspace } from "../domain/index";
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
  changelogFieldIds,
  fieldIdsByName,
} from "../jira/index";
import { TaskPool } from "../shared/index";
import { type Store, storeKeys } from "../store/index";
import {
  mapBoardData,
  mappingKeyOf,
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
import { forgetLeaving, readLeaving, type LeavingEntry } from "./board-leaving";
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
  const leaving = await readLeaving(ports.store, boardId);
  const stored =
    options.full === true || head === null || state?.phase === "full" || leaving.overflow
      ? null
      : await readBoardData(ports.store, boardId);
  let data: BoardData;
  let issuesRead: number;
  let kind: "full" | "incremental";
  /** Shards whose issues changed; null: every shard. */
  let shards: Set<number> | null;
  let left = 0;
  if (stored === null) {
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
    kind === "full" ? { before: Date.parse(data.head.fullAt) } : { read: leaving.entries },
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
    items: new Map(),
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

/**
 * Reads what changed since the last sync into a copy of the board: the changed issues replace
 * their stored ones and lose their kept items, and so do the issues whose parent joined or left
 * the board (whether a parent is on the board is part of an item). Nothing is written: the sync
 * writes the board once its items are mapped, so a failure midway leaves the last sync's copy.
 */
async function refreshChangedIssues(
  ports: BoardSyncPorts,
  data: BoardData,
  leaving: readonly LeavingEntry[],
): Promise<{ data: BoardData; changed: number; left: number; shards: Set<number> }> {
  const { jira } = ports;
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
    head.context,
  );
  const issues = new Map(data.issues);
  const changelogs = new Map(data.changelogs);
  const items = new Map(data.items);
  const shards = new Set<number>();
  /** Keys that joined or left the board: their children's parent changed with them. */
  const moved = new Set<string>();
  let left = 0;
  for (const issue of changed) {
    const before = issues.get(issue.id);
    if (before?.key !== issue.key) {
      moved.add(issue.key);
      if (before !== undefined) moved.add(before.key);
    }
    issues.set(issue.id, issue);
    changelogs.set(issue.id, histories.get(issue.id) ?? []);
    items.delete(issue.id);
    shards.add(shardOf(issue.id));
  }
  for (const id of await leftTheBoard(jira, head.context, leaving, issues, changed)) {
    const issue = issues.get(id);
    if (issue === undefined) continue;
    moved.add(issue.key);
    issues.delete(id);
    changelogs.delete(id);
    items.delete(id);
    shards.add(shardOf(id));
    left++;
  }
  if (moved.size > 0) {
    for (const issue of issues.values()) {
      if (issue.parentKey !== null && moved.has(issue.parentKey)) items.delete(issue.id);
    }
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
    items,
  };
  return { data: next, changed: changed.length, left, shards };
}

/** Issue ids a search's `id in (…)` names at most, keeping the JQL well inside Jira's length. */
const LEAVING_CHECK_BATCH = 500;

/**
 * Which of the board's issues that events named have left it: the deleted ones, and those the
 * refresh did not read that the board's filter no longer matches (moved to another project, or
 * edited out of the filter). One search of ids only over the ones in doubt, which costs a point
 * plus one per issue still on the board; none when every named issue was read as changed.
 */
async function leftTheBoard(
  jira: JiraClient,
  context: BoardContext,
  leaving: readonly LeavingEntry[],
  issues: ReadonlyMap<string, JiraIssue>,
  changed: readonly JiraIssue[],
): Promise<Set<string>> {
  const read = new Set(changed.map((issue) => issue.id));
  const gone = new Set(
    leaving.filter((entry) => entry.deleted && issues.has(entry.id)).map((entry) => entry.id),
  );
  const doubtful = [
    ...new Set(
      leaving
        .filter((e) => !e.deleted && issues.has(e.id) && !read.has(e.id) && !gone.has(e.id))
        // Jira's issue ids are numbers; nothing else goes into the JQL.
        .filter((entry) => /^\d+$/.test(entry.id))
        .map((entry) => entry.id),
    ),
  ];
  for (let start = 0; start < doubtful.length; start += LEAVING_CHECK_BATCH) {
    const batch = doubtful.slice(start, start + LEAVING_CHECK_BATCH);
    let still: Set<string>;
    try {
      still = await jira.matchingIssueIds(combineJql(context.jql, `id in (${batch.join(", ")})`));
    } catch (error) {
      // Jira refuses an `id in` naming an issue that no longer exists (its deletion event was
      // lost): these wait for the daily full pull rather than stop every refresh till then.
      if (error instanceof BadRequestError) continue;
      throw error;
    }
    for (const id of batch) if (!still.has(id)) gone.add(id);
  }
  return gone;
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

/**
 * The whole change history of the given issues, up to 1000 issues a request, every page: the
 * fields a first pull reads, matched by name where Jira leaves `fieldId` out.
 */
async function readHistories(
  jira: JiraClient,
  issueIds: readonly string[],
  context: BoardContext,
): Promise<Map<string, ChangeHistory[]>> {
  const fieldIds = changelogFieldIds(context);
  const fieldNames = fieldIdsByName(context);
  const histories = new Map<string, ChangeHistory[]>();
  for (let start = 0; start < issueIds.length; start += CHANGELOG_BATCH_SIZE) {
    const batch = issueIds.slice(start, start + CHANGELOG_BATCH_SIZE);
    for (let token: string | null = null; ;) {
      const page = await jira.getChangelogs(batch, fieldIds, token, fieldNames);
      for (const [id, list] of page.histories) {
        histories.set(id, [...(histories.get(id) ?? []), ...list]);
      }
      token = page.nextPageToken;
      if (token === null) break;
    }
  }
  return histories;
}

// ---------------------------------------------------------------------------------------------
// From the store: the report, the panel's view, the properties

/** The board's workspace from its stored copy: no Jira request. */
export async function storedBoardWorkspace(store: Store, data: BoardData): Promise<Workspace> {
  return (await mapStoredBoard(store, data)).workspace;
}

/**
 * The board's workspace from its stored copy, mapping only the issues without a kept item (all
 * of them when what items depend on changed, see `mappingKeyOf`), and the board with every item
 * kept for the next time. `remapped` names the issues mapped now, by id.
 */
export async function mapStoredBoard(
  store: Store,
  data: BoardData,
): Promise<{ workspace: Workspace; data: BoardData; remapped: Set<string>; all: boolean }> {
  const { boardId } = data.head;
  const settings = await getTeamSettings(store, String(boardId));
  const mapping = mappingKeyOf(data.head);
  const all = data.head.mapping !== mapping;
  const kept = all ? new Map<string, Item>() : data.items;
  const pending = [...data.issues.values()].filter((issue) => !kept.has(issue.id));
  const options = teamOptionsOf(settings);
  const mapped = all ? mapBoardData(data, options) : mapBoardData(data, options, pending);
  const keptItems = [...kept].flatMap(([id, item]) => (data.issues.has(id) ? [item] : []));
  const workspace = await boardAsWorkspace(store, boardId, mapped, keptItems);
  const idOfKey = new Map([...data.issues.values()].map((issue) => [issue.key, issue.id]));
  const items = new Map<string, Item>();
  for (const item of workspace.items) {
    const id = idOfKey.get(item.id);
    if (id !== undefined) items.set(id, item);
  }
  return {
    workspace,
    data: { ...data, head: { ...data.head, mapping }, items },
    remapped: new Set(pending.map((issue) => issue.id)),
    all,
  };
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
    items: new Map(),
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
  mapped?: Workspace,
): Promise<{ report: Report; titles: Map<string, string> }> {
  const basis = { ...(await readReportBasis(ports, boardId)), at: Date.parse(data.head.syncedAt) };
  const workspace = mapped ?? (await storedBoardWorkspace(ports.store, data));
  const report = computeReport(workspace, { now: ports.now() });
  await storeCachedReport(ports, boardId, { basis, workspace, report });
  await storeClassifyingItems(ports.store, boardId, workspace);
  return { report, titles: new Map(workspace.items.map((item) => [item.id, item.title])) };
}

async function computeFromStore(
  boardId: number,
  ports: BoardSyncPorts,
  data: BoardData,
  workspace: Workspace,
): Promise<{ report: Report; items: number; propertiesWritten: number }> {
  const { report } = await reportFromStore(boardId, ports, data, workspace);
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
