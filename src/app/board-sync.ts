import { z } from "zod";
import { computeReport } from "../domain/report.js";
import type { Classification, Flag, Split, SprintReport } from "../domain/types.js";
import type { JiraClient } from "../jira/client.js";
import { TaskPool } from "../jira/task-pool.js";
import { storeKeys } from "../store/keys.js";
import type { Store } from "../store/store.js";
import { loadBoardWorkspace } from "./board-workspace.js";

export interface SyncPorts {
  readonly jira: JiraClient;
  readonly store: Store;
  readonly now: () => number;
}

const knownBoardSchema = z.object({ boardId: z.number().int(), projectKey: z.string().nullable() });
export type KnownBoard = z.infer<typeof knownBoardSchema>;

/** Remembers a board, so events of its project and the daily reconcile reach it. */
export async function rememberBoard(store: Store, board: KnownBoard): Promise<void> {
  await store.set(storeKeys.board(String(board.boardId)), board);
}

export async function listKnownBoards(store: Store): Promise<KnownBoard[]> {
  const entries = await store.listByPrefix(storeKeys.boardPrefix());
  return entries.flatMap(({ value }) => {
    const parsed = knownBoardSchema.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * The issue panel's view of a board, refreshed by every recompute: enough to answer for one issue
 * with a single Jira call. Sprint reports are kept as computed (SPEC §10 shapes).
 */
const boardViewSchema = z.object({
  boardId: z.number(),
  projectKey: z.string().nullable(),
  sprintFieldId: z.string().nullable(),
  estimateFieldId: z.string().nullable(),
  computedAt: z.iso.datetime(),
  activeSprints: z.array(
    z.object({
      sprint: z.custom<SprintReport>((v) => typeof v === "object" && v !== null),
      flags: z.array(z.custom<Flag>((v) => typeof v === "object" && v !== null)),
    }),
  ),
});
export type BoardView = z.infer<typeof boardViewSchema>;

export async function getBoardView(store: Store, boardId: number): Promise<BoardView | null> {
  const parsed = boardViewSchema.safeParse(await store.get(storeKeys.boardView(String(boardId))));
  return parsed.success ? parsed.data : null;
}

/** The categories last written for a board's items, by item id. */
export async function getWrittenCategories(
  store: Store,
  boardId: number,
): Promise<Map<string, Classification>> {
  const teamId = String(boardId);
  const prefix = storeKeys.writtenCategoryPrefix(teamId);
  const result = new Map<string, Classification>();
  for (const { key, value } of await store.listByPrefix(prefix)) {
    const parsed = writtenSchema.safeParse(value);
    if (parsed.success) result.set(decodeURIComponent(key.slice(prefix.length)), parsed.data);
  }
  return result;
}

const writtenSchema = z.object({
  category: z.enum(["roadmap", "investment", "unclassified"]),
  source: z.enum(["explicit", "conflict", "inherited", "rule", "none"]),
  via: z.string().nullable(),
});

const PROPERTY_WRITE_CONCURRENCY = 4;

export interface RecomputeResult {
  readonly items: number;
  readonly propertiesWritten: number;
}

/**
 * Recomputes one board: every item's category (SPEC §3) is derived again and the issue property
 * `capacity-split` rewritten where it changed, children included when a parent's label moved. What
 * was last written is kept in the store, so a repeat or a retry after a failure writes only what
 * is still different: nothing twice, nothing lost.
 */
export async function recomputeBoard(boardId: number, ports: SyncPorts): Promise<RecomputeResult> {
  const { workspace, projectKey, context } = await loadBoardWorkspace(
    ports.jira,
    ports.store,
    boardId,
  );
  await rememberBoard(ports.store, { boardId, projectKey });
  const teamId = String(boardId);
  const report = computeReport(workspace, { now: ports.now() });
  const team = report.teams[0];
  const view: BoardView = {
    boardId,
    projectKey,
    sprintFieldId: context.sprintFieldId,
    estimateFieldId: context.estimateFieldId,
    computedAt: new Date(ports.now()).toISOString(),
    activeSprints: (team?.sprints ?? [])
      .filter((sprint) => sprint.state === "active")
      .map((sprint) => ({
        sprint,
        flags: (team?.flags ?? []).filter(
          (f) => f.period.kind === "sprint" && f.period.id === sprint.id,
        ),
      })),
  };
  await ports.store.set(storeKeys.boardView(teamId), view);
  const written = new Map<string, z.infer<typeof writtenSchema>>();
  for (const { key, value } of await ports.store.listByPrefix(
    storeKeys.writtenCategoryPrefix(teamId),
  )) {
    const parsed = writtenSchema.safeParse(value);
    if (parsed.success) written.set(key, parsed.data);
  }
  let propertiesWritten = 0;
  // Bounded concurrency: a first recompute of a big board writes every issue's property, and
  // one at a time would take minutes; four in flight stays inside Jira's burst limits.
  const pool = new TaskPool(PROPERTY_WRITE_CONCURRENCY);
  for (const item of report.teams[0]?.items ?? []) {
    const key = storeKeys.writtenCategory(teamId, item.id);
    const last = written.get(key);
    if (last && sameClassification(last, item)) continue;
    pool.add(async () => {
      const classification = { category: item.category, source: item.source, via: item.via };
      await ports.jira.setCategoryProperty(item.id, {
        ...classification,
        updatedAt: new Date(ports.now()).toISOString(),
      });
      // Recorded only after Jira took it: a failure in between is written again next time.
      await ports.store.set(key, classification);
      propertiesWritten++;
    });
  }
  await pool.drain();
  return { items: report.teams[0]?.items.length ?? 0, propertiesWritten };
}

function sameClassification(a: Classification, b: Classification): boolean {
  return a.category === b.category && a.source === b.source && a.via === b.via;
}

const snapshotSchema = z.object({
  sprintId: z.string(),
  boardId: z.number(),
  phase: z.enum(["started", "closed"]),
  recordedAt: z.iso.datetime(),
  split: z.object({ roadmap: z.number(), investment: z.number(), unclassified: z.number() }),
  investmentShare: z.number().nullable(),
  flags: z.array(z.object({ code: z.string(), severity: z.string() })),
});
export type SprintSnapshot = z.infer<typeof snapshotSchema>;

/**
 * Records a sprint's committed split when it starts, or its delivered split when it closes (SPEC
 * §6), with the flags raised then. A repeated event rewrites the same record.
 */
export async function recordSprintSnapshot(
  boardId: number,
  sprintId: string,
  phase: "started" | "closed",
  ports: SyncPorts,
): Promise<SprintSnapshot | null> {
  const { workspace } = await loadBoardWorkspace(ports.jira, ports.store, boardId);
  const report = computeReport(workspace, { now: ports.now() });
  const sprint = report.teams[0]?.sprints.find((s) => s.id === sprintId);
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

export async function getSprintSnapshot(
  store: Store,
  sprintId: string,
  phase: "started" | "closed",
): Promise<SprintSnapshot | null> {
  const parsed = snapshotSchema.safeParse(
    await store.get(storeKeys.sprintSnapshot(sprintId, phase)),
  );
  return parsed.success ? parsed.data : null;
}
