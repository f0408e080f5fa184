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
} from "../domain/index";
import { cleanText } from "./plain-text";
import {
  currentTarget,
  describeFlag,
  formatInstant,
  formatShare,
  formatSplit,
  formatTarget,
  formatWeight,
  itemsToTriage,
  NULL_TEXT,
  sortBySeverity,
  splitOpenFlags,
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

/**
 * A closed cycle's project update in Linear: what it delivered, its investment share against its
 * target, and its flags, one list item each.
 */
export function renderCycleUpdate(
  team: TeamReport,
  sprint: SprintReport,
  flags: readonly Flag[],
): string {
  const d = sprint.delivered;
  const share = sprint.investmentShare.delivered;
  const target = sprint.target;
  return [
    `**${escapeMarkdown(sprint.name)}** closed: delivered ${formatWeight(d.roadmap)} roadmap, ` +
      `${formatWeight(d.investment)} investment, ${formatWeight(d.unclassified)} unclassified (${team.unit}).`,
    `Investment share ${share === null ? "not measurable: no classified work delivered" : formatShare(share)}` +
      (target === null ? ", no target declared." : ` against a target of ${formatTarget(target)}.`),
    ...flags.map((flag) => `- ${flag.severity}: ${escapeMarkdown(flag.message)}`),
  ].join("\n");
}
