import type { Item, Workspace } from "../domain/index";
import {
  type BoardContext,
  compareKeys,
  type JiraClient,
  type MappedBoard,
  type TeamOptions,
  toWorkspaceFile,
} from "../jira/index";
import type { Store } from "../store/index";
import { parseWorkspace } from "../workspace/index";
import { AppError } from "./app-error";
import { asWorkspaceTargets, listOrgTargets, listTargets, orgAsWorkspaceTargets } from "./targets";
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
  const settings = await getTeamSettings(store, String(boardId));
  const pulled = await jira.pullBoard(boardId, {
    ...teamOptionsOf(settings),
    ...(options.history === undefined ? {} : { history: options.history }),
  });
  return {
    workspace: await boardAsWorkspace(store, boardId, pulled),
    projectKey: pulled.context.board.projectKey,
    context: pulled.context,
  };
}

/** What the team's stored settings decide about mapping its board. */
export function teamOptionsOf(settings: Awaited<ReturnType<typeof getTeamSettings>>): TeamOptions {
  return {
    timezone: settings.timezone,
    labels: settings.labels,
    rules: settings.rules,
    unestimatedWeight: settings.unestimatedWeight,
  };
}

/**
 * A mapped board with the team's unit, actual measure, fiscal year, and its and the org's target
 * histories from the store. `kept` are items of the board mapped and validated before, which
 * join the items of `mapped` as they are (a refresh maps only what changed).
 */
export async function boardAsWorkspace(
  store: Store,
  boardId: number,
  mapped: MappedBoard,
  kept: readonly Item[] = [],
): Promise<Workspace> {
  const teamId = String(boardId);
  const [settings, { entries }, org] = await Promise.all([
    getTeamSettings(store, teamId),
    listTargets(store, teamId),
    listOrgTargets(store),
  ]);
  const team = {
    ...mapped.team,
    ...(settings.unit ? { unit: settings.unit } : {}),
    ...(settings.actual ? { actual: settings.actual } : {}),
  };
  const file = toWorkspaceFile([{ ...mapped, team }], {
    settings: { fiscalYearStartMonth: settings.fiscalYearStartMonth ?? 1 },
    targets: [...asWorkspaceTargets(entries, teamId), ...orgAsWorkspaceTargets(org.entries)],
  });
  const fresh = new Set(mapped.items.map((item) => item.id));
  const others = kept.filter((item) => !fresh.has(item.id));
  const parsed = parseWorkspace(
    file,
    others.length > 0 ? { otherItemIds: new Set(others.map((item) => item.id)) } : {},
  );
  if (!parsed.ok) {
    throw new AppError(
      "UPSTREAM",
      `Board ${boardId} could not be turned into a workspace: ${parsed.problems.slice(0, 3).join("; ")}`,
    );
  }
  if (others.length === 0) return parsed.workspace;
  return {
    ...parsed.workspace,
    items: [...others, ...parsed.workspace.items].sort((a, b) => compareKeys(a.id, b.id)),
  };
}

/** An item of its current fields only, as classification and the triage list read it. */
export function currentItem(
  fields: Omit<Item, "createdAt" | "completedAt" | "history" | "assignee">,
): Item {
  // Not read by classification or the triage list; neutral values.
  return { ...fields, createdAt: 0, completedAt: null, history: [] };
}
