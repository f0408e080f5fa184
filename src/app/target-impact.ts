import {
  localDate,
  resolveTarget,
  sprintStateAt,
  type Report,
  type Target,
  type TargetRef,
  type Workspace,
} from "../domain/index";

/** A closed period a proposed target would judge instead of the target it has now. */
export interface RejudgedPeriod {
  readonly kind: "sprint" | "quarter";
  readonly id: string;
  readonly name: string;
  /** The target it is judged against now; null when none applies. */
  readonly before: TargetRef | null;
}

/**
 * The closed sprints and quarters whose target (SPEC §8) would become `proposed` if it were
 * declared now, as the last entry: a back-dated target re-judges these, and only these. Dates are
 * the team's local ones, as the report resolves them. Periods whose target keeps its numbers are
 * left out, since nothing about them would change.
 */
export function findRejudgedPeriods(
  workspace: Workspace,
  report: Report,
  proposed: Pick<Target, "investmentShare" | "tolerance" | "effectiveFrom">,
  now: number,
): RejudgedPeriod[] {
  const team = workspace.teams[0];
  if (!team) return [];
  const zone = team.timezone;
  const existing = workspace.targets.filter((target) => target.teamId === team.id);
  const added: Target = { ...proposed, teamId: team.id, setBy: "", reason: "" };
  const withAdded = [...existing, added];
  const changed = (firstDay: string, lastDay: string): TargetRef | null | false => {
    const after = resolveTarget(withAdded, firstDay, lastDay);
    if (after !== added) return false;
    const before = resolveTarget(existing, firstDay, lastDay);
    if (
      before !== null &&
      before.investmentShare === added.investmentShare &&
      before.tolerance === added.tolerance
    ) {
      return false;
    }
    return before && { investmentShare: before.investmentShare, tolerance: before.tolerance };
  };
  const periods: RejudgedPeriod[] = [];
  const sprints = [...workspace.sprints]
    .filter((sprint) => sprint.teamId === team.id && sprintStateAt(sprint, now) === "closed")
    .sort((a, b) => a.startAt - b.startAt);
  for (const sprint of sprints) {
    const before = changed(localDate(sprint.startAt, zone), localDate(sprint.endAt, zone));
    if (before !== false)
      periods.push({ kind: "sprint", id: sprint.id, name: sprint.name, before });
  }
  for (const quarter of report.teams[0]?.quarters ?? []) {
    if (quarter.state !== "closed") continue;
    const firstDay = localDate(Date.parse(quarter.start), zone);
    const lastDay = localDate(Date.parse(quarter.end) - 1, zone);
    const before = changed(firstDay, lastDay);
    if (before !== false)
      periods.push({ kind: "quarter", id: quarter.id, name: quarter.id, before });
  }
  return periods;
}
