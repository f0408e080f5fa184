export * from "./types.js";
export { classifyItem, DEFAULT_RULES, ruleMatches, rulesOf } from "./classify.js";
export { explainClassification, type ExplainStep, type Explanation } from "./explain.js";
export { computeReport, createContext, iso, type ReportOptions } from "./report.js";
export { localDate, quarterOf, type QuarterBounds } from "./quarter-calendar.js";
export { investmentShareOf, unclassifiedShareOf } from "./split.js";
export { pct } from "./flags.js";
