import { AuthError, NotFoundError, type JiraClient } from "../jira/index";
import type { Store } from "../store/index";
import { listKnownBoards, rememberBoard } from "./board-sync";
import type { OrgTeamInput } from "./org-overview";

/**
 * Which of the org page's teams the caller may not see in Jira: a board's team is shown to the
 * people who may browse its project (Jira's BROWSE_PROJECTS), asked in one bulk check as the
 * caller however many boards there are. A board whose project the app does not know yet is read
 * once as the app and remembered; one it cannot place is hidden. Linear teams are the company's
 * choice on the admin page, not Jira's, and are shown to everyone who sees the page.
 */
export async function teamsHiddenFrom(
  teams: readonly Pick<OrgTeamInput, "key" | "source" | "boardId" | "projectId">[],
  ports: { readonly jira: JiraClient; readonly store: Store },
): Promise<Set<string>> {
  const boards = teams.filter((team) => team.source === "board" && team.boardId !== null);
  if (boards.length === 0) return new Set();
  const projectOf = new Map<string, number | null>();
  const unplaced = boards.filter((team) => team.projectId == null);
  const known = unplaced.length === 0 ? [] : await listKnownBoards(ports.store);
  await Promise.all(
    unplaced.map(async (team) => {
      const boardId = team.boardId ?? 0;
      // A board gone, or not the app's to read, has no project to check: it stays hidden.
      const board = await ports.jira.getBoard(boardId).catch((error: unknown) => {
        if (error instanceof NotFoundError || error instanceof AuthError) return null;
        throw error;
      });
      const projectId = board?.location?.projectId ?? null;
      projectOf.set(team.key, projectId);
      const remembered = known.find((entry) => entry.boardId === boardId);
      if (remembered && projectId !== null) {
        await rememberBoard(ports.store, { ...remembered, projectId });
      }
    }),
  );
  for (const team of boards) {
    if (team.projectId != null) projectOf.set(team.key, team.projectId);
  }
  const ids = [...projectOf.values()].filter((id): id is number => id !== null);
  const browsable = ids.length === 0 ? new Set<number>() : await ports.jira.browsableProjects(ids);
  return new Set(
    boards
      .filter((team) => {
        const projectId = projectOf.get(team.key) ?? null;
        return projectId === null || !browsable.has(projectId);
      })
      .map((team) => team.key),
  );
}
