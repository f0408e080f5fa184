import { AuthError, NotFoundError, type JiraClient } from "../jira/index";
import type { Store } from "../store/index";
import { listKnownBoards, rememberBoard } from "./board-sync";
import type { OrgTeamInput } from "./org-overview";

/**
 * Which of the org page's teams the caller may not see in Jira, asked in one bulk permission check
 * as the caller however many teams there are:
 *
 * - a board's team is shown to the people who may browse its project (Jira's BROWSE_PROJECTS). A
 *   board whose project the app does not know yet is read once as the app and remembered; one it
 *   cannot place is hidden.
 * - a Linear team is shown to the people who may browse the Jira project a Jira administrator
 *   chose for it on the admin page (`projectId`), and with none chosen to Jira administrators
 *   only (the global ADMINISTER permission, asked in the same check).
 */
export async function teamsHiddenFrom(
  teams: readonly Pick<OrgTeamInput, "key" | "source" | "boardId" | "projectId">[],
  ports: { readonly jira: JiraClient; readonly store: Store },
): Promise<Set<string>> {
  const boards = teams.filter((team) => team.source === "board" && team.boardId !== null);
  const linear = teams.filter((team) => team.source === "linear");
  if (boards.length === 0 && linear.length === 0) return new Set();
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
  for (const team of [...boards, ...linear]) {
    if (team.projectId != null) projectOf.set(team.key, team.projectId);
  }
  const adminOnly = linear.filter((team) => team.projectId == null);
  const ids = [...projectOf.values()].filter((id): id is number => id !== null);
  const { browsable, global } =
    ids.length === 0 && adminOnly.length === 0
      ? { browsable: new Set<number>(), global: new Set<string>() }
      : await ports.jira.browsableProjectsAndGlobal(
          ids,
          adminOnly.length === 0 ? [] : ["ADMINISTER"],
        );
  const isAdmin = global.has("ADMINISTER");
  return new Set(
    [...boards, ...linear]
      .filter((team) => {
        if (team.source === "linear" && team.projectId == null) return !isAdmin;
        const projectId = projectOf.get(team.key) ?? null;
        return projectId === null || !browsable.has(projectId);
      })
      .map((team) => team.key),
  );
}
