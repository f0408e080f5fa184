import { z } from "zod";
import type { Item, Report, Workspace } from "../domain/index";
import { decodeKeyPart, storeKeys, type Store } from "../store/index";
import { orgTeamKey, type OrgTeamInput } from "./org-overview";

/**
 * Linear teams on the Jira app's org page. The Jira app keeps no board for a Linear team, so when
 * its Linear sync computes a team's report it keeps two values a team:
 *
 * - what the org page needs (`linear-org:{KEY}`): the report's periods (sprints, quarters, flags
 *   and the team's own org quarters, no item), its name and where it is in Linear. It grows with
 *   the number of cycles, not issues, and is all `org/get` reads of the team.
 * - what the drill needs (`linear-drill:{KEY}`): the team's items with their history, its cycles,
 *   and the few items of other teams its numbers depend on. It grows with the team's issues (about
 *   10 MB at 20,000, `npm run bench:org`); the store splits a value over Forge's 240 KiB into
 *   chunks, and only a drill into the team reads it.
 *
 * The drill value is written before the summary and deleted before it, so a team on the page has
 * its issues kept from its first sync on.
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

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * The drill value as the sync wrote it: its workspace was parsed by the workspace schema before
 * the report was computed on it, so reading it back checks its shape only (parsing 20,000 items
 * again would cost the drill a second).
 */
const storedLinearDrillSchema = z.object({
  version: z.literal(1),
  teamKey: z.string().min(1),
  computedAt: z.iso.datetime({ offset: true }),
  /** The workspace's `Organization.urlKey`, for the issues' links; null when Linear did not say. */
  workspaceUrlKey: z.string().nullable(),
  workspace: z.custom<Workspace>(
    (v) =>
      isRecord(v) &&
      v.version === 1 &&
      Array.isArray(v.teams) &&
      Array.isArray(v.sprints) &&
      Array.isArray(v.items) &&
      v.items.every((item) => isRecord(item) && Array.isArray(item.history)),
  ),
});
export type StoredLinearDrill = z.infer<typeof storedLinearDrillSchema>;

/**
 * The team's page in Linear, `https://linear.app/{workspace}/team/{KEY}`: the workspace's
 * `urlKey` (GraphQL `Organization.urlKey`) and the team's key, "used as a prefix in issue
 * identifiers … and in URLs" (`Team.key`, Linear's schema).
 */
export function linearTeamUrl(workspaceUrlKey: string, teamKey: string): string {
  return `https://linear.app/${encodeURIComponent(workspaceUrlKey)}/team/${encodeURIComponent(teamKey)}`;
}

/**
 * An issue's page in Linear, `https://linear.app/{workspace}/issue/{IDENTIFIER}`: the workspace's
 * `urlKey` ("The workspace's unique URL key, used in URLs to identify the workspace",
 * `Organization.urlKey` in Linear's schema) and the issue's `identifier` (`ENG-123`). Built rather
 * than read (`Issue.url`), so the pull pays no complexity for it; the path is the one Linear's own
 * issue links have, where the title slug after the identifier is optional.
 */
export function linearIssueUrl(workspaceUrlKey: string, identifier: string): string {
  return `https://linear.app/${encodeURIComponent(workspaceUrlKey)}/issue/${encodeURIComponent(identifier)}`;
}

/**
 * What the drill needs of team `teamKey` in the workspace its report was computed on: the team,
 * its cycles and items, and from other teams only what its numbers depend on: the parents its
 * items inherit a category from (SPEC §3, with their teams' label names) and the items of the
 * people who work on it, which count in their n (SPEC §6a). Those others' titles are left out.
 */
export function linearDrillWorkspace(workspace: Workspace, teamKey: string): Workspace {
  const team = workspace.teams.find((entry) => entry.id === teamKey);
  if (team === undefined) return { ...workspace, teams: [], targets: [], sprints: [], items: [] };
  const own = workspace.items.filter((item) => item.teamId === teamKey);
  const byId = new Map(workspace.items.map((item) => [item.id, item]));
  const context = new Map<string, Item>();
  for (const item of own) {
    for (let parentId = item.parentId; parentId !== null;) {
      const parent = byId.get(parentId);
      if (parent === undefined || parent.teamId === teamKey || context.has(parent.id)) break;
      context.set(parent.id, parent);
      parentId = parent.parentId;
    }
  }
  const people = new Set(own.flatMap(assigneesOf));
  if (people.size > 0) {
    for (const item of workspace.items) {
      if (item.teamId === teamKey || context.has(item.id)) continue;
      if (assigneesOf(item).some((person) => people.has(person))) context.set(item.id, item);
    }
  }
  const contextTeams = new Set([...context.values()].map((item) => item.teamId));
  const sprintIds = new Set(own.flatMap((item) => sprintIdsOf(item)));
  return {
    version: 1,
    settings: workspace.settings,
    // The drill reads the first team as the one it drills into.
    teams: [team, ...workspace.teams.filter((entry) => contextTeams.has(entry.id))].filter(
      (entry, index, all) => all.indexOf(entry) === index,
    ),
    targets: [],
    sprints: workspace.sprints.filter(
      (sprint) => sprint.teamId === teamKey || sprintIds.has(sprint.id),
    ),
    items: [...own, ...[...context.values()].map((item) => ({ ...item, title: "" }))],
  };
}

function assigneesOf(item: Item): string[] {
  const people = item.assignee == null ? [] : [item.assignee];
  for (const event of item.history) {
    if (event.field !== "assignee") continue;
    if (event.from !== null) people.push(event.from);
    if (event.to !== null) people.push(event.to);
  }
  return people;
}

function sprintIdsOf(item: Item): string[] {
  const ids = [...item.sprintIds];
  for (const event of item.history) {
    if (event.field === "sprint") ids.push(...event.from, ...event.to);
  }
  return ids;
}

/**
 * Keeps a Linear team for the org page: its report without items, and (given the workspace the
 * report was computed on) what its drill needs, that first.
 */
export async function storeLinearOrgTeam(
  store: Store,
  team: { readonly key: string; readonly name: string; readonly url: string | null },
  report: Report,
  drill?: { readonly workspace: Workspace; readonly workspaceUrlKey: string | null },
): Promise<void> {
  if (drill !== undefined) {
    const value: StoredLinearDrill = {
      version: 1,
      teamKey: team.key,
      computedAt: report.now,
      workspaceUrlKey: drill.workspaceUrlKey,
      workspace: linearDrillWorkspace(drill.workspace, team.key),
    };
    await store.set(storeKeys.linearOrgDrill(team.key), value);
  }
  const value: StoredLinearTeam = {
    teamKey: team.key,
    name: team.name,
    url: team.url,
    computedAt: report.now,
    report: { ...report, teams: report.teams.map((entry) => ({ ...entry, items: [] })) },
  };
  await store.set(storeKeys.linearOrgTeam(team.key), value);
}

/** What the drill needs of a kept Linear team; null when nothing (readable) is kept. */
export async function readLinearOrgDrill(
  store: Store,
  teamKey: string,
): Promise<StoredLinearDrill | null> {
  const parsed = storedLinearDrillSchema.safeParse(
    await store.get(storeKeys.linearOrgDrill(teamKey)),
  );
  return parsed.success && parsed.data.teamKey === teamKey ? parsed.data : null;
}

/**
 * Which Jira project's browse permission governs who sees each Linear team on the org page
 * (team key → project); a team not listed is shown to Jira administrators only.
 */
const orgAccessSchema = z.record(
  z.string(),
  z.object({ projectId: z.number().int().positive(), projectKey: z.string().min(1) }),
);
export type LinearOrgAccess = z.infer<typeof orgAccessSchema>;

/** The admin page's choices of who sees each Linear team; none when nothing readable is kept. */
export async function readLinearOrgAccess(store: Store): Promise<LinearOrgAccess> {
  const parsed = orgAccessSchema.safeParse(await store.get(storeKeys.linearOrgAccess()));
  return parsed.success ? parsed.data : {};
}

/** Sets (or, with null, clears) the project whose browsers see Linear team `teamKey`. */
export async function setLinearOrgAccess(
  store: Store,
  teamKey: string,
  project: { readonly projectId: number; readonly projectKey: string } | null,
): Promise<LinearOrgAccess> {
  const access = await readLinearOrgAccess(store);
  if (project === null) delete access[teamKey];
  else access[teamKey] = project;
  await store.set(storeKeys.linearOrgAccess(), access);
  return access;
}

/**
 * Every Linear team the sync kept, as org page teams, each with the project whose browsers see it
 * (none: Jira administrators only); a value that does not parse is skipped. Two storage reads
 * however many teams and issues (one without a team): the drill values are never read here.
 */
export async function readStoredLinearTeams(store: Store): Promise<OrgTeamInput[]> {
  const entries = await store.listByPrefix(storeKeys.linearOrgTeamPrefix());
  // Without a Linear team, a page of boards reads nothing more.
  const access = entries.length === 0 ? {} : await readLinearOrgAccess(store);
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
        projectId: access[teamKey]?.projectId ?? null,
        teamUrl: url,
        name,
        state: { report, computedAt },
      },
    ];
  });
}

/** The team keys of the Linear teams kept for the org page. */
async function keptTeamKeys(store: Store): Promise<string[]> {
  const entries = await store.listByPrefix(storeKeys.linearOrgTeamPrefix());
  return entries.flatMap(({ value }) => {
    const parsed = storedLinearTeamSchema.safeParse(value);
    return parsed.success ? [parsed.data.teamKey] : [];
  });
}

/** Deletes what is kept of one Linear team: its drill value first, then its summary. */
async function deleteLinearOrgTeam(store: Store, teamKey: string): Promise<void> {
  await store.delete(storeKeys.linearOrgDrill(teamKey));
  await store.delete(storeKeys.linearOrgTeam(teamKey));
}

/** Drops the kept Linear teams that are not among `teamKeys` (no longer synced). */
export async function pruneLinearOrgTeams(
  store: Store,
  teamKeys: readonly string[],
): Promise<void> {
  const keep = new Set(teamKeys);
  const prefix = storeKeys.linearOrgTeamPrefix();
  for (const { key } of await store.listByPrefix(prefix)) {
    const teamKey = decodeKeyPart(key.slice(prefix.length));
    if (!keep.has(teamKey)) await deleteLinearOrgTeam(store, teamKey);
  }
}

/**
 * Forgets every Linear team the org page knows (Linear was disconnected): each team's drill value
 * and summary, whatever else `alsoTeamKeys` names (teams chosen on the admin page, whose drill
 * value a sync stopped midway may have left), and who sees them. Deleting what is already gone
 * is harmless, so a retry is too.
 */
export async function forgetLinearOrgTeams(
  store: Store,
  alsoTeamKeys: readonly string[],
): Promise<void> {
  const teamKeys = new Set([...(await keptTeamKeys(store)), ...alsoTeamKeys]);
  for (const teamKey of teamKeys) await deleteLinearOrgTeam(store, teamKey);
  // A summary that does not parse names no team; its key still goes.
  for (const { key } of await store.listByPrefix(storeKeys.linearOrgTeamPrefix())) {
    await store.delete(key);
  }
  await store.delete(storeKeys.linearOrgAccess());
}
