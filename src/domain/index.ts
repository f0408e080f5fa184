export * from "./types";
export { classifyItem, DEFAULT_RULES, readExplicitLabel, ruleMatches, rulesOf } from "./classify";
export {
  describeDecidingRule,
  describeRuleCondition,
  explainClassification,
  type ExplainStep,
  type Explanation,
} from "./explain";
export { computeReport, createContext, iso, type ReportOptions } from "./report";
export { localDate, quarterOf, type QuarterBounds, instantOfLocalTime } from "./quarter-calendar";
export { investmentShareOf, unclassifiedShareOf } from "./split";
export { sprintStateAt } from "./sprint-split";
export { resolveTarget } from "./targets";
export { formatPercent } from "./percent";
export { currentPeriods, findOpenFlags, type OpenFlag } from "./open-flags";
export { findTitlePatternProblem } from "./title-pattern";
