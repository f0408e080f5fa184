/** The verdict at a glance, as the org page and the dashboard gadget show it. */
import type { ReactNode } from "react";
import type { FlagCounts, TrendPoint, Verdict } from "../../src/app/index";
import { isBelow, type TargetRef } from "../../src/domain/index";
import { describeRequiredShares } from "../../src/render/index";
import { StatusLozenge, type LozengeAppearance } from "./ds";
import { formatShare } from "./ui";
import "./verdict.css";

const WORDS: Readonly<Record<Verdict["status"], string>> = {
  "on-target": "On target",
  "below-target": "Below target",
  "at-risk": "At risk",
  "above-band": "Above band",
  "roadmap-starved": "Roadmap starved",
  "no-target": "No target",
  "no-data": "No data yet",
};

/** Atlassian's lozenge appearances: red for critical, yellow for warning, blue for a note. */
function appearanceOf(verdict: Verdict): LozengeAppearance {
  if (verdict.status === "on-target") return "success";
  switch (verdict.severity) {
    case "critical":
      return "removed";
    case "warning":
      return "moved";
    case "info":
      return "inprogress";
    case null:
      return "default";
  }
}

/** `words`: the status as the project page says it, where the caller has them. */
export function VerdictLozenge({
  verdict,
  words,
}: {
  verdict: Verdict;
  words?: string;
}): ReactNode {
  return (
    <span data-status={verdict.status}>
      <StatusLozenge appearance={appearanceOf(verdict)}>
        {words ?? WORDS[verdict.status]}
      </StatusLozenge>
    </span>
  );
}

/** "27.8% against 30% ± 5%", or the share alone when no target is declared. */
export function describeAgainst(share: number | null, target: TargetRef | null): string {
  const actual = formatShare(share);
  return target
    ? `${actual} against ${formatShare(target.investmentShare)} ± ${formatShare(target.tolerance)}`
    : `${actual}, no target declared`;
}

/** What the rest of the quarter needs, in words (SPEC §7), worded as the project page words it. */
export function describeRequired(quarter: {
  readonly requiredShare: number | null;
  readonly requiredToBand: number | null;
  readonly target: TargetRef | null;
}): string | null {
  const { requiredShare, requiredToBand, target } = quarter;
  if (requiredShare === null || requiredToBand === null || target === null) return null;
  return describeRequiredShares(requiredShare, requiredToBand, target);
}

/** "3.5 days", of a number of days either way of zero. */
export function formatDays(days: number): string {
  return `${Math.abs(days).toFixed(1)} day${Math.abs(days) === 1 ? "" : "s"}`;
}

/** "2 critical, 1 warning, 3 notes", or "none". */
export function describeFlagCounts(counts: FlagCounts): string {
  const parts = [
    counts.critical > 0 ? `${counts.critical} critical` : null,
    counts.warning > 0 ? `${counts.warning} warning${counts.warning === 1 ? "" : "s"}` : null,
    counts.info > 0 ? `${counts.info} note${counts.info === 1 ? "" : "s"}` : null,
  ].filter((part) => part !== null);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/** The last sprints' investment shares as small bars, red below the band, with the numbers as text. */
export function Trend({ points }: { points: readonly TrendPoint[] }): ReactNode {
  if (points.length === 0) return <span className="subtle">no sprints</span>;
  const text = points.map((point) => `${point.name} ${formatShare(point.share)}`).join(", ");
  return (
    <span className="trend" role="img" aria-label={`Last sprints: ${text}`} title={text}>
      {points.map((point) => {
        const below =
          point.share !== null &&
          point.target !== null &&
          isBelow(point.share, point.target.investmentShare - point.target.tolerance);
        return (
          <span
            key={point.id}
            className={`trend-bar${point.share === null ? " trend-bar-none" : below ? " trend-bar-off" : ""}`}
            style={
              point.share === null ? undefined : { height: `${Math.max(1, point.share * 24)}px` }
            }
          />
        );
      })}
    </span>
  );
}
