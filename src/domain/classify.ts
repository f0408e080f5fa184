import { compileTitlePattern, type TitlePattern } from "./title-pattern";
import type { Category, Classification, Item, Rule, Team } from "./types";

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

/**
 * A team's labels and rules, lower-cased and compiled once per rule set (team and rule objects are
 * the cache keys), so classifying many items stays cheap.
 */
interface CompiledTeam {
  readonly roadmap: string;
  readonly investment: string;
  readonly rules: readonly CompiledRule[];
}

interface CompiledRule {
  readonly rule: Rule;
  /** The classification this rule gives at each position in a team's list. */
  readonly results: Classification[];
  readonly type?: ReadonlySet<string>;
  readonly labels?: ReadonlySet<string>;
  readonly components?: ReadonlySet<string>;
  readonly project?: ReadonlySet<string>;
  readonly title?: TitlePattern;
}

const compiled = new WeakMap<Team, CompiledTeam>();
function compileTeam(team: Team): CompiledTeam {
  let result = compiled.get(team);
  if (!result) {
    result = {
      roadmap: team.labels.roadmap.toLowerCase(),
      investment: team.labels.investment.toLowerCase(),
      rules: rulesOf(team).map((rule, index) => {
        const compiledRule = compileRule(rule);
        compiledRule.results[index] ??= ruleResult(rule, index);
        return compiledRule;
      }),
    };
    compiled.set(team, result);
  }
  return result;
}

const compiledRules = new WeakMap<Rule, CompiledRule>();
function compileRule(rule: Rule): CompiledRule {
  let result = compiledRules.get(rule);
  if (!result) {
    const lower = (list: readonly string[] | undefined) =>
      list && new Set(list.map((value) => value.toLowerCase()));
    const { type, labels, components, project, titleMatches } = rule.if;
    result = {
      rule,
      results: [],
      type: lower(type),
      labels: lower(labels),
      components: lower(components),
      project: lower(project),
      // Case-insensitive like every other condition; RE2, so matching is linear in the title.
      title: titleMatches === undefined ? undefined : compileTitlePattern(titleMatches),
    };
    compiledRules.set(rule, result);
  }
  return result;
}

/** SPEC §3 rule 1: the explicit label an item carries, matched case-insensitively. */
export function readExplicitLabel(item: Item, team: Team): ExplicitLabel {
  const { roadmap, investment } = compileTeam(team);
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
export function rulesOf(team: Pick<Team, "rules">): readonly Rule[] {
  return team.rules.length > 0 ? team.rules : DEFAULT_RULES;
}

/**
 * SPEC §3 rule 3: a rule holds when every condition it names holds; within one list any value
 * matches, case-insensitively. `titleMatches` is a case-insensitive RE2 pattern (SPEC §11) that
 * may match anywhere in the title; an invalid one throws, naming the pattern.
 */
export function ruleMatches(rule: Rule, item: Item): boolean {
  return compiledRuleMatches(compileRule(rule), item);
}

function compiledRuleMatches(rule: CompiledRule, item: Item): boolean {
  if (rule.type && !rule.type.has(item.type.toLowerCase())) return false;
  if (rule.labels && !anyIn(rule.labels, item.labels)) return false;
  if (rule.components && !anyIn(rule.components, item.components)) return false;
  if (rule.project && (item.project === null || !rule.project.has(item.project.toLowerCase()))) {
    return false;
  }
  return rule.title === undefined || rule.title.test(item.title);
}

function anyIn(wanted: ReadonlySet<string>, actual: readonly string[]): boolean {
  for (const value of actual) if (wanted.has(value.toLowerCase())) return true;
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
  if (own === "conflict") return CONFLICT;
  if (own !== null) return own === "roadmap" ? EXPLICIT_ROADMAP : EXPLICIT_INVESTMENT;

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
    const rules = compileTeam(team).rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as CompiledRule;
      if (compiledRuleMatches(rule, item)) return rule.results[i] ?? ruleResult(rule.rule, i);
    }
  }
  return NONE;
}

// Classifications are plain values shared between items: a big report classifies every item.
const CONFLICT: Classification = { category: "unclassified", source: "conflict", via: null };
const EXPLICIT_ROADMAP: Classification = { category: "roadmap", source: "explicit", via: null };
const EXPLICIT_INVESTMENT: Classification = {
  category: "investment",
  source: "explicit",
  via: null,
};
const NONE: Classification = { category: "unclassified", source: "none", via: null };

function ruleResult(rule: Rule, index: number): Classification {
  return { category: rule.then, source: "rule", via: `rule:${index + 1}` };
}
