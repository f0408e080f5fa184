import { webTrigger } from "@forge/api";
import { Queue } from "@forge/events";
import {
  claimQueuedSync,
  FORGE_MAX_SECONDS,
  type LinearAdminPort,
  receiveLinearWebhook,
  releaseQueuedSync,
  runConfiguredLinearSync,
  waitBudget,
} from "../app/index";
import { connectLinear } from "../linear/index";
import type { JiraClient } from "../jira/index";
import type { Store } from "../store/index";
import { ForgeKvsStore } from "../store/forge/index";

/** The queue the Linear sync consumer drains; the manifest names the same key. */
const LINEAR_SYNC_QUEUE = "linear-sync";
/**
 * Two syncs at once would both find no report project and both create one; Forge runs the
 * queue's events with the same concurrency key one after the other.
 */
const ONE_AT_A_TIME = { key: LINEAR_SYNC_QUEUE, limit: 1 };
/** The web trigger module Linear posts to; its URL is what the admin page shows. */
const LINEAR_WEBHOOK_MODULE = "linear-webhook";

/**
 * A client for the admin page's resolvers, which have 25 s: a rate limit is reported at once
 * (the page says to try again) and a failing Linear is asked twice, not waited out.
 */
function connectForResolver(apiKey: string) {
  return connectLinear({ apiKey, maxWaitMs: 2_000, maxAttempts: 2 });
}

/** Queues one sync unless one is already waiting: a burst of Linear events costs one sync. */
async function queueSync(store: Store): Promise<boolean> {
  if (!(await claimQueuedSync(store, Date.now()))) return false;
  try {
    await new Queue({ key: LINEAR_SYNC_QUEUE }).push({
      body: { reason: "linear" },
      concurrency: ONE_AT_A_TIME,
    });
  } catch (error) {
    // Not queued, so nothing is waiting: the next event may try again.
    await releaseQueuedSync(store);
    throw error;
  }
  return true;
}

/** Forge's web trigger request: headers as lists of values, the body as sent. */
interface WebTriggerRequest {
  readonly body?: string;
  readonly headers?: Record<string, string[]>;
}

interface WebTriggerResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string[]>;
  readonly body: string;
}

/**
 * Web trigger: a Linear webhook. Verified (bad or stale signature 401, not a webhook payload 400),
 * deduplicated, the app's own echoes ignored, and answered at once; the sync runs on the queue.
 */
export async function onLinearWebhook(request: WebTriggerRequest): Promise<WebTriggerResponse> {
  const store = new ForgeKvsStore();
  let outcome: Awaited<ReturnType<typeof receiveLinearWebhook>>;
  try {
    outcome = await receiveLinearWebhook(
      { rawBody: request.body ?? "", headers: request.headers ?? {} },
      { store, enqueue: async () => void (await queueSync(store)) },
    );
  } catch (error) {
    // Linear delivers again after a failure; nothing was recorded, so the retry counts.
    console.error(error);
    return {
      statusCode: 503,
      headers: { "Content-Type": ["application/json"] },
      body: JSON.stringify({ ok: false, error: "Could not queue the sync; deliver again later." }),
    };
  }
  const body =
    outcome.result === "refused"
      ? { ok: false, error: outcome.reason }
      : { ok: true, result: outcome.result };
  return {
    statusCode: outcome.status,
    headers: { "Content-Type": ["application/json"] },
    body: JSON.stringify(body),
  };
}

/** Scheduled trigger, hourly: queue a sync, to catch what webhooks missed. */
export async function onLinearSchedule(): Promise<void> {
  await queueSync(new ForgeKvsStore());
}

/**
 * Time kept for the work after a rate-limit wait: the rest of a page-by-page pull, the report and
 * publishing. A longer wait ends the run, which continues later.
 */
const RESERVE_AFTER_WAIT_MS = 300_000;

/**
 * Consumer of the Linear sync queue: one incremental sync of the chosen teams, within the
 * function's 900 s (manifest `timeoutSeconds`). A first sync of a big team outruns Linear's
 * hourly budget, so a rate-limit wait that does not fit ends the run and the event is pushed
 * again, delayed by the wait (Forge's most is 900 s); the next run continues the pull's progress.
 */
export async function onLinearSync(): Promise<void> {
  const store = new ForgeKvsStore();
  await releaseQueuedSync(store);
  const maxWaitMs = waitBudget(
    Date.now(),
    Date.now,
    FORGE_MAX_SECONDS * 1000,
    RESERVE_AFTER_WAIT_MS,
  );
  const outcome = await runConfiguredLinearSync({
    store,
    now: Date.now,
    connect: (apiKey) => connectLinear({ apiKey, maxWaitMs }),
    continueLater: {
      maxDelaySeconds: FORGE_MAX_SECONDS,
      schedule: async (delayInSeconds) =>
        void (await new Queue({ key: LINEAR_SYNC_QUEUE }).push({
          body: { reason: "rate-limit" },
          delayInSeconds,
          concurrency: ONE_AT_A_TIME,
        })),
    },
  });
  if (outcome.continuation !== null) console.info(`Linear sync: ${outcome.message}`);
  else if (!outcome.ok) console.warn(`Linear sync: ${outcome.message}`);
}

/**
 * The admin page's port inside Jira: the web trigger's URL, a sync queued (a resolver has 25 s,
 * a sync may need more), and Jira's global ADMINISTER permission as the admin check.
 */
export function forgeLinearPort(jira: JiraClient, store: Store): LinearAdminPort {
  return {
    connect: connectForResolver,
    webhookUrl: () => webTrigger.getUrl(LINEAR_WEBHOOK_MODULE),
    async syncNow() {
      const queued = await queueSync(store);
      return {
        ok: true,
        message: queued
          ? "A sync is queued; the last sync below changes when it has run."
          : "A sync is already queued; the last sync below changes when it has run.",
      };
    },
    async isAdmin() {
      const permissions = await jira.getMyPermissions(null, ["ADMINISTER"], { as: "user" });
      return permissions.ADMINISTER === true;
    },
  };
}
