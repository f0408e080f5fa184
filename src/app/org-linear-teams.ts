import { z } from "zod";
import type { Report } from "../domain/index";
import { storeKeys, type Store } from "../store/index";
import { orgTeamKey, type OrgTeamInput } from "./org-overview";

/**
 * Linear teams on the Jira app's org page. The Jira app keeps no board for a Linear team, so when
 * its Linear sync computes a team's report it keeps what the org page needs: the report's periods
 * (sprints, quarters, flags and the team's own org quarters, no item), its name and where it is in
 * Linear. One value a team, however many issues: a report without items grows with the number of
 * cycles, and the store splits a value over Forge's 240 KiB into chunks.
 */

const storedLinearTeamSchema = z.object({
  teamKey: z.string().min(1),
  name: z.string(),
  url: z.string().nullable(),
  computedAt: z.iso.datetime({ offset: true }),
  report: z.custom<Report>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      "teams" in value &&
      Array.isArray(value.teams) &&
      "org" in value,
  ),
});
export type StoredLinearTeam = z.infer<typeof storedLinearTeamSchema>;

/**
 * The team's page in Linear, `https://linear.app/{workspace}/team/{KEY}`: the workspace's
 * `urlKey` (GraphQL `Organization.urlKey`) and the team's key, "used as a prefix in issue
 * identifiers … and in URLs" (`Team.key`, Linear's schema).
 */
export function linearTeamUrl(workspaceUrlKey: string, teamKey: string): string {
  return `https://linear.app/${encodeURIComponent(workspaceUrlKey)}/team/${encodeURIComponent(teamKey)}`;
}

/** Keeps a Linear team's report for the org page, its issue list left out. */
export async function storeLinearOrgTeam(
  store: Store,
  team: { readonly key: string; readonly name: string; readonly url: string | null },
  report: Report,
): Promise<void> {
  const value: StoredLinearTeam = {
    teamKey: team.key,
    name: team.name,
    url: team.url,
    computedAt: report.now,
    report: { ...report, teams: report.teams.map((entry) => ({ ...entry, items: [] })) },
  };
  await store.set(storeKeys.linearOrgTeam(team.key), value);
}

/** Every Linear team the sync kept, as org page teams; a value that does not parse is skipped. */
export async function readStoredLinearTeams(store: Store): Promise<OrgTeamInput[]> {
  const entries = await store.listByPrefix(storeKeys.linearOrgTeamPrefix());
  return entries.flatMap(({ value }) => {
    const parsed = storedLinearTeamSchema.safeParse(value);
    if (!parsed.success) return [];
    const { teamKey, name, url, computedAt, report } = parsed.data;
    return [
      {
        key: orgTeamKey({ source: "linear", teamKey }),
        source: "linear" as const,
        boardId: null,
        projectKey: null,
        teamUrl: url,
        name,
        state: { report, computedAt },
      },
    ];
  });
}

/** Drops the kept Linear teams that are not among `teamKeys` (no longer synced). */
export async function pruneLinearOrgTeams(
  store: Store,
  teamKeys: readonly string[],
): Promise<void> {
  const keep = new Set(teamKeys.map((key) => storeKeys.linearOrgTeam(key)));
  for (const { key } of await store.listByPrefix(storeKeys.linearOrgTeamPrefix())) {
    if (!keep.has(key)) await store.delete(key);
  }
}
