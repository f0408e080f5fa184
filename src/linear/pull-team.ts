import type { WorkspaceFile } from "../workspace/schema";
import type { LinearSyncClient } from "./client";
import { LinearSyncError } from "./errors";
import {
  DEFAULT_CAPACITY_LABELS,
  mapCycle,
  mapIssue,
  mapTeam,
  needsHistory,
  type CapacityLabelNames,
} from "./map-team";
import { HISTORY_BATCH } from "./documents";
import type { LinearHistoryEntry, LinearIssue, LinearTeam } from "./schemas";

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

/**
 * A team's pull so far, as Linear answered it: enough to continue the pull where it stopped, and
 * to give then exactly what an uninterrupted pull gives (the mapping runs once, at the end).
 */
export interface LinearPullCheckpoint {
  /** The `since` the pull started from: a checkpoint continues only a pull from the same one. */
  readonly since: string | null;
  /** The issues pages read, in order. */
  readonly issuePages: readonly (readonly LinearIssue[])[];
  /** The page cursor to read on from; meaningless once `issuesDone`. */
  readonly after: string | null;
  readonly issuesDone: boolean;
  /**
   * The histories read, one record (issue id → entries) per batch of `HISTORY_BATCH` of the
   * issues that need one, in the order the pull asks for them.
   */
  readonly historyBatches: readonly Readonly<Record<string, readonly LinearHistoryEntry[]>>[];
}

/** What the last step added to a checkpoint, so a saver can write that part alone. */
export type LinearPullStep =
  | { readonly kind: "issues"; readonly page: number }
  | { readonly kind: "history"; readonly batch: number };

export interface LinearPullOptions {
  readonly since?: string | null;
  readonly labels?: CapacityLabelNames;
  readonly onProgress?: (progress: LinearPullProgress) => void;
  /** Label id → name for the whole workspace, when the caller has read it; else read here. */
  readonly labelNames?: ReadonlyMap<string, string>;
  /** A checkpoint of an earlier, interrupted pull; ignored unless it started from `since`. */
  readonly resume?: LinearPullCheckpoint | null;
  /**
   * Called, and awaited, after every issues page and history batch but the last step: a host
   * saves it, so a run stopped by a rate limit or a timeout loses at most one request's work.
   */
  readonly onCheckpoint?: (checkpoint: LinearPullCheckpoint, step: LinearPullStep) => Promise<void>;
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
 * after it (cycles are few and always read whole). With `resume`, the pages and batches an
 * interrupted pull from the same `since` read are not read again; `onCheckpoint` hands out what
 * to save for that after every step.
 */
export async function pullLinearTeam(
  client: LinearSyncClient,
  team: LinearTeam,
  options: LinearPullOptions = {},
): Promise<PulledLinearTeam> {
  const since = options.since ?? null;
  const { cycles, stateTypes } = await client.listCycles(team.id);
  const labelNames =
    options.labelNames ??
    new Map((await client.listLabels({})).map((label) => [label.id, label.name]));
  const resume = options.resume?.since === since ? options.resume : null;
  const issuePages: (readonly LinearIssue[])[] = [...(resume?.issuePages ?? [])];
  const historyBatches: Readonly<Record<string, readonly LinearHistoryEntry[]>>[] = [
    ...(resume?.historyBatches ?? []),
  ];
  let after = resume?.after ?? null;
  let issuesDone = resume?.issuesDone ?? false;
  const checkpoint = (): LinearPullCheckpoint => ({
    since,
    issuePages: [...issuePages],
    after,
    issuesDone,
    historyBatches: [...historyBatches],
  });

  let savedCursor = issuePages.length > 0 && !issuesDone;
  while (!issuesDone) {
    let page: Awaited<ReturnType<LinearSyncClient["listIssuesPage"]>>;
    try {
      page = await client.listIssuesPage(team.id, { since, after });
    } catch (error) {
      // A saved page cursor Linear no longer takes would stop every later run at the same
      // place; reading the pages again from the start costs one pull and gives the same team.
      if (
        !savedCursor ||
        !(error instanceof LinearSyncError) ||
        error.code !== "LINEAR_BAD_REQUEST"
      ) {
        throw error;
      }
      savedCursor = false;
      issuePages.length = 0;
      after = null;
      continue;
    }
    savedCursor = false;
    issuePages.push(page.issues);
    after = page.after;
    issuesDone = page.after === null;
    const read = distinctIssues(issuePages);
    options.onProgress?.({ phase: "issues", team: team.key, done: read.length });
    if (!issuesDone || read.some(needsHistory)) {
      await options.onCheckpoint?.(checkpoint(), { kind: "issues", page: issuePages.length - 1 });
    }
  }
  const issues = distinctIssues(issuePages);

  const needing = issues.filter(needsHistory).map((issue) => issue.id);
  const batches = Math.ceil(needing.length / HISTORY_BATCH);
  while (historyBatches.length < batches) {
    const start = historyBatches.length * HISTORY_BATCH;
    const batch = await client.listHistoryBatch(needing.slice(start, start + HISTORY_BATCH));
    historyBatches.push(Object.fromEntries(batch));
    options.onProgress?.({
      phase: "history",
      team: team.key,
      done: Math.min(needing.length, start + HISTORY_BATCH),
      total: needing.length,
    });
    if (historyBatches.length < batches) {
      await options.onCheckpoint?.(checkpoint(), {
        kind: "history",
        batch: historyBatches.length - 1,
      });
    }
  }
  const histories = new Map<string, readonly LinearHistoryEntry[]>();
  for (const batch of historyBatches) {
    for (const [id, entries] of Object.entries(batch)) histories.set(id, entries);
  }
  const cycleIds = new Set(cycles.map((cycle) => cycle.id));
  return {
    team: mapTeam(team, options.labels ?? DEFAULT_CAPACITY_LABELS),
    sprints: cycles.map((cycle) => mapCycle(team.key, cycle)),
    items: issues.map((issue) =>
      mapIssue(team.key, issue, histories.get(issue.id) ?? [], {
        labels: labelNames,
        stateTypes,
        cycleIds,
      }),
    ),
    cursor: latestUpdate(issues, since),
    issueIds: Object.fromEntries(issues.map((issue) => [issue.identifier, issue.id])),
  };
}

/**
 * The issues of the pages read, each once: pages are in `updatedAt` order, so an issue changed
 * while the pull runs (or waits for a rate limit) comes again on a later page, and that read wins.
 */
function distinctIssues(pages: readonly (readonly LinearIssue[])[]): LinearIssue[] {
  const byId = new Map<string, LinearIssue>();
  for (const page of pages) {
    for (const issue of page) {
      byId.delete(issue.id);
      byId.set(issue.id, issue);
    }
  }
  return [...byId.values()];
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
