import { RateLimitError } from "@forge/events";
import type { SyncRequest } from "../../src/app/board-sync-queue";
import { rememberBoard } from "../../src/app/board-sync";
import { MemoryStore, storeKeys } from "../../src/store/index";

/**
 * A site's known boards, each with the stored head a full pull leaves (its size and when that
 * pull began), as the reconcile reads them. Board ids are 1, 2, … in the order of `sizes`.
 */
export async function siteWithBoards(
  sizes: readonly number[],
  fullAt: number,
): Promise<MemoryStore> {
  const store = new MemoryStore();
  const at = new Date(fullAt).toISOString();
  for (const [index, issues] of sizes.entries()) {
    const boardId = index + 1;
    await rememberBoard(store, { boardId, projectKey: `P${boardId}`, projectId: boardId });
    await store.set(storeKeys.boardData(String(boardId)), {
      version: 1,
      boardId,
      context: { jql: `project = P${boardId}`, board: { id: boardId } },
      sprints: [],
      syncedAt: at,
      fullAt: at,
      issues,
    });
  }
  return store;
}

/**
 * Forge's queue as documented at https://developer.atlassian.com/platform/forge/limits-async-events :
 * "Event per minute 500: Maximum number of events pushed in one minute" per installation; past it
 * `Queue.push` throws `RateLimitError` (@forge/events). Each push is kept with when it came in;
 * a board in `failFor` is refused with another error.
 */
export function forgeQueue(clock: { now: number }, failFor: ReadonlySet<number> = new Set()) {
  const pushes: { at: number; request: SyncRequest }[] = [];
  const enqueue = (request: SyncRequest): Promise<void> => {
    const minute = Math.floor(clock.now / 60_000);
    const inMinute = pushes.filter((p) => Math.floor(p.at / 60_000) === minute).length;
    if (inMinute >= 500) return Promise.reject(new RateLimitError("Too many events pushed"));
    if (failFor.has(request.boardId)) return Promise.reject(new Error("Internal server error"));
    pushes.push({ at: clock.now, request });
    return Promise.resolve();
  };
  return { pushes, enqueue };
}
export type ForgeQueueDouble = ReturnType<typeof forgeQueue>;
