import { Queue } from "@forge/events";
import { z } from "zod";
import { FORGE_MAX_SECONDS, isFinished, jiraBoardSource, runBulkJob } from "../app/index";
import { JiraClient, RateLimitedError } from "../jira/index";
import { ForgeKvsStore } from "../store/forge/index";
import { createForgeTransport } from "./jira-transport";
import { enqueueBoardSync } from "./sync-handlers";

/** The queue of bulk classifies and undos: one job per event, continued until it is done. */
const BULK_QUEUE = "bulk-classify";
/** What a run leaves of its 900 s for writing its last batch and handing over. */
const RESERVE_MS = 60_000;

/**
 * Queues a bulk job of a board. Pushed from the resolver the person called, so the consumer edits
 * as that person; one run per board at a time, so two jobs never interleave their batches.
 */
export async function enqueueBulk(
  job: { readonly boardId: number; readonly jobId: string },
  delayInSeconds = 0,
): Promise<void> {
  await new Queue({ key: BULK_QUEUE }).push({
    body: { boardId: job.boardId, jobId: job.jobId },
    ...(delayInSeconds > 0 ? { delayInSeconds } : {}),
    concurrency: { key: `bulk-${job.boardId}`, limit: 1 },
  });
}

const bulkEventSchema = z.object({
  body: z.object({ boardId: z.number().int().positive(), jobId: z.string().min(1).max(120) }),
});

/**
 * Consumer of the bulk queue: runs the job's batches until it is done or the invocation's time
 * runs low, then queues the rest; a rate limit longer than the retries wait becomes the same
 * event again, delayed by what Jira asked for.
 */
export async function onBulkClassify(event: unknown): Promise<void> {
  const parsed = bulkEventSchema.safeParse(event);
  if (!parsed.success) return;
  const { boardId, jobId } = parsed.data.body;
  const deadline = Date.now() + FORGE_MAX_SECONDS * 1000 - RESERVE_MS;
  const jira = new JiraClient(createForgeTransport(), {
    retry: { maxRetryAfterMs: Math.max(0, deadline - Date.now()) / 4 },
  });
  const store = new ForgeKvsStore();
  const ports = {
    store,
    now: Date.now,
    source: jiraBoardSource({ jira, store, now: Date.now, enqueue: enqueueBoardSync }),
  };
  try {
    const job = await runBulkJob(ports, boardId, jobId, {
      shouldStop: () => Date.now() >= deadline,
    });
    if (!isFinished(job)) await enqueueBulk({ boardId, jobId });
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const delay = Math.min(
      FORGE_MAX_SECONDS,
      Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000)),
    );
    console.info(
      `Bulk change ${jobId} of board ${boardId}: Jira is rate-limiting; continuing in ${delay} s.`,
    );
    await enqueueBulk({ boardId, jobId }, delay);
  }
}
