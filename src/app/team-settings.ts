import { z } from "zod";
import { parsePayload } from "./parse-payload";
import { storeKeys } from "../store/keys";
import type { Store } from "../store/store";
import { teamFileSchema } from "../workspace/schema";

/**
 * What a project admin sets for a team (SPEC §2, §3, §7): unit, weight of unestimated work,
 * timezone, the two explicit labels, the rules, and the fiscal year's first month. Strict, so a
 * typo is an error instead of a silently ignored setting.
 */
export const teamSettingsSchema = z.strictObject({
  unit: teamFileSchema.shape.unit.unwrap().optional(),
  unestimatedWeight: teamFileSchema.shape.unestimatedWeight.unwrap().optional(),
  timezone: teamFileSchema.shape.timezone.unwrap().optional(),
  labels: teamFileSchema.shape.labels,
  rules: teamFileSchema.shape.rules.unwrap().optional(),
  fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
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
    }
  }
  if (titleMatches !== undefined && titleMatches.trim() === "") {
    problems.push("the title pattern is empty");
  }
  return problems;
}

/** The team's stored settings; empty (every default) when none were saved or they no longer parse. */
export async function getTeamSettings(store: Store, teamId: string): Promise<TeamSettings> {
  const parsed = teamSettingsSchema.safeParse(await store.get(storeKeys.teamSettings(teamId)));
  return parsed.success ? parsed.data : {};
}

/** Settings as they are saved: rules are held to what a person may enter (`rulesInputSchema`). */
const settingsInputSchema = teamSettingsSchema.extend({ rules: rulesInputSchema.optional() });

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
