import { z } from "zod";
import type { Category } from "../domain/index";
import { storeKeys, type Store } from "../store/index";
import { AppError } from "./app-error";
import { FORGE_MAX_SECONDS } from "./linear-host";
import type { BoardSource, LabelEdit, LabelOutcome, PlannedLabelEdit } from "./board-source";

/**
 * A bulk classify of any size, and its undo, as a job kept in the store: its input, its plan and
 * its outcomes one batch per key, a small head with its progress. A run does batches until it is
 * done or told to stop, so a host with a time limit (a Forge consumer's 900 s) hands the rest to
 * its next run.
 *
 * Write-ahead: before a classify changes a batch, it records each issue's labels as they are and
 * the exact labels it will add and remove. A batch cut off midway (a crash, a killed invocation)
 * runs again from that plan, and adding a label an issue has or removing one it lacks changes
 * nothing in Jira, so a retry repeats nothing; the undo reverts every planned issue, so it restores
 * each one that was changed, recorded as done or not.
 *
 * A job a person started edits as the app (a queued run has no user to act as), so before each
 * batch, a classify's or an undo's, it asks Jira whether that person may still edit the batch's
 * issues: one they no longer may is left alone and named among the failures, and the job goes on
 * with the rest. A check Jira does not answer stops the batch before anything is edited.
 */

/** Issues one batch edits: one store write of its outcomes, a few seconds of Jira at most. */
export const BULK_BATCH = 50;
/** The most issues one bulk takes: every issue of a board of the size the app is built for, twice. */
export const BULK_MAX = 40_000;
/** Failures kept in the head, with their messages, for the result message; the count is exact. */
const FAILURES_KEPT = 20;
/** Batches whose failures one page of `listBulkFailures` reads: 2,000 issues, 40 store reads. */
const FAILURE_PAGE_BATCHES = 40;
/**
 * A job not finished whose head has not moved for this long lost its run (an invocation Forge
 * killed, a server restarted): twice the longest a consumer runs, or waits out a rate limit.
 */
export const BULK_STALLED_MS = 2 * FORGE_MAX_SECONDS * 1000;

const outcomeSchema = z.union([
  z.object({ issueKey: z.string(), added: z.array(z.string()), removed: z.array(z.string()) }),
  z.object({ issueKey: z.string(), message: z.string() }),
]);
const categorySchema = z.enum(["roadmap", "investment"]).nullable();
/** One issue of a job's input: a category to set, exact labels (an undo), or refused at the start. */
const editSchema = z.union([
  z.object({ issueKey: z.string(), set: categorySchema }),
  z.object({ issueKey: z.string(), add: z.array(z.string()), remove: z.array(z.string()) }),
  z.object({ issueKey: z.string(), refused: z.string() }),
]);
type JobEdit = z.infer<typeof editSchema>;
const planSchema = z.array(
  z.union([
    z.object({
      issueKey: z.string(),
      ok: z.literal(true),
      before: z.array(z.string()),
      add: z.array(z.string()),
      remove: z.array(z.string()),
    }),
    z.object({ issueKey: z.string(), ok: z.literal(false), message: z.string() }),
  ]),
);
/** An undo's mark on the classify it reverts, and when it was set. */
const stopSchema = z.object({ undoId: z.string(), at: z.iso.datetime() });

const headSchema = z.object({
  id: z.string(),
  boardId: z.number(),
  kind: z.enum(["classify", "undo"]),
  /** The category a classify sets; null clears it. Absent on an undo. */
  category: z.enum(["roadmap", "investment"]).nullable().optional(),
  /** The classify an undo reverts. */
  undoOf: z.string().nullable(),
  /**
   * Who asked (their Atlassian account id; null on a host with one user). A queued job edits as
   * the app, and only the issues this person was allowed to edit when they asked and still may
   * when each batch runs.
   */
  requestedBy: z.string().nullable().default(null),
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
  /** When the head last moved: created, a batch recorded, or its run handed on. */
  updatedAt: z.iso.datetime().optional(),
  /** When the last batch ran, or when an undo stopped the job. */
  finishedAt: z.iso.datetime().nullable(),
  /** Set on a classify once its undo has started, to the undo's id; it then edits nothing more. */
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

/** Whether a job will edit nothing more: its last batch ran, or its undo stopped it. */
export const isFinished = (job: BulkJob): boolean =>
  job.finishedAt !== null || job.next >= job.batches || job.undoneBy !== null;

/**
 * The head as stored, with the stop mark an undo sets before anything else: a classify that
 * mark stopped is over when it was set, even if no run of it got to write so.
 */
async function readHead(store: Store, boardId: number, jobId: string): Promise<BulkJob | null> {
  const head = await readParsed(store, storeKeys.bulkJob(String(boardId), jobId), headSchema);
  if (head === null) return null;
  const stop = await readStop(store, boardId, jobId);
  return stop === null
    ? head
    : { ...head, undoneBy: stop.undoId, finishedAt: head.finishedAt ?? stop.at };
}

/** A stored value as `schema` reads it; null when it is missing or not of that shape. */
async function readParsed<T>(store: Store, key: string, schema: z.ZodType<T>): Promise<T | null> {
  const parsed = schema.safeParse(await store.get(key));
  return parsed.success ? parsed.data : null;
}

const readStop = (store: Store, boardId: number, jobId: string) =>
  readParsed(store, storeKeys.bulkJobStop(String(boardId), jobId), stopSchema);

async function writeHead(store: Store, job: BulkJob): Promise<void> {
  await store.set(storeKeys.bulkJob(String(job.boardId), job.id), job);
}

/** A job of the board, or null when there is none by that id. */
export const findBulkJob = readHead;

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
  const last = await readParsed(
    store,
    storeKeys.bulkLast(String(boardId)),
    z.object({ jobId: z.string() }),
  );
  return last === null ? null : readHead(store, boardId, last.jobId);
}

/**
 * Creates the job unless one with this id exists (a retried request gets the first one's job),
 * writing its input before its head, so a head is never read without its batches.
 */
async function createJob(
  ports: BulkPorts,
  fields: Pick<BulkJob, "id" | "boardId" | "kind" | "undoOf" | "requestedBy"> & {
    category?: Category | null;
  },
  edits: readonly JobEdit[],
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
    updatedAt: new Date(ports.now()).toISOString(),
    finishedAt: batches === 0 ? new Date(ports.now()).toISOString() : null,
    undoneBy: null,
  };
  await writeHead(ports.store, job);
  return { job, created: true };
}

/**
 * Starts classifying `issueKeys` as `category` (null clears it) and records it as the board's
 * last bulk, the one an undo reverts. `requestId` names the job: the same request twice starts
 * one job. Issues in `refused` (the person may not edit them) are reported as failed with their
 * reason and never edited. Runs it on `runner`, or here to the end when there is none.
 */
export async function startBulkClassify(
  ports: BulkPorts,
  runner: BulkRunner,
  input: {
    readonly boardId: number;
    readonly issueKeys: readonly string[];
    readonly category: Category | null;
    readonly requestId: string;
    readonly requestedBy?: string | null;
    readonly refused?: ReadonlyMap<string, string>;
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
      requestedBy: input.requestedBy ?? null,
    },
    keys.map((issueKey): JobEdit => {
      const refused = input.refused?.get(issueKey);
      return refused === undefined ? { issueKey, set: input.category } : { issueKey, refused };
    }),
  );
  if (!created) return job;
  await ports.store.set(storeKeys.bulkLast(String(input.boardId)), { jobId: job.id });
  return launch(ports, runner, job);
}

/**
 * Starts undoing the board's last bulk classify, finished or not: first it marks the classify
 * stopped, so a run of it still going edits nothing more, then each issue the classify planned to
 * change gets back the labels it removed and loses the ones it added, so an issue returns to its
 * state before, conflicts included, whether its change was recorded or cut off by a crash; issues
 * it did not change are left alone. The undo's id follows from the classify's, so asking twice
 * (or again after a failure midway) starts one undo.
 */
export async function startBulkUndo(
  ports: BulkPorts,
  runner: BulkRunner,
  input: { readonly boardId: number; readonly jobId: string; readonly requestedBy?: string | null },
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
  // The mark goes first: a run that planned a batch before it reads the plan written here.
  await ports.store.set(storeKeys.bulkJobStop(String(input.boardId), job.id), {
    undoId,
    at: stamp(ports),
  });
  const edits: JobEdit[] = [];
  for (let index = 0; index < job.batches; index++) {
    for (const entry of (await readPlan(ports.store, job, index)) ?? []) {
      if (!entry.ok || (entry.add.length === 0 && entry.remove.length === 0)) continue;
      edits.push({ issueKey: entry.issueKey, add: entry.remove, remove: entry.add });
    }
  }
  const { job: undo } = await createJob(
    ports,
    {
      id: undoId,
      boardId: input.boardId,
      kind: "undo",
      undoOf: job.id,
      requestedBy: input.requestedBy ?? null,
    },
    edits,
  );
  return launch(ports, runner, undo);
}

/** A failed issue of a bulk change and why. */
export interface BulkFailure {
  readonly issueKey: string;
  readonly message: string;
}

/**
 * Every failure of a job, each named with its reason, a page of batches at a time from
 * `fromBatch` (the head keeps the first few only); `nextBatch` is where the next page starts, null
 * after the last batch run so far.
 */
export async function listBulkFailures(
  store: Store,
  boardId: number,
  jobId: string,
  fromBatch: number,
): Promise<{ failures: BulkFailure[]; nextBatch: number | null }> {
  const job = await getBulkJob(store, boardId, jobId);
  const end = Math.min(job.next, fromBatch + FAILURE_PAGE_BATCHES);
  const failures: BulkFailure[] = [];
  for (let index = fromBatch; index < end; index++) {
    const key = storeKeys.bulkJobPart(String(boardId), jobId, "out", index);
    for (const outcome of (await readParsed(store, key, z.array(outcomeSchema))) ?? []) {
      if ("message" in outcome) failures.push(outcome);
    }
  }
  return { failures, nextBatch: end < job.next ? end : null };
}

/**
 * Hands a job that lost its run to `runner` again; it continues from its last recorded batch, and
 * a batch cut off midway runs again from its plan. Answers the head as it stands.
 */
export async function resumeIfStalled(
  ports: BulkPorts,
  runner: BulkRunner,
  job: BulkJob,
): Promise<BulkJob> {
  if (runner === null || isFinished(job)) return job;
  if (ports.now() - Date.parse(job.updatedAt ?? job.createdAt) < BULK_STALLED_MS) return job;
  const resumed = { ...job, updatedAt: stamp(ports) };
  await writeHead(ports.store, resumed);
  await runner({ boardId: job.boardId, jobId: job.id });
  return resumed;
}

async function launch(ports: BulkPorts, runner: BulkRunner, job: BulkJob): Promise<BulkJob> {
  if (isFinished(job)) return job;
  if (runner === null) return runBulkJob(ports, job.boardId, job.id);
  await runner({ boardId: job.boardId, jobId: job.id });
  return job;
}

const readPlan = (store: Store, job: BulkJob, index: number) =>
  readParsed(store, storeKeys.bulkJobPart(String(job.boardId), job.id, "plan", index), planSchema);

/**
 * Runs the job's batches from where it stands until it is done, its undo stops it, or
 * `shouldStop` says so; each batch's outcomes are written before the head moves past it, and
 * `beforeBatch` is awaited before each batch. Answers the head as it stands.
 */
export async function runBulkJob(
  ports: BulkPorts,
  boardId: number,
  jobId: string,
  options: {
    readonly shouldStop?: () => boolean;
    readonly beforeBatch?: () => Promise<void>;
  } = {},
): Promise<BulkJob> {
  const { store } = ports;
  let job = await getBulkJob(store, boardId, jobId);
  while (!isFinished(job) && options.shouldStop?.() !== true) {
    // An undo that starts meanwhile is seen by the batch, which then edits nothing.
    await options.beforeBatch?.();
    const outcomes =
      job.kind === "classify" ? await classifyBatch(ports, job) : await undoBatch(ports, job);
    if (outcomes === null) {
      // Its undo has started: nothing more is edited, and the job is over where it stands.
      job = await getBulkJob(store, boardId, jobId);
      break;
    }
    await store.set(
      storeKeys.bulkJobPart(String(boardId), jobId, "out", job.next),
      outcomes.map((outcome) =>
        outcome.ok
          ? { issueKey: outcome.issueKey, added: outcome.added, removed: outcome.removed }
          : { issueKey: outcome.issueKey, message: outcome.message },
      ),
    );
    job = advance(job, outcomes, ports.now());
    await writeHead(store, job);
  }
  return job;
}

const stamp = (ports: BulkPorts): string => new Date(ports.now()).toISOString();

async function readInput(store: Store, job: BulkJob): Promise<JobEdit[]> {
  const key = storeKeys.bulkJobPart(String(job.boardId), job.id, "in", job.next);
  const edits = await readParsed(store, key, z.array(editSchema));
  if (edits === null) {
    throw new AppError("INTERNAL", `Bulk change ${job.id} lost batch ${job.next} of its input.`);
  }
  return edits;
}

/**
 * One batch of a classify: its plan (each issue's labels now and the change), written before any
 * label is, unless a run cut off midway wrote it already; then the change. Before either, Jira is
 * asked whether the person who started the job may still edit the batch's issues: one refused
 * before the plan is written is planned as failed, so the undo leaves it alone; one refused when
 * the batch runs again from its plan is not edited again (what the cut-off run wrote stays in
 * the plan, for the undo). Null, editing nothing, once the job's undo has started.
 */
async function classifyBatch(ports: BulkPorts, job: BulkJob): Promise<LabelOutcome[] | null> {
  const { store, source } = ports;
  let plan: readonly PlannedLabelEdit[] | null = await readPlan(store, job, job.next);
  if (plan === null && (await readStop(store, job.boardId, job.id)) !== null) return null;
  const edits = plan === null ? await readInput(store, job) : [];
  const sets = edits.flatMap((edit) => ("set" in edit ? [edit] : []));
  const refused = await refusedNow(
    ports,
    job,
    plan === null ? sets : plan.filter((entry) => entry.ok),
  );
  if (plan === null) {
    const planned = new Map(
      (
        await source.planLabels(
          job.boardId,
          sets.filter((edit) => !refused.has(edit.issueKey)),
        )
      ).map((entry) => [entry.issueKey, entry]),
    );
    plan = edits.map((edit): PlannedLabelEdit => {
      const message = "refused" in edit ? edit.refused : refused.get(edit.issueKey);
      if (message !== undefined) return failed(edit.issueKey, message);
      return planned.get(edit.issueKey) ?? failed(edit.issueKey, "Its labels could not be read.");
    });
    await store.set(storeKeys.bulkJobPart(String(job.boardId), job.id, "plan", job.next), plan);
  }
  // An undo that started before this run read the plan: it reverts this batch, so it stops here.
  if ((await readStop(store, job.boardId, job.id)) !== null) return null;
  const changes = plan.flatMap((entry) =>
    entry.ok ? [{ issueKey: entry.issueKey, add: entry.add, remove: entry.remove }] : [],
  );
  return editUnlessRefused(ports, job, plan, changes, refused);
}

/**
 * One batch of an undo: exact labels back, which a retry repeats harmlessly, on the issues the
 * person who asked for the undo may still edit.
 */
async function undoBatch(ports: BulkPorts, job: BulkJob): Promise<LabelOutcome[]> {
  const edits = (await readInput(ports.store, job)).flatMap((edit) =>
    "add" in edit ? [edit] : [],
  );
  return editUnlessRefused(ports, job, edits, edits, await refusedNow(ports, job, edits));
}

/**
 * Before a batch edits: the issues the person who asked for the job may not edit now, with the
 * reason, as Jira answers the app (the job edits as the app). Nothing when nobody asked (a host
 * with one user) or the source edits as the person. A check Jira does not answer throws, like every
 * failed call of the batch does, and the batch runs again later: nothing is edited unchecked.
 */
async function refusedNow(
  ports: BulkPorts,
  job: BulkJob,
  issues: readonly { readonly issueKey: string }[],
): Promise<ReadonlyMap<string, string>> {
  const check = ports.source.refusedEditsNow?.bind(ports.source);
  if (job.requestedBy === null || check === undefined || issues.length === 0) return new Map();
  return check(
    job.boardId,
    issues.map((issue) => issue.issueKey),
    job.requestedBy,
  );
}

/**
 * The batch's outcome in its order: the edits of `changes` not `refused` applied, each refused
 * one failed with its reason, and each entry of `batch` already failed kept as it is.
 */
async function editUnlessRefused(
  ports: BulkPorts,
  job: BulkJob,
  batch: readonly (PlannedLabelEdit | LabelEdit)[],
  changes: readonly LabelEdit[],
  refused: ReadonlyMap<string, string>,
): Promise<LabelOutcome[]> {
  const allowed = changes.filter((edit) => !refused.has(edit.issueKey));
  const applied = new Map(
    (await ports.source.editLabels(job.boardId, allowed)).map((outcome) => [
      outcome.issueKey,
      outcome,
    ]),
  );
  return batch.map((entry): LabelOutcome => {
    if ("ok" in entry && !entry.ok) return entry;
    const message = refused.get(entry.issueKey);
    if (message !== undefined) return failed(entry.issueKey, message);
    return applied.get(entry.issueKey) ?? failed(entry.issueKey, "Jira did not answer for it.");
  });
}

/** An issue of a batch not edited, and why. */
const failed = (issueKey: string, message: string) => ({ issueKey, ok: false as const, message });

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
    updatedAt: new Date(now).toISOString(),
    finishedAt: next >= job.batches ? new Date(now).toISOString() : null,
  };
}

/**
 * "50 of 55 classified as investment; 5 failed: PAY-1 (…), …": the job's result in one line, or
 * how far it got while it runs ("50 of 120 classified as investment so far…").
 */
export function describeBulkJob(job: BulkJob): string {
  const verb =
    job.kind === "undo"
      ? "restored"
      : job.category === null || job.category === undefined
        ? "cleared"
        : `classified as ${job.category}`;
  const cut = job.undoneBy !== null && job.next < job.batches ? " before its undo stopped it" : "";
  const progress = `${job.done.toLocaleString("en")} of ${job.total.toLocaleString("en")} ${verb}${cut}`;
  if (job.failed === 0) return isFinished(job) ? `${progress}.` : `${progress} so far…`;
  const named = job.failures.map((failure) => `${failure.issueKey} (${failure.message})`);
  const more = job.failed > named.length ? `, and ${job.failed - named.length} more` : "";
  const sofar = isFinished(job) ? "" : " so far";
  return `${progress}; ${job.failed.toLocaleString("en")} failed${sofar}: ${named.join(", ")}${more}.`;
}

/**
 * Lets the process serve what is waiting (a page asking how far a job got) before going on. A
 * store that answers at once (SQLite) resolves every promise of a batch without the event loop
 * turning, so without this a whole job would hold every other request until it ended.
 */
const letOthersIn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A runner for a long-lived host (the self-hosted server): each job runs in this process after
 * the request has answered, one board's jobs one after another, and the process serves other
 * requests between its batches, so a page asking how far it got sees each batch as it lands. A
 * job a failure stopped keeps its progress in the store, and its status says how far it got.
 */
export function backgroundBulkRunner(
  ports: BulkPorts,
  onError: (error: unknown) => void,
): NonNullable<BulkRunner> {
  const running = new Map<number, Promise<unknown>>();
  return (job) => {
    const previous = running.get(job.boardId) ?? Promise.resolve();
    const next = previous
      .then(() => runBulkJob(ports, job.boardId, job.jobId, { beforeBatch: letOthersIn }))
      .catch(onError)
      .finally(() => {
        if (running.get(job.boardId) === next) running.delete(job.boardId);
      });
    running.set(job.boardId, next);
    return Promise.resolve();
  };
}
