import type { Target } from "./types";

/**
 * SPEC §8: the target for a period whose first and last local dates are given (`YYYY-MM-DD`). The
 * latest entry with `effectiveFrom ≤ firstDay`; where none is in force then, the earliest one dated
 * within the period (up to `lastDay`). Among entries with the same date the later entry wins.
 * `targets` are one team's entries in declaration order; null when none applies.
 */
export function resolveTarget<T extends Target>(
  targets: readonly T[],
  firstDay: string,
  lastDay: string,
): T | null {
  let inForce: T | null = null;
  let within: T | null = null;
  for (const target of targets) {
    const date = target.effectiveFrom;
    if (date <= firstDay) {
      if (inForce === null || date >= inForce.effectiveFrom) inForce = target;
    } else if (date <= lastDay) {
      if (within === null || date <= within.effectiveFrom) within = target;
    }
  }
  return inForce ?? within;
}

/** The team's latest declaration: the greatest `effectiveFrom`, the later entry on ties. */
export function latestTarget(targets: readonly Target[]): Target | null {
  let latest: Target | null = null;
  for (const target of targets) {
    if (latest === null || target.effectiveFrom >= latest.effectiveFrom) latest = target;
  }
  return latest;
}
