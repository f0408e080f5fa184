/**
 * The shareable view of a report (SPEC §10 `--format html`): one file that opens offline, with
 * nothing fetched (no scripts, fonts, images or stylesheets from elsewhere).
 */

import type { Flag, FlagRef, OrgReport, Report, Severity, TeamReport } from "../domain/index";
import {
  type CellFormat,
  type Column,
  currentTarget,
  describeFlag,
  describeMeasures,
  describeOrgFlag,
  describeTriage,
  escapeXml,
  formatInstant,
  formatTarget,
  ORG_QUARTER_COLUMNS,
  quarterColumns,
  SPRINT_COLUMNS,
  sortBySeverity,
  splitOpenFlags,
  splitOpenOrgFlags,
  sprintsByStart,
} from "./report-format";
import { renderSplitChartSvg, SPLIT_COLORS } from "./split-chart";

const SEVERITY_COLORS: Readonly<
  Record<Severity, { readonly mark: string; readonly text: string }>
> = {
  critical: { mark: "#C9372C", text: "#AE2E24" },
  warning: { mark: "#E2B203", text: "#A54800" },
  info: { mark: "#1D7AFC", text: "#0055CC" },
};

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #F7F8F9; color: ${SPLIT_COLORS.text};
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 4px; }
h3 { font-size: 15px; margin: 24px 0 8px; }
.muted, .meta { color: ${SPLIT_COLORS.subtle}; }
.team { background: #FFFFFF; border: 1px solid #DCDFE4; border-radius: 8px; padding: 20px 24px;
  margin: 24px 0; }
.team-id { color: ${SPLIT_COLORS.subtle}; font-weight: 400; }
nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
a { color: #0C66E4; }
.chart { overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 4px 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #DCDFE4; padding: 4px 10px; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #F1F2F4; }
td.num { text-align: right; white-space: nowrap; }
caption { text-align: left; color: ${SPLIT_COLORS.subtle}; padding: 4px 0; }
.table-wrap { overflow-x: auto; }
details { margin: 8px 0 16px; }
summary { cursor: pointer; color: #44546F; }
td:first-child, th:first-child { white-space: nowrap; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.flags { list-style: none; padding: 0; margin: 0; }
.flags li { border-left: 4px solid; padding: 4px 10px; margin: 4px 0; background: #F7F8F9; }
.severity { font-weight: 700; text-transform: uppercase; font-size: 11px; letter-spacing: 0.04em;
  margin-right: 6px; }
${(["critical", "warning", "info"] as const)
  .map(
    (s) =>
      `.flag-${s} { border-left-color: ${SEVERITY_COLORS[s].mark}; } .flag-${s} .severity, .sev-${s} { color: ${SEVERITY_COLORS[s].text}; }`,
  )
  .join("\n")}
.sev-critical { font-weight: 600; }
.triage { word-break: break-word; }
@media print { body { background: #FFFFFF; } .team { border: none; break-inside: avoid-page; } }
`;

function flagRefs(flags: readonly FlagRef[]): string {
  return sortBySeverity(flags)
    .map(
      (flag) =>
        `<code>${flag.code}</code> <span class="sev-${flag.severity}">${flag.severity}</span>`,
    )
    .join(", ");
}

const HTML_CELLS: CellFormat = { text: escapeXml, flags: flagRefs };

function dataTable<T>(caption: string, columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = (row: T): string =>
    columns
      .map((c) => {
        const text = c.cell(row, HTML_CELLS);
        return c.numeric ? `<td class="num">${text}</td>` : `<td>${text}</td>`;
      })
      .join("");
  return (
    `<div class="table-wrap"><table><caption>${caption}</caption><thead><tr>` +
    columns.map((c) => `<th scope="col">${c.heading}</th>`).join("") +
    `</tr></thead><tbody>${rows.map((row) => `<tr>${cells(row)}</tr>`).join("")}</tbody></table></div>`
  );
}

function flagItem(flag: Flag, text: string): string {
  return (
    `<li class="flag-${flag.severity}"><span class="severity">${flag.severity}</span>` +
    `<code>${flag.code}</code> ${escapeXml(text)}</li>`
  );
}

function flagList(flags: readonly Flag[], describe: (flag: Flag) => string): string {
  return `<ul class="flags">${flags.map((flag) => flagItem(flag, describe(flag))).join("")}</ul>`;
}

function triage(team: TeamReport): string {
  const sentence = describeTriage(team, (id) => `<code>${escapeXml(id)}</code>`);
  return sentence === null
    ? '<p class="muted">Every item is classified.</p>'
    : `<p class="triage">${sentence}</p>`;
}

function renderTeam(team: TeamReport, index: number): string {
  const titleId = `team-${index}-title`;
  const sprints = sprintsByStart(team);
  const parts = [
    `<section class="team" id="team-${index}" aria-labelledby="${titleId}">`,
    `<h2 id="${titleId}">${escapeXml(team.name)} <span class="team-id">${escapeXml(team.id)}</span></h2>`,
    `<p class="meta">Weights in ${team.unit}, spent in person-days · ${describeMeasures(team.actual)} · ` +
      `current target <strong>${formatTarget(currentTarget(team))}</strong></p>`,
    "<h3>Sprints</h3>",
    `<div class="chart">${renderSplitChartSvg(team)}</div>`,
  ];
  if (sprints.length > 0) {
    parts.push(
      `<details><summary>The chart's numbers (${sprints.length} ${sprints.length === 1 ? "sprint" : "sprints"})</summary>`,
      dataTable("R = roadmap, I = investment, U = unclassified.", SPRINT_COLUMNS, sprints),
      "</details>",
    );
  }
  parts.push("<h3>Quarters</h3>");
  parts.push(
    team.quarters.length === 0
      ? '<p class="muted">No quarters.</p>'
      : dataTable(
          "Delivered weight and spent person-days per quarter.",
          quarterColumns(team.actual),
          team.quarters,
        ),
  );
  const { open, earlier } = splitOpenFlags(team);
  const list = (flags: readonly Flag[]) => flagList(flags, (flag) => describeFlag(team, flag));
  parts.push("<h3>Open flags</h3>");
  parts.push(open.length === 0 ? '<p class="muted">No flag is open now.</p>' : list(open));
  if (earlier.length > 0) {
    parts.push(
      `<details><summary>Flags on earlier periods (${earlier.length})</summary>${list(earlier)}</details>`,
    );
  }
  parts.push("<h3>To triage</h3>", triage(team), "</section>");
  return parts.join("\n");
}

/** SPEC §7: the org's quarters on spent person-days, and their flags. */
function renderOrg(org: OrgReport): string {
  if (org.quarters.length === 0) return "";
  const { open, earlier } = splitOpenOrgFlags(org);
  const parts = [
    '<section class="team" id="org" aria-labelledby="org-title">',
    '<h2 id="org-title">Org, all teams</h2>',
    '<p class="meta">Spent person-days summed over the teams · flags judge spent effort against the org target</p>',
    dataTable("Spent person-days per quarter, all teams.", ORG_QUARTER_COLUMNS, org.quarters),
    "<h3>Open org flags</h3>",
    open.length === 0
      ? '<p class="muted">No org flag is open now.</p>'
      : flagList(open, describeOrgFlag),
  ];
  if (earlier.length > 0) {
    parts.push(
      `<details><summary>Org flags on earlier quarters (${earlier.length})</summary>${flagList(earlier, describeOrgFlag)}</details>`,
    );
  }
  parts.push("</section>");
  return parts.join("\n");
}

/**
 * Renders the report as one self-contained HTML page: per team the split chart with a table of
 * its numbers, the quarters, the flags and the unclassified items to triage; then the org's
 * quarters. All user text is escaped.
 */
export function renderHtml(report: Report): string {
  const asOf = formatInstant(report.now);
  const org = renderOrg(report.org);
  const links = report.teams.map(
    (team, i) => `<li><a href="#team-${i}">${escapeXml(team.name)}</a></li>`,
  );
  if (org !== "") links.push('<li><a href="#org">Org, all teams</a></li>');
  const nav = links.length > 1 ? `<nav aria-label="Teams"><ul>${links.join("")}</ul></nav>` : "";
  const teams =
    report.teams.length === 0
      ? '<p class="muted">No teams.</p>'
      : report.teams.map((team, i) => renderTeam(team, i)).join("\n");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Capacity split · ${escapeXml(asOf)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<header>",
    "<h1>Capacity split</h1>",
    `<p class="muted">As of <time datetime="${escapeXml(report.now)}">${escapeXml(asOf)}</time>. ` +
      "Investment share = investment ÷ (roadmap + investment). Delivered counts finished weight; " +
      "spent counts the person-days of work in progress, per team, never per person.</p>",
    nav,
    "</header>",
    `<main>${teams}${org === "" ? "" : `\n${org}`}</main>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
