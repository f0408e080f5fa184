import {
  classifyItem,
  MAX_INHERITANCE_DEPTH,
  readExplicitLabel,
  ruleMatches,
  rulesOf,
  type ClassificationContext,
} from "./classify";
import type { Classification, Item, Rule, RuleCondition, Team } from "./types";

export type ExplainStep =
  | {
      readonly kind: "labels";
      readonly itemId: string;
      readonly labels: readonly string[];
      readonly expected: { readonly roadmap: string; readonly investment: string };
      readonly found: "roadmap" | "investment" | "conflict" | null;
    }
  | {
      readonly kind: "ancestor";
      readonly depth: number;
      readonly itemId: string;
      readonly title: string;
      readonly found: "roadmap" | "investment" | "conflict" | null;
    }
  | {
      readonly kind: "chain-end";
      readonly reason: "top" | "cycle" | "depth" | "missing";
      readonly itemId: string | null;
    }
  | {
      readonly kind: "rule";
      readonly index: number;
      readonly rule: Rule;
      readonly isDefault: boolean;
      readonly matched: boolean;
    };

export interface Explanation {
  readonly classification: Classification;
  readonly steps: readonly ExplainStep[];
}

/**
 * SPEC §3 traced: every check `classifyItem` makes, in order, up to the one that decided. The
 * classification itself comes from `classifyItem`, so the two can never disagree.
 */
export function explainClassification(item: Item, context: ClassificationContext): Explanation {
  const classification = classifyItem(item, context);
  const steps: ExplainStep[] = [];
  const team = context.teamById.get(item.teamId);
  const own = team ? readExplicitLabel(item, team) : null;
  steps.push({
    kind: "labels",
    itemId: item.id,
    labels: item.labels,
    expected: team?.labels ?? { roadmap: "", investment: "" },
    found: own,
  });
  if (own !== null) return { classification, steps };

  const visited = new Set<string>([item.id]);
  let parentId = item.parentId;
  let depth = 0;
  for (;;) {
    if (parentId === null) {
      steps.push({ kind: "chain-end", reason: "top", itemId: null });
      break;
    }
    if (depth >= MAX_INHERITANCE_DEPTH) {
      steps.push({ kind: "chain-end", reason: "depth", itemId: parentId });
      break;
    }
    if (visited.has(parentId)) {
      steps.push({ kind: "chain-end", reason: "cycle", itemId: parentId });
      break;
    }
    visited.add(parentId);
    const parent = context.itemById.get(parentId);
    if (!parent) {
      steps.push({ kind: "chain-end", reason: "missing", itemId: parentId });
      break;
    }
    depth++;
    const parentTeam = context.teamById.get(parent.teamId);
    const found = parentTeam ? readExplicitLabel(parent, parentTeam) : null;
    steps.push({ kind: "ancestor", depth, itemId: parent.id, title: parent.title, found });
    if (found === "roadmap" || found === "investment") return { classification, steps };
    parentId = parent.parentId;
  }

  if (team) {
    const rules = rulesOf(team);
    const isDefault = team.rules.length === 0;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as Rule;
      const matched = ruleMatches(rule, item);
      steps.push({ kind: "rule", index: i + 1, rule, isDefault, matched });
      if (matched) break;
    }
  }
  return { classification, steps };
}

/**
 * SPEC §3: a rule's conditions in words, the one wording that `explain`, the pages and the issue
 * panel share: conditions joined by "and" (all must hold), a list's values by "or" (any one
 * matches, in any case), e.g. `type is Story or Feature and label is api`.
 */
export function describeRuleCondition(condition: RuleCondition): string {
  const parts: string[] = [];
  const list = (values: readonly string[]): string => values.join(" or ");
  if (condition.type) parts.push(`type is ${list(condition.type)}`);
  if (condition.labels) parts.push(`label is ${list(condition.labels)}`);
  if (condition.components) parts.push(`component is ${list(condition.components)}`);
  if (condition.project) parts.push(`project is ${list(condition.project)}`);
  if (condition.titleMatches !== undefined)
    parts.push(`title matches /${condition.titleMatches}/i`);
  return parts.join(" and ") || "every item";
}

/**
 * SPEC §3, §10: the conditions, in words, of the rule a `rule:N` provenance names among the
 * team's rules in force (its own, else the defaults); null when no rule decided or N names none.
 */
export function describeDecidingRule(team: Pick<Team, "rules">, via: string | null): string | null {
  const match = via === null ? null : /^rule:([1-9]\d*)$/.exec(via);
  const rule = match === null ? undefined : rulesOf(team)[Number(match[1]) - 1];
  return rule === undefined ? null : describeRuleCondition(rule.if);
}
