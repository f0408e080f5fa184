import { z } from "zod";
import { storeKeys } from "../store/keys.js";
import type { Store } from "../store/store.js";
import { teamFileSchema } from "../workspace/schema.js";

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

/** The team's stored settings; empty (every default) when none were saved or they no longer parse. */
export async function getTeamSettings(store: Store, teamId: string): Promise<TeamSettings> {
  const parsed = teamSettingsSchema.safeParse(await store.get(storeKeys.teamSettings(teamId)));
  return parsed.success ? parsed.data : {};
}

/** Replaces the team's settings with a validated whole; returns what was stored. */
export async function setTeamSettings(
  store: Store,
  teamId: string,
  settings: TeamSettings,
): Promise<TeamSettings> {
  const valid = teamSettingsSchema.parse(settings);
  await store.set(storeKeys.teamSettings(teamId), valid);
  return valid;
}
