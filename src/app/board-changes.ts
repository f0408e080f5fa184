import {
  type BoardContext,
  type ChangeHistory,
  CHANGELOG_BATCH_SIZE,
  combineJql,
  type JiraClient,
  type JiraIssue,
  changelogFieldIds,
  fieldIdsByName,
  RECONCILE_MAX,
} from "../jira/index";
import { shardOf, type BoardData } from "./board-data";
import type { LeavingEntry } from "./board-leaving";
import { namedIssueIds, settleNamedIssues } from "./board-leaving-check";
import { readSprints } from "./board-pull";
import type { SyncPorts } from "./board-sync";

/**
 * A refresh of what changed: the issues Jira says changed since the last sync began
 * (`updated >= "-Nm"`, a period relative to Jira's own clock, so neither the user's timezone nor
 * minute precision can skip a change; a few minutes of overlap cover clock skew), the change
 * history of those issues only, and the issues events named that left the board. Jira's search
 * lags writes by seconds to minutes, so the issues named since the last sync (events, the app's
 * own label edits) go with it as `reconcileIssues`, the 50 newest in the search itself and the
 * rest by id (`board-leaving-check.ts`): a change that queued this refresh is never missed.
 */

/** Minutes added to the window of a refresh: Jira's clock and ours may differ a little. */
export const OVERLAP_MINUTES = 2;

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
export async function refreshChangedIssues(
  ports: Pick<SyncPorts, "jira" | "now">,
  data: BoardData,
  leaving: readonly LeavingEntry[],
): Promise<{ data: BoardData; changed: number; left: number; shards: Set<number> }> {
  const { jira } = ports;
  const { head } = data;
  const startedAt = ports.now();
  const minutes = (startedAt - Date.parse(head.syncedAt)) / 60_000 + OVERLAP_MINUTES;
  const jql = changedSinceJql(head.context.jql, minutes);
  const reconcile = namedIssueIds(leaving).slice(0, RECONCILE_MAX);
  const [found, sprints] = await Promise.all([
    searchAll(jira, jql, head.context, reconcile),
    readSprints(jira, head.boardId),
  ]);
  const settled = await settleNamedIssues(jira, head.context, leaving, data.issues, {
    read: new Set(found.map((issue) => issue.id)),
    reconciled: new Set(reconcile),
  });
  const changed = [...found, ...settled.read];
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
  for (const id of settled.gone) {
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

async function searchAll(
  jira: JiraClient,
  jql: string,
  ids: BoardContext,
  reconcile: readonly string[],
): Promise<JiraIssue[]> {
  const issues: JiraIssue[] = [];
  for (let token: string | null = null; ;) {
    const page = await jira.searchIssues(jql, ids, token, { reconcile });
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
