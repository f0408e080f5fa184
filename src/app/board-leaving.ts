import { z } from "zod";
import { type Store, storeKeys } from "../store/index";

/**
 * Issues that may have left a board since its last sync. A refresh reads the issues the board's
 * filter matches and that changed (`updated` since the last one); an issue moved to another
 * project, no longer matched by the filter, or deleted is not among them, so without this list it
 * would stay on the board until the daily full pull. Issue events (`avi:jira:updated:issue`,
 * `avi:jira:deleted:issue`) name every issue they touch here; the refresh checks, in one search,
 * which of those it did not read are still on the board, and drops the rest.
 */

/** More than this many waiting and the board's next sync is a full pull (a bulk move, say). */
export const MAX_LEAVING = 5_000;

const leavingSchema = z.object({
  /** `[issue id, when the event came (ms), deleted]`. */
  entries: z.array(z.tuple([z.string(), z.number(), z.boolean()])),
  overflow: z.boolean(),
});
type Leaving = z.infer<typeof leavingSchema>;

export interface LeavingEntry {
  readonly id: string;
  readonly at: number;
  /** The event said the issue was deleted: no check needed. */
  readonly deleted: boolean;
}

export interface LeavingList {
  readonly entries: readonly LeavingEntry[];
  /** More issues were named than the list keeps: only a full pull can tell. */
  readonly overflow: boolean;
}

async function read(store: Store, boardId: number): Promise<Leaving> {
  const parsed = leavingSchema.safeParse(await store.get(storeKeys.boardLeaving(String(boardId))));
  return parsed.success ? parsed.data : { entries: [], overflow: false };
}

export async function readLeaving(store: Store, boardId: number): Promise<LeavingList> {
  const { entries, overflow } = await read(store, boardId);
  return { entries: entries.map(([id, at, deleted]) => ({ id, at, deleted })), overflow };
}

/** Names an issue an event touched; a repeat of the same issue keeps one entry, the latest. */
export async function recordLeaving(
  store: Store,
  boardId: number,
  entry: LeavingEntry,
): Promise<void> {
  const { entries, overflow } = await read(store, boardId);
  const others = entries.filter(([id]) => id !== entry.id);
  const next: Leaving =
    overflow || others.length >= MAX_LEAVING
      ? { entries: [], overflow: true }
      : { entries: [...others, [entry.id, entry.at, entry.deleted]], overflow: false };
  await store.set(storeKeys.boardLeaving(String(boardId)), next);
}

/**
 * Forgets what a sync has dealt with: the entries it read (an event for the same issue since is
 * kept), or, after a full pull that began at `before`, every entry older than that.
 */
export async function forgetLeaving(
  store: Store,
  boardId: number,
  handled: { readonly read: readonly LeavingEntry[] } | { readonly before: number },
): Promise<void> {
  const current = await read(store, boardId);
  if (current.entries.length === 0 && !current.overflow) return;
  let next: Leaving;
  if ("read" in handled) {
    const done = new Set(handled.read.map((entry) => `${entry.id}@${entry.at}`));
    next = {
      entries: current.entries.filter(([id, at]) => !done.has(`${id}@${at}`)),
      overflow: current.overflow,
    };
  } else {
    next = { entries: current.entries.filter(([, at]) => at >= handled.before), overflow: false };
  }
  await store.set(storeKeys.boardLeaving(String(boardId)), next);
}
