import type { SprintReport, TeamReport } from "../domain/index";
import type { CycleUpdate } from "../linear/index";
import { renderCycleUpdate } from "../render/index";

/**
 * The update for the most recently closed cycle only: posting one as each cycle closes gives one
 * per cycle, and a first sync does not flood a project with years of past cycles.
 */
export function latestClosedCycleUpdates(team: TeamReport): CycleUpdate[] {
  const closed = team.sprints.filter((sprint) => sprint.state === "closed");
  const last = closed.at(-1);
  return last === undefined ? [] : [cycleUpdateOf(team, last)];
}

/** Health from the cycle's flags: none on track, a warning at risk, a critical off track. */
export function cycleUpdateOf(team: TeamReport, sprint: SprintReport): CycleUpdate {
  const flags = team.flags.filter(
    (flag) => flag.period.kind === "sprint" && flag.period.id === sprint.id,
  );
  const health = flags.some((flag) => flag.severity === "critical")
    ? "offTrack"
    : flags.some((flag) => flag.severity === "warning")
      ? "atRisk"
      : "onTrack";
  return { cycleId: sprint.id, body: renderCycleUpdate(team, sprint, flags), health };
}
