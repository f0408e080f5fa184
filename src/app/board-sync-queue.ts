import { z } from "zod";
import { type Store, storeKeys } from "../store/index";

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
