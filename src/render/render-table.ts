/**
 * The terminal view of a report (SPEC §10 `--format table`): recent sprints as stacked bars
 * against the target band, quarters, then flags. Every line fits the width asked for: 80
 * columns by default, up to 120 on a wider terminal.
 */

import type {
  Flag,
  OrgReport,
  Severity,
  Split,
  SprintReport,
  TargetRef,
  TeamReport,
  Report,
} from "../domain/index";
import { cleanText } from "./plain-text";
import {
  currentTarget,
  describeFlag,
  describeTarget,
  formatInstant,
  formatShare,
  formatTarget,
  measureHeading,
  NULL_TEXT,
  splitOpenFlags,
  splitOpenOrgFlags,
  sprintBasis,
  sprintsByStart,
  worstSeverity,
} from "./report-format";
import {
  padStartToWidth,
  padToWidth,
  truncateToWidth,
  visibleWidth,
  wrapToWidth,
} from "./text-width";

export interface TableOptions {
  /** ANSI colour; the CLI turns it on for a TTY without `NO_COLOR`. */
  readonly color: boolean;
  /**
   * The terminal's columns; 80 when not given. Fewer than 80 is laid out for 80, and more
   * than 120 for 120, since prose wider than that is hard to read.
   */
  readonly width?: number;
}

const TABLE_WIDTH = { default: 80, min: 80, max: 120 } as const;

const RECENT_SPRINTS = 8;

/**
 * Sprint row: name, state 6, bar, then the investment share committed, delivered and spent,
 * and the worst flag: `name state  bar  Committed Delivered* Spent* critical`. The name and
 * the bar share what is left of the line; the bar gives way first, down to MIN_BAR cells, so
 * a name is cut (with an ellipsis) only when it could not fit beside the narrowest bar.
 */
const STATE_WIDTH = 6;
const COMMITTED_WIDTH = "Committed".length;
const DELIVERED_WIDTH = "Delivered*".length;
const SPENT_WIDTH = "Spent*".length;
const SEVERITY_WIDTH = "critical".length;
// Gaps: 1 after the name, 2 on each side of the bar, 1 between the other columns.
const SPRINT_FIXED_WIDTH =
  STATE_WIDTH + COMMITTED_WIDTH + DELIVERED_WIDTH + SPENT_WIDTH + SEVERITY_WIDTH + 1 + 2 + 2 + 3;
const MIN_NAME = "Sprint".length;
const MIN_BAR = 12;
const MAX_BAR = 48;
/** The bar's heading, the longest that fits its width. */
const BAR_HEADINGS = ["Split of weight, 0–100%", "Split 0–100%"] as const;

interface Layout {
  readonly paint: Paint;
  /** The line width every line keeps to. */
  readonly width: number;
  /** Columns of the sprint name and of the bar, the same for every team of the report. */
  readonly name: number;
  readonly bar: number;
}

type Cell = "investment" | "unclassified" | "roadmap";

/**
 * Unclassified sits between investment and roadmap so that the investment share, once the grey
 * is triaged, can only land inside the grey: the bar shows both the measurement and its doubt.
 */
const CELL_ORDER: readonly Cell[] = ["investment", "unclassified", "roadmap"];

// Distinct glyphs as well as colours, so the bar reads without colour too.
const CELL_GLYPH: Readonly<Record<Cell, string>> = {
  investment: "▓",
  unclassified: "░",
  roadmap: "█",
};

const SGR = {
  bold: "1",
  dim: "2",
  red: "31",
  green: "32",
  yellow: "33",
  blue: "34",
  magenta: "35",
  cyan: "36",
  grey: "90",
} as const;

const CELL_COLOR: Readonly<Record<Cell, string>> = {
  investment: SGR.magenta,
  unclassified: SGR.grey,
  roadmap: SGR.blue,
};

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  critical: `${SGR.bold};${SGR.red}`,
  warning: SGR.yellow,
  info: SGR.cyan,
};

type Paint = (text: string, code: string) => string;

function makePaint(color: boolean): Paint {
  if (!color) return (text) => text;
  return (text, code) => (text === "" ? text : `\u001b[${code}m${text}\u001b[0m`);
}

/**
 * Cells per category by largest remainder, so the cells always add up to the bar width; a
 * category with any weight keeps at least one cell so that it never disappears from sight.
 */
function allocateCells(split: Split, width: number): Record<Cell, number> {
  const total = split.roadmap + split.investment + split.unclassified;
  const cells: Record<Cell, number> = { investment: 0, unclassified: 0, roadmap: 0 };
  if (total <= 0) return cells;
  const exact = CELL_ORDER.map((cell) => ({ cell, value: (split[cell] / total) * width }));
  let left = width;
  for (const { cell, value } of exact) {
    cells[cell] = Math.floor(value);
    left -= cells[cell];
  }
  const byRemainder = [...exact].sort(
    (a, b) => b.value - Math.floor(b.value) - (a.value - Math.floor(a.value)),
  );
  for (const { cell } of byRemainder) {
    if (left <= 0) break;
    cells[cell] += 1;
    left -= 1;
  }
  for (const cell of CELL_ORDER) {
    if (split[cell] > 0 && cells[cell] === 0) {
      const donor = CELL_ORDER.reduce((a, b) => (cells[b] > cells[a] ? b : a));
      cells[donor] -= 1;
      cells[cell] = 1;
    }
  }
  return cells;
}

function renderBar(split: Split, layout: Layout): string {
  const { bar: width, paint } = layout;
  const cells = allocateCells(split, width);
  if (CELL_ORDER.every((cell) => cells[cell] === 0)) return padToWidth("(no work)", width);
  return CELL_ORDER.map((cell) =>
    paint(CELL_GLYPH[cell].repeat(cells[cell]), CELL_COLOR[cell]),
  ).join("");
}

/** The ruler's label sits under the name and state columns, right-aligned to the bar. */
function rulerLabelWidth(name: number): number {
  return name + 1 + STATE_WIDTH;
}

/** The band t − tol .. t + tol of the investment share, drawn on the bars' own scale. */
function renderRuler(target: TargetRef | null, layout: Layout): string {
  const { bar: width, paint } = layout;
  const label = padStartToWidth(describeTarget(target), rulerLabelWidth(layout.name));
  if (target === null) return `${label}  ${"·".repeat(width)}`;
  const low = Math.max(0, target.investmentShare - target.tolerance);
  const high = Math.min(1, target.investmentShare + target.tolerance);
  // The epsilon keeps 0.3 × 30 = 9.000000000000002 from spilling into the next cell.
  const first = Math.min(width - 1, Math.floor(low * width + 1e-9));
  const last = Math.max(first, Math.min(width - 1, Math.ceil(high * width - 1e-9) - 1));
  const band = first === last ? "|" : `[${"=".repeat(last - first - 1)}]`;
  const ruler = "·".repeat(first) + paint(band, SGR.green) + "·".repeat(width - last - 1);
  return `${label}  ${ruler}`;
}

function renderSeverity(severity: Severity | null, paint: Paint): string {
  return severity === null ? "none" : paint(severity, SEVERITY_COLOR[severity]);
}

function sameTarget(a: TargetRef | null, b: TargetRef | null): boolean {
  if (a === null || b === null) return a === b;
  return a.investmentShare === b.investmentShare && a.tolerance === b.tolerance;
}

/**
 * One sprint: its bar (delivered weight, or the plan of an active or future sprint, as in the
 * HTML chart) and its investment share committed, delivered and spent, each under its own
 * heading. An active sprint's delivered and spent are so far (SPEC §6: up to now); a future one
 * has neither.
 */
function renderSprintRow(sprint: SprintReport, layout: Layout): string {
  const { paint } = layout;
  const { split } = sprintBasis(sprint);
  const name = padToWidth(truncateToWidth(cleanText(sprint.name), layout.name), layout.name);
  // Future sprints are a plan, not a measurement: dimmed. The active one stands out in bold.
  const shownName = sprint.state === "future" ? paint(name, SGR.dim) : name;
  const state = padToWidth(sprint.state, STATE_WIDTH);
  const shownState = sprint.state === "active" ? paint(state, SGR.bold) : state;
  const share = sprint.investmentShare;
  const cells = [
    padToWidth(formatShare(share.committed), COMMITTED_WIDTH),
    padToWidth(formatShare(share.delivered), DELIVERED_WIDTH),
    padToWidth(formatShare(share.spent), SPENT_WIDTH),
    renderSeverity(worstSeverity(sprint.flags), paint),
  ];
  return `${shownName} ${shownState}  ${renderBar(split, layout)}  ${cells.join(" ")}`;
}

/** What the bars and an active sprint's numbers are, for the sprints on show. */
function describeSprintRows(sprints: readonly SprintReport[], width: number): string[] {
  const states = new Set(sprints.map((sprint) => sprint.state));
  const notes =
    states.has("active") || states.has("future")
      ? ["Bars: delivered weight, or the plan (committed) of an active or future sprint."]
      : ["Bars: delivered weight."];
  if (states.has("active"))
    notes.push("An active sprint's Delivered and Spent are so far, up to now.");
  return notes.flatMap((note) => wrapToWidth(note, width));
}

function renderSprints(team: TeamReport, layout: Layout): string[] {
  const { paint } = layout;
  const all = sprintsByStart(team);
  if (all.length === 0) return ["No sprints."];
  const recent = recentSprints(team);
  const title =
    all.length > recent.length ? `Sprints, last ${recent.length} of ${all.length}` : "Sprints";
  const legend = `${paint(CELL_GLYPH.investment, CELL_COLOR.investment)} investment  ${paint(
    CELL_GLYPH.unclassified,
    CELL_COLOR.unclassified,
  )} unclassified  ${paint(CELL_GLYPH.roadmap, CELL_COLOR.roadmap)} roadmap  ${paint("[=]", SGR.green)} target band`;
  const barHeading = BAR_HEADINGS.find((heading) => heading.length <= layout.bar) ?? "";
  const lines = [
    paint(`${title} (investment share; * judged on ${team.actual})`, SGR.bold),
    legend,
    ...describeSprintRows(recent, layout.width),
    [
      `${padToWidth("Sprint", layout.name)} ${padToWidth("State", STATE_WIDTH)} `,
      padToWidth(barHeading, layout.bar),
      ` ${padToWidth("Committed", COMMITTED_WIDTH)}`,
      padToWidth(measureHeading("Delivered", team.actual), DELIVERED_WIDTH),
      padToWidth(measureHeading("Spent", team.actual), SPENT_WIDTH),
      "Flag",
    ].join(" "),
  ];
  let rulerTarget: TargetRef | null | undefined;
  for (const sprint of recent) {
    // A ruler wherever the target changes, so each bar is read against its own band.
    if (rulerTarget === undefined || !sameTarget(rulerTarget, sprint.target)) {
      rulerTarget = sprint.target;
      lines.push(renderRuler(sprint.target, layout));
    }
    lines.push(renderSprintRow(sprint, layout));
  }
  return lines;
}

function recentSprints(team: TeamReport): SprintReport[] {
  return sprintsByStart(team).slice(-RECENT_SPRINTS);
}

/**
 * One layout for every team, so the tables line up: the name column as wide as the longest
 * name on show (and the rulers' labels), the bar the rest, up to MAX_BAR. Where the name would
 * leave the bar fewer than MIN_BAR cells, the name is what gets cut.
 */
function layoutFor(report: Report, options: TableOptions): Layout {
  const asked = options.width ?? TABLE_WIDTH.default;
  const width = Number.isFinite(asked)
    ? Math.min(TABLE_WIDTH.max, Math.max(TABLE_WIDTH.min, Math.floor(asked)))
    : TABLE_WIDTH.default;
  const room = width - SPRINT_FIXED_WIDTH;
  let wanted = MIN_NAME;
  for (const team of report.teams) {
    for (const sprint of recentSprints(team)) {
      wanted = Math.max(
        wanted,
        visibleWidth(cleanText(sprint.name)),
        visibleWidth(describeTarget(sprint.target)) - rulerLabelWidth(0),
      );
    }
  }
  const name = Math.min(wanted, room - MIN_BAR);
  return { paint: makePaint(options.color), width, name, bar: Math.min(MAX_BAR, room - name) };
}

// Quarter row: id 10, state 8, delivered 10, spent 10, target 14, required 9, severity 8,
// with gaps: 75 columns.
const QUARTER_COLUMNS = [10, 8, 10, 10, 14, 9] as const;
// Org row: the same without the delivered column.
const ORG_COLUMNS = [10, 8, 10, 14, 9] as const;

function quarterRow(
  cells: readonly string[],
  last: string,
  columns: readonly number[] = QUARTER_COLUMNS,
): string {
  return (
    cells
      .map((cell, i) => {
        const width = columns[i] ?? 0;
        return padToWidth(truncateToWidth(cell, width), width);
      })
      .join(" ") +
    " " +
    last
  );
}

function formatRequired(share: number | null): string {
  return share === null ? NULL_TEXT : formatShare(share);
}

function renderQuarters(team: TeamReport, paint: Paint): string[] {
  const { quarters, actual } = team;
  if (quarters.length === 0) return [];
  const lines = [
    paint(`Quarters (investment share; * judged on ${actual})`, SGR.bold),
    quarterRow(
      [
        "Quarter",
        "State",
        measureHeading("Delivered", actual),
        measureHeading("Spent", actual),
        "Target",
        "Required",
      ],
      "Flag",
    ),
  ];
  for (const quarter of quarters) {
    lines.push(
      quarterRow(
        [
          cleanText(quarter.id),
          quarter.state,
          quarter.investmentShare.delivered === null
            ? NULL_TEXT
            : formatShare(quarter.investmentShare.delivered),
          quarter.investmentShare.spent === null
            ? NULL_TEXT
            : formatShare(quarter.investmentShare.spent),
          formatTarget(quarter.target),
          formatRequired(quarter.requiredShare),
        ],
        renderSeverity(worstSeverity(quarter.flags), paint),
      ),
    );
  }
  return lines;
}

/** SPEC §7: the org's quarters on spent effort, and the flags open on the current one. */
function renderOrg(org: OrgReport, layout: Layout): string[] {
  const { paint } = layout;
  if (org.quarters.length === 0) return [];
  const lines = [
    paint("Org, all teams (investment share of spent time)", SGR.bold),
    "─".repeat(47),
    "",
    quarterRow(["Quarter", "State", "Spent", "Target", "Required"], "Flag", ORG_COLUMNS),
  ];
  for (const quarter of org.quarters) {
    lines.push(
      quarterRow(
        [
          cleanText(quarter.id),
          quarter.state,
          quarter.investmentShare === null ? NULL_TEXT : formatShare(quarter.investmentShare),
          formatTarget(quarter.target),
          formatRequired(quarter.requiredShare),
        ],
        renderSeverity(worstSeverity(quarter.flags), paint),
        ORG_COLUMNS,
      ),
    );
  }
  const { open, earlier } = splitOpenOrgFlags(org);
  const hidden = earlier.length;
  lines.push(
    "",
    paint(open.length === 0 ? "Open org flags: none" : `Open org flags (${open.length})`, SGR.bold),
  );
  for (const flag of open) lines.push(...renderFlag(flag, cleanText(flag.message), layout));
  if (hidden > 0) {
    lines.push(
      `${hidden} more org ${hidden === 1 ? "flag" : "flags"} on earlier quarters (--format md lists all).`,
    );
  }
  return lines;
}

const TAG_WIDTH = "[critical] ".length;

/** `[severity] message`, the message wrapped to the line and indented under itself. */
function renderFlag(flag: Flag, message: string, layout: Layout): string[] {
  const tag = padToWidth(`[${flag.severity}]`, TAG_WIDTH);
  const wrapped = wrapToWidth(message, layout.width - TAG_WIDTH);
  return wrapped.map((line, i) =>
    i === 0
      ? layout.paint(tag, SEVERITY_COLOR[flag.severity]) + line
      : " ".repeat(TAG_WIDTH) + line,
  );
}

function renderFlags(team: TeamReport, layout: Layout): string[] {
  const { paint } = layout;
  // A terminal shows what needs attention now; the history of flags is in the other formats.
  const { open, earlier } = splitOpenFlags(team);
  const hidden = earlier.length;
  const lines = [
    paint(open.length === 0 ? "Open flags: none" : `Open flags (${open.length})`, SGR.bold),
  ];
  for (const flag of open) lines.push(...renderFlag(flag, describeFlag(team, flag), layout));
  if (hidden > 0) {
    lines.push(
      `${hidden} more ${hidden === 1 ? "flag" : "flags"} on earlier periods (--format md lists all).`,
    );
  }
  return lines;
}

function renderTeam(team: TeamReport, layout: Layout): string[] {
  const { paint, width } = layout;
  const suffix = ` (${cleanText(team.id)}) · ${team.unit} · ${describeTarget(currentTarget(team))}`;
  const name = truncateToWidth(cleanText(team.name), Math.max(8, width - visibleWidth(suffix)));
  const heading = truncateToWidth(name + suffix, width);
  const lines = [paint(heading, SGR.bold), "─".repeat(visibleWidth(heading)), ""];
  lines.push(...renderSprints(team, layout), "");
  const quarters = renderQuarters(team, paint);
  if (quarters.length > 0) lines.push(...quarters, "");
  lines.push(...renderFlags(team, layout));
  return lines;
}

/**
 * Renders the report for a terminal: per team a heading with the current target, the last 8
 * sprints as stacked bars under a ruler marking the target band, the quarters and the flags;
 * then the org's quarters on spent time and their open flags.
 * Pure: colour and width are the caller's decision.
 */
export function renderTable(report: Report, options: TableOptions): string {
  const layout = layoutFor(report, options);
  const lines = [`Capacity split · as of ${formatInstant(report.now)}`, ""];
  if (report.teams.length === 0) lines.push("No teams.");
  report.teams.forEach((team, i) => {
    if (i > 0) lines.push("", "");
    lines.push(...renderTeam(team, layout));
  });
  const org = renderOrg(report.org, layout);
  if (org.length > 0) lines.push("", "", ...org);
  return `${lines.join("\n")}\n`;
}
