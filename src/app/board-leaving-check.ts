import {
  BadRequestError,
  type BoardContext,
  combineJql,
  type JiraClient,
  type JiraIssue,
  RECONCILE_MAX,
} from "../jira/index";
import type { LeavingEntry } from "./board-leaving";

/**
 * The issues named since the last sync (`board-leaving.ts`) in the order a refresh reconciles
 * them: not deleted, numeric ids only (nothing else goes into JQL or `reconcileIssues`), each once,
 * the most recently named first, so the refresh's own search reconciles the freshest changes.
 */
export function namedIssueIds(leaving: readonly LeavingEntry[]): string[] {
  const newestFirst = [...leaving].sort((a, b) => b.at - a.at);
  return [
    ...new Set(
      newestFirst.filter((e) => !e.deleted && /^\d+$/.test(e.id)).map((entry) => entry.id),
    ),
  ];
}

/**
 * Settles every issue named since the last sync that the refresh's search did not read: each is
 * searched again by id over the board's filter with `reconcileIssues` naming it, 50 at a time, so
 * Jira answers from the issue's latest state, not from a search index that may lag the change.
 * What comes back is on the board now and is read as changed; what does not has left it (moved
 * to another project, edited out of the filter); deleted ones need no search. Only issues the
 * refresh's search did not reconcile itself, or did and that are on the board's copy, are asked.
 * Costs a point per request plus one per issue read.
 */
export async function settleNamedIssues(
  jira: JiraClient,
  context: BoardContext,
  leaving: readonly LeavingEntry[],
  stored: ReadonlyMap<string, unknown>,
  search: { readonly read: ReadonlySet<string>; readonly reconciled: ReadonlySet<string> },
): Promise<{ readonly read: JiraIssue[]; readonly gone: Set<string> }> {
  const gone = new Set(
    leaving.filter((entry) => entry.deleted && stored.has(entry.id)).map((entry) => entry.id),
  );
  const doubtful = namedIssueIds(leaving).filter(
    (id) => !search.read.has(id) && !gone.has(id) && (!search.reconciled.has(id) || stored.has(id)),
  );
  const read: JiraIssue[] = [];
  const missing = new Set<string>();
  for (let start = 0; start < doubtful.length; start += RECONCILE_MAX) {
    await searchByIds(jira, context, doubtful.slice(start, start + RECONCILE_MAX), read, missing);
  }
  for (const id of missing) if (stored.has(id)) gone.add(id);
  return { read, gone };
}

/**
 * One `id in (…)` search of the board's filter, reconciled, every page. Jira refuses an `id in`
 * naming an issue that no longer exists (its deletion event was lost): the batch is then halved
 * until the refused id is alone, and that one waits for the daily full pull.
 */
async function searchByIds(
  jira: JiraClient,
  context: BoardContext,
  ids: readonly string[],
  read: JiraIssue[],
  missing: Set<string>,
): Promise<void> {
  const jql = combineJql(context.jql, `id in (${ids.join(", ")})`);
  const found: JiraIssue[] = [];
  try {
    for (let token: string | null = null; ;) {
      const page = await jira.searchIssues(jql, context, token, { reconcile: ids });
      found.push(...page.issues);
      token = page.nextPageToken;
      if (token === null) break;
    }
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    if (ids.length === 1) return;
    const half = Math.ceil(ids.length / 2);
    await searchByIds(jira, context, ids.slice(0, half), read, missing);
    await searchByIds(jira, context, ids.slice(half), read, missing);
    return;
  }
  const ours = new Set(ids);
  const returned = new Set<string>();
  for (const issue of found) {
    if (!ours.has(issue.id) || returned.has(issue.id)) continue;
    returned.add(issue.id);
    read.push(issue);
  }
  for (const id of ids) if (!returned.has(id)) missing.add(id);
}
