/**
 * The spreadsheet view of a report (SPEC §10 `--format csv`): one row per team-period, numbers
 * exactly as in the JSON so that sums in a spreadsheet match the report.
 */

import type {
  FlagRef,
  OrgQuarterReport,
  QuarterReport,
  Report,
  Split,
  SprintReport,
  TeamReport,
} from "../domain/index";
import { cleanText } from "./plain-text";
import { sprintsByStart } from "./report-format";

export const CSV_COLUMNS = [
  "team_id",
  "team_name",
  "unit",
  "period_kind",
  "period_id",
  "period_name",
  "state",
  "start",
  "end",
  "target_share",
  "target_tolerance",
  "committed_roadmap",
  "committed_investment",
  "committed_unclassified",
  "delivered_roadmap",
  "delivered_investment",
  "delivered_unclassified",
  "investment_share_committed",
  "investment_share_delivered",
  "unclassified_share_delivered",
  "required_share",
  "flags",
  "actual",
  "spent_roadmap",
  "spent_investment",
  "spent_unclassified",
  "investment_share_spent",
  "unclassified_share_spent",
] as const;

type Column = (typeof CSV_COLUMNS)[number];
type Row = Readonly<Record<Column, string | number | null>>;

/**
 * Text a spreadsheet would run as a formula (OWASP "CSV injection"): sprint and team names come
 * from users, so text starting with `=` `+` `-` `@`, also after leading spaces or line breaks
 * (spreadsheets skip them), or starting with a tab or CR, gets a leading apostrophe. Numbers are
 * never touched, which keeps a negative required share a number.
 */
const FORMULA_START = /^(?:[\t\r\n ]*[=+\-@]|[\t\r])/;

/**
 * RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes. Text is
 * cleaned to one line first, as in every format, so a name can neither split a row nor reach
 * a terminal (`--format csv` on stdout) as control characters; the formula guard checks the
 * text as given and as written.
 */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const clean = cleanText(value);
  const formula = FORMULA_START.test(value) || FORMULA_START.test(clean);
  const text = formula ? `'${clean}` : clean;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function flagList(flags: readonly FlagRef[]): string {
  return flags.map((flag) => `${flag.code}:${flag.severity}`).join(";");
}

function spentCells(
  spent: Split | undefined,
): Pick<Row, "spent_roadmap" | "spent_investment" | "spent_unclassified"> {
  return {
    spent_roadmap: spent?.roadmap ?? null,
    spent_investment: spent?.investment ?? null,
    spent_unclassified: spent?.unclassified ?? null,
  };
}

function sprintRow(team: TeamReport, sprint: SprintReport): Row {
  return {
    team_id: team.id,
    team_name: team.name,
    unit: team.unit,
    period_kind: "sprint",
    period_id: sprint.id,
    period_name: sprint.name,
    state: sprint.state,
    start: sprint.startAt,
    end: sprint.endAt,
    target_share: sprint.target?.investmentShare ?? null,
    target_tolerance: sprint.target?.tolerance ?? null,
    committed_roadmap: sprint.committed.roadmap,
    committed_investment: sprint.committed.investment,
    committed_unclassified: sprint.committed.unclassified,
    delivered_roadmap: sprint.delivered.roadmap,
    delivered_investment: sprint.delivered.investment,
    delivered_unclassified: sprint.delivered.unclassified,
    investment_share_committed: sprint.investmentShare.committed,
    investment_share_delivered: sprint.investmentShare.delivered,
    unclassified_share_delivered: sprint.unclassifiedShare.delivered,
    required_share: null,
    flags: flagList(sprint.flags),
    actual: team.actual,
    ...spentCells(sprint.spent),
    investment_share_spent: sprint.investmentShare.spent,
    unclassified_share_spent: sprint.unclassifiedShare.spent,
  };
}

/**
 * The cells a team's quarter and an org quarter share. Quarters have no commitment (SPEC §7):
 * only sprints are planned.
 */
function quarterCells(
  quarter: QuarterReport | OrgQuarterReport,
): Omit<Row, "team_id" | "team_name" | "unit" | "period_kind" | "actual" | KindSpecificColumn> {
  return {
    period_id: quarter.id,
    period_name: quarter.id,
    state: quarter.state,
    start: quarter.start,
    end: quarter.end,
    target_share: quarter.target?.investmentShare ?? null,
    target_tolerance: quarter.target?.tolerance ?? null,
    committed_roadmap: null,
    committed_investment: null,
    committed_unclassified: null,
    investment_share_committed: null,
    required_share: quarter.requiredShare,
    flags: flagList(quarter.flags),
    ...spentCells(quarter.spent),
  };
}

type KindSpecificColumn =
  | "delivered_roadmap"
  | "delivered_investment"
  | "delivered_unclassified"
  | "investment_share_delivered"
  | "unclassified_share_delivered"
  | "investment_share_spent"
  | "unclassified_share_spent";

function quarterRow(team: TeamReport, quarter: QuarterReport): Row {
  return {
    ...quarterCells(quarter),
    team_id: team.id,
    team_name: team.name,
    unit: team.unit,
    period_kind: "quarter",
    delivered_roadmap: quarter.delivered.roadmap,
    delivered_investment: quarter.delivered.investment,
    delivered_unclassified: quarter.delivered.unclassified,
    investment_share_delivered: quarter.investmentShare.delivered,
    unclassified_share_delivered: quarter.unclassifiedShare.delivered,
    actual: team.actual,
    investment_share_spent: quarter.investmentShare.spent,
    unclassified_share_spent: quarter.unclassifiedShare.spent,
  };
}

/** SPEC §7: the org's quarters, judged on spent time; `team_id` is empty, `team_name` is `org`. */
function orgQuarterRow(quarter: OrgQuarterReport): Row {
  return {
    ...quarterCells(quarter),
    team_id: null,
    team_name: "org",
    unit: null,
    period_kind: "org-quarter",
    delivered_roadmap: null,
    delivered_investment: null,
    delivered_unclassified: null,
    investment_share_delivered: null,
    unclassified_share_delivered: null,
    actual: "spent",
    investment_share_spent: quarter.investmentShare,
    unclassified_share_spent: quarter.unclassifiedShare,
  };
}

/**
 * Renders one CSV row per team-period, each team's sprints (by start) then its quarters, then
 * one row per org quarter, under
 * the header of {@link CSV_COLUMNS}; RFC 4180 with CRLF line ends; null is an empty field.
 */
export function renderCsv(report: Report): string {
  const rows: Row[] = [];
  for (const team of report.teams) {
    for (const sprint of sprintsByStart(team)) rows.push(sprintRow(team, sprint));
    for (const quarter of team.quarters) rows.push(quarterRow(team, quarter));
  }
  for (const quarter of report.org.quarters) rows.push(orgQuarterRow(quarter));
  const lines = [
    CSV_COLUMNS.join(","),
    ...rows.map((r) => CSV_COLUMNS.map((column) => csvField(r[column])).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}
