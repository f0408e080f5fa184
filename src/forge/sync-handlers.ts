import { Queue, RateLimitError } from "@forge/events";
import { z } from "zod";
import {
  type BoardSyncPorts,
  claimBoardSync,
  FORGE_MAX_SECONDS,
  handleIssueEvent,
  parseSprintEvent,
  pauseReconcile,
  readBoardSyncState,
  reconcileBudget,
  reconcileTick,
  recordSprintSnapshot,
  syncBoard,
  type SyncRequest,
} from "../app/index";
import { JiraClient, RateLimitedError } from "../jira/index";
import { ForgeKvsStore } from "../store/forge/index";
import { createForgeTransport } from "./jira-transport";

/** The queue the manifest's consumer drains: one board per event, so big sites fan out. */
const SYNC_QUEUE = "board-recompute";
/**
 * The consumer's `timeoutSeconds` in manifest.yml (Forge's most), and what a run leaves of it for
 * saving its cursor and handing over: a pull stops reading this long before the end.
 */
const CONSUMER_TIMEOUT_MS = FORGE_MAX_SECONDS * 1000;
const RESERVE_MS = 120_000;

function ports(deadline: number | null): BoardSyncPorts {
  // A rate-limit wait that does not fit the time left goes back to the caller, which re-queues.
  const jira = new JiraClient(
    createForgeTransport(),
    deadline === null ? {} : { retry: { maxRetryAfterMs: Math.max(0, deadline - Date.now()) / 4 } },
  );
  return {
    jira,
    store: new ForgeKvsStore(),
    now: Date.now,
    ...(deadline === null ? {} : { shouldStop: () => Date.now() >= deadline }),
  };
}

type Snapshot = { readonly sprintId: string; readonly phase: "started" | "closed" };

/**
 * One sync of a board waits at a time (the queued mark), and Forge runs one at a time per board
 * (the concurrency key), so two invocations never write the same board's copy at once.
 */
async function enqueue(
  request: SyncRequest & { readonly snapshot?: Snapshot },
  delayInSeconds = 0,
): Promise<void> {
  await new Queue({ key: SYNC_QUEUE }).push({
    body: {
      boardId: request.boardId,
      full: request.full,
      ...(request.snapshot ? { snapshot: request.snapshot } : {}),
    },
    ...(delayInSeconds > 0 ? { delayInSeconds } : {}),
    concurrency: { key: `board-${request.boardId}`, limit: 1 },
  });
}

/** Trigger: an issue was created or updated. */
export async function onIssueChanged(event: unknown): Promise<void> {
  await handleIssueEvent(event, { ...ports(null), enqueue });
}

/**
 * Triggers: a sprint started (its committed split is recorded) or closed (its delivered split).
 * A trigger has too little time for a sync, so the snapshot is queued with one.
 */
export async function onSprintStarted(event: unknown): Promise<void> {
  await queueSnapshot(event, "started");
}

export async function onSprintClosed(event: unknown): Promise<void> {
  await queueSnapshot(event, "closed");
}

async function queueSnapshot(event: unknown, phase: "started" | "closed"): Promise<void> {
  const sprint = parseSprintEvent(event);
  if (sprint === null) return;
  await enqueue({
    boardId: sprint.boardId,
    full: false,
    snapshot: { sprintId: sprint.sprintId, phase },
  });
}

const syncEventSchema = z.object({
  body: z.object({
    boardId: z.number().int().positive(),
    full: z.boolean().optional(),
    snapshot: z.object({ sprintId: z.string(), phase: z.enum(["started", "closed"]) }).optional(),
  }),
});

/**
 * Consumer of the sync queue: one board per event. A first pull that does not finish in this
 * invocation saved its cursor and is queued again to continue; a rate limit longer than the
 * retries may wait becomes the same event again, delayed by what Jira asked for.
 */
export async function onBoardRecompute(event: unknown): Promise<void> {
  const parsed = syncEventSchema.safeParse(event);
  if (!parsed.success) return;
  const { boardId, full = false, snapshot } = parsed.data.body;
  const store = new ForgeKvsStore();
  if (snapshot === undefined) await claimBoardSync(store, boardId);
  const run = ports(Date.now() + CONSUMER_TIMEOUT_MS - RESERVE_MS);
  // A continuation carries the snapshot along; the pull's own state says where it stands.
  const again = (delay = 0) =>
    enqueue({ boardId, full: false, ...(snapshot ? { snapshot } : {}) }, delay);
  try {
    if (snapshot !== undefined) {
      const recorded = await recordSprintSnapshot(boardId, snapshot.sprintId, snapshot.phase, run);
      // Not recorded because the board's first pull goes on: again once it has.
      if (recorded === null && (await readBoardSyncState(store, boardId))?.phase === "full") {
        await again();
      }
      return;
    }
    const outcome = await syncBoard(boardId, run, { full });
    if (outcome.status === "continue") {
      console.info(
        `Board ${boardId}: first pull at ${outcome.done} of ${outcome.total ?? "?"} issues; continuing in the next invocation.`,
      );
      await again();
    }
  } catch (error) {
    if (error instanceof RateLimitedError) {
      // The app's hourly quota is spent: the reconcile queues nothing more until it resets.
      if (error.quotaExhausted) {
        await pauseReconcile(store, Date.now(), Date.now() + (error.retryAfterMs ?? 0));
      }
      const delay = Math.min(
        FORGE_MAX_SECONDS,
        Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000)),
      );
      console.info(`Board ${boardId}: Jira is rate-limiting; continuing in ${delay} s.`);
      await again(delay);
      return;
    }
    throw error;
  }
}

/** A tick leaves its rest to the next one this long into a scheduled trigger's 25 s. */
const RECONCILE_TICK_MS = 15_000;

/**
 * Scheduled trigger, hourly: a full pull of each known board once a day, to catch what events
 * missed, spread over the day within the site's share of the app's hourly Jira points
 * (`RECONCILE_SHARE_PERCENT`, see src/app/board-reconcile.ts).
 */
export async function onJiraReconcile(): Promise<void> {
  const stopAt = Date.now() + RECONCILE_TICK_MS;
  const tick = await reconcileTick({
    store: new ForgeKvsStore(),
    now: Date.now,
    enqueue,
    isQueueLimit: (error) => error instanceof RateLimitError,
    budget: reconcileBudget(process.env.RECONCILE_SHARE_PERCENT),
    shouldStop: () => Date.now() >= stopAt,
  });
  console.info(
    `Reconcile: ${tick.queued.length} boards queued, ${tick.skipped.length} fresh or already queued, ${tick.failed.length} failed; ${tick.due} left (${tick.stoppedBy}), ${tick.spent} points this hour.`,
  );
}

/** The resolvers' way to queue a board's sync. */
export const enqueueBoardSync = (request: SyncRequest): Promise<void> => enqueue(request);
