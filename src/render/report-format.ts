/**
 * Wording and selection shared by the renderers, so the table, markdown, CSV and HTML say the
 * same thing about the same report.
 */

import {
  type ActualMeasure,
  currentPeriods,
  type Flag,
  type FlagRef,
  formatPercent,
  type ItemReport,
  type OrgQuarterReport,
  type OrgReport,
  type Period,
  type QuarterReport,
  type Severity,
  type Split,
  type SprintReport,
  type TargetRef,
  type TeamReport,
} from "../domain/index";
import { cleanText } from "./plain-text";

export const NULL_TEXT = "—";

/** How many unclassified item ids a review document lists before summarising the rest. */
export const TRIAGE_LIMIT = 50;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, critical: 3 };

/** Every format prints shares as the flags' messages do (see `formatPercent`). */
export const formatShare = formatPercent;

export function formatTarget(target: TargetRef | null): string {
  if (target === null) return "no target";
  return `${formatPercent(target.investmentShare)} ± ${formatPercent(target.tolerance)}`;
}

/** `target 30% ± 5%`, or `no target`. */
export function describeTarget(target: TargetRef | null): string {
  return target === null ? "no target" : `target ${formatTarget(target)}`;
}

/** Weights are summed points, possibly fractional; two decimals is finer than any estimate. */
export function formatWeight(weight: number): string {
  return String(Math.round(weight * 100) / 100 + 0);
}

export function formatSplit(split: Split): string {
  return [split.roadmap, split.investment, split.unclassified].map(formatWeight).join(" / ");
}

/** A spent split (SPEC §6a) in person-days; future sprints have none. */
export function formatSpent(split: Split | undefined): string {
  return split === undefined ? NULL_TEXT : formatSplit(split);
}

/** `delivered` or `spent`, marked `*` when it is the measure the team's flags judge (SPEC §9). */
export function measureHeading(
  name: "Delivered" | "Spent",
  actual: ActualMeasure,
  mark = "*",
): string {
  return actual === name.toLowerCase() ? `${name}${mark}` : name;
}

/** How a review format writes the two kinds of cell that are not plain numbers. */
export interface CellFormat {
  /** Tracker text (a sprint's name, a quarter's id) as literal text in the format. */
  readonly text: (text: string) => string;
  /** A period's flags, worst first. */
  readonly flags: (flags: readonly FlagRef[]) => string;
}

/** One column of a review table, in the markdown and HTML reports alike. */
export interface Column<T> {
  readonly heading: string;
  /** Right-aligned. */
  readonly numeric: boolean;
  readonly cell: (row: T, format: CellFormat) => string;
}

function column<T>(
  heading: string,
  numeric: boolean,
  cell: (row: T, format: CellFormat) => string,
): Column<T> {
  return { heading, numeric, cell };
}

/** The columns of a sprint table. */
export const SPRINT_COLUMNS: readonly Column<SprintReport>[] = [
  column("Sprint", false, (sprint, format) => format.text(sprint.name)),
  column("State", false, (sprint) => sprint.state),
  column("Committed R / I / U", true, (sprint) => formatSplit(sprint.committed)),
  column("Delivered R / I / U", true, (sprint) =>
    sprint.state === "future" ? NULL_TEXT : formatSplit(sprint.delivered),
  ),
  column("Spent R / I / U", true, (sprint) => formatSpent(sprint.spent)),
  column(
    "Investment share committed → delivered",
    true,
    (sprint) =>
      `${formatShare(sprint.investmentShare.committed)} → ${formatShare(sprint.investmentShare.delivered)}`,
  ),
  column("Spent share", true, (sprint) => formatShare(sprint.investmentShare.spent)),
  column("Target", false, (sprint) => formatTarget(sprint.target)),
  column("Flags", false, (sprint, format) => format.flags(sprint.flags)),
];

/** The columns of a team's quarter table; the required share is on the team's actual measure. */
export function quarterColumns(actual: ActualMeasure): readonly Column<QuarterReport>[] {
  return [
    column("Quarter", false, (quarter, format) => format.text(quarter.id)),
    column("State", false, (quarter) => quarter.state),
    column("Delivered R / I / U", true, (quarter) => formatSplit(quarter.delivered)),
    column("Spent R / I / U", true, (quarter) => formatSplit(quarter.spent)),
    column(
      "Investment share delivered / spent",
      true,
      (quarter) =>
        `${formatShare(quarter.investmentShare.delivered)} / ${formatShare(quarter.investmentShare.spent)}`,
    ),
    column(
      "Unclassified share delivered / spent",
      true,
      (quarter) =>
        `${formatShare(quarter.unclassifiedShare.delivered)} / ${formatShare(quarter.unclassifiedShare.spent)}`,
    ),
    column("Target", false, (quarter) => formatTarget(quarter.target)),
    column(`Required share (${actual})`, true, (quarter) => formatShare(quarter.requiredShare)),
    column("Flags", false, (quarter, format) => format.flags(quarter.flags)),
  ];
}

/** The columns of the org's quarter table (SPEC §7: spent only). */
export const ORG_QUARTER_COLUMNS: readonly Column<OrgQuarterReport>[] = [
  column("Quarter", false, (quarter, format) => format.text(quarter.id)),
  column("State", false, (quarter) => quarter.state),
  column("Spent R / I / U", true, (quarter) => formatSplit(quarter.spent)),
  column("Investment share", true, (quarter) => formatShare(quarter.investmentShare)),
  column("Unclassified share", true, (quarter) => formatShare(quarter.unclassifiedShare)),
  column("Target", false, (quarter) => formatTarget(quarter.target)),
  column("Required share", true, (quarter) => formatShare(quarter.requiredShare)),
  column("Flags", false, (quarter, format) => format.flags(quarter.flags)),
];

/** One sentence on what the two measures are and which one the flags judge. */
export function describeMeasures(actual: ActualMeasure): string {
  return actual === "spent"
    ? "flags judge spent effort (person-days of work in progress)"
    : "flags judge delivered weight";
}

/** `2026-11-24T00:00:00.000Z` → `2026-11-24 00:00 UTC`; anything else is shown as given. */
export function formatInstant(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match === null ? iso : `${match[1] ?? ""} ${match[2] ?? ""} UTC`;
}

export function worstSeverity(flags: readonly FlagRef[]): Severity | null {
  let worst: Severity | null = null;
  for (const flag of flags) {
    if (worst === null || SEVERITY_RANK[flag.severity] > SEVERITY_RANK[worst])
      worst = flag.severity;
  }
  return worst;
}

/** Most severe first; equal severities keep the report's order. */
export function sortBySeverity<T extends FlagRef>(flags: readonly T[]): T[] {
  return [...flags].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

/**
 * A team's flags split into those open now (see `currentPeriods`) and those on earlier periods,
 * each worst first: every format leads with what needs attention now.
 */
export function splitOpenFlags(team: TeamReport): {
  readonly open: readonly Flag[];
  readonly earlier: readonly Flag[];
} {
  const current = currentPeriods(team);
  const isOpen = (flag: Flag): boolean => current.has(`${flag.period.kind}:${flag.period.id}`);
  return {
    open: sortBySeverity(team.flags.filter(isOpen)),
    earlier: sortBySeverity(team.flags.filter((flag) => !isOpen(flag))),
  };
}

export function sprintsByStart(team: TeamReport): SprintReport[] {
  return [...team.sprints].sort((a, b) =>
    a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : 0,
  );
}

export interface SprintBasis {
  readonly basis: "delivered" | "committed";
  readonly split: Split;
  readonly share: number | null;
}

/**
 * Closed sprints are judged on what was delivered; active and future ones only have a plan, so
 * their committed split is the honest number to show.
 */
export function sprintBasis(sprint: SprintReport): SprintBasis {
  return sprint.state === "closed"
    ? { basis: "delivered", split: sprint.delivered, share: sprint.investmentShare.delivered }
    : { basis: "committed", split: sprint.committed, share: sprint.investmentShare.committed };
}

/**
 * The target a reader should hold the team to now: the latest started sprint's, since a
 * mid-quarter change applies from the next sprint (SPEC §8); else the current quarter's, which
 * is what `NO_TARGET` checks.
 */
export function currentTarget(team: TeamReport): TargetRef | null {
  const started = sprintsByStart(team).filter((s) => s.state !== "future");
  const latest = started[started.length - 1];
  if (latest?.target) return latest.target;
  const quarter = team.quarters.find((q) => q.state === "current");
  return quarter?.target ?? null;
}

export function periodLabel(team: TeamReport, period: Period): string {
  if (period.kind === "team") return "team";
  if (period.kind === "quarter") return period.id;
  return team.sprints.find((s) => s.id === period.id)?.name ?? period.id;
}

/**
 * A flag's message, prefixed with its period unless the message already names it: messages are
 * written to stand alone, so most do, and "Cycle 1: Cycle 1 …" reads as a glitch.
 */
export function describeFlag(team: TeamReport, flag: Flag): string {
  const message = cleanText(flag.message);
  if (flag.period.kind === "team") return message;
  const label = cleanText(periodLabel(team, flag.period));
  return message.includes(label) ? message : `${label}: ${message}`;
}

/**
 * The org's flags (SPEC §7, §9) split like a team's: open on the current org quarter, or on an
 * earlier one, each worst first.
 */
export function splitOpenOrgFlags(org: OrgReport): {
  readonly open: readonly Flag[];
  readonly earlier: readonly Flag[];
} {
  const current = new Set(org.quarters.filter((q) => q.state === "current").map((q) => q.id));
  const isOpen = (flag: Flag): boolean => current.has(flag.period.id);
  return {
    open: sortBySeverity(org.flags.filter(isOpen)),
    earlier: sortBySeverity(org.flags.filter((flag) => !isOpen(flag))),
  };
}

/** An org flag's message, prefixed with its quarter unless the message names it. */
export function describeOrgFlag(flag: Flag): string {
  const message = cleanText(flag.message);
  const label = cleanText(flag.period.id);
  return message.includes(label) ? message : `${label}: ${message}`;
}

export interface TriageList {
  readonly shown: readonly ItemReport[];
  readonly total: number;
}

export function itemsToTriage(team: TeamReport, limit = TRIAGE_LIMIT): TriageList {
  const unclassified = team.items.filter((item) => item.category === "unclassified");
  return { shown: unclassified.slice(0, limit), total: unclassified.length };
}

/**
 * `3 unclassified items: A-1, A-2 (both labels) and 1 more.`, each id written by `formatId`; null
 * when every item is classified.
 */
export function describeTriage(team: TeamReport, formatId: (id: string) => string): string | null {
  const triage = itemsToTriage(team);
  if (triage.total === 0) return null;
  const ids = triage.shown.map((item) =>
    item.source === "conflict" ? `${formatId(item.id)} (both labels)` : formatId(item.id),
  );
  const more = triage.total - triage.shown.length;
  const noun = triage.total === 1 ? "item" : "items";
  return `${triage.total} unclassified ${noun}: ${ids.join(", ")}${more > 0 ? ` and ${more} more` : ""}.`;
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text for HTML and SVG, which must also parse as XML when the chart is saved on its own: only
 * the five XML entities, and control characters (invalid in XML 1.0) replaced by `cleanText`.
 */
export function escapeXml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char);
}
