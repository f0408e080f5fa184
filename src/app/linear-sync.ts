import { z } from "zod";
import { readLastLinearSync, type LastLinearSync } from "./last-linear-sync";
import { isAppEcho, readLinearOAuth } from "./linear-oauth";
import type { SprintReport, TeamReport } from "../domain/types";
import {
  bootstrapCapacityLabels,
  describeLabelWrite,
  historyEntrySchema,
  readParentContext,
  selectTeams,
  isOwnEcho,
  pagedIssueSchema,
  linearWorkspaceFile,
  LinearSyncClient,
  LinearSyncError,
  mergePulledTeam,
  planWriteBack,
  publishTeamReport,
  pullLinearTeam,
  categoryLabelChange,
  recordedWriteSchema,
  verifyLinearWebhook,
  WEBHOOK_TIMESTAMP_TOLERANCE_MS,
  withoutWrittenLabels,
  writtenLabelsSchema,
  settleWrittenLabels,
  hasPendingWrites,
  DEFAULT_LABEL_CONFIG,
  type CapacityLabelConfig,
  type CapacityLabels,
  type CycleUpdate,
  type LabelWrite,
  type LinearPullCheckpoint,
  type LinearPullProgress,
  type LinearPullStep,
  type LinearRetryEvent,
  type LinearRetryOptions,
  type LinearTeam,
  type PulledLinearTeam,
  type RecordedWrite,
  type WebhookVerdict,
  type WrittenLabels,
  type WrittenLabelsRecord,
} from "../linear/index";
import { BATCH_UPDATE_SIZE } from "../linear/documents";
import { type Store, storeKeys } from "../store/index";
import { parseWorkspace } from "../workspace/load-workspace";
import { itemFileSchema, sprintFileSchema, teamFileSchema } from "../workspace/schema";
import type { WorkspaceFile } from "../workspace/schema";
import { buildReport } from "./build-report";
import { renderCycleUpdate, renderMarkdown } from "../render/index";
import { asWorkspaceTargets, listTargets } from "./targets";

type TargetFile = NonNullable<WorkspaceFile["targets"]>[number];

export { LinearSyncError };
export type { CapacityLabelConfig, CapacityLabels, LinearPullProgress, PulledLinearTeam };
export type { Store };

/**
 * A Linear workspace reached with a personal API key (CLI, self-hosted server), or an OAuth access
 * token of an `actor=app` connection (`accessToken`, which wins).
 */
export function connectLinear(options: {
  readonly apiKey: string;
  readonly accessToken?: string;
  readonly apiUrl?: string;
  readonly onRetry?: (event: LinearRetryEvent) => void;
  /** See `LinearRetryOptions.maxWaitMs`; without it every rate limit is waited out. */
  readonly maxWaitMs?: LinearRetryOptions["maxWaitMs"];
  readonly maxAttempts?: number;
}): LinearSyncClient {
  return new LinearSyncClient({
    ...(options.accessToken === undefined
      ? { apiKey: options.apiKey }
      : { accessToken: options.accessToken }),
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
    retry: {
      onRetry: options.onRetry,
      ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    },
  });
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

export interface LinearSyncProgress {
  readonly team: string;
  readonly phase: "teams" | "labels" | "pull" | "write-back" | "publish" | "done";
  readonly done: number;
  readonly total: number | null;
}

export interface LinearSyncRunOptions {
  /** Empty: every team the key sees. */
  readonly teamKeys: readonly string[];
  readonly dryRun: boolean;
  readonly now: number;
  /** Project, living document and cycle update per team. */
  readonly publish: boolean;
  /** Default false: write inherited and rule categories as labels too. */
  readonly writeBack?: boolean;
  readonly labels?: CapacityLabelConfig;
  /** Default: the team's declarations in the store (`listTargets`). */
  readonly targetsOf?: (teamKey: string) => Promise<readonly TargetFile[]>;
  readonly onProgress?: (event: LinearSyncProgress) => void;
  /**
   * Schedules a run to continue one that stopped on this error, when the host does that (for
   * Linear's rate limit), and answers when (ISO time), or null: a continued run is recorded as
   * waiting rather than failed, and its error is still thrown.
   */
  readonly continueLater?: (error: unknown) => Promise<string | null>;
}

export interface LinearSyncTeamResult {
  readonly key: string;
  readonly name: string;
  readonly pulled: PulledLinearTeam;
  /** Issues the pull read as new or changed since the stored cursor. */
  readonly changedIssues: number;
  /** What publishing created or changed (or would), one phrase each. */
  readonly published: readonly string[];
  /** Label writes made (or, in a dry run, that would be), as `ENG-12 + Investment`. */
  readonly wroteBack: readonly string[];
}

export interface LinearSyncRunResult {
  readonly dryRun: boolean;
  readonly teams: readonly LinearSyncTeamResult[];
  readonly labels: CapacityLabels;
  /** The pulled teams as one workspace file, targets included: what the report computes on. */
  readonly workspace: WorkspaceFile;
}

export { readLastLinearSync, type LastLinearSync };

/**
 * One sync run, the same in every host: finds the teams, bootstraps the `Capacity` label group,
 * pulls each team incrementally from its stored cursor (saved per team as its pull finishes, and
 * its progress page by page, so a run stopped midway continues where it stopped), optionally
 * writes derived categories back as labels, computes the report exactly as `capacity-split
 * report` does on the pulled workspace, publishes it inside Linear when asked, and records the
 * outcome (not for a dry run, which changes nothing in Linear or the store). A failed run is
 * recorded too, and its error still thrown; one the host continues later (`continueLater`) is
 * recorded as waiting.
 */
export async function runLinearSync(
  client: LinearSyncClient,
  store: Store,
  options: LinearSyncRunOptions,
): Promise<LinearSyncRunResult> {
  const teamKeys: string[] = [];
  const changes: string[] = [];
  try {
    const result = await syncTeams(client, store, options, teamKeys, changes);
    if (!options.dryRun) {
      await recordLastSync(store, {
        at: new Date(options.now).toISOString(),
        ok: true,
        message:
          changes.length === 0
            ? `Synced ${result.teams.length} team(s); nothing changed in Linear.`
            : `Synced ${result.teams.length} team(s); ${changes.length} change(s) in Linear.`,
        teams: teamKeys,
        changes,
      });
    }
    return result;
  } catch (error) {
    if (!options.dryRun) {
      const continuesAt =
        options.continueLater === undefined
          ? null
          : await options.continueLater(error).catch(() => null);
      await recordLastSync(store, {
        at: new Date(options.now).toISOString(),
        ...(continuesAt === null
          ? { ok: false, message: error instanceof Error ? error.message : String(error) }
          : {
              ok: true,
              message: waitingMessage(continuesAt),
              continuesAt,
            }),
        teams: teamKeys,
        changes,
      }).catch(() => undefined);
    }
    throw error;
  }
}

/** What a run stopped by Linear's rate limit says, until its continuation runs. */
export function waitingMessage(continuesAt: string): string {
  return `Waiting for Linear's rate limit; the sync continues at ${continuesAt} from where it stopped.`;
}

async function recordLastSync(store: Store, record: LastLinearSync): Promise<void> {
  await store.set(storeKeys.linearLastSync(), record);
}

async function syncTeams(
  client: LinearSyncClient,
  store: Store,
  options: LinearSyncRunOptions,
  teamKeys: string[],
  changes: string[],
): Promise<LinearSyncRunResult> {
  const progress = options.onProgress ?? (() => undefined);
  const config = options.labels ?? DEFAULT_LABEL_CONFIG;
  const names = { roadmap: config.roadmap, investment: config.investment };

  progress({ team: "", phase: "teams", done: 0, total: null });
  const allTeams = await client.listTeams();
  const teams = selectTeams(allTeams, options.teamKeys);
  teamKeys.push(...teams.map((team) => team.key));
  progress({ team: "", phase: "teams", done: teams.length, total: teams.length });

  progress({ team: "", phase: "labels", done: 0, total: null });
  // One read of the label directory serves the bootstrap and names every team's issue labels.
  const directory = await client.listLabels({});
  const labels = await bootstrapCapacityLabels(client, {
    config,
    dryRun: options.dryRun,
    directory,
  });
  changes.push(...labels.created.map((name) => `label ${name}`));
  if (!options.dryRun && labels.created.length > 0) {
    const known = new Set(directory.map((label) => label.id));
    for (const id of [labels.groupId, labels.roadmapId, labels.investmentId]) {
      if (id !== null && !known.has(id)) {
        await recordWrite(store, id, { type: "IssueLabel", at: Date.now() });
      }
    }
  }
  const labelNames = new Map(directory.map((label) => [label.id, label.name]));
  if (labels.roadmapId !== null) labelNames.set(labels.roadmapId, config.roadmap);
  if (labels.investmentId !== null) labelNames.set(labels.investmentId, config.investment);
  progress({ team: "", phase: "labels", done: 1, total: 1 });

  const pulls: { team: LinearTeam; pulled: PulledLinearTeam; changed: number }[] = [];
  for (const team of teams) {
    progress({ team: team.key, phase: "pull", done: 0, total: null });
    const { pulled, changed } = await pullLinearTeamIncrementally(client, store, team, {
      labels: names,
      labelNames,
      persist: !options.dryRun,
      onProgress: (event) =>
        progress({
          team: team.key,
          phase: "pull",
          done: event.done,
          total: event.phase === "history" ? event.total : null,
        }),
    });
    pulls.push({ team, pulled, changed });
  }

  const written = new Map<string, WrittenLabels>();
  for (const { team, pulled } of pulls) {
    const key = storeKeys.linearWritten(team.key);
    const stored = writtenLabelsSchema.safeParse(await store.get(key));
    const record = stored.success ? stored.data : {};
    // A write a stopped run left pending is settled by the label the issue now carries.
    const settled = settleWrittenLabels(record, pulled.items, names);
    if (!options.dryRun && hasPendingWrites(record)) await store.set(key, settled);
    written.set(team.key, settled);
  }
  const targetsOf = options.targetsOf ?? ((key: string) => storedTargets(store, key));
  const targets: TargetFile[] = [];
  for (const { team } of pulls) targets.push(...(await targetsOf(team.key)));
  const context = await readParentContext(client, {
    teams: allTeams,
    pulled: pulls.map(({ pulled }) => pulled),
    labels: names,
    labelNames,
  });
  const raw = linearWorkspaceFile(
    pulls.map(({ team, pulled }) => ({
      ...pulled,
      items: withoutWrittenLabels(pulled.items, written.get(team.key) ?? {}, names),
    })),
    context,
  );
  const file: WorkspaceFile = {
    ...raw,
    targets,
    // In id order, as an incremental pull merges them, so a first and a later run give one file.
    items: [...(raw.items ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  const loaded = parseWorkspace(file);
  if (!loaded.ok) {
    throw new LinearSyncError(
      `The pulled Linear teams make an invalid workspace: ${loaded.problems.join("; ")}`,
      "LINEAR_MALFORMED_RESPONSE",
      false,
      null,
    );
  }

  const results: LinearSyncTeamResult[] = [];
  for (const { team, pulled, changed } of pulls) {
    // The same call as `capacity-split report --team KEY` on the pulled file, so numbers agree.
    const report = buildReport(loaded.workspace, { now: options.now, teamIds: [team.key] });
    const teamReport = report.teams[0];

    let wroteBack: readonly string[] = [];
    if (options.writeBack === true && teamReport !== undefined) {
      wroteBack = await writeBackTeam(client, store, {
        team,
        pulled,
        classified: teamReport,
        written: written.get(team.key) ?? {},
        labels,
        names,
        dryRun: options.dryRun,
        now: options.now,
        progress,
      });
      changes.push(...wroteBack.map((write) => `label ${write}`));
    }

    let published: readonly string[] = [];
    if (options.publish) {
      progress({ team: team.key, phase: "publish", done: 0, total: 1 });
      const result = await publishTeamReport(client, {
        team,
        document: renderMarkdown(report),
        cycleUpdates: teamReport === undefined ? [] : latestClosedCycleUpdates(teamReport),
        dryRun: options.dryRun,
        onWrite: (write) => recordWrite(store, write.id, { type: write.type, at: Date.now() }),
      });
      published = result.changes;
      changes.push(...published.map((change) => `${team.key}: ${change}`));
      progress({ team: team.key, phase: "publish", done: 1, total: 1 });
    }
    results.push({
      key: team.key,
      name: team.name,
      pulled,
      changedIssues: changed,
      published,
      wroteBack,
    });
  }
  progress({ team: "", phase: "done", done: results.length, total: results.length });
  return { dryRun: options.dryRun, teams: results, labels, workspace: file };
}

/** The team's target declarations from the store, as workspace-file targets. */
async function storedTargets(store: Store, teamKey: string): Promise<TargetFile[]> {
  return asWorkspaceTargets((await listTargets(store, teamKey)).entries, teamKey);
}

/**
 * Writes one team's derived categories as labels (see `planWriteBack`) in batches, each recorded
 * as pending before it is sent and as written, with an echo record for the webhook it causes,
 * once Linear has answered.
 */
async function writeBackTeam(
  client: LinearSyncClient,
  store: Store,
  input: {
    readonly team: LinearTeam;
    readonly pulled: PulledLinearTeam;
    readonly classified: TeamReport;
    readonly written: WrittenLabels;
    readonly labels: CapacityLabels;
    readonly names: { readonly roadmap: string; readonly investment: string };
    readonly dryRun: boolean;
    readonly now: number;
    readonly progress: (event: LinearSyncProgress) => void;
  },
): Promise<readonly string[]> {
  const plan = planWriteBack({
    items: input.pulled.items,
    classified: input.classified.items,
    written: input.written,
    names: input.names,
    at: new Date(input.now).toISOString(),
  });
  const described = plan.writes.map((write) => describeLabelWrite(write, input.names));
  if (input.dryRun) return described;
  const key = storeKeys.linearWritten(input.team.key);
  const record: Record<string, WrittenLabelsRecord[string]> = { ...input.written };
  // Entries released or dropped by the plan without a write are settled first.
  for (const id of Object.keys(record)) {
    if (!plan.writes.some((write) => write.issue === id)) {
      const next = plan.written[id];
      if (next === undefined) delete record[id];
      else record[id] = next;
    }
  }
  await store.set(key, record);
  const total = plan.writes.length;
  input.progress({ team: input.team.key, phase: "write-back", done: 0, total });
  let done = 0;
  // Writes making the same change go together, up to Linear's 50 issues per batch update.
  const groups = new Map<string, LabelWrite[]>();
  for (const write of plan.writes) {
    const change = `${write.add ?? ""}/${write.remove ?? ""}`;
    groups.set(change, [...(groups.get(change) ?? []), write]);
  }
  for (const writes of groups.values()) {
    for (let start = 0; start < writes.length; start += BATCH_UPDATE_SIZE) {
      const batch = writes.slice(start, start + BATCH_UPDATE_SIZE);
      const ids = batch.map((write) => {
        const id = input.pulled.issueIds[write.issue];
        if (id === undefined) {
          throw new LinearSyncError(
            `Issue ${write.issue} was pulled without its Linear id.`,
            "LINEAR_MALFORMED_RESPONSE",
            false,
            null,
          );
        }
        return id;
      });
      const first = batch[0];
      if (first === undefined) continue;
      // Recorded before it is sent: a run stopped before the outcome is saved leaves it pending.
      for (const write of batch) {
        const before = record[write.issue];
        record[write.issue] = {
          pending: { add: write.add, remove: write.remove, at: new Date(input.now).toISOString() },
          ...(before === undefined || "pending" in before ? {} : { before }),
        };
      }
      await store.set(key, record);
      const updated = await client.updateIssuesLabels(ids, labelChange(first, input.labels));
      for (const issue of updated) {
        await recordWrite(store, issue.id, {
          type: "Issue",
          at: Date.now(),
          labelIds: [...issue.labelIds],
        });
      }
      for (const write of batch) {
        const next = plan.written[write.issue];
        if (next === undefined) delete record[write.issue];
        else record[write.issue] = next;
      }
      await store.set(key, record);
      done += batch.length;
      input.progress({ team: input.team.key, phase: "write-back", done, total });
    }
  }
  return described;
}

function labelChange(
  write: LabelWrite,
  labels: CapacityLabels,
): { readonly added: string[]; readonly removed: string[] } {
  const idOf = (category: "roadmap" | "investment") => {
    const id = category === "roadmap" ? labels.roadmapId : labels.investmentId;
    if (id === null) {
      throw new LinearSyncError(
        `The Capacity label for ${category} is missing in Linear.`,
        "LINEAR_MALFORMED_RESPONSE",
        false,
        null,
      );
    }
    return id;
  };
  return {
    added: write.add === null ? [] : [idOf(write.add)],
    removed: write.remove === null ? [] : [idOf(write.remove)],
  };
}

/** Remembers a write so the webhook it causes is recognised as the sync's own (`isOwnEcho`). */
export async function recordWrite(
  store: Store,
  entityId: string,
  write: RecordedWrite,
): Promise<void> {
  await store.set(storeKeys.linearWrite(entityId), write);
}

/**
 * SPEC §3 "setting a category by hand" on a Linear issue: one Capacity label added and the other
 * removed (or both removed to clear), no other label touched; the write is recorded so its webhook is not taken for a
 * person's change. Returns the issue's labels afterwards.
 */
export async function classifyLinearIssue(
  client: LinearSyncClient,
  store: Store,
  input: {
    readonly issueId: string;
    /** Null clears the category: both Capacity labels come off. */
    readonly category: "roadmap" | "investment" | null;
    readonly labels: { readonly roadmapId: string; readonly investmentId: string };
    readonly now?: number;
  },
): Promise<readonly string[]> {
  const result = await client.updateIssueLabels(
    input.issueId,
    categoryLabelChange(input.category, input.labels),
  );
  await recordWrite(store, result.id, {
    type: "Issue",
    at: input.now ?? Date.now(),
    labelIds: [...result.labelIds],
  });
  return result.labelIds;
}

/**
 * The update for the most recently closed cycle only: posting one as each cycle closes gives one
 * per cycle, and a first sync does not flood a project with years of past cycles.
 */
export function latestClosedCycleUpdates(team: TeamReport): CycleUpdate[] {
  const closed = team.sprints.filter((sprint) => sprint.state === "closed");
  const last = closed.at(-1);
  return last === undefined ? [] : [cycleUpdateOf(team, last)];
}

/** Health from the cycle's flags: none on track, a warning at risk, a critical off track. */
export function cycleUpdateOf(team: TeamReport, sprint: SprintReport): CycleUpdate {
  const flags = team.flags.filter(
    (flag) => flag.period.kind === "sprint" && flag.period.id === sprint.id,
  );
  const health = flags.some((flag) => flag.severity === "critical")
    ? "offTrack"
    : flags.some((flag) => flag.severity === "warning")
      ? "atRisk"
      : "onTrack";
  return { cycleId: sprint.id, body: renderCycleUpdate(team, sprint, flags), health };
}

const storedTeamSchema = z.object({
  team: teamFileSchema,
  sprints: z.array(sprintFileSchema),
  items: z.array(itemFileSchema),
  cursor: z.string().nullable(),
  issueIds: z.record(z.string(), z.string()),
});

/**
 * Pulls a team incrementally: the stored state and its `updatedAt` cursor, plus the issues updated
 * since. The state and cursor are saved once a pull has finished; on the way, the pull's progress
 * is saved after every issues page and history batch, so a run stopped halfway (a rate limit it
 * may not wait for, a timeout, a failure) is continued by the next run from the same cursor
 * without reading again what it read. Stored data that no longer parses (an older version of the
 * app) means a full pull; progress that does not parse, or belongs to a pull from another cursor,
 * is dropped. With `persist: false` (a dry run) nothing is read from progress or saved.
 */
export async function pullLinearTeamIncrementally(
  client: LinearSyncClient,
  store: Store,
  team: LinearTeam,
  options: {
    readonly labels?: { readonly roadmap: string; readonly investment: string };
    readonly labelNames?: ReadonlyMap<string, string>;
    readonly persist?: boolean;
    readonly onProgress?: (progress: LinearPullProgress) => void;
  } = {},
): Promise<{ readonly pulled: PulledLinearTeam; readonly changed: number }> {
  const persist = options.persist !== false;
  const stored = storedTeamSchema.safeParse(await store.get(storeKeys.linearTeamState(team.key)));
  const previous = stored.success ? stored.data : null;
  const since = previous?.cursor ?? null;
  const resume = persist ? await readPullProgress(store, team.key, since) : null;
  let saved: PullProgressHeader | null = resume === null ? null : headerOf(resume);
  const changes = await pullLinearTeam(client, team, {
    since,
    resume,
    ...(options.labels === undefined ? {} : { labels: options.labels }),
    ...(options.labelNames === undefined ? {} : { labelNames: options.labelNames }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(persist
      ? {
          onCheckpoint: async (checkpoint: LinearPullCheckpoint, step: LinearPullStep) => {
            await savePullProgress(store, team.key, checkpoint, step);
            // A pull that read again from the start may have left parts beyond its own.
            const next = headerOf(checkpoint);
            saved = {
              ...next,
              issuePages: Math.max(next.issuePages, saved?.issuePages ?? 0),
              historyBatches: Math.max(next.historyBatches, saved?.historyBatches ?? 0),
            };
          },
        }
      : {}),
  });
  const pulled = previous === null ? changes : mergePulledTeam(previous, changes);
  if (persist) {
    await store.set(storeKeys.linearTeamState(team.key), {
      team: pulled.team,
      sprints: pulled.sprints,
      items: pulled.items,
      cursor: pulled.cursor,
      issueIds: pulled.issueIds,
    });
    await store.set(storeKeys.linearCursor(team.key), pulled.cursor);
    if (saved !== null) await clearPullProgress(store, team.key, saved);
  }
  return { pulled, changed: changes.items.length };
}

const pullProgressHeaderSchema = z.object({
  since: z.string().nullable(),
  after: z.string().nullable(),
  issuesDone: z.boolean(),
  issuePages: z.number().int().nonnegative(),
  historyBatches: z.number().int().nonnegative(),
});

type PullProgressHeader = z.infer<typeof pullProgressHeaderSchema>;

const issuePageSchema = z.array(pagedIssueSchema);
const historyBatchSchema = z.record(z.string(), z.array(historyEntrySchema));

function headerOf(checkpoint: LinearPullCheckpoint): PullProgressHeader {
  return {
    since: checkpoint.since,
    after: checkpoint.after,
    issuesDone: checkpoint.issuesDone,
    issuePages: checkpoint.issuePages.length,
    historyBatches: checkpoint.historyBatches.length,
  };
}

/**
 * The new part first, the header last: the header is what makes a part count, so a run that
 * dies between the two writes leaves the previous checkpoint whole.
 */
async function savePullProgress(
  store: Store,
  teamKey: string,
  checkpoint: LinearPullCheckpoint,
  step: LinearPullStep,
): Promise<void> {
  if (step.kind === "issues") {
    await store.set(
      storeKeys.linearPullProgressPart(teamKey, "issues", step.page),
      checkpoint.issuePages[step.page] ?? [],
    );
  } else {
    await store.set(
      storeKeys.linearPullProgressPart(teamKey, "history", step.batch),
      checkpoint.historyBatches[step.batch] ?? {},
    );
  }
  await store.set(storeKeys.linearPullProgress(teamKey), headerOf(checkpoint));
}

/** The saved progress of a pull from `since`; null (and dropped) when there is none that fits. */
async function readPullProgress(
  store: Store,
  teamKey: string,
  since: string | null,
): Promise<LinearPullCheckpoint | null> {
  const raw = await store.get(storeKeys.linearPullProgress(teamKey));
  if (raw === undefined) return null;
  const header = pullProgressHeaderSchema.safeParse(raw);
  if (!header.success) {
    await store.delete(storeKeys.linearPullProgress(teamKey));
    return null;
  }
  const drop = async () => {
    await clearPullProgress(store, teamKey, header.data);
    return null;
  };
  // History batches follow the order of the whole issue list, so they need every page read.
  if (header.data.since !== since || (!header.data.issuesDone && header.data.historyBatches > 0)) {
    return drop();
  }
  const issuePages: LinearPullCheckpoint["issuePages"][number][] = [];
  for (let page = 0; page < header.data.issuePages; page++) {
    const parsed = issuePageSchema.safeParse(
      await store.get(storeKeys.linearPullProgressPart(teamKey, "issues", page)),
    );
    if (!parsed.success) return drop();
    issuePages.push(parsed.data);
  }
  const historyBatches: LinearPullCheckpoint["historyBatches"][number][] = [];
  for (let batch = 0; batch < header.data.historyBatches; batch++) {
    const parsed = historyBatchSchema.safeParse(
      await store.get(storeKeys.linearPullProgressPart(teamKey, "history", batch)),
    );
    if (!parsed.success) return drop();
    historyBatches.push(parsed.data);
  }
  return {
    since: header.data.since,
    after: header.data.after,
    issuesDone: header.data.issuesDone,
    issuePages,
    historyBatches,
  };
}

/** Parts first, the header last: a run that dies midway leaves a header the next run drops. */
async function clearPullProgress(
  store: Store,
  teamKey: string,
  header: PullProgressHeader,
): Promise<void> {
  for (let page = 0; page < header.issuePages; page++) {
    await store.delete(storeKeys.linearPullProgressPart(teamKey, "issues", page));
  }
  for (let batch = 0; batch < header.historyBatches; batch++) {
    await store.delete(storeKeys.linearPullProgressPart(teamKey, "history", batch));
  }
  await store.delete(storeKeys.linearPullProgress(teamKey));
}

export type WebhookOutcome =
  | { readonly status: 200; readonly result: "accepted" | "duplicate" | "ignored" }
  | { readonly status: 400 | 401; readonly result: "refused"; readonly reason: string };

/**
 * A Linear webhook delivery, in either host: verified (401 on a bad, stale or missing signature or
 * timestamp, nothing changed), deduplicated, ignored when it is the echo of the sync's own write
 * (`isOwnEcho`), then handed to `enqueue` for the heavy work, so the answer goes back fast.
 *
 * A delivery counts as seen when its signed body was seen (a replay, whatever its headers) or its
 * `Linear-Delivery` id was (Linear's own retry). Each record expires a minute after its timestamp
 * would be refused as stale anyway, and expired ones are swept on each delivery, so the store
 * holds only the last couple of minutes' deliveries.
 */
export async function handleLinearWebhook(
  request: Parameters<typeof verifyLinearWebhook>[0],
  ports: {
    readonly store: Store;
    readonly enqueue: (event: Extract<WebhookVerdict, { ok: true }>["event"]) => Promise<void>;
    readonly now?: () => number;
  },
): Promise<WebhookOutcome> {
  const verdict = verifyLinearWebhook(request);
  if (!verdict.ok) return { status: verdict.status, result: "refused", reason: verdict.reason };
  const now = ports.now?.() ?? Date.now();
  await sweepDeliveryRecords(ports.store, now);
  const keys = [storeKeys.linearDeliveredBody(verdict.bodyHash)];
  if (verdict.deliveryId !== null) keys.push(storeKeys.linearDelivery(verdict.deliveryId));
  for (const key of keys) {
    if ((await ports.store.get(key)) !== undefined) return { status: 200, result: "duplicate" };
  }
  const record: DeliveryRecord = {
    expiresAt:
      verdict.event.webhookTimestamp + WEBHOOK_TIMESTAMP_TOLERANCE_MS + DELIVERY_RECORD_GRACE_MS,
  };
  for (const key of keys) await ports.store.set(key, record);
  // Connected as an app (`actor=app`), the sync's writes carry the app user as their actor.
  if (isAppEcho(verdict.event, await readLinearOAuth(ports.store))) {
    return { status: 200, result: "ignored" };
  }
  const recorded = recordedWriteSchema.safeParse(
    await ports.store.get(storeKeys.linearWrite(verdict.event.data.id)),
  );
  if (isOwnEcho(verdict.event, recorded.success ? recorded.data : undefined, now)) {
    return { status: 200, result: "ignored" };
  }
  try {
    await ports.enqueue(verdict.event);
  } catch (error) {
    // Not handed over: Linear's retry of this delivery must not be taken for a duplicate.
    for (const key of keys) await ports.store.delete(key);
    throw error;
  }
  return { status: 200, result: "accepted" };
}

/**
 * How long a delivery record outlives the window in which its body is accepted: the clock that
 * sweeps (another host's, or read a moment after the signature was checked) may run ahead of the
 * one that checks, and a record swept early would let a replay through at the window's edge.
 */
const DELIVERY_RECORD_GRACE_MS = 60_000;

const deliveryRecordSchema = z.object({ expiresAt: z.number() });
type DeliveryRecord = z.infer<typeof deliveryRecordSchema>;

/** Deletes the delivery records whose deliveries would now be refused as stale. */
async function sweepDeliveryRecords(store: Store, now: number): Promise<void> {
  for (const entry of await store.listByPrefix(storeKeys.linearDeliveryPrefix())) {
    const record = deliveryRecordSchema.safeParse(entry.value);
    if (!record.success || record.data.expiresAt < now) await store.delete(entry.key);
  }
}
