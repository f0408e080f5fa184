import { z } from "zod";
import {
  historyEntrySchema,
  mergePulledTeam,
  pagedIssueSchema,
  pullLinearTeam,
  type LinearPullCheckpoint,
  type LinearPullProgress,
  type LinearPullStep,
  type LinearSyncClient,
  type LinearTeam,
  type PulledLinearTeam,
} from "../linear/index";
import { type Store, storeKeys } from "../store/index";
import { itemFileSchema, sprintFileSchema, teamFileSchema } from "../workspace/index";

const storedTeamSchema = z.object({
  team: teamFileSchema,
  sprints: z.array(sprintFileSchema),
  items: z.array(itemFileSchema),
  cursor: z.string().nullable(),
  issueIds: z.record(z.string(), z.string()),
  /** Identifiers of its archived issues (a state stored without them is pulled again whole). */
  archived: z.array(z.string()),
  /** When the team's issue ids were last listed (a full pull lists them all). */
  listedAt: z.number().optional(),
});
type StoredTeam = z.infer<typeof storedTeamSchema>;

/**
 * How often a team's issue ids are listed again to drop issues that left it without a change
 * the incremental pull can see (moved to another team, deleted for good), besides when a webhook
 * told of one: about 1.3 complexity points and 1/250 request per issue.
 */
export const RELIST_INTERVAL_MS = 6 * 3_600_000;

const relistDueSchema = z.object({ at: z.number() });

/**
 * Pulls a team incrementally: the stored state and its `updatedAt` cursor, plus the issues updated
 * since. The state and cursor are saved once a pull has finished; on the way, the pull's progress
 * is saved after every issues page and history batch, so a run stopped halfway (a rate limit it
 * may not wait for, a timeout, a failure) is continued by the next run from the same cursor
 * without reading again what it read. Stored data that no longer parses (an older version of the
 * app) means a full pull; progress that does not parse, or belongs to a pull from another cursor,
 * is dropped. With `persist: false` (a dry run) nothing is read from progress or saved.
 *
 * Issues that leave the team: one read in the trash is dropped (`removed`); one moved to another
 * team or deleted for good no longer matches the team's filter, so every `RELIST_INTERVAL_MS`,
 * and on the next run after a webhook told of such a change (`storeKeys.linearRelistDue`), the
 * team's issue ids are listed and stored issues missing from them dropped.
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
    readonly now?: number;
  } = {},
): Promise<{
  readonly pulled: PulledLinearTeam;
  readonly changed: number;
  /** Linear ids of the issues this pull read in the team. */
  readonly readIds: ReadonlySet<string>;
}> {
  const persist = options.persist !== false;
  const now = options.now ?? Date.now();
  const stored = storedTeamSchema.safeParse(await store.get(storeKeys.linearTeamState(team.key)));
  let previous: StoredTeam | null = stored.success ? stored.data : null;
  let listedAt = previous === null ? now : (previous.listedAt ?? 0);
  if (previous !== null && (await relistDue(store, listedAt, now))) {
    const current = new Set((await client.listIssueIds(team.id)).map((issue) => issue.identifier));
    previous = { ...previous, items: previous.items.filter((item) => current.has(item.id)) };
    listedAt = now;
  }
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
    await saveTeamState(store, team.key, pulled, listedAt);
    await store.set(storeKeys.linearCursor(team.key), pulled.cursor);
    if (saved !== null) await clearPullProgress(store, team.key, saved);
  }
  const readIds = new Set(
    [...changes.items.map((item) => item.id), ...(changes.removed ?? [])].flatMap((identifier) => {
      const id = changes.issueIds[identifier];
      return id === undefined ? [] : [id];
    }),
  );
  return { pulled, changed: changes.items.length, readIds };
}

async function saveTeamState(
  store: Store,
  teamKey: string,
  pulled: PulledLinearTeam,
  listedAt: number,
): Promise<void> {
  await store.set(storeKeys.linearTeamState(teamKey), {
    team: pulled.team,
    sprints: pulled.sprints,
    items: pulled.items,
    cursor: pulled.cursor,
    issueIds: pulled.issueIds,
    archived: pulled.archived ?? [],
    listedAt,
  });
}

/** Whether the team's issue ids are to be listed again before this pull. */
async function relistDue(store: Store, listedAt: number, now: number): Promise<boolean> {
  if (now - listedAt >= RELIST_INTERVAL_MS) return true;
  const due = relistDueSchema.safeParse(await store.get(storeKeys.linearRelistDue()));
  return due.success && due.data.at >= listedAt;
}

/** Marks every team's issue ids to be listed again on its next pull (an issue left a team). */
export async function markRelistDue(store: Store, at: number): Promise<void> {
  await store.set(storeKeys.linearRelistDue(), { at });
}

/**
 * A pulled team without the issues whose latest read, this run, shows them in another team
 * (moved there): by Linear id, since a moved issue takes a new identifier. The stored state is
 * updated too (unless `persist` is false), so the next run starts without them.
 */
export async function dropMovedIssues(
  store: Store,
  teamKey: string,
  pulled: PulledLinearTeam,
  readElsewhere: ReadonlySet<string>,
  persist: boolean,
): Promise<PulledLinearTeam> {
  const items = pulled.items.filter((item) => {
    const id = pulled.issueIds[item.id];
    return id === undefined || !readElsewhere.has(id);
  });
  if (items.length === pulled.items.length) return pulled;
  const kept = { ...pulled, items };
  if (persist) {
    const stored = storedTeamSchema.safeParse(await store.get(storeKeys.linearTeamState(teamKey)));
    await saveTeamState(store, teamKey, kept, stored.success ? (stored.data.listedAt ?? 0) : 0);
  }
  return kept;
}

const pullProgressHeaderSchema = z.object({
  since: z.string().nullable(),
  after: z.string().nullable(),
  catchUpSince: z.string().nullable().default(null),
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
    catchUpSince: checkpoint.catchUpSince ?? null,
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
    catchUpSince: header.data.catchUpSince,
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
