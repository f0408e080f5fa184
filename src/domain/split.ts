import type { ItemCategory, Split, Team } from "./types";
import type { Timeline } from "./timeline";

/** A split being summed. */
export interface SplitSum {
  roadmap: number;
  investment: number;
  unclassified: number;
}

export function emptySplit(): SplitSum {
  return { roadmap: 0, investment: 0, unclassified: 0 };
}

export function addTo(split: SplitSum, category: ItemCategory, weight: number): void {
  split[category] += weight;
}

/** SPEC §6: investment / (roadmap + investment), null when that sum is 0. */
export function investmentShareOf(split: Split): number | null {
  const classified = split.roadmap + split.investment;
  return classified === 0 ? null : split.investment / classified;
}

/** SPEC §6: unclassified / (roadmap + investment + unclassified), null when 0. */
export function unclassifiedShareOf(split: Split): number | null {
  const total = split.roadmap + split.investment + split.unclassified;
  return total === 0 ? null : split.unclassified / total;
}

export function totalOf(split: Split): number {
  return split.roadmap + split.investment + split.unclassified;
}

/**
 * SPEC §4: an item's weight at time t. Points: its estimate then, or the team's
 * `unestimatedWeight` when it had none; issues: 1.
 */
export function weightAt(
  timeline: Timeline,
  t: number,
  team: Pick<Team, "unit" | "unestimatedWeight">,
): number {
  if (team.unit === "issues") return 1;
  return timeline.estimateAt(t) ?? team.unestimatedWeight;
}
