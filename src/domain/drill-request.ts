/**
 * Which issues a number or a flag stands on: a sprint's or quarter's splits by the reason an item
 * counts in them (SPEC §6: committed, added, removed, delivered, carried over; §6a spent), and for
 * each flag of SPEC §9 the period it belongs to and the measure it judges.
 */
import type { ActualMeasure, Flag, ItemCategory } from "./types";

/** The splits of SPEC §6 and §6a an item can count in, in the order a list shows them. */
export const DRILL_REASONS = [
  "committed",
  "added",
  "removed",
  "delivered",
  "carriedOver",
  "spent",
] as const;
export type DrillReason = (typeof DRILL_REASONS)[number];

/**
 * The issues behind one sprint or quarter, for some of its reasons and one category. A quarter is
 * the team's own, in its timezone; an `org-quarter` is the company's, in UTC (SPEC §7), in which
 * the team's time spent is its part of the company's split.
 */
export interface DrillRequest {
  readonly period: { readonly kind: "sprint" | "quarter" | "org-quarter"; readonly id: string };
  /** Only these reasons; every reason the period has when absent. */
  readonly reasons?: readonly DrillReason[];
  /** Only items of this category (a low-confidence flag asks for the unclassified ones). */
  readonly category?: ItemCategory;
}

/**
 * Which rows a flag is about (SPEC §9): the periods it names and the measure it judges, one request
 * per period. SUSTAINED_EROSION names its run of sprints (its evidence's `sprints`), so it asks for
 * each; SPRINT_SQUEEZED asks for the plan, its changes, the actual and what was carried over.
 * Flags of the team itself (no target, review due) are about the declaration, not about issues:
 * null.
 */
export function drillRequestsOfFlag(
  flag: Flag,
  actual: ActualMeasure,
): readonly DrillRequest[] | null {
  const { kind, id } = flag.period;
  if (kind !== "sprint" && kind !== "quarter") return null;
  const period = { kind, id } as const;
  switch (flag.code) {
    case "SPRINT_COMMITTED_BELOW_TARGET":
      return [{ period, reasons: ["committed"] }];
    case "SPRINT_SQUEEZED":
      return [{ period, reasons: ["committed", "added", "removed", actual, "carriedOver"] }];
    case "SUSTAINED_EROSION": {
      const run = String(flag.evidence.sprints ?? "")
        .split(",")
        .filter((sprint) => sprint !== "");
      const ids = run.includes(id) ? run : [...run, id];
      return ids.map((sprint) => ({ period: { kind: "sprint", id: sprint }, reasons: [actual] }));
    }
    case "LOW_CONFIDENCE": {
      const basis = flag.evidence.basis;
      const reason: DrillReason =
        basis === "committed" || basis === "spent" || basis === "delivered" ? basis : actual;
      return [{ period, reasons: [reason], category: "unclassified" }];
    }
    default:
      return [{ period, reasons: [actual] }];
  }
}
