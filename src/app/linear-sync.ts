import {
  bootstrapCapacityLabels,
  findTeams,
  linearWorkspaceFile,
  LinearSyncClient,
  pullLinearTeam,
  DEFAULT_LABEL_CONFIG,
  type CapacityLabelConfig,
  type CapacityLabels,
  type LinearPullProgress,
  type LinearRetryEvent,
  type PulledLinearTeam,
} from "../linear/index.js";
import { computeReport } from "../domain/report.js";
import type { SprintReport, TeamReport } from "../domain/types.js";
import { publishTeamReport, type CycleUpdate, type LinearTeam } from "../linear/index.js";
import { z } from "zod";
import { mergePulledTeam, verifyLinearWebhook, type WebhookVerdict } from "../linear/index.js";
import type { Store } from "../store/store.js";
import { storeKeys } from "../store/keys.js";
import { parseWorkspace } from "../workspace/load-workspace.js";
import { itemFileSchema, sprintFileSchema, teamFileSchema } from "../workspace/schema.js";
import type { WorkspaceFile } from "../workspace/schema.js";
import { renderMarkdown } from "./render/index.js";

type TargetFile = NonNullable<WorkspaceFile["targets"]>[number];

import { LinearSyncError } from "../linear/index.js";

export { LinearSyncError };
export type { LinearPullProgress, PulledLinearTeam } from "../linear/index.js";

/** A Linear workspace reached with a personal API key (CLI, self-hosted server). */
export function connectLinear(options: {
  readonly apiKey: string;
  readonly apiUrl?: string;
  readonly onRetry?: (event: LinearRetryEvent) => void;
}): LinearSyncClient {
  return new LinearSyncClient({
    apiKey: options.apiKey,
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
    retry: { onRetry: options.onRetry },
  });
}

/**
 * Pulls the teams with the given keys (every team the key sees when none) into one workspace file.
 * Targets are the product's, so none come from Linear.
 */
export async function pullLinearWorkspace(
  client: LinearSyncClient,
  teamKeys: readonly string[],
  onProgress?: (progress: LinearPullProgress) => void,
): Promise<{ readonly workspace: WorkspaceFile; readonly teams: readonly PulledLinearTeam[] }> {
  const teams = await findTeams(client, teamKeys);
  const pulled: PulledLinearTeam[] = [];
  for (const team of teams) {
    pulled.push(await pullLinearTeam(client, team, onProgress === undefined ? {} : { onProgress }));
  }
  return { workspace: linearWorkspaceFile(pulled), teams: pulled };
}

export interface LinearSyncSummary {
  readonly dryRun: boolean;
  readonly teams: readonly { readonly key: string; readonly name: string }[];
  readonly labels: CapacityLabels;
  /** Per team key, what publishing created or changed; empty when not publishing. */
  readonly published: Readonly<Record<string, readonly string[]>>;
}

export interface PublishOptions {
  readonly now: number;
  /** Declared targets, keyed by team key (Linear stores none). */
  readonly targets: readonly TargetFile[];
}

/**
 * One sync run: checks the teams exist, then bootstraps the `Capacity` label group (idempotent,
 * found by name). A dry run reads only and reports what it would create.
 */
export async function syncLinear(
  client: LinearSyncClient,
  options: {
    readonly teamKeys: readonly string[];
    readonly dryRun: boolean;
    readonly labels?: CapacityLabelConfig;
    /** Also publish each team's report inside Linear (project, living document, cycle updates). */
    readonly publish?: PublishOptions;
  },
): Promise<LinearSyncSummary> {
  const teams = await findTeams(client, options.teamKeys);
  const labels = await bootstrapCapacityLabels(client, {
    config: options.labels ?? DEFAULT_LABEL_CONFIG,
    dryRun: options.dryRun,
  });
  const published: Record<string, readonly string[]> = {};
  if (options.publish !== undefined) {
    for (const team of teams) {
      published[team.key] = await publishTeam(client, team, options.publish, options.dryRun);
    }
  }
  return {
    dryRun: options.dryRun,
    teams: teams.map((team) => ({ key: team.key, name: team.name })),
    labels,
    published,
  };
}

async function publishTeam(
  client: LinearSyncClient,
  team: LinearTeam,
  options: PublishOptions,
  dryRun: boolean,
): Promise<readonly string[]> {
  const pulled = await pullLinearTeam(client, team);
  const file = linearWorkspaceFile([pulled]);
  const loaded = parseWorkspace({
    ...file,
    targets: options.targets.filter((target) => target.teamId === team.key),
  });
  if (!loaded.ok) {
    throw new LinearSyncError(
      `Team ${team.key} maps to an invalid workspace: ${loaded.problems.join("; ")}`,
      "LINEAR_MALFORMED_RESPONSE",
      false,
      null,
    );
  }
  // The same computation as `capacity-split report` on the pulled file, so the numbers agree.
  const report = computeReport(loaded.workspace, { now: options.now });
  const teamReport = report.teams[0];
  const result = await publishTeamReport(client, {
    team,
    document: renderMarkdown(report),
    cycleUpdates: teamReport === undefined ? [] : latestClosedCycleUpdates(teamReport),
    dryRun,
  });
  return result.changes;
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
  const d = sprint.delivered;
  const share = sprint.investmentShare.delivered;
  const target = sprint.target;
  const lines = [
    `**${sprint.name}** closed: delivered ${d.roadmap} roadmap, ${d.investment} investment, ${d.unclassified} unclassified (${team.unit}).`,
    `Investment share ${share === null ? "n/a" : `${Math.round(share * 100)} %`}` +
      (target === null
        ? ", no target declared."
        : ` against a target of ${Math.round(target.investmentShare * 100)} % ± ${Math.round(target.tolerance * 100)}.`),
    ...flags.map((flag) => `- ${flag.severity}: ${flag.message}`),
  ];
  return { cycleId: sprint.id, body: lines.join("\n"), health };
}

const storedTeamSchema = z.object({
  team: teamFileSchema,
  sprints: z.array(sprintFileSchema),
  items: z.array(itemFileSchema),
  cursor: z.string().nullable(),
});

/**
 * Pulls a team incrementally: the stored state and its `updatedAt` cursor, plus the issues updated
 * since. The state and cursor are saved only once a pull has finished, so a run killed halfway
 * resumes from the last complete cursor and reads the same changes again. Stored data that no
 * longer parses (an older version of the app) means a full pull.
 */
export async function pullLinearTeamIncrementally(
  client: LinearSyncClient,
  store: Store,
  team: LinearTeam,
): Promise<{ readonly pulled: PulledLinearTeam; readonly changed: number }> {
  const stored = storedTeamSchema.safeParse(await store.get(storeKeys.linearTeamState(team.key)));
  const previous = stored.success ? stored.data : null;
  const changes = await pullLinearTeam(client, team, { since: previous?.cursor ?? null });
  const pulled = previous === null ? changes : mergePulledTeam(previous, changes);
  await store.set(storeKeys.linearTeamState(team.key), {
    team: pulled.team,
    sprints: pulled.sprints,
    items: pulled.items,
    cursor: pulled.cursor,
  });
  await store.set(storeKeys.linearCursor(team.key), pulled.cursor);
  return { pulled, changed: changes.items.length };
}

export type WebhookOutcome =
  | { readonly status: 200; readonly result: "accepted" | "duplicate" }
  | { readonly status: 400 | 401; readonly result: "refused"; readonly reason: string };

/**
 * A Linear webhook delivery, in either host: verified (401 on a bad or stale signature, nothing
 * changed), deduplicated by `Linear-Delivery`, then handed to `enqueue` for the heavy work, so the
 * answer goes back fast.
 */
export async function handleLinearWebhook(
  request: Parameters<typeof verifyLinearWebhook>[0],
  ports: {
    readonly store: Store;
    readonly enqueue: (event: Extract<WebhookVerdict, { ok: true }>["event"]) => Promise<void>;
  },
): Promise<WebhookOutcome> {
  const verdict = verifyLinearWebhook(request);
  if (!verdict.ok) return { status: verdict.status, result: "refused", reason: verdict.reason };
  if (verdict.deliveryId !== null) {
    const key = storeKeys.linearDelivery(verdict.deliveryId);
    if ((await ports.store.get(key)) !== undefined) return { status: 200, result: "duplicate" };
    await ports.store.set(key, { receivedAt: verdict.event.webhookTimestamp });
  }
  await ports.enqueue(verdict.event);
  return { status: 200, result: "accepted" };
}
