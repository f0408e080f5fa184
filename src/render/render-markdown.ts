/**
 * The review-document view of a report (SPEC §10 `--format md`). Kept to the markdown that both
 * GitHub and Linear documents render (tables, lists, bold, code spans), because the same text is
 * published into Linear.
 */

import type { Flag, FlagRef, OrgReport, Report, SprintReport, TeamReport } from "../domain/index";
import { cleanText } from "./plain-text";
import {
  type CellFormat,
  type Column,
  currentTarget,
  describeFlag,
  describeMeasures,
  describeOrgFlag,
  describeTriage,
  formatInstant,
  formatShare,
  formatTarget,
  formatWeight,
  ORG_QUARTER_COLUMNS,
  quarterColumns,
  SPRINT_COLUMNS,
  sortBySeverity,
  splitOpenFlags,
  splitOpenOrgFlags,
  sprintsByStart,
} from "./report-format";

/**
 * Tracker text as literal text in markdown, the one escape for every markdown the product
 * writes (`--format md`, Linear's documents and project updates). CommonMark lets a backslash
 * precede any ASCII punctuation, so each character that could open markup is escaped: `[`
 * (links, images), `<` (HTML, autolinks), `` ` `` (code), `*` `_` `~` (emphasis), `|` (a table
 * cell), `&` (an entity such as `&lt;`), `#` and the backslash itself. The text is cleaned to one line first, so
 * no block can start inside it, and a leading `-` `+` `=` or `1.` is escaped too, so that text
 * placed at the start of a line is still not a list item or a heading underline.
 */
export function escapeMarkdown(text: string): string {
  return cleanText(text)
    .replace(/[\\`*_[\]<>|~&#]/g, (char) => `\\${char}`)
    .replace(/^(\s*)([-+=]|\d+(?=[.)]))/, (_, space: string, start: string) =>
      /\d/.test(start) ? `${space}${start}\\` : `${space}\\${start}`,
    );
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table<T>(columns: readonly Column<T>[], rows: readonly T[]): string[] {
  return [
    row(columns.map((c) => c.heading)),
    row(columns.map((c) => (c.numeric ? "---:" : "---"))),
    ...rows.map((r) => row(columns.map((c) => c.cell(r, MARKDOWN_CELLS)))),
  ];
}

function flagCell(flags: readonly FlagRef[]): string {
  if (flags.length === 0) return "";
  return sortBySeverity(flags)
    .map((flag) =>
      flag.severity === "critical"
        ? `\`${flag.code}\` **critical**`
        : `\`${flag.code}\` ${flag.severity}`,
    )
    .join(", ");
}

const MARKDOWN_CELLS: CellFormat = { text: escapeMarkdown, flags: flagCell };

function renderTeam(team: TeamReport): string[] {
  const lines = [
    `## ${escapeMarkdown(team.name)} (${escapeMarkdown(team.id)})`,
    "",
    `Weights in ${team.unit}, spent in person-days · ${describeMeasures(team.actual)} · ` +
      `current target: **${formatTarget(currentTarget(team))}**`,
    "",
    "### Sprints",
    "",
  ];
  const sprints = sprintsByStart(team);
  if (sprints.length === 0) {
    lines.push("No sprints.");
  } else {
    lines.push(...table(SPRINT_COLUMNS, sprints));
  }
  lines.push("", "### Quarters", "");
  if (team.quarters.length === 0) {
    lines.push("No quarters.");
  } else {
    lines.push(...table(quarterColumns(team.actual), team.quarters));
  }
  const { open, earlier } = splitOpenFlags(team);
  const item = (flag: Flag): string =>
    `- **${flag.severity}** \`${flag.code}\`: ${escapeMarkdown(describeFlag(team, flag))}`;
  lines.push("", "### Open flags", "");
  lines.push(...(open.length === 0 ? ["No flag is open now."] : open.map(item)));
  if (earlier.length > 0) {
    lines.push("", `### Flags on earlier periods (${earlier.length})`, "", ...earlier.map(item));
  }
  lines.push("", "### To triage", "");
  lines.push(describeTriage(team, escapeMarkdown) ?? "Every item is classified.");
  return lines;
}

/** SPEC §7: the org's quarters on spent person-days, summed over the teams, and their flags. */
function renderOrg(org: OrgReport): string[] {
  if (org.quarters.length === 0) return [];
  const lines = [
    "## Org, all teams",
    "",
    "Spent person-days summed over the teams; flags judge spent effort against the org target.",
    "",
    ...table(ORG_QUARTER_COLUMNS, org.quarters),
  ];
  const { open, earlier } = splitOpenOrgFlags(org);
  const item = (flag: Flag): string =>
    `- **${flag.severity}** \`${flag.code}\`: ${escapeMarkdown(describeOrgFlag(flag))}`;
  lines.push("", "### Open org flags", "");
  lines.push(...(open.length === 0 ? ["No org flag is open now."] : open.map(item)));
  if (earlier.length > 0) {
    lines.push(
      "",
      `### Org flags on earlier quarters (${earlier.length})`,
      "",
      ...earlier.map(item),
    );
  }
  return lines;
}

/**
 * Renders the report as a review document: per team a `##` section with a sprint table, a
 * quarter table, the flags and the unclassified items to triage; then the org's quarters.
 */
export function renderMarkdown(report: Report): string {
  const lines = [
    "# Capacity split",
    "",
    `As of ${formatInstant(report.now)}. R = roadmap, I = investment, U = unclassified; ` +
      "investment share = I / (R + I). Delivered counts finished weight; spent counts the " +
      "person-days of work in progress, per team, never per person.",
  ];
  if (report.teams.length === 0) lines.push("", "No teams.");
  for (const team of report.teams) lines.push("", ...renderTeam(team));
  const org = renderOrg(report.org);
  if (org.length > 0) lines.push("", ...org);
  return `${lines.join("\n")}\n`;
}

/**
 * A closed cycle's project update in Linear: what it delivered and where the team's time went,
 * both investment shares against its target with the one its flags judge, and its flags, one
 * list item each.
 */
export function renderCycleUpdate(
  team: TeamReport,
  sprint: SprintReport,
  flags: readonly Flag[],
): string {
  const d = sprint.delivered;
  const s = sprint.spent;
  const share = (value: number | null, what: string): string =>
    value === null ? `not measurable (no classified work ${what})` : formatShare(value);
  const target = sprint.target;
  return [
    `**${escapeMarkdown(sprint.name)}** closed: delivered ${formatWeight(d.roadmap)} roadmap, ` +
      `${formatWeight(d.investment)} investment, ${formatWeight(d.unclassified)} unclassified (${team.unit}).`,
    ...(s === undefined
      ? []
      : [
          `Time spent: ${formatWeight(s.roadmap)} roadmap, ${formatWeight(s.investment)} investment, ` +
            `${formatWeight(s.unclassified)} unclassified (person-days).`,
        ]),
    `Investment share: delivered ${share(sprint.investmentShare.delivered, "delivered")}, ` +
      `spent ${share(sprint.investmentShare.spent, "in progress")}` +
      (target === null ? "; no target declared" : `, against a target of ${formatTarget(target)}`) +
      `; ${describeMeasures(team.actual)}.`,
    ...flags.map((flag) => `- ${flag.severity}: ${escapeMarkdown(flag.message)}`),
  ].join("\n");
}
