import { formatPercent, withUnit } from "./percent";
import type {
  ActualMeasure,
  Flag,
  FlagCode,
  Severity,
  Split,
  Target,
  TargetRef,
  Unit,
} from "./types";

/** SPEC §9: unclassified share above which a period's numbers are low-confidence. */
export const LOW_CONFIDENCE_SHARE = 0.2;
/**
 * Shares and thresholds are sums and ratios of floating-point numbers: 0.2 − 0.05 is
 * 0.15000000000000002, so a share of exactly 3/20 would count as "below" it. Comparisons allow
 * this much noise, far below any difference a person could mean.
 */
const EPSILON = 1e-9;
/** `value` is below `threshold` by more than floating-point noise; every surface compares so. */
export const isBelow = (value: number, threshold: number): boolean => value < threshold - EPSILON;
/** `value` is above `threshold` by more than floating-point noise. */
export const isAbove = (value: number, threshold: number): boolean => value > threshold + EPSILON;

/** SPEC §9: sustained erosion is this many consecutive closed sprints below the band. */
export const EROSION_RUN = 3;

export interface SprintFlagInput {
  readonly id: string;
  readonly name: string;
  readonly state: "future" | "active" | "closed";
  readonly target: TargetRef | null;
  readonly committed: Split;
  readonly committedShare: number | null;
  readonly committedUnclassifiedShare: number | null;
  /** The team's actual measure (SPEC §9) and the sprint's split on it (null: none yet). */
  readonly measure: ActualMeasure;
  readonly actual: Split | null;
  readonly actualShare: number | null;
  readonly actualUnclassifiedShare: number | null;
}

export interface QuarterFlagInput {
  readonly kind: "quarter" | "org-quarter";
  readonly id: string;
  readonly state: "closed" | "current";
  readonly target: TargetRef | null;
  readonly measure: ActualMeasure;
  readonly share: number | null;
  readonly unclassifiedShare: number | null;
  readonly requiredToBand: number | null;
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
 * SPEC §9, one sprint, on the team's actual measure: committed/actual below target, squeezed,
 * investment zeroed, sustained erosion (with `previousClosed`: the closed sprints before it by
 * startAt, oldest first), roadmap starved, and low confidence. Without a target only
 * `LOW_CONFIDENCE` can fire.
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
  const measure = sprint.measure;
  const shareKey = `${measure}Share`;

  if (target) {
    const { investmentShare: t, tolerance: tol } = target;
    const committed = sprint.committedShare;
    const actual = sprint.actualShare;
    if (sprint.state !== "future" && committed !== null && isBelow(committed, t - tol)) {
      push(
        "SPRINT_COMMITTED_BELOW_TARGET",
        isBelow(committed, t - 2 * tol) ? "critical" : "warning",
        `${sprint.name} committed ${pct(committed)} investment, below its ${band(target)} target.`,
        { committedShare: committed, targetShare: t, tolerance: tol },
      );
    }
    if (closed && actual !== null && isBelow(actual, t - tol)) {
      push(
        "SPRINT_BELOW_TARGET",
        isBelow(actual, t - 2 * tol) ? "critical" : "warning",
        `${sprint.name} ${measured(measure, actual)}, below its ${band(target)} target.`,
        { [shareKey]: actual, measure, targetShare: t, tolerance: tol },
      );
    }
    if (closed && actual !== null && committed !== null && isBelow(actual, committed - tol)) {
      push(
        "SPRINT_SQUEEZED",
        "warning",
        `${sprint.name} committed ${pct(committed)} investment but ${measured(measure, actual)}, more than the ${pct(tol)} tolerance below its plan.`,
        { committedShare: committed, [shareKey]: actual, measure, tolerance: tol },
      );
    }
    const split = sprint.actual;
    if (closed && split && split.roadmap > 0 && split.investment === 0 && t > 0) {
      const amount =
        measure === "spent"
          ? withUnit(split.roadmap, num(split.roadmap), "days")
          : withUnit(split.roadmap, num(split.roadmap), unit);
      push(
        "INVESTMENT_ZEROED",
        "critical",
        measure === "spent"
          ? `${sprint.name} spent ${amount} on roadmap work and none on investment against a ${pct(t)} target.`
          : `${sprint.name} delivered ${amount} of roadmap work and no investment against a ${pct(t)} target.`,
        { roadmap: split.roadmap, investment: 0, measure, targetShare: t },
      );
    }
    const run = [...previousClosed.slice(-(EROSION_RUN - 1)), sprint];
    if (closed && run.length === EROSION_RUN && run.every(isBelowBand)) {
      const shares = run.map((s) => s.actualShare ?? 0);
      const verb =
        measure === "spent" ? "spent less time on investment than" : "delivered investment below";
      push(
        "SUSTAINED_EROSION",
        "critical",
        `${run.map((s) => s.name).join(", ")} all ${verb} target: ${listPct(shares)} against ${run
          .map((s) => band(s.target))
          .filter(unique)
          .join(", ")}.`,
        {
          sprints: run.map((s) => s.id).join(","),
          [`${measure}Shares`]: shares.join(","),
          measure,
          targetShare: t,
          tolerance: tol,
        },
      );
    }
    if (closed && actual !== null && isAbove(actual, t + 2 * tol)) {
      push(
        "ROADMAP_STARVED",
        "warning",
        `${sprint.name} ${measured(measure, actual)}, above ${pct(t + 2 * tol)} (its ${band(target)} target plus twice the tolerance), starving the roadmap.`,
        { [shareKey]: actual, measure, targetShare: t, tolerance: tol },
      );
    }
  }

  const actualAnything = sprint.actualUnclassifiedShare !== null;
  const basis = actualAnything ? measure : "committed";
  const unclassified = actualAnything
    ? sprint.actualUnclassifiedShare
    : sprint.committedUnclassifiedShare;
  if (unclassified !== null && isAbove(unclassified, LOW_CONFIDENCE_SHARE)) {
    push(
      "LOW_CONFIDENCE",
      "info",
      `${pct(unclassified)} of the ${basis === "spent" ? "time spent" : `work ${basis}`} in ${sprint.name} is unclassified, so its split is uncertain.`,
      { unclassifiedShare: unclassified, basis, threshold: LOW_CONFIDENCE_SHARE },
    );
  }
  return flags;
}

/**
 * SPEC §9, one quarter (a team's, or the org's on spent): below target and roadmap starved
 * (closed), at risk on requiredToBand (current), low confidence.
 */
export function detectQuarterFlags(quarter: QuarterFlagInput): Flag[] {
  const flags: Flag[] = [];
  const period = { kind: quarter.kind, id: quarter.id } as const;
  const name = quarter.kind === "org-quarter" ? `The org's ${quarter.id}` : quarter.id;
  const { target, measure, share } = quarter;
  const shareKey = `${measure}Share`;
  const closed = quarter.state === "closed";
  if (target) {
    const { investmentShare: t, tolerance: tol } = target;
    if (closed && share !== null && isBelow(share, t - tol)) {
      flags.push({
        code: "QUARTER_BELOW_TARGET",
        severity: isBelow(share, t - 2 * tol) ? "critical" : "warning",
        period,
        message: `${name} ${measured(measure, share)}, below its ${band(target)} target.`,
        evidence: { [shareKey]: share, measure, targetShare: t, tolerance: tol },
      });
    }
    if (closed && share !== null && isAbove(share, t + 2 * tol)) {
      flags.push({
        code: "QUARTER_ROADMAP_STARVED",
        severity: "warning",
        period,
        message: `${name} ${measured(measure, share)}, above ${pct(t + 2 * tol)} (its ${band(target)} target plus twice the tolerance), starving the roadmap.`,
        evidence: { [shareKey]: share, measure, targetShare: t, tolerance: tol },
      });
    }
    const required = quarter.requiredToBand;
    if (quarter.state === "current" && required !== null && isAbove(required, t + tol)) {
      const lost = isAbove(required, 1);
      const soFar = `${measured(measure, share)} so far`;
      flags.push({
        code: "QUARTER_AT_RISK",
        severity: lost ? "critical" : "warning",
        period,
        message: lost
          ? `${name} can no longer end inside its ${band(target)} target: the rest of the quarter would need ${pct(required)} investment (${soFar}).`
          : `To end ${name} inside its ${band(target)} target, the rest of the quarter needs ${pct(required)} investment, above the top of the band (${soFar}).`,
        evidence: {
          requiredToBand: required,
          [shareKey]: share,
          measure,
          targetShare: t,
          tolerance: tol,
        },
      });
    }
  }
  const unclassified = quarter.unclassifiedShare;
  if (unclassified !== null && isAbove(unclassified, LOW_CONFIDENCE_SHARE)) {
    flags.push({
      code: "LOW_CONFIDENCE",
      severity: "info",
      period,
      message: `${pct(unclassified)} of the ${measure === "spent" ? "time spent" : "work delivered"} in ${name} is unclassified, so its split is uncertain.`,
      evidence: {
        unclassifiedShare: unclassified,
        basis: measure,
        threshold: LOW_CONFIDENCE_SHARE,
      },
    });
  }
  return flags;
}

/** "delivered 0% investment", "spent 12% of its time on investment" (SPEC §9). */
function measured(measure: ActualMeasure, share: number | null): string {
  return measure === "spent"
    ? `spent ${pct(share)} of its time on investment`
    : `delivered ${pct(share)} investment`;
}

function isBelowBand(sprint: SprintFlagInput): boolean {
  const target = sprint.target;
  const share = sprint.actualShare;
  return (
    sprint.state === "closed" &&
    target !== null &&
    share !== null &&
    isBelow(share, target.investmentShare - target.tolerance)
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
