import type { Flag, Report, Severity, TeamReport } from "./types";

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export interface OpenFlag {
  readonly team: TeamReport;
  readonly periodName: string;
  readonly flag: Flag;
}

/**
 * The periods that are open now, with their names: the team itself, every active sprint, the
 * latest closed sprint and the current quarter, keyed `kind:id`.
 */
export function currentPeriods(team: TeamReport): Map<string, string> {
  const current = new Map<string, string>([[`team:${team.id}`, team.name]]);
  for (const sprint of team.sprints) {
    if (sprint.state === "active") current.set(`sprint:${sprint.id}`, sprint.name);
  }
  const lastClosed = team.sprints.filter((s) => s.state === "closed").at(-1);
  if (lastClosed) current.set(`sprint:${lastClosed.id}`, lastClosed.name);
  const quarter = team.quarters.find((q) => q.state === "current");
  if (quarter) current.set(`quarter:${quarter.id}`, quarter.id);
  return current;
}

/** Flags at or above `minimum` that are open now (see `currentPeriods`). */
export function findOpenFlags(report: Report, minimum: Severity): OpenFlag[] {
  const open: OpenFlag[] = [];
  for (const team of report.teams) {
    const current = currentPeriods(team);
    for (const flag of team.flags) {
      const periodName = current.get(`${flag.period.kind}:${flag.period.id}`);
      if (periodName !== undefined && RANK[flag.severity] >= RANK[minimum]) {
        open.push({ team, periodName, flag });
      }
    }
  }
  return open;
}
