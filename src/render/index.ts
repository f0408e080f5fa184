export { renderTable, type TableOptions } from "./render-table";
export { escapeMarkdown, renderCycleUpdate, renderMarkdown } from "./render-markdown";
export { renderCsv, CSV_COLUMNS } from "./render-csv";
export { renderHtml } from "./render-html";
export { renderSplitChartSvg } from "./split-chart";
export { cleanLines, cleanText, escapeJsonControls, isLinearAppUrl } from "./plain-text";
export { escapeXml, formatInstant, formatWeight } from "./report-format";
export {
  describeRequired,
  describeRequiredShares,
  describeTrend,
  describeUnflaggedBelow,
  currentStatus,
  judge,
  leadingFlag,
  quarterNotes,
  statusOfQuarter,
  verdictOf,
  TREND_SPRINTS,
  type Status,
  type Tone,
  type Judgement,
  type Verdict,
  type VerdictStatus,
} from "./verdict";
export { sortByValue } from "./sort-rows";
export { describeActiveSprint, describeIssueSprint, type IssueSprint } from "./issue-sprint";
export { explainTeamPart } from "./company-part";
