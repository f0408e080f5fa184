import {
  type Category,
  classifyItem,
  createContext,
  type ItemCategory,
  type Rule,
  type RuleCondition,
  rulesOf,
  type Team,
  type Workspace,
} from "../domain/index";
import { AppError } from "./app-error";

/** One rule's share of the board under the edited list (SPEC §3 rule 3, first match wins). */
export interface RulePreview {
  /** 1-based, as in the provenance `rule:N`. */
  readonly rule: number;
  readonly if: RuleCondition;
  readonly then: Category;
  /** Items this rule would decide: no label, ancestor or earlier rule decided them first. */
  readonly items: number;
}

export interface RulesPreview {
  /** Every item of the board, each counted once below. */
  readonly items: number;
  /** Items decided before any rule is asked (SPEC §3 rules 1 and 2). */
  readonly explicit: number;
  readonly conflict: number;
  readonly inherited: number;
  /** True when the edited list is empty, so the default rules of SPEC §3 are what would apply. */
  readonly usesDefaultRules: boolean;
  readonly rules: readonly RulePreview[];
  /** Items no label, ancestor or rule decides, conflicts included. */
  readonly unclassified: number;
  /** Items whose category differs from what the saved rules give them. */
  readonly changed: number;
  /** The first changed items by id, so a person can check a few by hand. */
  readonly examples: readonly {
    readonly id: string;
    readonly title: string;
    readonly from: ItemCategory;
    readonly to: ItemCategory;
  }[];
}

const EXAMPLES = 10;

/**
 * How the board's items would be classified with `rules` instead of the saved ones (the saved ones
 * themselves when `rules` is absent): the domain's own classifier runs twice over the same items,
 * so the preview and the report cannot disagree. A rule only counts the items that reach it;
 * labels and inheritance are untouched by rules.
 */
export function previewRules(workspace: Workspace, proposed?: readonly Rule[]): RulesPreview {
  const saved = workspace.teams[0];
  if (!saved) throw new AppError("NOT_FOUND", "This board has no team to preview rules for.");
  const rules = proposed ?? saved.rules;
  const edited: Team = { ...saved, rules };
  const before = createContext(workspace);
  const after = {
    itemById: before.itemById,
    teamById: new Map(
      [...before.teamById].map(([id, team]) => [id, team === saved ? edited : team]),
    ),
  };
  const editedRules = rulesOf(edited);
  const perRule = editedRules.map(() => 0);
  let explicit = 0;
  let conflict = 0;
  let inherited = 0;
  let unclassified = 0;
  let changed = 0;
  const examples: { id: string; title: string; from: ItemCategory; to: ItemCategory }[] = [];
  const items = [...workspace.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const item of items) {
    const next = classifyItem(item, after);
    if (next.source === "explicit") explicit++;
    else if (next.source === "conflict") conflict++;
    else if (next.source === "inherited") inherited++;
    else if (next.source === "rule" && next.via !== null) {
      const index = Number(next.via.slice("rule:".length)) - 1;
      perRule[index] = (perRule[index] ?? 0) + 1;
    }
    if (next.category === "unclassified") unclassified++;
    const previous = classifyItem(item, before);
    if (previous.category !== next.category) {
      changed++;
      if (examples.length < EXAMPLES) {
        examples.push({
          id: item.id,
          title: item.title,
          from: previous.category,
          to: next.category,
        });
      }
    }
  }
  return {
    items: items.length,
    explicit,
    conflict,
    inherited,
    usesDefaultRules: rules.length === 0,
    rules: editedRules.map((rule, index) => ({
      rule: index + 1,
      if: rule.if,
      then: rule.then,
      items: perRule[index] ?? 0,
    })),
    unclassified,
    changed,
    examples,
  };
}
