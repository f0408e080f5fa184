import { z } from "zod";
import { parsePayload } from "./parse-payload";
import { type Store, storeKeys } from "../store/index";
import { findTitlePatternProblem } from "../domain/index";
import { teamFileSchema } from "../workspace/index";

/** Jira keeps labels of at most 255 characters; a longer one could never be written. */
const LABEL_MAX = 255;
const labelSchema = z.string().min(1).max(LABEL_MAX);

/** A rule's condition lists as many values as a person types, each a label's or a name's length. */
const RULE_VALUES_MAX = 100;

/**
 * What a project admin sets for a team (SPEC §2, §3, §7, §9): unit, weight of unestimated work,
 * timezone, the two explicit labels, the rules, the fiscal year's first month, and the actual
 * measure its flags judge. Strict, so a
 * typo is an error instead of a silently ignored setting.
 */
export const teamSettingsSchema = z.strictObject({
  unit: teamFileSchema.shape.unit.unwrap().optional(),
  unestimatedWeight: teamFileSchema.shape.unestimatedWeight.unwrap().optional(),
  timezone: teamFileSchema.shape.timezone.unwrap().optional(),
  labels: z.strictObject({ roadmap: labelSchema, investment: labelSchema }).optional(),
  rules: teamFileSchema.shape.rules.unwrap().optional(),
  fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
  /** Which measure the team's flags judge (SPEC §9): delivered points or spent person-days. */
  actual: teamFileSchema.shape.actual,
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;

type RuleInput = NonNullable<TeamSettings["rules"]>[number];

/**
 * Rules as a person enters them (SPEC §3): besides the stored shape, every rule names at least one
 * condition and no condition is an empty list, since an empty `if` would claim every item that
 * reaches it and an empty list matches nothing; both are mistakes an editor makes, not intents.
 */
export const rulesInputSchema = teamFileSchema.shape.rules
  .unwrap()
  .max(50, { error: "expected at most 50 rules" })
  .superRefine((rules, context) => {
    rules.forEach((rule, index) => {
      for (const problem of findRuleProblems(rule)) {
        context.addIssue({ code: "custom", path: [index, "if"], message: problem });
      }
    });
  });

/** What is wrong with one rule, in words; empty when it can be saved. */
export function findRuleProblems(rule: RuleInput): string[] {
  const problems: string[] = [];
  const { titleMatches, ...lists } = rule.if;
  const named = Object.entries(lists).filter(([, values]) => values !== undefined);
  if (named.length === 0 && titleMatches === undefined) {
    problems.push("a rule needs at least one condition");
  }
  for (const [key, values] of named) {
    if (!values || values.every((value) => value.trim() === "")) {
      problems.push(`${key} lists no value`);
    } else if (values.length > RULE_VALUES_MAX) {
      problems.push(`${key} lists ${values.length} values; at most ${RULE_VALUES_MAX}`);
    } else if (values.some((value) => value.length > LABEL_MAX)) {
      problems.push(`${key} lists a value longer than ${LABEL_MAX} characters`);
    }
  }
  if (titleMatches !== undefined && titleMatches.trim() === "") {
    problems.push("the title pattern is empty");
  }
  return problems;
}

/**
 * The team's stored settings as they are read, field by field, so one field that no longer parses
 * costs only that field: what is valid is kept and every problem is said in `warnings`.
 *
 * A stored rule whose `titleMatches` RE2 refuses (a pattern saved when JavaScript's engine ran it,
 * with a lookahead or a backreference) is kept in `stored`, so the settings page shows it to be
 * fixed and a save of other fields refuses it rather than dropping it, but it is left out of
 * `inForce`. The rules in force keep their stored order and are numbered 1, 2, … as they apply,
 * so a report's `rule:N` counts only the rules in force; each warning says so. When no stored rule
 * is in force the default rules apply, as for a team without rules. Reading never writes.
 */
export interface TeamSettingsReading {
  /** Every valid stored field; rules as stored, refused patterns included, for the settings page. */
  readonly stored: TeamSettings;
  /** What classification uses: `stored` without the rules that are not applied. */
  readonly inForce: TeamSettings;
  /** One sentence per problem found, empty when the stored settings are valid as a whole. */
  readonly warnings: readonly string[];
}

const ruleSchema = teamFileSchema.shape.rules.unwrap().element;
/** A rule whose only possible fault is its pattern's syntax: the page can show it to be fixed. */
const ruleShapeSchema = ruleSchema.extend({
  if: ruleSchema.shape.if.extend({ titleMatches: z.string().optional() }),
});

export async function readTeamSettings(store: Store, teamId: string): Promise<TeamSettingsReading> {
  const raw: unknown = await store.get(storeKeys.teamSettings(teamId));
  if (raw === undefined || raw === null) return { stored: {}, inForce: {}, warnings: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return {
      stored: {},
      inForce: {},
      warnings: [
        "The stored settings are not an object; every default applies until they are saved.",
      ],
    };
  }
  const record = raw as Record<string, unknown>;
  const stored: Record<string, unknown> = {};
  const warnings: string[] = [];
  let inForceRules: TeamSettings["rules"];
  for (const [key, value] of Object.entries(record)) {
    if (!Object.hasOwn(teamSettingsSchema.shape, key)) {
      warnings.push(
        `The stored settings hold an unknown field ${JSON.stringify(key)}; it is ignored.`,
      );
      continue;
    }
    if (key === "rules" && Array.isArray(value)) {
      const read = readRules(value);
      stored.rules = read.stored;
      inForceRules = read.inForce;
      warnings.push(...read.warnings);
      continue;
    }
    const field = teamSettingsSchema.shape[key as keyof TeamSettings].safeParse(value);
    if (field.success) {
      if (field.data !== undefined) stored[key] = field.data;
    } else {
      const reason = field.error.issues.map((issue) => issue.message).join("; ");
      warnings.push(
        `The stored ${key} is not valid (${reason}); the default applies until it is saved again.`,
      );
    }
  }
  const settings = stored as TeamSettings;
  const inForce: TeamSettings = { ...settings };
  if (inForceRules) inForce.rules = inForceRules;
  return { stored: settings, inForce, warnings };
}

function readRules(values: readonly unknown[]): {
  stored: NonNullable<TeamSettings["rules"]>;
  inForce: NonNullable<TeamSettings["rules"]>;
  warnings: string[];
} {
  const stored: RuleInput[] = [];
  const inForce: RuleInput[] = [];
  const warnings: string[] = [];
  values.forEach((value, index) => {
    const number = index + 1;
    const valid = ruleSchema.safeParse(value);
    if (valid.success) {
      stored.push(valid.data);
      inForce.push(valid.data);
      return;
    }
    const shape = ruleShapeSchema.safeParse(value);
    const pattern = shape.success ? shape.data.if.titleMatches : undefined;
    const problem = pattern === undefined ? null : findTitlePatternProblem(pattern);
    if (shape.success && problem !== null) {
      stored.push(shape.data);
      warnings.push(
        `Rule ${number}'s title pattern ${JSON.stringify(pattern)} is ${problem}; it is not applied until fixed.`,
      );
    } else {
      const reason = valid.error.issues.map((issue) => issue.message).join("; ");
      warnings.push(`Rule ${number} is not a valid rule (${reason}); it is not applied.`);
    }
  });
  if (inForce.length < values.length) {
    warnings.push(
      inForce.length === 0
        ? "No stored rule is applied, so the default rules apply until the rules are fixed."
        : "Until then reports number the rules in force 1, 2, … in their order, skipping the rules not applied.",
    );
  }
  return { stored, inForce, warnings };
}

/**
 * What applies to each field the team's settings leave out: the board source's own values (the
 * workspace file's team on the self-hosted server, the product's defaults and the board's
 * estimation in Jira). A field left out of the settings keeps following these.
 */
export type TeamDefaults = Required<TeamSettings>;

/**
 * What `settings/get` answers: the stored settings as the page edits them, with `warnings` only
 * when something stored is not applied, so valid settings answer exactly what was saved; and
 * beside them, in `defaults`, what applies to every field they leave out.
 */
export type TeamSettingsAnswer = TeamSettings & {
  readonly warnings?: readonly string[];
  readonly defaults: TeamDefaults;
};

export function answerOf(reading: TeamSettingsReading, defaults: TeamDefaults): TeamSettingsAnswer {
  return reading.warnings.length > 0
    ? { ...reading.stored, warnings: reading.warnings, defaults }
    : { ...reading.stored, defaults };
}

/**
 * The team's settings in force: every valid stored field, and the stored rules RE2 accepts (see
 * `readTeamSettings`); empty (every default) when none were saved.
 */
export async function getTeamSettings(store: Store, teamId: string): Promise<TeamSettings> {
  return (await readTeamSettings(store, teamId)).inForce;
}

/** Settings as they are saved: rules are held to what a person may enter (`rulesInputSchema`). */
export const settingsInputSchema = teamSettingsSchema.extend({
  rules: rulesInputSchema.optional(),
});

/**
 * Replaces the team's settings with a validated whole; returns what was stored. Invalid settings
 * are a BAD_REQUEST naming each problem with its path, and nothing is stored.
 */
export async function setTeamSettings(
  store: Store,
  teamId: string,
  settings: TeamSettings,
): Promise<TeamSettings> {
  const valid = parsePayload(settingsInputSchema, settings);
  await store.set(storeKeys.teamSettings(teamId), valid);
  return valid;
}
