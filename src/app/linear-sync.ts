import { parseWorkspace, type WorkspaceFile } from "../workspace/index";
import {
  bootstrapCapacityLabels,
  readParentContext,
  selectTeams,
  linearWorkspaceFile,
  LinearSyncError,
  withoutWrittenLabels,
  writtenLabelsSchema,
  settleWrittenLabels,
  hasPendingWrites,
  publishTeamReport,
  DEFAULT_LABEL_CONFIG,
  type CapacityLabelConfig,
  type CapacityLabels,
  type LinearSyncClient,
  type LinearTeam,
  type PulledLinearTeam,
  type WrittenLabels,
} from "../linear/index";
import { type Store, storeKeys } from "../store/index";
import { renderMarkdown } from "../render/index";
import { counted, type Report, type Workspace } from "../domain/index";
import { buildReport } from "./build-report";
import type { LastLinearSync } from "./last-linear-sync";
import { latestClosedCycleUpdates } from "./linear-cycle-updates";
import { dropMovedIssues, pullLinearTeamIncrementally } from "./linear-incremental-pull";
import { recordWrite, writeBackTeam } from "./linear-write-back";
import { asWorkspaceTargets, listTargets } from "./targets";

type TargetFile = NonNullable<WorkspaceFile["targets"]>[number];

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
  /**
   * Called with each team's report as it is computed (not in a dry run), and the workspace it was
   * computed on, for the host to keep.
   */
  readonly onTeamReport?: (team: LinearTeam, report: Report, workspace: Workspace) => Promise<void>;
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
            : `Synced ${counted(result.teams.length, "team")}; ${counted(changes.length, "change")} in Linear.`,
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

  const reads: {
    team: LinearTeam;
    pulled: PulledLinearTeam;
    changed: number;
    readIds: ReadonlySet<string>;
  }[] = [];
  for (const team of teams) {
    progress({ team: team.key, phase: "pull", done: 0, total: null });
    const read = await pullLinearTeamIncrementally(client, store, team, {
      labels: names,
      labelNames,
      now: options.now,
      persist: !options.dryRun,
      onProgress: (event) =>
        progress({
          team: team.key,
          phase: "pull",
          done: event.done,
          total: event.phase === "history" ? event.total : null,
        }),
    });
    reads.push({ team, ...read });
  }
  // An issue this run read in one team and still stored in another was moved: it counts where
  // it is now.
  const pulls: { team: LinearTeam; pulled: PulledLinearTeam; changed: number }[] = [];
  for (const { team, pulled, changed } of reads) {
    const elsewhere = new Set(
      reads.flatMap((other) => (other.team.id === team.id ? [] : [...other.readIds])),
    );
    pulls.push({
      team,
      pulled: await dropMovedIssues(store, team.key, pulled, elsewhere, !options.dryRun),
      changed,
    });
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
    if (!options.dryRun) await options.onTeamReport?.(team, report, loaded.workspace);

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
