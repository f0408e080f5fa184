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
