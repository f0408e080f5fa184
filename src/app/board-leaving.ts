import { z } from "zod";
import { TaskPool } from "../shared/index";
import { type Store, storeKeys } from "../store/index";

/**
 * Issues that changed since a board's last sync, by id: they may have left the board, and Jira's
 * search may not show their change yet. A refresh reads the issues the board's filter matches and
 * that changed (`updated` since the last one); an issue moved to another project, no longer
 * matched by the filter, or deleted is not among them, so without this list it would stay on the
 * board until the daily full pull. And the search is eventually consistent: a change seconds old
 * may be missing from it unless the search names the issue in `reconcileIssues`. Issue events
 * (created, updated, deleted) name every issue they touch here, and the app's own label edits name
 * the issues they changed (one entry a batch); the refresh reconciles these in its search, checks
 * which of those it did not read are still on the board, and drops the rest.
 *
 * Every event writes a key of its own and nothing reads it back first, so triggers running at
 * once never overwrite each other's entry; a sync deletes exactly the keys it dealt with, so an
 * entry written while it runs waits for the next one.
 */

/** More than this many waiting and the board's next sync is a full pull (a bulk move, say). */
export const MAX_LEAVING = 5_000;
/** Deletes in flight at once when a sync forgets what it dealt with. */
const FORGET_CONCURRENCY = 8;

const entrySchema = z.object({
  id: z.string(),
  /** When the event came (ms). */
  at: z.number(),
  deleted: z.boolean(),
});

/** The issues one batch of the app's own label edits changed. */
const writtenSchema = z.object({ ids: z.array(z.string()), at: z.number() });

export interface LeavingEntry {
  readonly id: string;
  readonly at: number;
  /** The event said the issue was deleted: no check needed. */
  readonly deleted: boolean;
}

/** An entry as stored, with the key that a sync deletes once it has dealt with it. */
export interface StoredLeavingEntry extends LeavingEntry {
  readonly key: string;
}

export interface LeavingList {
  readonly entries: readonly StoredLeavingEntry[];
  /** Keys whose value is not an entry (written by another version): forgotten with the rest. */
  readonly unreadable: readonly string[];
  /** More issues were named than a refresh checks: only a full pull can tell. */
  readonly overflow: boolean;
}

export async function readLeaving(store: Store, boardId: number): Promise<LeavingList> {
  const entries: StoredLeavingEntry[] = [];
  const unreadable: string[] = [];
  for (const { key, value } of await store.listByPrefix(
    storeKeys.boardLeavingPrefix(String(boardId)),
  )) {
    const parsed = entrySchema.safeParse(value);
    const written = parsed.success ? null : writtenSchema.safeParse(value);
    if (parsed.success) entries.push({ key, ...parsed.data });
    else if (written?.success) {
      const { ids, at } = written.data;
      entries.push(...ids.map((id) => ({ key, id, at, deleted: false })));
    } else unreadable.push(key);
  }
  return { entries, unreadable, overflow: entries.length > MAX_LEAVING };
}

/** Names an issue an event touched, under a key no other event writes. */
export async function recordLeaving(
  store: Store,
  boardId: number,
  entry: LeavingEntry,
): Promise<void> {
  const key = storeKeys.boardLeavingEntry(String(boardId), entry.id, entry.at, crypto.randomUUID());
  await store.set(key, { id: entry.id, at: entry.at, deleted: entry.deleted });
}

/** Names the issues a batch of the app's own label edits changed, in one entry. */
export async function recordWritten(
  store: Store,
  boardId: number,
  ids: readonly string[],
  at: number,
): Promise<void> {
  if (ids.length === 0) return;
  const key = storeKeys.boardLeavingEntry(String(boardId), "written", at, crypto.randomUUID());
  await store.set(key, { ids: [...ids], at });
}

/**
 * Forgets what a sync has dealt with: the entries a refresh read (one written since, even for the
 * same issue, has a key of its own and stays), or, after a full pull that began at `before`,
 * every entry older than that.
 */
export async function forgetLeaving(
  store: Store,
  boardId: number,
  handled: { readonly read: LeavingList } | { readonly before: number },
): Promise<void> {
  let keys: readonly string[];
  if ("read" in handled) {
    keys = [...new Set(handled.read.entries.map((entry) => entry.key)), ...handled.read.unreadable];
  } else {
    const current = await readLeaving(store, boardId);
    keys = [
      ...new Set(
        current.entries.filter((entry) => entry.at < handled.before).map((entry) => entry.key),
      ),
      ...current.unreadable,
    ];
  }
  const pool = new TaskPool(FORGET_CONCURRENCY);
  for (const key of keys) pool.add(() => store.delete(key));
  await pool.drain();
}
