import type { ParsedWorkspaceFile } from "../workspace/index";
import { boardsOf } from "./workspace-board-source";

/** `/browse/PAY-12`, the path Jira opens an issue at; the server answers it the same way. */
export const BROWSE_PREFIX = "/browse/";

/**
 * Where the server shows an issue: the issue panel page of the board that holds it. Null for a
 * key no board holds.
 */
export function issueViewPath(file: ParsedWorkspaceFile, issueKey: string): string | null {
  const item = (file.items ?? []).find((entry) => entry.id === issueKey);
  const board = item && boardsOf(file).find((entry) => entry.teamId === item.teamId);
  if (!board) return null;
  const query = new URLSearchParams({
    project: board.projectKey ?? item.teamId,
    board: String(board.boardId),
    issue: issueKey,
  });
  return `/pages/issue-panel/?${query.toString()}`;
}
