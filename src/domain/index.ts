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
export {
  instantOfLocalTime,
  localDate,
  nextQuarter,
  quarterOf,
  type QuarterBounds,
} from "./quarter-calendar";
export {
  addTo,
  emptySplit,
  investmentShareOf,
  totalOf,
  unclassifiedShareOf,
  weightAt,
  type SplitSum,
} from "./split";
// The report's own steps, for computing what one item adds to a split (the drill-down).
export { computeSpent, spentOfItemsBetween, type SpentInput } from "./spent";
export { computeSprintSplit, findDeliverySprint, sprintEnd, sprintStateAt } from "./sprint-split";
export { buildTimeline, type Timeline } from "./timeline";
export { resolveTarget } from "./targets";
export { reportOrg, type OrgInputs } from "./org";
export { counted, formatPercent, possessive, withUnit } from "./percent";
export { isAbove, isBelow } from "./flags";
export { currentPeriods, findOpenFlags, type OpenFlag } from "./open-flags";
export { findTitlePatternProblem } from "./title-pattern";
export {
  DRILL_REASONS,
  drillRequestsOfFlag,
  type DrillReason,
  type DrillRequest,
} from "./drill-request";
