/**
 * A team's verdict in words, from its report: the headline (what to take away first), the current
 * quarter's actual share against target with a status, what the rest of the quarter needs (SPEC
 * §7's requiredShare and requiredToBand), and the trend of the last closed sprints. Pure, so every
 * page words a verdict the same way.
 */
import { currentPeriods, formatPercent, isAbove, isBelow } from "../domain/index";
import type {
  ActualMeasure,
  Flag,
  FlagRef,
  QuarterReport,
  Severity,
  SprintReport,
  TargetRef,
  TeamReport,
} from "../domain/index";

/** How a status reads at a glance; pages map it onto their colours. */
export type Tone = "success" | "warning" | "danger" | "neutral" | "information";

export interface Status {
  readonly tone: Tone;
  readonly label: string;
  /** Why a status outside the band raises no flag, when it does not. */
  readonly why?: string;
}

/** How many closed sprints the trend shows. */
export const TREND_SPRINTS = 6;

export interface Verdict {
  /** The one sentence to read first: the worst flag open now, else the quarter against target. */
  readonly headline: Status;
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

/** A verdict at a glance: what the lozenge says and how bad it is. */
export type VerdictStatus =
  | "on-target"
  | "below-target"
  | "at-risk"
  | "above-band"
  | "roadmap-starved"
  | "no-target"
  | "no-data";

export interface Judgement {
  readonly status: VerdictStatus;
  /** null when nothing is wrong (on target) or nothing can be said yet (no data). */
  readonly severity: Severity | null;
}

/**
 * The verdict on a current quarter: against the band first (SPEC §9's thresholds: below t − tol a
 * warning, below t − 2·tol critical; above t + 2·tol the roadmap is starved), then whether the
 * rest of the quarter can still land in the band (`QUARTER_AT_RISK`).
 */
export function judge(
  share: number | null,
  target: TargetRef | null,
  flags: readonly { readonly code: string; readonly severity: Severity }[],
): Judgement {
  if (target === null) return { status: "no-target", severity: "warning" };
  if (share === null) return { status: "no-data", severity: null };
  const { investmentShare: t, tolerance: tol } = target;
  if (isBelow(share, t - tol)) {
    return {
      status: "below-target",
      severity: isBelow(share, t - 2 * tol) ? "critical" : "warning",
    };
  }
  if (isAbove(share, t + 2 * tol)) return { status: "roadmap-starved", severity: "warning" };
  const risk = flags.find((flag) => flag.code === "QUARTER_AT_RISK");
  if (risk) return { status: "at-risk", severity: risk.severity };
  if (isAbove(share, t + tol)) return { status: "above-band", severity: "info" };
  return { status: "on-target", severity: null };
}

/**
 * A quarter's status on `measure`. A closed quarter's flags (SPEC §9) decide warning and danger,
 * so it never says more or less than `capacity-split check`; inside or outside the band decides the
 * rest. A current quarter is judged as the company page judges it ({@link judge}): SPEC §9's
 * thresholds on the share so far, then whether the rest can still land in the band.
 */
export function statusOfQuarter(quarter: QuarterReport, measure: ActualMeasure): Status {
  const target = quarter.target;
  if (target === null) return { tone: "neutral", label: "No target" };
  const share = quarter.investmentShare[measure];
  if (share === null) return { tone: "neutral", label: "No classified work yet" };
  const { investmentShare: t, tolerance: tol } = target;
  // SPEC §9 flags a share above the band only past t + 2·tol: between the two, say so.
  const unflaggedAbove =
    isAbove(share, t + tol) && !isAbove(share, t + 2 * tol)
      ? `Above ${formatPercent(t + tol)} but not flagged: a roadmap counts as starved only above ${formatPercent(t + 2 * tol)}, twice the tolerance over the target.`
      : undefined;
  if (quarter.state === "current") {
    const status = currentStatus(judge(share, target, quarter.flags));
    return unflaggedAbove && status.label === "Above band so far"
      ? { ...status, why: unflaggedAbove }
      : status;
  }
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
  if (isBelow(share, t - tol)) return { tone: "information", label: "Below band" };
  if (unflaggedAbove) return { tone: "neutral", label: "Above band, no flag", why: unflaggedAbove };
  return { tone: "success", label: "On target" };
}

/**
 * The notes (info flags) of a quarter in words, for its card: "Low confidence: 36.8% of the work
 * delivered is unclassified."
 */
export function quarterNotes(quarter: QuarterReport, measure: ActualMeasure): string[] {
  const what = measure === "spent" ? "of the time spent" : "of the work delivered";
  // LOW_CONFIDENCE is the one note SPEC §9 raises on a quarter.
  return quarter.flags.some((flag) => flag.code === "LOW_CONFIDENCE")
    ? [
        `Low confidence: ${formatPercent(quarter.unclassifiedShare[measure])} ${what} is unclassified.`,
      ]
    : [];
}

/** A current quarter's status as the company page judges it, so both pages say the same. */
export function currentStatus({ status, severity }: Judgement): Status {
  const tone: Tone =
    severity === "critical" ? "danger" : severity === "warning" ? "warning" : "information";
  switch (status) {
    case "below-target":
      return { tone, label: "Below target so far" };
    case "roadmap-starved":
      return { tone, label: "Roadmap starved so far" };
    case "at-risk":
      return { tone, label: severity === "critical" ? "Off target" : "At risk" };
    case "above-band":
      return { tone, label: "Above band so far" };
    case "on-target":
      return { tone: "success", label: "On target so far" };
    case "no-target":
      return { tone: "neutral", label: "No target" };
    case "no-data":
      return { tone: "neutral", label: "No classified work yet" };
  }
}

/** SPEC §7's requiredShare and requiredToBand of the current quarter, in a sentence. */
export function describeRequired(quarter: QuarterReport, measure: ActualMeasure): string | null {
  if (quarter.state !== "current") return null;
  const target = quarter.target;
  if (target === null) return "No target is declared, so nothing is required of the rest.";
  const work = measure === "spent" ? "time spent" : "delivered work";
  if (quarter.requiredShare === null || quarter.requiredToBand === null) {
    return `Too early to say what the rest needs: that takes 14 days of the quarter and some classified ${work}.`;
  }
  return describeRequiredShares(quarter.requiredShare, quarter.requiredToBand, target);
}

/**
 * What the rest of a quarter needs, from SPEC §7's requiredShare (to end on t) and requiredToBand
 * (to end on t − tol). Both are (x × (D + R) − I) / R for x = t and t − tol, so the share needed to
 * end on the band's upper edge t + tol is 2 × requiredShare − requiredToBand, and (when tol > 0)
 * R / (D + R) = tol / (requiredShare − requiredToBand), which gives where the quarter ends with no
 * more investment (t − requiredShare × R / (D + R)) or with nothing else (that plus R / (D + R)).
 * The quarter is called settled only when both edges hold whatever the rest does. One wording for
 * every surface: the project page, the company page and the gadget.
 */
export function describeRequiredShares(
  requiredShare: number,
  requiredToBand: number,
  target: TargetRef,
): string {
  const { investmentShare: t, tolerance: tol } = target;
  const needed = requiredShare;
  const toLower = requiredToBand;
  const toUpper = 2 * needed - toLower;
  const rest = tol > 0 && needed > toLower ? tol / (needed - toLower) : null;
  const endsWithNone = rest === null ? null : t - needed * rest;
  const endsWithAll = endsWithNone === null || rest === null ? null : endsWithNone + rest;
  const lower = formatPercent(t - tol);
  const upper = formatPercent(t + tol);
  if (toLower <= 0 && toUpper >= 1) {
    return `Settled: it ends inside the ${band(target)} band whatever the rest of the quarter does.`;
  }
  if (toUpper < 0) {
    const at = endsWithNone === null ? "" : `at ${formatPercent(endsWithNone)}, `;
    return `Cannot end inside the band any more: even 0% investment for the rest of the quarter ends ${at}above the band's upper edge of ${upper}.`;
  }
  if (toLower > 1) {
    const at = endsWithAll === null ? "" : `at ${formatPercent(endsWithAll)}, `;
    return `Cannot end inside the band any more: even all investment for the rest of the quarter ends ${at}below the band's lower edge of ${lower}.`;
  }
  if (toLower <= 0) {
    const onT = needed > 0 ? ` (${formatPercent(needed)} to end on target)` : "";
    return `Stays at or above the band's lower edge of ${lower} whatever the rest of the quarter does; to end inside the band the rest must be at most ${formatPercent(toUpper)} investment${onT}.`;
  }
  const inBand =
    toUpper < 1
      ? `between ${formatPercent(toLower)} and ${formatPercent(toUpper)} to end inside the band`
      : `at least ${formatPercent(toLower)} to end inside the band`;
  if (needed > 1) {
    return `The ${formatPercent(t)} target cannot be met any more; the band still can, with ${inBand.replace(" to end inside the band", "")} of the rest of the quarter on investment.`;
  }
  return `Needs ${formatPercent(needed)} of the rest of the quarter on investment to end on its ${band(target)} target (${inBand}).`;
}

/**
 * Why a current quarter below its band carries no flag yet (SPEC §9: `QUARTER_AT_RISK` fires only
 * once the rest of the quarter would need more than the band's upper edge to end inside the band),
 * or null when its share is not below the band or it is already flagged at risk.
 */
export function describeUnflaggedBelow(quarter: {
  readonly investmentShare: number | null;
  readonly requiredToBand: number | null;
  readonly target: TargetRef | null;
}): string | null {
  const { investmentShare: share, requiredToBand: needed, target } = quarter;
  if (share === null || needed === null || target === null) return null;
  const { investmentShare: t, tolerance: tol } = target;
  if (!isBelow(share, t - tol) || isAbove(needed, t + tol)) return null;
  return `No flag yet: ending inside the band needs ${formatPercent(needed)} investment for the rest of the quarter, which is still possible; the quarter is flagged at risk only once that passes the band's upper edge of ${formatPercent(t + tol)}.`;
}

/**
 * The last closed sprints' shares on `measure` in words: what the numbers are (one value in each,
 * or their range), which way they went from the first to the last, and where they sat against
 * each sprint's target band.
 */
export function describeTrend(
  sprints: readonly SprintReport[],
  measure: ActualMeasure,
): Verdict["trend"] {
  const recent = sprints.filter((sprint) => sprint.state === "closed").slice(-TREND_SPRINTS);
  const judged = recent.flatMap((sprint) => {
    const share = sprint.investmentShare[measure];
    return share === null ? [] : [{ share, target: sprint.target }];
  });
  const shares = judged.map(({ share }) => share);
  const first = shares[0];
  const last = shares.at(-1);
  const what = measure === "spent" ? "spent on investment" : "investment delivered";
  if (first === undefined || last === undefined) {
    return { sprints: recent, words: "No closed sprint with classified work yet." };
  }
  const against = positionAgainstBand(judged);
  if (shares.length === 1) {
    return {
      sprints: recent,
      words: `${formatPercent(last)} ${what} in the one closed sprint; ${against}.`,
    };
  }
  const count = `the last ${shares.length} closed sprints`;
  const low = Math.min(...shares);
  const high = Math.max(...shares);
  if (formatPercent(low) === formatPercent(high)) {
    return {
      sprints: recent,
      words: `${formatPercent(low)} ${what} in each of ${count}; ${against}.`,
    };
  }
  // Within 5 points from the first to the last counts as level: the demo's and most teams' tolerance.
  const way =
    Math.abs(last - first) <= 0.05
      ? `about level from the first (${formatPercent(first)}) to the last (${formatPercent(last)})`
      : `${last > first ? "rising" : "falling"} from ${formatPercent(first)} in the first to ${formatPercent(last)} in the last`;
  return {
    sprints: recent,
    words: `Between ${formatPercent(low)} and ${formatPercent(high)} ${what} over ${count}, ${way}; ${against}.`,
  };
}

/** "all 6 below the 30% ± 5% band", "4 inside their target's band, 2 below it". */
function positionAgainstBand(
  judged: readonly { readonly share: number; readonly target: TargetRef | null }[],
): string {
  const counts = { below: 0, inside: 0, above: 0, none: 0 };
  for (const { share, target } of judged) {
    if (target === null) counts.none += 1;
    else if (isBelow(share, target.investmentShare - target.tolerance)) counts.below += 1;
    else if (isAbove(share, target.investmentShare + target.tolerance)) counts.above += 1;
    else counts.inside += 1;
  }
  const bands = new Set(judged.flatMap(({ target }) => (target ? [band(target)] : [])));
  const [only] = bands;
  const theBand =
    bands.size === 1 && only !== undefined ? `the ${only} band` : "their target's band";
  // The band is named once; later parts say "it".
  let named = false;
  const parts = (["below", "inside", "above", "none"] as const)
    .filter((key) => counts[key] > 0)
    .map((key) => {
      if (key === "none") return { n: counts[key], words: "without a declared target" };
      const where = named ? "it" : theBand;
      named = true;
      return { n: counts[key], words: `${key} ${where}` };
    });
  const [single] = parts;
  if (parts.length === 1 && single) {
    return judged.length === 1 ? single.words : `all ${single.n} ${single.words}`;
  }
  return parts.map(({ n, words }) => `${n} ${words}`).join(", ");
}

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;
const SEVERITY_TONE = { critical: "danger", warning: "warning", info: "information" } as const;

/** Within a severity, the flag about the widest stretch of time tells the most. */
function breadthOf(flag: Flag): number {
  if (flag.period.kind === "quarter" || flag.period.kind === "org-quarter") return 0;
  if (flag.period.kind === "team") return 1;
  return flag.code === "SUSTAINED_EROSION" ? 2 : 3;
}

/**
 * The flag a team's page leads with: of the flags open now (the periods `capacity-split check`
 * counts), the most severe; among equals the one about the widest stretch of time, then the first
 * the report lists.
 */
export function leadingFlag(team: TeamReport): Flag | null {
  const open = currentPeriods(team);
  const ranked = team.flags
    .map((flag, index) => ({ flag, index }))
    .filter(({ flag }) => open.has(`${flag.period.kind}:${flag.period.id}`))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.flag.severity] - SEVERITY_RANK[b.flag.severity] ||
        breadthOf(a.flag) - breadthOf(b.flag) ||
        a.index - b.index,
    );
  return ranked[0]?.flag ?? null;
}

/**
 * Without an open flag, the quarter against its target on the team's measure; when the other
 * measure would be flagged, that too, since a reader of points alone would judge otherwise
 * (SPEC §6a).
 */
function describeQuarter(quarter: QuarterReport, measure: ActualMeasure, status: Status): string {
  const target = quarter.target;
  const share = quarter.investmentShare[measure];
  const what = measure === "spent" ? "of the time spent" : "of the work delivered";
  if (target === null || share === null) return `${status.label} for ${quarter.id}.`;
  const first = `${status.label}: ${formatPercent(share)} ${what} in ${quarter.id} went to investment, against its ${band(target)} target.`;
  const other: ActualMeasure = measure === "spent" ? "delivered" : "spent";
  const otherShare = quarter.investmentShare[other];
  if (otherShare === null) return first;
  const { investmentShare: t, tolerance: tol } = target;
  // Where the other measure would raise a flag (SPEC §9: below the band, or starved above t + 2·tol).
  const where = isBelow(otherShare, t - tol)
    ? "below the band"
    : isAbove(otherShare, t + 2 * tol)
      ? "above the band by more than its tolerance"
      : null;
  if (where === null) return first;
  const otherWords = other === "spent" ? "time spent" : "delivered work";
  return `${first} On ${otherWords} alone it would read ${formatPercent(otherShare)}, ${where}.`;
}

function headlineOf(
  team: TeamReport,
  quarter: QuarterReport | null,
  measure: ActualMeasure,
  status: Status,
): Status {
  const flag = leadingFlag(team);
  if (flag) return { tone: SEVERITY_TONE[flag.severity], label: flag.message };
  if (!quarter) return { tone: "neutral", label: "No quarter to judge yet." };
  return { tone: status.tone, label: describeQuarter(quarter, measure, status) };
}

/** The verdict of a team's report: its current quarter (the last one listed) on its measure. */
export function verdictOf(team: TeamReport): Verdict {
  const measure = team.actual;
  const quarter = team.quarters.at(-1) ?? null;
  const status: Status = quarter
    ? statusOfQuarter(quarter, measure)
    : { tone: "neutral", label: "No data" };
  return {
    headline: headlineOf(team, quarter, measure, status),
    quarter,
    measure,
    share: quarter ? quarter.investmentShare[measure] : null,
    status,
    required: quarter ? describeRequired(quarter, measure) : null,
    trend: describeTrend(team.sprints, measure),
  };
}
