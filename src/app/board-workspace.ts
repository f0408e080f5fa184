import type { Workspace } from "../domain/types";
import type { BoardContext, JiraClient } from "../jira/client";
import { toWorkspaceFile } from "../jira/workspace-file";
import type { Store } from "../store/store";
import { parseWorkspace } from "../workspace/load-workspace";
import { AppError } from "./app-error";
import { asWorkspaceTargets, listTargets } from "./targets";
import { getTeamSettings } from "./team-settings";

/**
 * A Jira board as a workspace: the board pulled from Jira, the team's settings and the target
 * history from the store. The team id is the board id (see `src/jira/map-board.ts`).
 */
export async function loadBoardWorkspace(
  jira: JiraClient,
  store: Store,
  boardId: number,
  options: { readonly history?: boolean } = {},
): Promise<{ workspace: Workspace; projectKey: string | null; context: BoardContext }> {
  const teamId = String(boardId);
  const settings = await getTeamSettings(store, teamId);
  const pulled = await jira.pullBoard(boardId, {
    timezone: settings.timezone,
    labels: settings.labels,
    rules: settings.rules,
    unestimatedWeight: settings.unestimatedWeight,
    ...(options.history === undefined ? {} : { history: options.history }),
  });
  const { entries } = await listTargets(store, teamId);
  const team = settings.unit ? { ...pulled.team, unit: settings.unit } : pulled.team;
  const file = toWorkspaceFile([{ ...pulled, team }], {
    settings: { fiscalYearStartMonth: settings.fiscalYearStartMonth ?? 1 },
    targets: asWorkspaceTargets(entries, teamId),
  });
  const parsed = parseWorkspace(file);
  if (!parsed.ok) {
    throw new AppError(
      "UPSTREAM",
      `Board ${boardId} could not be turned into a workspace: ${parsed.problems.slice(0, 3).join("; ")}`,
    );
  }
  return {
    workspace: parsed.workspace,
    projectKey: pulled.context.board.projectKey,
    context: pulled.context,
  };
}
