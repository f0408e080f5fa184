import type { Report, Target } from "../domain/index";
import type { JiraClient } from "../jira/index";
import { decodeKeyPart, storeKeys, type Store } from "../store/index";
import { readBoardSyncState } from "./board-refresh";
import type { BoardSource } from "./board-source";
import { listKnownBoards, readStoredPeriods } from "./board-sync";
import { buildReport } from "./build-report";
import { readStoredLinearTeams } from "./org-linear-teams";
import { teamsHiddenFrom } from "./org-visibility";
import { orgTeamKey, type OrgOverviewInput, type OrgTeamInput } from "./org-overview";
import { listOrgTargets, orgAsWorkspaceTargets } from "./targets";

/**
 * Where the org page's teams come from: Jira boards as the Forge app keeps them in its storage
 * (a report per board, computed by the board sync), or every board of a source that computes on
 * request (the self-hosted server's workspace).
 */

/**
 * Every Jira board the app keeps: the ones synced with their last report's periods (one storage
 * read a board, so fifty boards answer well inside a resolver's 25 s), and the ones whose first
 * read is running with its progress; then the Linear teams its Linear sync keeps. Nothing is
 * pulled or computed here.
 */
export async function readStoredOrgTeams(store: Store): Promise<OrgTeamInput[]> {
  const known = await listKnownBoards(store);
  const synced = await Promise.all(
    known.map(async (board): Promise<OrgTeamInput> => {
      const stored = await readStoredPeriods(store, board.boardId);
      return {
        key: orgTeamKey({ source: "board", boardId: board.boardId }),
        source: "board",
        boardId: board.boardId,
        projectKey: board.projectKey,
        projectId: board.projectId ?? null,
        name: stored?.report.teams[0]?.name ?? `Board ${board.boardId}`,
        state: stored ?? (await syncingOf(store, board.boardId)),
      };
    }),
  );
  const seen = new Set(known.map((board) => board.boardId));
  const pulling: OrgTeamInput[] = [];
  // A board in its first read is not remembered yet: its sync state says how far it got.
  for (const { key } of await store.listByPrefix(storeKeys.boardSyncPrefix())) {
    const boardId = Number(decodeKeyPart(key.slice(storeKeys.boardSyncPrefix().length)));
    if (!Number.isSafeInteger(boardId) || boardId <= 0 || seen.has(boardId)) continue;
    seen.add(boardId);
    pulling.push({
      key: orgTeamKey({ source: "board", boardId }),
      source: "board",
      boardId,
      projectKey: null,
      name: `Board ${boardId}`,
      state: await syncingOf(store, boardId),
    });
  }
  // Linear teams the app's Linear sync keeps, after the boards.
  return [...synced, ...pulling, ...(await readStoredLinearTeams(store))];
}

async function syncingOf(store: Store, boardId: number): Promise<OrgTeamInput["state"]> {
  const state = await readBoardSyncState(store, boardId);
  return { syncing: { done: state?.done ?? 0, total: state?.total ?? null } };
}

/** Every board of `source`, each with the report the project page shows for it. */
export async function computeSourceOrgTeams(
  source: BoardSource,
  now: number,
): Promise<OrgTeamInput[]> {
  const loaded = (await source.loadAllWorkspaces?.()) ?? [];
  const teams: OrgTeamInput[] = [];
  for (const { board, workspace } of loaded) {
    const report = buildReport(workspace, { now });
    teams.push({
      key: orgTeamKey({ source: "board", boardId: board.boardId }),
      source: "board",
      boardId: board.boardId,
      projectKey: board.projectKey,
      name: board.name,
      state: { report, computedAt: report.now },
    });
  }
  return teams;
}

/** The org target's declarations from the store, as the domain reads targets (SPEC §8). */
export async function readOrgTargets(store: Store): Promise<Target[]> {
  const { entries } = await listOrgTargets(store);
  return orgAsWorkspaceTargets(entries).map((target) => ({ ...target, teamId: null }));
}

/**
 * The org's fiscal year (SPEC §7): the one most of the teams' reports use, read from their
 * current org quarter (its start month and number); calendar quarters when no team has one.
 */
export function orgFiscalYearStart(teams: readonly OrgTeamInput[]): number {
  const votes = new Map<number, number>();
  for (const team of teams) {
    if (!("report" in team.state)) continue;
    const month = fiscalStartOf(team.state.report);
    if (month !== null) votes.set(month, (votes.get(month) ?? 0) + 1);
  }
  let best = 1;
  let most = 0;
  for (const [month, count] of [...votes].sort((a, b) => a[0] - b[0])) {
    if (count > most) [best, most] = [month, count];
  }
  return best;
}

/** The fiscal year's first month behind a report's org quarters: quarter N starts 3(N − 1) months in. */
function fiscalStartOf(report: Report): number | null {
  const quarter = report.org.quarters.at(-1);
  const number = quarter && /Q([1-4])$/.exec(quarter.id)?.[1];
  if (!quarter || number === undefined) return null;
  const month = new Date(quarter.start).getUTCMonth();
  return ((month - 3 * (Number(number) - 1) + 12) % 12) + 1;
}

/**
 * Everything the org overview needs, from the host's ports. Inside Jira (`jira` without `boards`)
 * the teams whose boards the caller may not browse are marked hidden, in one bulk check.
 */
export async function loadOrgInput(ports: {
  readonly store: Store;
  readonly boards?: BoardSource;
  readonly jira?: JiraClient;
  readonly now: () => number;
}): Promise<OrgOverviewInput> {
  const now = ports.now();
  const [teams, orgTargets] = await Promise.all([
    ports.boards ? computeSourceOrgTeams(ports.boards, now) : readStoredOrgTeams(ports.store),
    readOrgTargets(ports.store),
  ]);
  const hidden =
    ports.boards === undefined && ports.jira !== undefined
      ? await teamsHiddenFrom(teams, { jira: ports.jira, store: ports.store })
      : new Set<string>();
  return { now, fiscalYearStartMonth: orgFiscalYearStart(teams), orgTargets, teams, hidden };
}
