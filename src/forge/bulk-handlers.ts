import { Queue } from "@forge/events";
import { z } from "zod";
import {
  FORGE_MAX_SECONDS,
  isFinished,
  jiraBoardSource,
  runBulkJob,
  type SyncRequest,
} from "../app/index";
import { JiraClient, RateLimitedError } from "../jira/index";
import { ForgeKvsStore } from "../store/forge/index";
import { createForgeTransport, type ForgeRequestApi } from "./jira-transport";
import { enqueueBoardSync } from "./sync-handlers";

/** The queue of bulk classifies and undos: one job per event, continued until it is done. */
const BULK_QUEUE = "bulk-classify";
/** What a run leaves of its 900 s for writing its last batch and handing over. */
const RESERVE_MS = 60_000;

type BulkEvent = { readonly boardId: number; readonly jobId: string };

/**
 * Queues a bulk job of a board; one run per board at a time (the concurrency key), so two jobs,
 * a classify and its undo, never interleave their batches.
 */
export async function enqueueBulk(job: BulkEvent, delayInSeconds = 0): Promise<void> {
  await new Queue({ key: BULK_QUEUE }).push({
    body: { boardId: job.boardId, jobId: job.jobId },
    ...(delayInSeconds > 0 ? { delayInSeconds } : {}),
    concurrency: { key: `bulk-${job.boardId}`, limit: 1 },
  });
}

const bulkEventSchema = z.object({
  body: z.object({ boardId: z.number().int().positive(), jobId: z.string().min(1).max(120) }),
});

/** What the consumer runs on: Forge's own parts unless a test hands in stand-ins. */
export interface BulkConsumerHost {
  /** Forge's product fetch (`@forge/api`). */
  readonly api?: ForgeRequestApi;
  readonly now?: () => number;
  /** The invocation's time (the manifest's `timeoutSeconds`); a run stops `reserveMs` before. */
  readonly timeLimitMs?: number;
  readonly reserveMs?: number;
  readonly enqueueBulk?: (job: BulkEvent, delayInSeconds?: number) => Promise<void>;
  readonly enqueueBoardSync?: (request: SyncRequest) => Promise<void>;
}

/**
 * The consumer of the bulk queue: runs the job's batches until it is done or the invocation's
 * time runs low, then queues the rest, as the board sync does; a rate limit longer than the
 * retries wait becomes the same event again, delayed by what Jira asked for.
 *
 * It edits as the app. Forge's `asUser()` is "only available in modules that support the UI kit"
 * (requestJira, https://developer.atlassian.com/platform/forge/apis-reference/fetch-api-product.requestjira/),
 * which a queue consumer is not: there is no user to act as here. So the resolver that queued the
 * job asked Jira, as the person, which of the issues they may edit, and the job holds only those;
 * and before each batch the job asks again, as the app, naming the person (`accountId` of the bulk
 * permission check), so an edit permission taken away while it runs stops its edits from then on.
 * A check Jira rate-limits is waited out like any other call of the batch.
 */
export function bulkConsumer(host: BulkConsumerHost = {}): (event: unknown) => Promise<void> {
  const now = host.now ?? Date.now;
  const requeue = host.enqueueBulk ?? enqueueBulk;
  return async (event) => {
    const parsed = bulkEventSchema.safeParse(event);
    if (!parsed.success) return;
    const { boardId, jobId } = parsed.data.body;
    const deadline =
      now() + (host.timeLimitMs ?? FORGE_MAX_SECONDS * 1000) - (host.reserveMs ?? RESERVE_MS);
    const jira = new JiraClient(createForgeTransport(host.api ? { api: host.api } : {}), {
      retry: { maxRetryAfterMs: Math.max(0, deadline - now()) / 4 },
    });
    const store = new ForgeKvsStore();
    const source = jiraBoardSource({
      jira,
      store,
      now,
      enqueue: host.enqueueBoardSync ?? enqueueBoardSync,
      writeAs: "app",
    });
    try {
      const job = await runBulkJob({ store, now, source }, boardId, jobId, {
        shouldStop: () => now() >= deadline,
      });
      if (!isFinished(job)) await requeue({ boardId, jobId });
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      const delay = Math.min(
        FORGE_MAX_SECONDS,
        Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000)),
      );
      console.info(
        `Bulk change ${jobId} of board ${boardId}: Jira is rate-limiting; continuing in ${delay} s.`,
      );
      await requeue({ boardId, jobId }, delay);
    }
  };
}

/** Consumer of the bulk queue (manifest: `on-bulk-classify`). */
export const onBulkClassify = bulkConsumer();
