import type { WorkspaceFile } from "../workspace/index";
import type { LinearSyncClient } from "./client";
import { LinearSyncError } from "./errors";
import {
  DEFAULT_CAPACITY_LABELS,
  mapCycle,
  mapIssue,
  mapTeam,
  type CapacityLabelNames,
} from "./map-team";
import { HISTORY_BATCH, HISTORY_PER_ISSUE, MAX_INLINE_HISTORY } from "./documents";
import type { LinearHistoryEntry, LinearPagedIssue, LinearTeam } from "./schemas";

type TeamFile = WorkspaceFile["teams"][number];
type SprintFile = NonNullable<WorkspaceFile["sprints"]>[number];
type ItemFile = NonNullable<WorkspaceFile["items"]>[number];

export interface PulledLinearTeam {
  readonly team: TeamFile;
  readonly sprints: readonly SprintFile[];
  /** Every issue for a full pull; only those updated after `since` for an incremental one. */
  readonly items: readonly ItemFile[];
  /**
   * Identifiers of issues read in the trash bin (`trashed`): no longer the team's work, so left
   * out of `items` and dropped from a stored state the pull is laid over. Absent: none.
   */
  readonly removed?: readonly string[];
  /**
   * Identifiers of the archived issues among `items` (Linear: "Archived issues cannot be edited
   * until restored"), which write-back leaves alone. Absent: none.
   */
  readonly archived?: readonly string[];
  /** The latest `updatedAt` seen: the next incremental pull's `since`. */
  readonly cursor: string | null;
  /**
   * Linear's id of each issue by identifier (`ENG-12`), and of each parent they name, for writes
   * that take ids only and for reading parents that belong to other teams.
   */
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
  /** The issues pages read, in order, each issue with the first entries of its history. */
  readonly issuePages: readonly (readonly LinearPagedIssue[])[];
  /** The page cursor to read on from; meaningless once `issuesDone`. */
  readonly after: string | null;
  /**
   * Set once the pass from `since` has read its last page, when it took more than one: the newest
   * `updatedAt` of its first page, from which a second pass reads what changed while the first
   * ran (pages come newest first, so such an issue moved ahead of the cursor). Null before.
   */
  readonly catchUpSince?: string | null;
  readonly issuesDone: boolean;
  /**
   * The histories read in full, one record (issue id → entries) per batch of `HISTORY_BATCH` of
   * the issues whose history did not fit inline with their page, in the order the pull asks.
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
  return selectTeams(await client.listTeams(), keys);
}

/** The teams with the given keys (case-insensitive) among `teams`; all of them when none. */
export function selectTeams(teams: readonly LinearTeam[], keys: readonly string[]): LinearTeam[] {
  if (keys.length === 0) return [...teams];
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
 * The first history entries to ask for with each issue of the next page. Linear bills a
 * connection by its `first` (linear.app/developers/rate-limiting), so every issue of a page pays
 * for them, {@link ENTRY_POINTS} an entry, and an issue with more is read again whole in a batch,
 * {@link REREAD_POINTS}. The answer is the count that would have cost least for the issues read so
 * far; an issue known only to have more than the entries read is taken to have one more (so the
 * count can grow a step a page). Before anything was read, 4: about 3 entries is typical.
 */
export function inlineHistoryFirst(pages: readonly (readonly LinearPagedIssue[])[]): number {
  const issues = pages.flat();
  if (issues.length === 0) return INITIAL_INLINE_HISTORY;
  const lengths = issues.map(
    (issue) => issue.history.nodes.length + (issue.history.pageInfo.hasNextPage ? 1 : 0),
  );
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let first = 0; first <= MAX_INLINE_HISTORY; first++) {
    const rereads = lengths.filter((length) => length > first).length;
    const cost = issues.length * first * ENTRY_POINTS + rereads * REREAD_POINTS;
    if (cost < bestCost) {
      best = first;
      bestCost = cost;
    }
  }
  return best;
}

const INITIAL_INLINE_HISTORY = 4;
/**
 * Issues per page of the second pass, which reads only what changed while the first ran: few,
 * and a page is billed by its size whatever it holds.
 */
const CATCH_UP_PAGE = 50;
/** One history entry: an object (1) with 10 scalars (0.1 each). */
const ENTRY_POINTS = 2;
/** One issue in a batched history read: the issue, its id, the connection, `pageInfo`, 25 entries. */
const REREAD_POINTS = 3.3 + HISTORY_PER_ISSUE * ENTRY_POINTS;

/**
 * One team as SPEC §11 parts: its cycles and its issues, archived ones included, in pages of 250
 * with the first entries of each history inline (`inlineHistoryFirst`); only issues whose history
 * is longer are read again, in batches. With `since`, an incremental pull: only issues updated
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
  const issuePages: (readonly LinearPagedIssue[])[] = [...(resume?.issuePages ?? [])];
  const historyBatches: Readonly<Record<string, readonly LinearHistoryEntry[]>>[] = [
    ...(resume?.historyBatches ?? []),
  ];
  let after = resume?.after ?? null;
  let issuesDone = resume?.issuesDone ?? false;
  let catchUpSince = resume?.catchUpSince ?? null;
  const checkpoint = (): LinearPullCheckpoint => ({
    since,
    issuePages: [...issuePages],
    after,
    issuesDone,
    historyBatches: [...historyBatches],
    catchUpSince,
  });

  let savedCursor = issuePages.length > 0 && !issuesDone;
  while (!issuesDone) {
    let page: Awaited<ReturnType<LinearSyncClient["listIssuesPage"]>>;
    try {
      page = await client.listIssuesPage(team.id, {
        since: catchUpSince ?? since,
        after,
        historyFirst: inlineHistoryFirst(issuePages),
        ...(catchUpSince === null ? {} : { first: CATCH_UP_PAGE }),
      });
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
      catchUpSince = null;
      continue;
    }
    savedCursor = false;
    issuePages.push(page.issues);
    after = page.after;
    if (page.after === null && catchUpSince === null && issuePages.length > 1) {
      // Pages come newest first: an issue changed after the first page was read moved ahead of
      // the cursor. A second pass from the first page's newest change reads it again.
      catchUpSince = newestUpdate(issuePages[0] ?? []);
      issuesDone = catchUpSince === null;
    } else {
      issuesDone = page.after === null;
    }
    const read = distinctIssues(issuePages);
    options.onProgress?.({ phase: "issues", team: team.key, done: read.length });
    if (!issuesDone || read.some(overflows)) {
      await options.onCheckpoint?.(checkpoint(), { kind: "issues", page: issuePages.length - 1 });
    }
  }
  const read = distinctIssues(issuePages);
  const issues = read.filter((issue) => issue.trashed !== true);

  const needing = issues.filter(overflows).map((issue) => issue.id);
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
  const histories = new Map<string, readonly LinearHistoryEntry[]>(
    issues.map((issue) => [issue.id, issue.history.nodes]),
  );
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
    ...(issues.some((issue) => issue.archivedAt !== null)
      ? {
          archived: issues
            .filter((issue) => issue.archivedAt !== null)
            .map((issue) => issue.identifier),
        }
      : {}),
    ...(issues.length < read.length
      ? {
          removed: read.filter((issue) => issue.trashed === true).map((issue) => issue.identifier),
        }
      : {}),
    cursor: latestUpdate(read, since),
    issueIds: Object.fromEntries(
      issues.flatMap((issue) => [
        ...(issue.parent === null ? [] : [[issue.parent.identifier, issue.parent.id] as const]),
        [issue.identifier, issue.id] as const,
      ]),
    ),
  };
}

/** Whether an issue's history goes on beyond the entries read inline with its page. */
function overflows(issue: LinearPagedIssue): boolean {
  return issue.history.pageInfo.hasNextPage;
}

/**
 * The issues of the pages read, each once; a later read wins. Pages come newest first, so an
 * issue changed while the pull runs (or waits for a rate limit) comes again only in the second
 * pass (`catchUpSince`), whose pages follow the first pass's.
 */
function distinctIssues(pages: readonly (readonly LinearPagedIssue[])[]): LinearPagedIssue[] {
  const byId = new Map<string, LinearPagedIssue>();
  for (const page of pages) {
    for (const issue of page) {
      byId.delete(issue.id);
      byId.set(issue.id, issue);
    }
  }
  return [...byId.values()];
}

/**
 * An incremental pull laid over the previous full state: changed issues replace their old selves,
 * and issues read in the trash leave it.
 */
export function mergePulledTeam(
  previous: PulledLinearTeam,
  changes: PulledLinearTeam,
): PulledLinearTeam {
  const byId = new Map(previous.items.map((item) => [item.id, item]));
  for (const id of changes.removed ?? []) byId.delete(id);
  for (const item of changes.items) byId.set(item.id, item);
  const changed = new Set(changes.items.map((item) => item.id));
  const archived = [
    ...(previous.archived ?? []).filter((id) => !changed.has(id) && byId.has(id)),
    ...(changes.archived ?? []),
  ].sort();
  return {
    team: changes.team,
    sprints: changes.sprints,
    items: [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    ...(archived.length > 0 ? { archived } : {}),
    cursor: changes.cursor ?? previous.cursor,
    issueIds: { ...previous.issueIds, ...changes.issueIds },
  };
}

/**
 * Issues of teams not pulled that pulled issues name as parents (to SPEC §3's 10 levels), with
 * an entry for each of their teams: context, so a category inherits across teams as it does in
 * Linear. They carry what classification reads (labels, parent, project) and their state, but
 * no cycles and no history: a report asked for the pulled teams (`--team`) covers those alone.
 */
export interface ParentContext {
  readonly teams: readonly TeamFile[];
  readonly items: readonly ItemFile[];
}

/**
 * Reads the {@link ParentContext} of pulled teams: one request per 250 parents missing, per level.
 * A parent Linear does not answer for (deleted, or in a team the credentials cannot see) is left
 * out, and so is the link to it, so the file stays valid and the child inherits nothing from it.
 */
export async function readParentContext(
  client: LinearSyncClient,
  input: {
    readonly teams: readonly LinearTeam[];
    readonly pulled: readonly PulledLinearTeam[];
    readonly labels?: CapacityLabelNames;
    readonly labelNames: ReadonlyMap<string, string>;
  },
): Promise<ParentContext> {
  const known = new Set(input.pulled.flatMap((pulled) => pulled.items.map((item) => item.id)));
  const idOf = new Map(input.pulled.flatMap((pulled) => Object.entries(pulled.issueIds)));
  const teamById = new Map(input.teams.map((team) => [team.id, team]));
  const items: ItemFile[] = [];
  const teams = new Map<string, TeamFile>();
  let missing = missingParents(
    input.pulled.flatMap((pulled) => pulled.items),
    known,
  );
  for (let level = 0; level < MAX_PARENT_LEVELS && missing.length > 0; level++) {
    const ids = missing.flatMap((identifier) => {
      const id = idOf.get(identifier);
      return id === undefined ? [] : [id];
    });
    const found: ItemFile[] = [];
    for (const issue of await client.listIssuesById(ids)) {
      const team = teamById.get(issue.team.id);
      if (team === undefined || known.has(issue.identifier)) continue;
      if (issue.parent !== null) idOf.set(issue.parent.identifier, issue.parent.id);
      teams.set(team.key, mapTeam(team, input.labels ?? DEFAULT_CAPACITY_LABELS));
      found.push({
        ...mapIssue(team.key, issue, [], {
          labels: input.labelNames,
          stateTypes: new Map(),
        }),
        sprintIds: [],
        assignee: null,
      });
      known.add(issue.identifier);
    }
    items.push(...found);
    missing = missingParents(found, known);
  }
  const contextTeams = [...teams.values()].filter(
    (team) => !input.pulled.some((pulled) => pulled.team.id === team.id),
  );
  return { teams: contextTeams, items };
}

/** SPEC §3: inheritance looks at most 10 ancestors up. */
const MAX_PARENT_LEVELS = 10;

function missingParents(items: readonly ItemFile[], known: ReadonlySet<string>): string[] {
  const missing = new Set<string>();
  for (const item of items) {
    if (item.parentId != null && !known.has(item.parentId)) missing.add(item.parentId);
  }
  return [...missing];
}

/**
 * Pulled teams as one workspace file, with the context of their parents in other teams; links to
 * parents neither pulled nor in the context are left out, so the file stays valid. Targets are
 * the product's, so none come from Linear.
 */
export function linearWorkspaceFile(
  teams: readonly PulledLinearTeam[],
  context: ParentContext = { teams: [], items: [] },
): WorkspaceFile {
  const items = [...teams.flatMap((pulled) => pulled.items), ...context.items];
  const ids = new Set(items.map((item) => item.id));
  return {
    version: 1,
    settings: { fiscalYearStartMonth: 1 },
    teams: [...teams.map((pulled) => pulled.team), ...context.teams],
    targets: [],
    sprints: teams.flatMap((pulled) => pulled.sprints),
    items: items.map((item) =>
      item.parentId == null || ids.has(item.parentId) ? item : { ...item, parentId: null },
    ),
  };
}

function newestUpdate(issues: readonly LinearPagedIssue[]): string | null {
  return latestUpdate(issues, null);
}

function latestUpdate(issues: readonly LinearPagedIssue[], since: string | null): string | null {
  let latest = since;
  for (const issue of issues) {
    if (latest === null || Date.parse(issue.updatedAt) > Date.parse(latest))
      latest = issue.updatedAt;
  }
  return latest;
}

/**
 * Pulls the teams with the given keys (every team the key sees when none) into one workspace file,
 * archived issues and cycles included, with the parents their issues name in other teams as
 * context (see `readParentContext`). Targets are the product's, so none come from Linear.
 */
export async function pullLinearWorkspace(
  client: LinearSyncClient,
  teamKeys: readonly string[],
  onProgress?: (progress: LinearPullProgress) => void,
): Promise<{ readonly workspace: WorkspaceFile; readonly teams: readonly PulledLinearTeam[] }> {
  const all = await client.listTeams();
  const teams = selectTeams(all, teamKeys);
  // One read of the label directory names the labels of every team's issues.
  const labelNames = new Map((await client.listLabels({})).map((label) => [label.id, label.name]));
  const pulled: PulledLinearTeam[] = [];
  for (const team of teams) {
    pulled.push(
      await pullLinearTeam(client, team, {
        labelNames,
        ...(onProgress === undefined ? {} : { onProgress }),
      }),
    );
  }
  const context = await readParentContext(client, { teams: all, pulled, labelNames });
  return { workspace: linearWorkspaceFile(pulled, context), teams: pulled };
}
