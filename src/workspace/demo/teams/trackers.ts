import type { CalendarDate } from "../calendar";
import type { TeamProfile } from "../types";

type Defaulted = "unit" | "debtType" | "largestInvestment";

/** What sets a team apart; its tracker decides the rest. */
type TeamSpec = Omit<TeamProfile, "source" | "style" | "cadence" | Defaulted> &
  Partial<Pick<TeamProfile, Defaulted>> & {
    readonly cadence: {
      readonly anchor: CalendarDate;
      readonly firstNumber: number;
      readonly days?: 7 | 14;
    };
  };

const DEFAULTS: Pick<TeamProfile, Defaulted> = {
  unit: "points",
  debtType: null,
  largestInvestment: 8,
};

/**
 * A Jira board: two-week sprints that start at 10:00 local time, estimated in points, classified
 * by the default rules of SPEC §3 unless it has rules of its own.
 */
export function jiraBoard(spec: TeamSpec): TeamProfile {
  return {
    ...DEFAULTS,
    ...spec,
    source: "jira",
    style: spec.rules === undefined ? "jira-default" : "jira-rules",
    cadence: { days: 14, hour: 10, ...spec.cadence },
  };
}

/** A Linear team: cycles (two weeks unless it says otherwise) that start at local midnight. */
export function linearTeam(spec: TeamSpec): TeamProfile {
  return {
    ...DEFAULTS,
    ...spec,
    source: "linear",
    style: "linear",
    cadence: { days: 14, hour: 0, ...spec.cadence },
  };
}
