import { formatPercent } from "./percent";
import type { Flag, FlagCode, Severity, Split, Target, TargetRef, Unit } from "./types";

/** SPEC §9: unclassified share above which a period's numbers are low-confidence. */
export const LOW_CONFIDENCE_SHARE = 0.2;
/**
 * Shares and thresholds are sums and ratios of floating-point numbers: 0.2 − 0.05 is
 * 0.15000000000000002, so a share of exactly 3/20 would count as "below" it. Comparisons allow
 * this much noise, far below any difference a person could mean.
 */
const EPSILON = 1e-9;
const below = (value: number, threshold: number): boolean => value < threshold - EPSILON;
const above = (value: number, threshold: number): boolean => value > threshold + EPSILON;

/** SPEC §9: sustained erosion is this many consecutive closed sprints below the band. */
export const EROSION_RUN = 3;

export interface SprintFlagInput {
  readonly id: string;
  readonly name: string;
  readonly state: "future" | "active" | "closed";
  readonly target: TargetRef | null;
  readonly committed: Split;
  readonly delivered: Split;
  readonly committedShare: number | null;
  readonly deliveredShare: number | null;
  readonly committedUnclassifiedShare: number | null;
  readonly deliveredUnclassifiedShare: number | null;
}

export interface QuarterFlagInput {
  readonly id: string;
  readonly state: "closed" | "current";
  readonly target: TargetRef | null;
  readonly deliveredShare: number | null;
  readonly unclassifiedShare: number | null;
  readonly requiredShare: number | null;
}

/**
 * SPEC §9, team level: `NO_TARGET` when no target is in force for the current quarter,
 * `TARGET_REVIEW_DUE` when the latest declaration is dated before the current quarter's first day.
 */
export function detectTeamFlags(
  team: { readonly id: string; readonly name: string },
  currentQuarter: {
    readonly id: string;
    readonly firstDay: string;
    readonly target: TargetRef | null;
  },
  latest: Target | null,
): Flag[] {
  const period = { kind: "team", id: team.id } as const;
  if (currentQuarter.target === null) {
    return [
      {
        code: "NO_TARGET",
        severity: "warning",
        period,
        message: `${team.name} has no investment target declared for ${currentQuarter.id}, so its split cannot be checked.`,
        evidence: { quarter: currentQuarter.id },
      },
    ];
  }
  if (latest !== null && latest.effectiveFrom < currentQuarter.firstDay) {
    return [
      {
        code: "TARGET_REVIEW_DUE",
        severity: "info",
        period,
        message: `The latest target for ${team.name} (${band(latest)}, effective ${latest.effectiveFrom}) predates ${currentQuarter.id}; confirm or change it.`,
        evidence: {
          quarter: currentQuarter.id,
          effectiveFrom: latest.effectiveFrom,
          targetShare: latest.investmentShare,
          tolerance: latest.tolerance,
        },
      },
    ];
  }
  return [];
}

/**
 * SPEC §9, one sprint: committed/delivered below target, squeezed, investment zeroed, sustained
 * erosion (with `previousClosed`: the closed sprints before it by startAt, oldest first), roadmap
 * starved, and low confidence. Without a target only `LOW_CONFIDENCE` can fire.
 */
export function detectSprintFlags(
  sprint: SprintFlagInput,
  previousClosed: readonly SprintFlagInput[],
  unit: Unit,
): Flag[] {
  const flags: Flag[] = [];
  const period = { kind: "sprint", id: sprint.id } as const;
  const push = (code: FlagCode, severity: Severity, message: string, evidence: Flag["evidence"]) =>
    flags.push({ code, severity, period, message, evidence });
  const target = sprint.target;
  const closed = sprint.state === "closed";

  if (target) {
    const { investmentShare: t, tolerance: tol } = target;
    const committed = sprint.committedShare;
    const delivered = sprint.deliveredShare;
    if (sprint.state !== "future" && committed !== null && below(committed, t - tol)) {
      push(
        "SPRINT_COMMITTED_BELOW_TARGET",
        below(committed, t - 2 * tol) ? "critical" : "warning",
        `${sprint.name} committed ${pct(committed)} investment, below its ${band(target)} target.`,
        { committedShare: committed, targetShare: t, tolerance: tol },
      );
    }
    if (closed && delivered !== null && below(delivered, t - tol)) {
      push(
        "SPRINT_DELIVERED_BELOW_TARGET",
        below(delivered, t - 2 * tol) ? "critical" : "warning",
        `${sprint.name} delivered ${pct(delivered)} investment, below its ${band(target)} target.`,
        { deliveredShare: delivered, targetShare: t, tolerance: tol },
      );
    }
    if (closed && delivered !== null && committed !== null && below(delivered, committed - tol)) {
      push(
        "SPRINT_SQUEEZED",
        "warning",
        `${sprint.name} committed ${pct(committed)} investment but delivered ${pct(delivered)}, more than the ${pct(tol)} tolerance below its plan.`,
        { committedShare: committed, deliveredShare: delivered, tolerance: tol },
      );
    }
    if (closed && sprint.delivered.roadmap > 0 && sprint.delivered.investment === 0 && t > 0) {
      push(
        "INVESTMENT_ZEROED",
        "critical",
        `${sprint.name} delivered ${num(sprint.delivered.roadmap)} ${unit} of roadmap work and no investment against a ${pct(t)} target.`,
        { roadmap: sprint.delivered.roadmap, investment: 0, targetShare: t },
      );
    }
    const run = [...previousClosed.slice(-(EROSION_RUN - 1)), sprint];
    if (closed && run.length === EROSION_RUN && run.every(isDeliveredBelowBand)) {
      const shares = run.map((s) => s.deliveredShare ?? 0);
      push(
        "SUSTAINED_EROSION",
        "critical",
        `${run.map((s) => s.name).join(", ")} all delivered investment below target: ${listPct(shares)} against ${run
          .map((s) => band(s.target))
          .filter(unique)
          .join(", ")}.`,
        {
          sprints: run.map((s) => s.id).join(","),
          deliveredShares: shares.join(","),
          targetShare: t,
          tolerance: tol,
        },
      );
    }
    if (closed && delivered !== null && above(delivered, t + 2 * tol)) {
      push(
        "ROADMAP_STARVED",
        "warning",
        `${sprint.name} delivered ${pct(delivered)} investment, above ${pct(t + 2 * tol)} (its ${band(target)} target plus twice the tolerance), starving the roadmap.`,
        { deliveredShare: delivered, targetShare: t, tolerance: tol },
      );
    }
  }

  const deliveredAnything = sprint.deliveredUnclassifiedShare !== null;
  const basis = deliveredAnything ? "delivered" : "committed";
  const unclassified = deliveredAnything
    ? sprint.deliveredUnclassifiedShare
    : sprint.committedUnclassifiedShare;
  if (unclassified !== null && above(unclassified, LOW_CONFIDENCE_SHARE)) {
    push(
      "LOW_CONFIDENCE",
      "info",
      `${pct(unclassified)} of the work ${basis} in ${sprint.name} is unclassified, so its split is uncertain.`,
      { unclassifiedShare: unclassified, basis, threshold: LOW_CONFIDENCE_SHARE },
    );
  }
  return flags;
}

/** SPEC §9, one quarter: below target (closed), at risk (current), low confidence. */
export function detectQuarterFlags(quarter: QuarterFlagInput): Flag[] {
  const flags: Flag[] = [];
  const period = { kind: "quarter", id: quarter.id } as const;
  const target = quarter.target;
  if (target) {
    const { investmentShare: t, tolerance: tol } = target;
    const share = quarter.deliveredShare;
    if (quarter.state === "closed" && share !== null && below(share, t - tol)) {
      flags.push({
        code: "QUARTER_BELOW_TARGET",
        severity: below(share, t - 2 * tol) ? "critical" : "warning",
        period,
        message: `${quarter.id} delivered ${pct(share)} investment, below its ${band(target)} target.`,
        evidence: { deliveredShare: share, targetShare: t, tolerance: tol },
      });
    }
    const required = quarter.requiredShare;
    if (quarter.state === "current" && required !== null && above(required, t + tol)) {
      const lost = above(required, 1);
      flags.push({
        code: "QUARTER_AT_RISK",
        severity: lost ? "critical" : "warning",
        period,
        message: lost
          ? `${quarter.id} can no longer reach its ${pct(t)} target: the rest of the quarter would need ${pct(required)} investment (${pct(share)} so far).`
          : `To end ${quarter.id} on its ${pct(t)} target, the rest of the quarter needs ${pct(required)} investment (${pct(share)} so far).`,
        evidence: {
          requiredShare: required,
          deliveredShare: share,
          targetShare: t,
          tolerance: tol,
        },
      });
    }
  }
  const unclassified = quarter.unclassifiedShare;
  if (unclassified !== null && above(unclassified, LOW_CONFIDENCE_SHARE)) {
    flags.push({
      code: "LOW_CONFIDENCE",
      severity: "info",
      period,
      message: `${pct(unclassified)} of the work delivered in ${quarter.id} is unclassified, so its split is uncertain.`,
      evidence: {
        unclassifiedShare: unclassified,
        basis: "delivered",
        threshold: LOW_CONFIDENCE_SHARE,
      },
    });
  }
  return flags;
}

function isDeliveredBelowBand(sprint: SprintFlagInput): boolean {
  const target = sprint.target;
  const share = sprint.deliveredShare;
  return (
    sprint.state === "closed" &&
    target !== null &&
    share !== null &&
    below(share, target.investmentShare - target.tolerance)
  );
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}

const pct = formatPercent;

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function listPct(shares: readonly number[]): string {
  const parts = shares.map(pct);
  return parts.length <= 1
    ? parts.join("")
    : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1] ?? ""}`;
}

function band(target: TargetRef | null): string {
  return target === null ? "no" : `${pct(target.investmentShare)} ± ${pct(target.tolerance)}`;
}
