import { z } from "zod";
import type { Category } from "../domain/index";
import { storeKeys, type Store } from "../store/index";
import { AppError } from "./app-error";
import type { BoardSource, LabelEdit, LabelOutcome } from "./board-source";

/**
 * A bulk classify of any size, and its undo, as a job kept in the store: its input and outcomes
 * one batch per key, a small head with its progress. A run does batches until it is done or told
 * to stop, so a host with a time limit (a Forge consumer's 900 s) hands the rest to its next run,
 * and a batch that ran but was not recorded runs again: label edits repeat nothing (SPEC §3).
 */

/** Issues one batch edits: one store write of its outcomes, a few seconds of Jira at most. */
export const BULK_BATCH = 50;
/** The most issues one bulk takes: every issue of a board of the size the app is built for, twice. */
export const BULK_MAX = 40_000;
/** Failures kept in the head, with their messages, for the result message; the count is exact. */
const FAILURES_KEPT = 20;

const outcomeSchema = z.object({
  issueKey: z.string(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
});
const editSchema = z.union([
  z.object({ issueKey: z.string(), set: z.enum(["roadmap", "investment"]).nullable() }),
  z.object({ issueKey: z.string(), add: z.array(z.string()), remove: z.array(z.string()) }),
]);

const headSchema = z.object({
  id: z.string(),
  boardId: z.number(),
  kind: z.enum(["classify", "undo"]),
  /** The category a classify sets; null clears it. Absent on an undo. */
  category: z.enum(["roadmap", "investment"]).nullable().optional(),
  /** The classify an undo reverts. */
  undoOf: z.string().nullable(),
  total: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
  /** The first batch not run yet. */
  next: z.number().int().nonnegative(),
  /** Issues edited, whether their labels changed or already said so. */
  done: z.number().int().nonnegative(),
  /** Of those, the ones whose labels changed. */
  changed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  failures: z.array(z.object({ issueKey: z.string(), message: z.string() })),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  /** Set on a classify once it has been undone, by the undo's id. */
  undoneBy: z.string().nullable(),
});

/** A bulk job as the pages see it. */
export type BulkJob = z.infer<typeof headSchema>;

export interface BulkPorts {
  readonly store: Store;
  readonly source: BoardSource;
  readonly now: () => number;
}

/** Where a new job runs: the host's queue, or `null` to run it here and now. */
export type BulkRunner = ((job: { boardId: number; jobId: string }) => Promise<void>) | null;

export const isFinished = (job: BulkJob): boolean => job.next >= job.batches;

async function readHead(store: Store, boardId: number, jobId: string): Promise<BulkJob | null> {
  const parsed = headSchema.safeParse(await store.get(storeKeys.bulkJob(String(boardId), jobId)));
  return parsed.success ? parsed.data : null;
}

async function writeHead(store: Store, job: BulkJob): Promise<void> {
  await store.set(storeKeys.bulkJob(String(job.boardId), job.id), job);
}

/** A job of the board, or NOT_FOUND. */
export async function getBulkJob(store: Store, boardId: number, jobId: string): Promise<BulkJob> {
  const job = await readHead(store, boardId, jobId);
  if (job === null) {
    throw new AppError("NOT_FOUND", `There is no bulk change ${jobId} on board ${boardId}.`);
  }
  return job;
}

/** The board's last bulk classify, undone or not; null when there was none. */
export async function getLastBulkJob(store: Store, boardId: number): Promise<BulkJob | null> {
  const last = z
    .object({ jobId: z.string() })
    .safeParse(await store.get(storeKeys.bulkLast(String(boardId))));
  return last.success ? readHead(store, boardId, last.data.jobId) : null;
}

/**
 * Creates the job unless one with this id exists (a retried request gets the first one's job),
 * writing its input before its head, so a head is never read without its batches.
 */
async function createJob(
  ports: BulkPorts,
  fields: Pick<BulkJob, "id" | "boardId" | "kind" | "undoOf"> & { category?: Category | null },
  edits: readonly LabelEdit[],
): Promise<{ job: BulkJob; created: boolean }> {
  const existing = await readHead(ports.store, fields.boardId, fields.id);
  if (existing !== null) return { job: existing, created: false };
  const batches = Math.ceil(edits.length / BULK_BATCH);
  for (let index = 0; index < batches; index++) {
    await ports.store.set(
      storeKeys.bulkJobPart(String(fields.boardId), fields.id, "in", index),
      edits.slice(index * BULK_BATCH, (index + 1) * BULK_BATCH),
    );
  }
  const job: BulkJob = {
    ...fields,
    total: edits.length,
    batches,
    next: 0,
    done: 0,
    changed: 0,
    failed: 0,
    failures: [],
    createdAt: new Date(ports.now()).toISOString(),
    finishedAt: batches === 0 ? new Date(ports.now()).toISOString() : null,
    undoneBy: null,
  };
  await writeHead(ports.store, job);
  return { job, created: true };
}

/**
 * Starts classifying `issueKeys` as `category` (null clears it) and records it as the board's
 * last bulk, the one an undo reverts. `requestId` names the job: the same request twice starts
 * one job. Runs it on `runner`, or here to the end when there is none.
 */
export async function startBulkClassify(
  ports: BulkPorts,
  runner: BulkRunner,
  input: {
    readonly boardId: number;
    readonly issueKeys: readonly string[];
    readonly category: Category | null;
    readonly requestId: string;
  },
): Promise<BulkJob> {
  const keys = [...new Set(input.issueKeys)];
  const { job, created } = await createJob(
    ports,
    {
      id: input.requestId,
      boardId: input.boardId,
      kind: "classify",
      category: input.category,
      undoOf: null,
    },
    keys.map((issueKey) => ({ issueKey, set: input.category })),
  );
  if (!created) return job;
  await ports.store.set(storeKeys.bulkLast(String(input.boardId)), { jobId: job.id });
  return launch(ports, runner, job);
}

/**
 * Starts undoing the board's last bulk classify: each issue it changed gets back the labels it
 * removed and loses the ones it added, so an issue returns to its state before, conflicts
 * included; issues it did not change are left alone. The undo's id follows from the classify's,
 * so asking twice starts one undo.
 */
export async function startBulkUndo(
  ports: BulkPorts,
  runner: BulkRunner,
  input: { readonly boardId: number; readonly jobId: string },
): Promise<BulkJob> {
  const job = await getBulkJob(ports.store, input.boardId, input.jobId);
  const undoId = `${job.id}-undo`;
  const existing = await readHead(ports.store, input.boardId, undoId);
  if (existing !== null) return existing;
  const last = await getLastBulkJob(ports.store, input.boardId);
  if (job.kind !== "classify" || last?.id !== job.id) {
    throw new AppError(
      "BAD_REQUEST",
      "Only the last bulk change of this board can be undone, and this is not it any more.",
    );
  }
  if (!isFinished(job)) {
    throw new AppError(
      "BAD_REQUEST",
      `The bulk change is still running (${job.done + job.failed} of ${job.total}); undo it when it has finished.`,
    );
  }
  const edits: LabelEdit[] = [];
  for (let index = 0; index < job.batches; index++) {
    for (const outcome of await readOutcomes(ports.store, job, index)) {
      if (outcome.added.length === 0 && outcome.removed.length === 0) continue;
      edits.push({ issueKey: outcome.issueKey, add: outcome.removed, remove: outcome.added });
    }
  }
  const { job: undo } = await createJob(
    ports,
    { id: undoId, boardId: input.boardId, kind: "undo", undoOf: job.id },
    edits,
  );
  await writeHead(ports.store, { ...job, undoneBy: undo.id });
  return launch(ports, runner, undo);
}

async function launch(ports: BulkPorts, runner: BulkRunner, job: BulkJob): Promise<BulkJob> {
  if (isFinished(job)) return job;
  if (runner === null) return runBulkJob(ports, job.boardId, job.id);
  await runner({ boardId: job.boardId, jobId: job.id });
  return job;
}

async function readOutcomes(
  store: Store,
  job: BulkJob,
  index: number,
): Promise<z.infer<typeof outcomeSchema>[]> {
  const parsed = z
    .array(outcomeSchema)
    .safeParse(await store.get(storeKeys.bulkJobPart(String(job.boardId), job.id, "out", index)));
  return parsed.success ? parsed.data : [];
}

/**
 * Runs the job's batches from where it stands until it is done or `shouldStop` says so, each
 * batch's outcomes written before the head moves past it. Answers the head as it stands.
 */
export async function runBulkJob(
  ports: BulkPorts,
  boardId: number,
  jobId: string,
  options: { readonly shouldStop?: () => boolean } = {},
): Promise<BulkJob> {
  const { store } = ports;
  let job = await getBulkJob(store, boardId, jobId);
  while (!isFinished(job) && options.shouldStop?.() !== true) {
    const key = storeKeys.bulkJobPart(String(boardId), jobId, "in", job.next);
    const edits = z.array(editSchema).safeParse(await store.get(key));
    if (!edits.success) {
      throw new AppError("INTERNAL", `Bulk change ${jobId} lost batch ${job.next} of its input.`);
    }
    const outcomes = await ports.source.editLabels(boardId, edits.data);
    await store.set(
      storeKeys.bulkJobPart(String(boardId), jobId, "out", job.next),
      outcomes.flatMap((outcome) =>
        outcome.ok
          ? [{ issueKey: outcome.issueKey, added: outcome.added, removed: outcome.removed }]
          : [],
      ),
    );
    job = advance(job, outcomes, ports.now());
    await writeHead(store, job);
  }
  return job;
}

function advance(job: BulkJob, outcomes: readonly LabelOutcome[], now: number): BulkJob {
  const failures = outcomes.flatMap((outcome) =>
    outcome.ok ? [] : [{ issueKey: outcome.issueKey, message: outcome.message }],
  );
  const succeeded = outcomes.filter((outcome) => outcome.ok);
  const next = job.next + 1;
  return {
    ...job,
    next,
    done: job.done + succeeded.length,
    changed:
      job.changed +
      succeeded.filter((outcome) => outcome.added.length > 0 || outcome.removed.length > 0).length,
    failed: job.failed + failures.length,
    failures: [...job.failures, ...failures].slice(0, FAILURES_KEPT),
    finishedAt: next >= job.batches ? new Date(now).toISOString() : null,
  };
}

/** "50 of 55 classified as investment; 5 failed: PAY-1 (…), …": the job's result in one line. */
export function describeBulkJob(job: BulkJob): string {
  const verb =
    job.kind === "undo"
      ? "restored"
      : job.category === null || job.category === undefined
        ? "cleared"
        : `classified as ${job.category}`;
  const progress = `${job.done.toLocaleString("en")} of ${job.total.toLocaleString("en")} ${verb}`;
  if (job.failed === 0) return isFinished(job) ? `${progress}.` : `${progress} so far…`;
  const named = job.failures.map((failure) => `${failure.issueKey} (${failure.message})`);
  const more = job.failed > named.length ? `, and ${job.failed - named.length} more` : "";
  return `${progress}; ${job.failed.toLocaleString("en")} failed: ${named.join(", ")}${more}.`;
}

/**
 * A runner for a long-lived host (the self-hosted server): each job runs in this process after
 * the request has answered, one board's jobs one after another. A job a failure stopped keeps
 * its progress in the store, and its status says how far it got.
 */
export function backgroundBulkRunner(
  ports: BulkPorts,
  onError: (error: unknown) => void,
): NonNullable<BulkRunner> {
  const running = new Map<number, Promise<unknown>>();
  return (job) => {
    const previous = running.get(job.boardId) ?? Promise.resolve();
    const next = previous
      .then(() => runBulkJob(ports, job.boardId, job.jobId))
      .catch(onError)
      .finally(() => {
        if (running.get(job.boardId) === next) running.delete(job.boardId);
      });
    running.set(job.boardId, next);
    return Promise.resolve();
  };
}
