/**
 * The terminal view of a report (SPEC §10 `--format table`): recent sprints as stacked bars
 * against the target band, quarters, then flags. Every line fits 80 columns.
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
}

const LINE_WIDTH = 80;
const RECENT_SPRINTS = 8;

// Sprint row: name 14, state 6, bar 24, delivered share 10 ("27.8% plan"), spent share 7,
// severity 8, with gaps 1+2+2+1+1 = 79 columns.
const NAME_WIDTH = 14;
const STATE_WIDTH = 6;
const BAR_WIDTH = 24;
const SHARE_WIDTH = 10;
const SPENT_WIDTH = 7;
const BAR_INDENT = NAME_WIDTH + 1 + STATE_WIDTH + 2;

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

function renderBar(split: Split, paint: Paint): string {
  const cells = allocateCells(split, BAR_WIDTH);
  if (CELL_ORDER.every((cell) => cells[cell] === 0)) return padToWidth("(no work)", BAR_WIDTH);
  return CELL_ORDER.map((cell) =>
    paint(CELL_GLYPH[cell].repeat(cells[cell]), CELL_COLOR[cell]),
  ).join("");
}

/** The band t − tol .. t + tol of the investment share, drawn on the bars' own scale. */
function renderRuler(target: TargetRef | null, paint: Paint): string {
  const label = padStartToWidth(describeTarget(target), BAR_INDENT - 2);
  if (target === null) return `${label}  ${"·".repeat(BAR_WIDTH)}`;
  const low = Math.max(0, target.investmentShare - target.tolerance);
  const high = Math.min(1, target.investmentShare + target.tolerance);
  // The epsilon keeps 0.3 × 30 = 9.000000000000002 from spilling into the next cell.
  const first = Math.min(BAR_WIDTH - 1, Math.floor(low * BAR_WIDTH + 1e-9));
  const last = Math.max(first, Math.min(BAR_WIDTH - 1, Math.ceil(high * BAR_WIDTH - 1e-9) - 1));
  const band = first === last ? "|" : `[${"=".repeat(last - first - 1)}]`;
  const ruler = "·".repeat(first) + paint(band, SGR.green) + "·".repeat(BAR_WIDTH - last - 1);
  return `${label}  ${ruler}`;
}

function renderSeverity(severity: Severity | null, paint: Paint): string {
  return severity === null ? "none" : paint(severity, SEVERITY_COLOR[severity]);
}

function sameTarget(a: TargetRef | null, b: TargetRef | null): boolean {
  if (a === null || b === null) return a === b;
  return a.investmentShare === b.investmentShare && a.tolerance === b.tolerance;
}

function renderSprintRow(sprint: SprintReport, paint: Paint): string {
  const { basis, split, share } = sprintBasis(sprint);
  const name = padToWidth(truncateToWidth(cleanText(sprint.name), NAME_WIDTH), NAME_WIDTH);
  // Future sprints are a plan, not a measurement: dimmed, and their state column says so.
  const shownName = sprint.state === "future" ? paint(name, SGR.dim) : name;
  const state = padToWidth(sprint.state, STATE_WIDTH);
  const shareText = padToWidth(
    basis === "committed" ? `${formatShare(share)} plan` : formatShare(share),
    SHARE_WIDTH,
  );
  const spentText = padToWidth(formatShare(sprint.investmentShare.spent), SPENT_WIDTH);
  const severity = renderSeverity(worstSeverity(sprint.flags), paint);
  return `${shownName} ${state}  ${renderBar(split, paint)}  ${shareText} ${spentText} ${severity}`;
}

function renderSprints(team: TeamReport, paint: Paint): string[] {
  const all = sprintsByStart(team);
  if (all.length === 0) return ["No sprints."];
  const recent = all.slice(-RECENT_SPRINTS);
  const title =
    all.length > recent.length ? `Sprints, last ${recent.length} of ${all.length}` : "Sprints";
  const legend = `${paint(CELL_GLYPH.investment, CELL_COLOR.investment)} investment  ${paint(
    CELL_GLYPH.unclassified,
    CELL_COLOR.unclassified,
  )} unclassified  ${paint(CELL_GLYPH.roadmap, CELL_COLOR.roadmap)} roadmap  ${paint("[=]", SGR.green)} target band  plan = committed`;
  const lines = [
    paint(`${title} (investment share; * judged on ${team.actual})`, SGR.bold),
    legend,
    `${padToWidth("Sprint", NAME_WIDTH)} ${padToWidth("State", STATE_WIDTH)}  ${padToWidth(
      "Split of weight, 0–100%",
      BAR_WIDTH,
    )}  ${padToWidth(measureHeading("Delivered", team.actual), SHARE_WIDTH)} ${padToWidth(
      measureHeading("Spent", team.actual),
      SPENT_WIDTH,
    )} Flag`,
  ];
  let rulerTarget: TargetRef | null | undefined;
  for (const sprint of recent) {
    // A ruler wherever the target changes, so each bar is read against its own band.
    if (rulerTarget === undefined || !sameTarget(rulerTarget, sprint.target)) {
      rulerTarget = sprint.target;
      lines.push(renderRuler(sprint.target, paint));
    }
    lines.push(renderSprintRow(sprint, paint));
  }
  return lines;
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
function renderOrg(org: OrgReport, paint: Paint): string[] {
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
  for (const flag of open) {
    const tag = padToWidth(`[${flag.severity}]`, TAG_WIDTH);
    const wrapped = wrapToWidth(cleanText(flag.message), LINE_WIDTH - TAG_WIDTH);
    lines.push(
      ...wrapped.map((line, i) =>
        i === 0 ? paint(tag, SEVERITY_COLOR[flag.severity]) + line : " ".repeat(TAG_WIDTH) + line,
      ),
    );
  }
  if (hidden > 0) {
    lines.push(
      `${hidden} more org ${hidden === 1 ? "flag" : "flags"} on earlier quarters (--format md lists all).`,
    );
  }
  return lines;
}

const TAG_WIDTH = "[critical] ".length;

function renderFlag(team: TeamReport, flag: Flag, paint: Paint): string[] {
  const tag = padToWidth(`[${flag.severity}]`, TAG_WIDTH);
  const wrapped = wrapToWidth(describeFlag(team, flag), LINE_WIDTH - TAG_WIDTH);
  return wrapped.map((line, i) =>
    i === 0 ? paint(tag, SEVERITY_COLOR[flag.severity]) + line : " ".repeat(TAG_WIDTH) + line,
  );
}

function renderFlags(team: TeamReport, paint: Paint): string[] {
  // A terminal shows what needs attention now; the history of flags is in the other formats.
  const { open, earlier } = splitOpenFlags(team);
  const hidden = earlier.length;
  const lines = [
    paint(open.length === 0 ? "Open flags: none" : `Open flags (${open.length})`, SGR.bold),
  ];
  for (const flag of open) lines.push(...renderFlag(team, flag, paint));
  if (hidden > 0) {
    lines.push(
      `${hidden} more ${hidden === 1 ? "flag" : "flags"} on earlier periods (--format md lists all).`,
    );
  }
  return lines;
}

function renderTeam(team: TeamReport, paint: Paint): string[] {
  const suffix = ` (${cleanText(team.id)}) · ${team.unit} · ${describeTarget(currentTarget(team))}`;
  const name = truncateToWidth(
    cleanText(team.name),
    Math.max(8, LINE_WIDTH - visibleWidth(suffix)),
  );
  const heading = truncateToWidth(name + suffix, LINE_WIDTH);
  const lines = [paint(heading, SGR.bold), "─".repeat(visibleWidth(heading)), ""];
  lines.push(...renderSprints(team, paint), "");
  const quarters = renderQuarters(team, paint);
  if (quarters.length > 0) lines.push(...quarters, "");
  lines.push(...renderFlags(team, paint));
  return lines;
}

/**
 * Renders the report for a terminal: per team a heading with the current target, the last 8
 * sprints as stacked bars under a ruler marking the target band, the quarters and the flags;
 * then the org's quarters on spent time and their open flags.
 * Pure: colour is the caller's decision.
 */
export function renderTable(report: Report, options: TableOptions): string {
  const paint = makePaint(options.color);
  const lines = [`Capacity split · as of ${formatInstant(report.now)}`, ""];
  if (report.teams.length === 0) lines.push("No teams.");
  report.teams.forEach((team, i) => {
    if (i > 0) lines.push("", "");
    lines.push(...renderTeam(team, paint));
  });
  const org = renderOrg(report.org, paint);
  if (org.length > 0) lines.push("", "", ...org);
  return `${lines.join("\n")}\n`;
}
