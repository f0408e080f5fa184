import type { WorkspaceFile } from "../workspace/schema.js";
import type { LinearSyncClient } from "./client.js";
import { LinearSyncError } from "./errors.js";
import {
  DEFAULT_CAPACITY_LABELS,
  mapCycle,
  mapIssue,
  mapTeam,
  needsHistory,
  type CapacityLabelNames,
} from "./map-team.js";
import type { LinearIssue, LinearTeam } from "./schemas.js";

type TeamFile = WorkspaceFile["teams"][number];
type SprintFile = NonNullable<WorkspaceFile["sprints"]>[number];
type ItemFile = NonNullable<WorkspaceFile["items"]>[number];

export interface PulledLinearTeam {
  readonly team: TeamFile;
  readonly sprints: readonly SprintFile[];
  /** Every issue for a full pull; only those updated after `since` for an incremental one. */
  readonly items: readonly ItemFile[];
  /** The latest `updatedAt` seen: the next incremental pull's `since`. */
  readonly cursor: string | null;
  /** Linear's id of each issue by identifier (`ENG-12`), for writes that take ids only. */
  readonly issueIds: Readonly<Record<string, string>>;
}

export type LinearPullProgress =
  | { readonly phase: "issues"; readonly team: string; readonly done: number }
  | {
      readonly phase: "history";
      readonly team: string;
      readonly done: number;
      readonly total: number;
    };

export interface LinearPullOptions {
  readonly since?: string | null;
  readonly labels?: CapacityLabelNames;
  readonly onProgress?: (progress: LinearPullProgress) => void;
  /** Label id → name for the whole workspace, when the caller has read it; else read here. */
  readonly labelNames?: ReadonlyMap<string, string>;
}

/** Finds teams by key (case-insensitive); every team the key sees when `keys` is empty. */
export async function findTeams(
  client: LinearSyncClient,
  keys: readonly string[],
): Promise<LinearTeam[]> {
  const teams = await client.listTeams();
  if (keys.length === 0) return teams;
  return keys.map((key) => {
    const team = teams.find((candidate) => candidate.key.toLowerCase() === key.toLowerCase());
    if (team === undefined) {
      const known = teams.map((candidate) => candidate.key).join(", ") || "none";
      throw new LinearSyncError(
        `No Linear team with key "${key}" is visible to this API key (teams: ${known}).`,
        "LINEAR_BAD_REQUEST",
        false,
        null,
      );
    }
    return team;
  });
}

/**
 * One team as SPEC §11 parts: its cycles, its issues in pages of 250 and the history of only the
 * issues that changed after creation. With `since`, an incremental pull: only issues updated
 * after it (cycles are few and always read whole).
 */
export async function pullLinearTeam(
  client: LinearSyncClient,
  team: LinearTeam,
  options: LinearPullOptions = {},
): Promise<PulledLinearTeam> {
  const { cycles, stateTypes } = await client.listCycles(team.id);
  const labelNames =
    options.labelNames ??
    new Map((await client.listLabels({})).map((label) => [label.id, label.name]));
  const issues = await client.listIssues(team.id, {
    since: options.since ?? null,
    onPage: (done) => options.onProgress?.({ phase: "issues", team: team.key, done }),
  });
  const needing = issues.filter(needsHistory).map((issue) => issue.id);
  const histories = await client.listHistory(needing, (done) =>
    options.onProgress?.({ phase: "history", team: team.key, done, total: needing.length }),
  );
  return {
    team: mapTeam(team, options.labels ?? DEFAULT_CAPACITY_LABELS),
    sprints: cycles.map((cycle) => mapCycle(team.key, cycle)),
    items: issues.map((issue) =>
      mapIssue(team.key, issue, histories.get(issue.id) ?? [], { labels: labelNames, stateTypes }),
    ),
    cursor: latestUpdate(issues, options.since ?? null),
    issueIds: Object.fromEntries(issues.map((issue) => [issue.identifier, issue.id])),
  };
}

/** An incremental pull laid over the previous full state: changed issues replace their old selves. */
export function mergePulledTeam(
  previous: PulledLinearTeam,
  changes: PulledLinearTeam,
): PulledLinearTeam {
  const byId = new Map(previous.items.map((item) => [item.id, item]));
  for (const item of changes.items) byId.set(item.id, item);
  return {
    team: changes.team,
    sprints: changes.sprints,
    items: [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    cursor: changes.cursor ?? previous.cursor,
    issueIds: { ...previous.issueIds, ...changes.issueIds },
  };
}

/** Pulled teams as one workspace file; targets are the product's, so none come from Linear. */
export function linearWorkspaceFile(teams: readonly PulledLinearTeam[]): WorkspaceFile {
  return {
    version: 1,
    settings: { fiscalYearStartMonth: 1 },
    teams: teams.map((pulled) => pulled.team),
    targets: [],
    sprints: teams.flatMap((pulled) => pulled.sprints),
    items: teams.flatMap((pulled) => pulled.items),
  };
}

function latestUpdate(issues: readonly LinearIssue[], since: string | null): string | null {
  let latest = since;
  for (const issue of issues) {
    if (latest === null || Date.parse(issue.updatedAt) > Date.parse(latest))
      latest = issue.updatedAt;
  }
  return latest;
}
