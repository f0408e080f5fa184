import { buildCalendar, formatDate, type Quarter } from "./calendar";
import { CTO } from "./people";
import type { Declaration, TargetFile, TargetStep, TeamProfile } from "./types";

/**
 * The company target (SPEC §2, `teamId: null`): the split the CTO and CPO agreed for the whole
 * company at the current quarter's planning, above what the company has spent on investment since
 * Payments' launch crunch and Mobile's undeclared quarters pulled it down, so the company page has
 * a gap to show and the teams that hold the company below it.
 */
export const COMPANY_TARGET = { investmentShare: 0.45, tolerance: 0.05 } as const;

/** What a team declares at the start of quarter `index` (0 = the oldest of the six), if anything. */
function declarationAt(
  steps: readonly TargetStep[],
  index: number,
  quarter: Quarter,
): Declaration | null {
  const step = steps.findLast((candidate) => candidate.from <= index);
  if (step === undefined) return null;
  const { investmentShare, tolerance } = step;
  if (step.from === index) {
    const reason = typeof step.reason === "function" ? step.reason(quarter) : step.reason;
    return { investmentShare, tolerance, setBy: step.setBy, reason: reason ?? quarter.planning };
  }
  if (step.confirmedBy === null) return null;
  return { investmentShare, tolerance, setBy: step.confirmedBy, reason: "Quarterly confirmation" };
}

/** Every team's declarations over the six quarters ending at `now`'s, in date order. */
export function declareTargets(profiles: readonly TeamProfile[], now: number): TargetFile[] {
  const calendars = profiles.map((profile) => buildCalendar(profile.timezone, now));
  const targets: TargetFile[] = [];
  for (let index = 0; index < 6; index++) {
    profiles.forEach((profile, teamIndex) => {
      const quarter = calendars[teamIndex]?.quarters[index];
      const declaration =
        quarter === undefined ? null : declarationAt(profile.targets, index, quarter);
      if (quarter === undefined || declaration === null) return;
      targets.push({
        teamId: profile.id,
        ...declaration,
        effectiveFrom: formatDate(quarter.firstDay),
      });
    });
  }
  // Org quarters are UTC calendar quarters (SPEC §7): the target takes effect on the first day of
  // the one holding `now`.
  const today = new Date(now);
  targets.push({
    teamId: null,
    ...COMPANY_TARGET,
    setBy: CTO,
    reason: "Company split agreed by the CTO and CPO",
    effectiveFrom: formatDate({
      year: today.getUTCFullYear(),
      month: Math.floor(today.getUTCMonth() / 3) * 3 + 1,
      day: 1,
    }),
  });
  // In declaration order, which is date order: teams in zones east of UTC may already be a
  // quarter ahead of the others.
  return targets.sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0,
  );
}
