/**
 * The review-document view of a report (SPEC §10 `--format md`). Kept to the markdown that both
 * GitHub and Linear documents render (tables, lists, bold, code spans), because the same text is
 * published into Linear.
 */

import type {
  Flag,
  FlagRef,
  QuarterReport,
  Report,
  SprintReport,
  TeamReport,
} from "../../domain/types";
import {
  cleanText,
  currentTarget,
  describeFlag,
  formatInstant,
  formatShare,
  formatSplit,
  formatTarget,
  itemsToTriage,
  NULL_TEXT,
  sortBySeverity,
  splitOpenFlags,
  sprintsByStart,
} from "./report-format";

/**
 * Backslash-escapes the punctuation that would turn user text into markup (CommonMark allows a
 * backslash before any ASCII punctuation); `|` matters most, since it would split a table cell.
 * `&` is escaped so that a name like `&lt;` stays literal instead of becoming an entity.
 */
function escapeMarkdown(text: string): string {
  return cleanText(text).replace(/[\\`*_[\]<>|~&#]/g, (char) => `\\${char}`);
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(
  header: readonly string[],
  align: readonly ("l" | "r")[],
  rows: string[][],
): string[] {
  return [
    row(header),
    row(align.map((a) => (a === "r" ? "---:" : "---"))),
    ...rows.map((cells) => row(cells)),
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

function sprintRow(sprint: SprintReport): string[] {
  const future = sprint.state === "future";
  return [
    escapeMarkdown(sprint.name),
    sprint.state,
    formatSplit(sprint.committed),
    future ? NULL_TEXT : formatSplit(sprint.delivered),
    `${formatShare(sprint.investmentShare.committed)} → ${formatShare(sprint.investmentShare.delivered)}`,
    formatTarget(sprint.target),
    flagCell(sprint.flags),
  ];
}

function quarterRow(quarter: QuarterReport): string[] {
  return [
    escapeMarkdown(quarter.id),
    quarter.state,
    formatSplit(quarter.delivered),
    formatShare(quarter.investmentShare.delivered),
    formatShare(quarter.unclassifiedShare.delivered),
    formatTarget(quarter.target),
    formatShare(quarter.requiredShare),
    flagCell(quarter.flags),
  ];
}

function renderTeam(team: TeamReport): string[] {
  const lines = [
    `## ${escapeMarkdown(team.name)} (${escapeMarkdown(team.id)})`,
    "",
    `Weights in ${team.unit} · current target: **${formatTarget(currentTarget(team))}**`,
    "",
    "### Sprints",
    "",
  ];
  const sprints = sprintsByStart(team);
  if (sprints.length === 0) {
    lines.push("No sprints.");
  } else {
    lines.push(
      ...table(
        [
          "Sprint",
          "State",
          "Committed R / I / U",
          "Delivered R / I / U",
          "Investment share committed → delivered",
          "Target",
          "Flags",
        ],
        ["l", "l", "r", "r", "r", "l", "l"],
        sprints.map(sprintRow),
      ),
    );
  }
  lines.push("", "### Quarters", "");
  if (team.quarters.length === 0) {
    lines.push("No quarters.");
  } else {
    lines.push(
      ...table(
        [
          "Quarter",
          "State",
          "Delivered R / I / U",
          "Investment share",
          "Unclassified share",
          "Target",
          "Required share",
          "Flags",
        ],
        ["l", "l", "r", "r", "r", "l", "r", "l"],
        team.quarters.map(quarterRow),
      ),
    );
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
  const triage = itemsToTriage(team);
  if (triage.total === 0) {
    lines.push("Every item is classified.");
  } else {
    const ids = triage.shown.map((item) =>
      item.source === "conflict"
        ? `${escapeMarkdown(item.id)} (both labels)`
        : escapeMarkdown(item.id),
    );
    const more = triage.total - triage.shown.length;
    const noun = triage.total === 1 ? "item" : "items";
    lines.push(
      `${triage.total} unclassified ${noun}: ${ids.join(", ")}${more > 0 ? ` and ${more} more` : ""}.`,
    );
  }
  return lines;
}

/**
 * Renders the report as a review document: per team a `##` section with a sprint table, a
 * quarter table, the flags and the unclassified items to triage.
 */
export function renderMarkdown(report: Report): string {
  const lines = [
    "# Capacity split",
    "",
    `As of ${formatInstant(report.now)}. R = roadmap, I = investment, U = unclassified; ` +
      "investment share = I / (R + I), on delivered weight for closed periods.",
  ];
  if (report.teams.length === 0) lines.push("", "No teams.");
  for (const team of report.teams) lines.push("", ...renderTeam(team));
  return `${lines.join("\n")}\n`;
}
