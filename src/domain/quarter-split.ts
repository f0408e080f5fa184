import { nextQuarter, quarterOf, type QuarterBounds } from "./quarter-calendar";
import { addTo, emptySplit, weightAt, type SplitSum } from "./split";
import type { Timeline } from "./timeline";
import type { ItemCategory, QuarterState, Split, TargetRef, Team } from "./types";

export const DAY_MS = 86_400_000;
/** SPEC §7: requiredShare needs at least this much of the quarter behind it. */
export const REQUIRED_SHARE_MIN_ELAPSED_MS = 14 * DAY_MS;

export interface QuarterSplit {
  readonly bounds: QuarterBounds;
  readonly state: QuarterState;
  readonly delivered: SplitSum;
}

/**
 * SPEC §7: the team's quarters, from the one holding its earliest sprint start or item completion up
 * to the one holding `now`, each with the weight delivered in [start, end), weight at completion.
 */
export function computeQuarterSplits(
  team: Pick<Team, "unit" | "unestimatedWeight" | "timezone">,
  fiscalYearStartMonth: number,
  now: number,
  sprintStarts: readonly number[],
  delivered: readonly { readonly timeline: Timeline; readonly category: ItemCategory }[],
): QuarterSplit[] {
  const zone = team.timezone;
  let earliest = now;
  for (const start of sprintStarts) earliest = Math.min(earliest, start);
  for (const { timeline } of delivered) {
    if (timeline.completion !== null) earliest = Math.min(earliest, timeline.completion);
  }

  const quarters: QuarterSplit[] = [];
  const current = quarterOf(now, zone, fiscalYearStartMonth);
  for (let q = quarterOf(earliest, zone, fiscalYearStartMonth); ;) {
    quarters.push({
      bounds: q,
      state: q.end <= now ? "closed" : "current",
      delivered: emptySplit(),
    });
    if (q.start >= current.start) break;
    q = nextQuarter(q, zone, fiscalYearStartMonth);
  }

  const starts = quarters.map((q) => q.bounds.start);
  for (const { timeline, category } of delivered) {
    const c = timeline.completion;
    if (c === null) continue;
    const index = lastIndexAtOrBefore(starts, c);
    const quarter = index < 0 ? undefined : quarters[index];
    if (!quarter || c >= quarter.bounds.end) continue;
    addTo(quarter.delivered, category, weightAt(timeline, c, team));
  }
  return quarters;
}

/** The index of the last value ≤ t in an ascending list, −1 when there is none. */
export function lastIndexAtOrBefore(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * SPEC §7: requiredShare (to end on target t) and requiredToBand (to end inside the band, at
 * t − tol) of a quarter, from its split on the team's actual measure; both null unless the quarter
 * is current and has a target.
 */
export function computeRequired(
  actual: Split,
  target: TargetRef | null,
  bounds: { readonly start: number; readonly end: number },
  state: QuarterState,
  now: number,
): { requiredShare: number | null; requiredToBand: number | null } {
  if (state !== "current" || target === null) return { requiredShare: null, requiredToBand: null };
  const { investmentShare: t, tolerance: tol } = target;
  return {
    requiredShare: computeRequiredShare(actual, t, bounds.start, bounds.end, now),
    requiredToBand: computeRequiredShare(actual, t - tol, bounds.start, bounds.end, now),
  };
}

/**
 * SPEC §7: the investment share the rest of the current quarter needs to end on target t:
 * with D = roadmap + investment delivered, I = investment delivered, elapsed E and remaining Rd,
 * R = D × Rd / E and requiredShare = (t × (D + R) − I) / R. Null before 14 days have elapsed or
 * when nothing classified was delivered (or spent, on that measure).
 */
export function computeRequiredShare(
  delivered: Split,
  targetShare: number,
  start: number,
  end: number,
  now: number,
): number | null {
  const elapsed = now - start;
  const remaining = end - now;
  const d = delivered.roadmap + delivered.investment;
  if (elapsed < REQUIRED_SHARE_MIN_ELAPSED_MS || d <= 0 || remaining <= 0) return null;
  const r = (d * remaining) / elapsed;
  return (targetShare * (d + r) - delivered.investment) / r;
}
