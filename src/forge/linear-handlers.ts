import { webTrigger } from "@forge/api";
import { Queue } from "@forge/events";
import {
  claimQueuedSync,
  finishLinearConnect,
  FORGE_MAX_SECONDS,
  type LinearAdminPort,
  type LinearOAuthApp,
  receiveLinearWebhook,
  releaseQueuedSync,
  renderConnectPage,
  runConfiguredLinearSync,
  waitBudget,
} from "../app/index";
import { connectLinear, LinearSyncError, type LinearSyncClient } from "../linear/index";
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
 * The web trigger module Linear redirects the admin's browser back to after "Connect Linear": its
 * URL is the OAuth application's callback URL, which is registered with the application in Linear.
 */
const LINEAR_OAUTH_MODULE = "linear-oauth-callback";

/**
 * The app's Linear OAuth application, from its Forge environment variables (`forge variables set
 * LINEAR_CLIENT_ID …`, and `--encrypt` for LINEAR_CLIENT_SECRET), which the runtime hands the
 * functions as `process.env`; null when they are not set, and then only an API key connects.
 */
export function forgeOAuthApp(
  env: Readonly<Record<string, string | undefined>> = process.env,
): (() => Promise<LinearOAuthApp>) | null {
  const clientId = env.LINEAR_CLIENT_ID?.trim();
  const clientSecret = env.LINEAR_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) return null;
  return async () => ({
    clientId,
    clientSecret,
    redirectUri: await webTrigger.getUrl(LINEAR_OAUTH_MODULE),
  });
}

/** A client of the OAuth connection, waiting as `connectForResolver` does. */
function connectTokenForResolver(accessToken: string): LinearSyncClient {
  return connectLinear({ apiKey: "", accessToken, maxWaitMs: 2_000, maxAttempts: 2 });
}

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

/**
 * Forge's web trigger request (developer.atlassian.com/platform/forge/runtime-reference/web-trigger):
 * headers and query parameters as lists of values, the body as sent.
 */
export interface WebTriggerRequest {
  readonly method?: string;
  readonly path?: string;
  readonly body?: string;
  readonly headers?: Record<string, string[]>;
  readonly queryParameters?: Record<string, string[]>;
}

export interface WebTriggerResponse {
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

/**
 * Web trigger: Linear's redirect back after "Connect Linear" (`GET …?code=…&state=…`). Answers a
 * small page saying what happened; the admin page, polling, shows the connection.
 */
export async function onLinearOAuthCallback(
  request: WebTriggerRequest,
): Promise<WebTriggerResponse> {
  const app = forgeOAuthApp();
  return answerLinearOAuthRedirect(request, {
    store: new ForgeKvsStore(),
    app: app === null ? null : await app(),
    connect: (accessToken) => connectLinear({ apiKey: "", accessToken }),
    now: Date.now(),
  });
}

/**
 * The redirect back from Linear, as the web trigger receives it: the `state` checked against the
 * one the admin page kept (a missing, stale or forged one is refused and changes nothing), the
 * code exchanged, the tokens kept as secrets. Refused 400, Linear failing 502; text escaped.
 */
export async function answerLinearOAuthRedirect(
  request: WebTriggerRequest,
  ports: {
    readonly store: Store;
    readonly app: LinearOAuthApp | null;
    readonly connect: (accessToken: string) => LinearSyncClient;
    readonly now: number;
  },
): Promise<WebTriggerResponse> {
  const page = (statusCode: number, ok: boolean, message: string): WebTriggerResponse => ({
    statusCode,
    headers: {
      "Content-Type": ["text/html; charset=utf-8"],
      "Cache-Control": ["no-store"],
      // Whatever Linear sent back stays text: nothing on this page runs or loads.
      "Content-Security-Policy": ["default-src 'none'; style-src 'unsafe-inline'"],
    },
    body: renderConnectPage({ ok, message }),
  });
  if ((request.method ?? "GET").toUpperCase() !== "GET") {
    return page(405, false, "This address only takes Linear's redirect back to the app.");
  }
  if (ports.app === null) {
    return page(
      404,
      false,
      "This app has no Linear OAuth application configured, so Linear cannot be connected this way; paste an API key on the admin page instead.",
    );
  }
  const first = (name: string): string | null => request.queryParameters?.[name]?.[0] ?? null;
  try {
    const connection = await finishLinearConnect(
      ports.store,
      ports.app,
      { code: first("code"), state: first("state"), error: first("error") },
      { now: ports.now, connect: ports.connect },
    );
    const workspace = connection.workspace === undefined ? "" : ` in ${connection.workspace.name}`;
    return page(
      200,
      true,
      `The sync acts as ${connection.appUserName}${workspace}. Choose the teams to sync on the admin page.`,
    );
  } catch (error) {
    if (!(error instanceof LinearSyncError)) throw error;
    return page(error.code === "LINEAR_UNAUTHORIZED" ? 400 : 502, false, error.message);
  }
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
  const oauthApp = forgeOAuthApp();
  const outcome = await runConfiguredLinearSync({
    store,
    now: Date.now,
    // The Jira app keeps no board for a Linear team: its org page reads the kept reports.
    keepOrgTeams: true,
    connect: (apiKey) => connectLinear({ apiKey, maxWaitMs }),
    ...(oauthApp === null
      ? {}
      : {
          oauth: {
            app: await oauthApp(),
            connect: (accessToken: string) => connectLinear({ apiKey: "", accessToken, maxWaitMs }),
          },
        }),
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
  const oauthApp = forgeOAuthApp();
  return {
    connect: connectForResolver,
    ...(oauthApp === null ? {} : { oauth: { app: oauthApp, connect: connectTokenForResolver } }),
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
