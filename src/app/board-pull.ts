import { z } from "zod";
import {
  BadRequestError,
  type BoardContext,
  type JiraClient,
  type JiraSprint,
  type PullProgress,
} from "../jira/index";
import { type Store, storeKeys } from "../store/index";
import { writeBoardData, type BoardData } from "./board-data";
import type { SyncPorts } from "./board-sync";
import { teamOptionsOf } from "./board-workspace";
import { getTeamSettings } from "./team-settings";

/**
 * The first pull of a board (a new board, or the daily reconcile), across invocations: it reads
 * the whole board, and when the function's time runs short it saves the pull's cursor and hands
 * over to the next invocation, which continues from it. The sync's state here is what the pages
 * show while it runs.
 */

/** How often a running first pull records its progress for the pages, at most. */
const PROGRESS_EVERY_MS = 2_000;

export interface BoardSyncPorts extends SyncPorts {
  /**
   * True once this invocation should stop reading and leave the rest to the next one (the
   * function's time budget); checked between pages. Without it a pull runs to the end.
   */
  readonly shouldStop?: () => boolean;
}

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

export async function pullWholeBoard(
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
export async function readSprints(jira: JiraClient, boardId: number): Promise<JiraSprint[]> {
  try {
    return await jira.getSprints(boardId);
  } catch (error) {
    if (error instanceof BadRequestError) return [];
    throw error;
  }
}
