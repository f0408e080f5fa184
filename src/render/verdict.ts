/**
 * A team's verdict in words, from its report: the current quarter's actual share against target
 * with a status, what the rest of the quarter needs (SPEC §7's requiredShare and requiredToBand),
 * and the trend of the last closed sprints. Pure, so every page words a verdict the same way.
 */
import { formatPercent } from "../domain/index";
import type {
  ActualMeasure,
  FlagRef,
  QuarterReport,
  SprintReport,
  TargetRef,
  TeamReport,
} from "../domain/index";

/** How a status reads at a glance; pages map it onto their colours. */
export type Tone = "success" | "warning" | "danger" | "neutral" | "information";

export interface Status {
  readonly tone: Tone;
  readonly label: string;
}

/** How many closed sprints the trend shows. */
export const TREND_SPRINTS = 6;

export interface Verdict {
  readonly quarter: QuarterReport | null;
  readonly measure: ActualMeasure;
  /** The quarter's investment share on the team's actual measure, null without classified work. */
  readonly share: number | null;
  readonly status: Status;
  /** What the rest of the quarter needs, in a sentence; null for a team without a quarter. */
  readonly required: string | null;
  readonly trend: {
    readonly sprints: readonly SprintReport[];
    readonly words: string;
  };
}

const worst = (flags: readonly FlagRef[], codes: readonly string[]): FlagRef | undefined =>
  flags
    .filter((flag) => codes.includes(flag.code))
    .sort((a, b) => (a.severity === "critical" ? -1 : b.severity === "critical" ? 1 : 0))[0];

const band = (target: TargetRef): string =>
  `${formatPercent(target.investmentShare)} ± ${formatPercent(target.tolerance)}`;

/**
 * A quarter's status on `measure`. Flags (SPEC §9) decide warning and danger, so the status never
 * says more or less than `capacity-split check`; inside or outside the band decides the rest.
 */
export function statusOfQuarter(quarter: QuarterReport, measure: ActualMeasure): Status {
  const target = quarter.target;
  if (target === null) return { tone: "neutral", label: "No target" };
  const share = quarter.investmentShare[measure];
  if (share === null) return { tone: "neutral", label: "No classified work yet" };
  const soFar = quarter.state === "current" ? " so far" : "";
  const below = worst(quarter.flags, ["QUARTER_BELOW_TARGET", "QUARTER_AT_RISK"]);
  if (below?.code === "QUARTER_AT_RISK") {
    return below.severity === "critical"
      ? { tone: "danger", label: "Off target" }
      : { tone: "warning", label: "At risk" };
  }
  if (below) {
    return {
      tone: below.severity === "critical" ? "danger" : "warning",
      label: "Below target",
    };
  }
  if (worst(quarter.flags, ["QUARTER_ROADMAP_STARVED"])) {
    return { tone: "warning", label: "Roadmap starved" };
  }
  const { investmentShare: t, tolerance: tol } = target;
  if (share < t - tol) return { tone: "information", label: `Below band${soFar}` };
  if (share > t + tol) return { tone: "information", label: `Above band${soFar}` };
  return { tone: "success", label: `On target${soFar}` };
}

/** SPEC §7's requiredShare and requiredToBand of the current quarter, in a sentence. */
export function describeRequired(quarter: QuarterReport, measure: ActualMeasure): string | null {
  if (quarter.state !== "current") return null;
  const target = quarter.target;
  if (target === null) return "No target is declared, so nothing is required of the rest.";
  const { requiredShare: needed, requiredToBand: toBand } = quarter;
  const work = measure === "spent" ? "time spent" : "delivered work";
  if (needed === null || toBand === null) {
    return `Too early to say what the rest needs: that takes 14 days of the quarter and some classified ${work}.`;
  }
  const lower = formatPercent(target.investmentShare - target.tolerance);
  if (needed <= 0) return "On target whatever the rest of the quarter does.";
  if (needed > 1) {
    return toBand > 1
      ? `The target cannot be met any more: even all investment for the rest would end below ${lower}.`
      : `The target cannot be met any more; the band still can, with ${formatPercent(toBand)} of the rest on investment.`;
  }
  const bandPart =
    toBand <= 0
      ? "; it ends inside the band whatever the rest does"
      : ` (${formatPercent(toBand)} to end inside the band)`;
  return `Needs ${formatPercent(needed)} of the rest of the quarter on investment to end on its ${band(target)} target${bandPart}.`;
}

/** The last closed sprints' shares on `measure`, and which way they went, in words. */
export function describeTrend(
  sprints: readonly SprintReport[],
  measure: ActualMeasure,
): Verdict["trend"] {
  const recent = sprints.filter((sprint) => sprint.state === "closed").slice(-TREND_SPRINTS);
  const shares = recent
    .map((sprint) => sprint.investmentShare[measure])
    .filter((share): share is number => share !== null);
  const first = shares[0];
  const last = shares.at(-1);
  const what = measure === "spent" ? "spent on investment" : "investment delivered";
  let words: string;
  if (first === undefined || last === undefined) {
    words = `No closed sprint with classified work yet.`;
  } else if (shares.length === 1) {
    words = `${formatPercent(last)} ${what} in the one closed sprint.`;
  } else {
    // Within 5 points counts as steady: the demo's and most teams' tolerance.
    const direction =
      Math.abs(last - first) <= 0.05 ? "steady" : last > first ? "rising" : "falling";
    words =
      direction === "steady"
        ? `Steady: ${formatPercent(first)} to ${formatPercent(last)} ${what} over the last ${shares.length} closed sprints.`
        : `${direction === "rising" ? "Rising" : "Falling"}: from ${formatPercent(first)} to ${formatPercent(last)} ${what} over the last ${shares.length} closed sprints.`;
  }
  return { sprints: recent, words };
}

/** The verdict of a team's report: its current quarter (the last one listed) on its measure. */
export function verdictOf(team: TeamReport): Verdict {
  const measure = team.actual;
  const quarter = team.quarters.at(-1) ?? null;
  return {
    quarter,
    measure,
    share: quarter ? quarter.investmentShare[measure] : null,
    status: quarter ? statusOfQuarter(quarter, measure) : { tone: "neutral", label: "No data" },
    required: quarter ? describeRequired(quarter, measure) : null,
    trend: describeTrend(team.sprints, measure),
  };
}
