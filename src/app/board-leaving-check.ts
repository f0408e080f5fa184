import {
  BadRequestError,
  type BoardContext,
  combineJql,
  type JiraClient,
  type JiraIssue,
} from "../jira/index";
import type { LeavingEntry } from "./board-leaving";

/** Issue ids a search's `id in (…)` names at most, keeping the JQL well inside Jira's length. */
const LEAVING_CHECK_BATCH = 500;

/**
 * Which of the board's issues that events named have left it: the deleted ones, and those the
 * refresh did not read that the board's filter no longer matches (moved to another project, or
 * edited out of the filter). One search of ids only over the ones in doubt, which costs a point
 * plus one per issue still on the board; none when every named issue was read as changed.
 */
export async function leftTheBoard(
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
