import type { JiraIssue } from "../jira/index";
import { type Store, storeKeys } from "../store/index";

/**
 * Every issue of a board's stored copy by key, with its Jira id: Jira's bulk permission check
 * takes ids, the pages name issues by key. Written with the board's shards, whenever the board is
 * written (first pull, refresh), so a page checks its keys with one small read instead of the
 * whole board. About 22 bytes an issue: a 20,000-issue board's map is about 440 KB, which the
 * Forge store keeps in chunks under KVS's 240 KiB a value.
 */
export async function writeIssueIds(
  store: Store,
  boardId: number,
  issues: Iterable<Pick<JiraIssue, "id" | "key">>,
): Promise<void> {
  const ids: Record<string, string> = {};
  for (const issue of issues) ids[issue.key] = issue.id;
  await store.set(storeKeys.boardIssueIds(String(boardId)), ids);
}

/**
 * The board's key → id map, or null when the board was written before it kept one. Only the
 * value's shape is checked: the app wrote it, and its ids are checked where they go to Jira.
 */
export async function readIssueIds(
  store: Store,
  boardId: number,
): Promise<ReadonlyMap<string, string> | null> {
  const stored = await store.get(storeKeys.boardIssueIds(String(boardId)));
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return null;
  const ids = new Map<string, string>();
  for (const [key, id] of Object.entries(stored)) if (typeof id === "string") ids.set(key, id);
  return ids;
}
