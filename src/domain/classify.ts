import type { Category, Classification, Item, Rule, Team } from "./types.js";

/** SPEC §3: the rules a team without rules of its own uses. Bugs are deliberately left out. */
export const DEFAULT_RULES: readonly Rule[] = [
  {
    if: {
      labels: [
        "tech-debt",
        "techdebt",
        "refactor",
        "refactoring",
        "infra",
        "infrastructure",
        "reliability",
        "security",
        "performance",
        "platform",
        "devex",
        "chore",
        "maintenance",
      ],
    },
    then: "investment",
  },
  { if: { type: ["Tech Debt", "Technical Debt", "Chore", "Maintenance"] }, then: "investment" },
  { if: { type: ["Story", "Feature", "New Feature"] }, then: "roadmap" },
];

/** SPEC §3: how far up the parent chain inheritance looks. */
export const MAX_INHERITANCE_DEPTH = 10;

type ExplicitLabel = Category | "conflict" | null;

/** SPEC §3 rule 1: the explicit label an item carries, matched case-insensitively. */
export function readExplicitLabel(item: Item, team: Team): ExplicitLabel {
  const roadmap = team.labels.roadmap.toLowerCase();
  const investment = team.labels.investment.toLowerCase();
  let hasRoadmap = false;
  let hasInvestment = false;
  for (const label of item.labels) {
    const lower = label.toLowerCase();
    if (lower === roadmap) hasRoadmap = true;
    if (lower === investment) hasInvestment = true;
  }
  if (hasRoadmap && hasInvestment) return "conflict";
  return hasRoadmap ? "roadmap" : hasInvestment ? "investment" : null;
}

/** The rules in force for a team: its own, or the defaults when it has none (SPEC §3). */
export function rulesOf(team: Team): readonly Rule[] {
  return team.rules.length > 0 ? team.rules : DEFAULT_RULES;
}

/**
 * SPEC §3 rule 3: a rule holds when every condition it names holds; within one list any value
 * matches, case-insensitively. `titleMatches` is a case-insensitive regular expression.
 */
export function ruleMatches(rule: Rule, item: Item): boolean {
  const cond = rule.if;
  if (cond.type && !anyEqual(cond.type, [item.type])) return false;
  if (cond.labels && !anyEqual(cond.labels, item.labels)) return false;
  if (cond.components && !anyEqual(cond.components, item.components)) return false;
  if (cond.project && !anyEqual(cond.project, item.project === null ? [] : [item.project])) {
    return false;
  }
  if (cond.titleMatches !== undefined && !compileTitleRegex(cond.titleMatches).test(item.title)) {
    return false;
  }
  return true;
}

const regexCache = new Map<string, RegExp>();
function compileTitleRegex(source: string): RegExp {
  let regex = regexCache.get(source);
  if (!regex) {
    regex = new RegExp(source, "i");
    regexCache.set(source, regex);
  }
  return regex;
}

function anyEqual(wanted: readonly string[], actual: readonly string[]): boolean {
  for (const a of actual) {
    const lower = a.toLowerCase();
    for (const w of wanted) if (w.toLowerCase() === lower) return true;
  }
  return false;
}

/** Looks up an item and the team whose labels and rules apply to it. */
export interface ClassificationContext {
  readonly itemById: ReadonlyMap<string, Item>;
  readonly teamById: ReadonlyMap<string, Team>;
}

/**
 * SPEC §3: the item's category and provenance, first match wins: explicit label (both labels is a
 * conflict, which never inherits), the nearest unambiguously labelled ancestor within 10 levels
 * (cycles ignored), the team's rules (or the defaults), otherwise none.
 */
export function classifyItem(item: Item, context: ClassificationContext): Classification {
  const team = context.teamById.get(item.teamId);
  const own = team ? readExplicitLabel(item, team) : null;
  if (own === "conflict") return { category: "unclassified", source: "conflict", via: null };
  if (own !== null) return { category: own, source: "explicit", via: null };

  const visited = new Set<string>([item.id]);
  let parentId = item.parentId;
  for (let depth = 0; depth < MAX_INHERITANCE_DEPTH && parentId !== null; depth++) {
    if (visited.has(parentId)) break;
    visited.add(parentId);
    const parent = context.itemById.get(parentId);
    if (!parent) break;
    const parentTeam = context.teamById.get(parent.teamId);
    const label = parentTeam ? readExplicitLabel(parent, parentTeam) : null;
    if (label === "roadmap" || label === "investment") {
      return { category: label, source: "inherited", via: parent.id };
    }
    parentId = parent.parentId;
  }

  if (team) {
    const rules = rulesOf(team);
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as Rule;
      if (ruleMatches(rule, item)) return { category: rule.then, source: "rule", via: `rule:${i + 1}` };
    }
  }
  return { category: "unclassified", source: "none", via: null };
}
