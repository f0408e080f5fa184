import { computeReport, type Report, type TeamReport, type Workspace } from "../domain/index";

export interface BuildReportOptions {
  readonly now: number;
  /** Only these teams; all when empty or absent. */
  readonly teamIds?: readonly string[];
  /** Only this quarter and the sprints that start in it. */
  readonly quarterId?: string;
}

export class ReportRequestError extends Error {
  override readonly name = "ReportRequestError";
}

/**
 * The report a person asked for: SPEC §10 at `now`, narrowed to some teams and one quarter.
 * Unknown team or quarter ids are errors that list what exists.
 */
export function buildReport(workspace: Workspace, options: BuildReportOptions): Report {
  const teamIds = options.teamIds?.length ? options.teamIds : undefined;
  if (teamIds) {
    const known = new Set(workspace.teams.map((team) => team.id));
    const unknown = teamIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new ReportRequestError(
        `Unknown team ${unknown.map((id) => JSON.stringify(id)).join(", ")}. Teams in this workspace: ${[...known].join(", ") || "none"}.`,
      );
    }
  }
  const report = computeReport(workspace, { now: options.now, teamIds });
  const quarterId = options.quarterId;
  if (quarterId === undefined) return report;
  const available = new Set(report.teams.flatMap((team) => team.quarters.map((q) => q.id)));
  if (!available.has(quarterId)) {
    throw new ReportRequestError(
      `Unknown quarter ${JSON.stringify(quarterId)}. Quarters in this report: ${[...available].join(", ") || "none"}.`,
    );
  }
  return {
    ...report,
    teams: report.teams.map((team) => narrowToQuarter(team, quarterId)),
    org: {
      quarters: report.org.quarters.filter((q) => q.id === quarterId),
      flags: report.org.flags.filter((f) => f.period.id === quarterId),
    },
  };
}

function narrowToQuarter(team: TeamReport, quarterId: string): TeamReport {
  const quarter = team.quarters.find((q) => q.id === quarterId);
  if (!quarter) return { ...team, sprints: [], quarters: [], flags: [] };
  const sprints = team.sprints.filter((s) => s.startAt >= quarter.start && s.startAt < quarter.end);
  const kept = new Set([...sprints.map((s) => `sprint:${s.id}`), `quarter:${quarter.id}`]);
  return {
    ...team,
    sprints,
    quarters: [quarter],
    flags: team.flags.filter(
      (f) => f.period.kind === "team" || kept.has(`${f.period.kind}:${f.period.id}`),
    ),
  };
}
