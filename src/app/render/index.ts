export { renderTable, type TableOptions } from "./render-table.js";
export { renderMarkdown } from "./render-markdown.js";
export { renderCsv, CSV_COLUMNS } from "./render-csv.js";
export { renderHtml } from "./render-html.js";
export { renderSplitChartSvg } from "./split-chart.js";
