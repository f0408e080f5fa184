import {
  bootstrapCapacityLabels,
  LinearSyncError,
  type CapacityLabels,
  type LinearSyncClient,
} from "../linear/index";
import { secretKeys, type Store, storeKeys } from "../store/index";
import { getLinearSettings, readLinearApiKey } from "./linear-admin";
import { linearAccessToken, readLinearOAuth, type LinearOAuthApp } from "./linear-oauth";
import { handleLinearWebhook, type WebhookOutcome } from "./linear-webhook";
import { linearTeamUrl, pruneLinearOrgTeams, storeLinearOrgTeam } from "./org-linear-teams";
import {
  runLinearSync,
  type LinearSyncRunOptions,
  type LinearSyncRunResult,
  waitingMessage,
} from "./linear-sync";

/** What a host (Forge, the self-hosted server) gives the Linear sync it runs on its own. */
export interface LinearHostPorts {
  readonly store: Store;
  readonly now: () => number;
  readonly connect: (apiKey: string) => LinearSyncClient;
  /** A key from the host's environment; the one saved on the admin page otherwise. */
  readonly apiKey?: string | null;
  /**
   * The host's OAuth application, when it offers "Connect Linear": a connection made with it
   * (`actor=app`) wins over a key, its access token refreshed as it nears expiry.
   */
  readonly oauth?: {
    readonly app: LinearOAuthApp;
    readonly connect: (accessToken: string) => LinearSyncClient;
  };
  /** Teams named by the host (`--team`); the admin page's choice otherwise. */
  readonly teamKeys?: readonly string[];
  readonly targetsOf?: LinearSyncRunOptions["targetsOf"];
  readonly onProgress?: LinearSyncRunOptions["onProgress"];
  /**
   * For a host that cannot wait out a long rate limit (a Forge function ends at 900 s): schedules
   * the next run in `delaySeconds`, at most `maxDelaySeconds`. A run stopped by a rate limit is
   * then recorded as waiting and continues later from the pull's saved progress; without it, it
   * failed.
   */
  readonly continueLater?: {
    readonly maxDelaySeconds: number;
    readonly schedule: (delaySeconds: number) => Promise<void>;
  };
  /**
   * Keep each synced team's report for the org page (the Jira app, which has no board for a
   * Linear team); teams no longer synced are dropped from it after a run that finished.
   */
  readonly keepOrgTeams?: boolean;
}

export interface HostSyncOutcome {
  /** False for a run that did not finish, a waiting one included: then `result` is null. */
  readonly ok: boolean;
  readonly message: string;
  readonly result: LinearSyncRunResult | null;
  /** When a run stopped by Linear's rate limit continues; null otherwise. */
  readonly continuation: SyncContinuation | null;
}

export interface SyncContinuation {
  readonly delaySeconds: number;
  /** ISO time. */
  readonly continuesAt: string;
}

/** Forge's most, for a function's run (manifest `timeoutSeconds`) and a queue event's delay. */
export const FORGE_MAX_SECONDS = 900;

/**
 * When Linear did not say how long to wait: its request budget refills continuously, so a minute
 * buys room for the few requests that find out more.
 */
const UNKNOWN_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Whether a sync that stopped on `error` continues later, and when: a rate limit continues once
 * the wait Linear asked for is over, or after `maxDelaySeconds` (the longest a host can schedule)
 * when that is sooner, and then simply stops again on the limit; every other error is a failure
 * (null), to be fixed by a person or retried by the next scheduled run.
 */
export function planSyncContinuation(
  error: unknown,
  now: number,
  maxDelaySeconds: number,
): SyncContinuation | null {
  if (!(error instanceof LinearSyncError) || error.code !== "LINEAR_RATE_LIMITED") return null;
  const waitMs = error.retryAfterMs ?? UNKNOWN_RATE_LIMIT_WAIT_MS;
  const delaySeconds = Math.max(1, Math.min(maxDelaySeconds, Math.ceil(waitMs / 1000)));
  return { delaySeconds, continuesAt: new Date(now + delaySeconds * 1000).toISOString() };
}

/**
 * The longest rate-limit wait a run that must end `timeoutMs` after `startedAt` may still sleep
 * on: the time left, less `reserveMs` for the work after the wait (the rest of the pull, the
 * report, publishing), so a wait never runs into the host's timeout.
 */
export function waitBudget(
  startedAt: number,
  now: () => number,
  timeoutMs: number,
  reserveMs: number,
): () => number {
  return () => Math.max(0, startedAt + timeoutMs - reserveMs - now());
}

/**
 * One sync with what the admin page (or the host) configured: the teams, publishing and
 * write-back. Expected gaps (no key, no team chosen) and Linear's failures become an outcome with
 * a sentence that says what to do; the sync itself records every run it makes.
 */
export async function runConfiguredLinearSync(ports: LinearHostPorts): Promise<HostSyncOutcome> {
  let client: LinearSyncClient | null;
  try {
    client = await connectConfigured(ports);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message, result: null, continuation: null };
  }
  if (client === null) {
    return {
      ok: false,
      message:
        "Linear is not connected: connect it on the admin page (or set LINEAR_API_KEY for the self-hosted server).",
      result: null,
      continuation: null,
    };
  }
  const settings = await getLinearSettings(ports.store);
  const teamKeys = ports.teamKeys ?? settings.teamKeys;
  if (teamKeys.length === 0 && ports.teamKeys === undefined) {
    return {
      ok: false,
      message: "No Linear team is chosen: pick the teams to sync on the admin page and save.",
      result: null,
      continuation: null,
    };
  }
  const later = ports.continueLater;
  // What continuing later came to, so the outcome says what the run's record says.
  const stopped: { continuation: SyncContinuation | null; schedulingError: string | null } = {
    continuation: null,
    schedulingError: null,
  };
  const continueLater = async (error: unknown): Promise<string | null> => {
    if (later === undefined) return null;
    const plan = planSyncContinuation(error, ports.now(), later.maxDelaySeconds);
    if (plan === null) return null;
    try {
      await later.schedule(plan.delaySeconds);
    } catch (scheduling) {
      stopped.schedulingError =
        scheduling instanceof Error ? scheduling.message : String(scheduling);
      return null;
    }
    // Until the continuation starts, webhooks and the hourly trigger queue nothing more: it
    // pulls their changes too, and each extra run would only meet the same limit again.
    await ports.store.set(storeKeys.linearSyncQueued(), Date.parse(plan.continuesAt));
    stopped.continuation = plan;
    return plan.continuesAt;
  };
  try {
    const result = await runLinearSync(client, ports.store, {
      teamKeys,
      dryRun: false,
      now: ports.now(),
      publish: settings.publish,
      writeBack: settings.writeBack,
      ...(ports.targetsOf === undefined ? {} : { targetsOf: ports.targetsOf }),
      ...(ports.onProgress === undefined ? {} : { onProgress: ports.onProgress }),
      continueLater,
      ...(ports.keepOrgTeams === true ? { onTeamReport: orgTeamKeeper(ports, client) } : {}),
    });
    if (ports.keepOrgTeams === true) {
      await pruneLinearOrgTeams(
        ports.store,
        result.teams.map((team) => team.key),
      );
    }
    return { ok: true, message: summarize(result), result, continuation: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { continuation, schedulingError } = stopped;
    if (continuation !== null) {
      return {
        ok: false,
        message: waitingMessage(continuation.continuesAt),
        result: null,
        continuation,
      };
    }
    return {
      ok: false,
      message:
        schedulingError === null
          ? message
          : `${message} Scheduling its continuation failed (${schedulingError}); the next scheduled sync continues it.`,
      result: null,
      continuation: null,
    };
  }
}

/**
 * Keeps each team's report for the org page with a link to the team in Linear, and what its drill
 * needs; the workspace's address is asked once a run, and a team is kept without links when Linear
 * does not answer it. Nothing is kept once Linear was disconnected during the run.
 */
function orgTeamKeeper(
  ports: Pick<LinearHostPorts, "store" | "apiKey">,
  client: LinearSyncClient,
): NonNullable<LinearSyncRunOptions["onTeamReport"]> {
  let workspace: Promise<string | null> | null = null;
  return async (team, report, pulled) => {
    if (!(await isLinearConnected(ports.store, ports.apiKey))) return;
    workspace ??= client
      .viewer()
      .then((viewer) => viewer.organization.urlKey)
      .catch(() => null);
    const urlKey = await workspace;
    const url = urlKey === null ? null : linearTeamUrl(urlKey, team.key);
    await storeLinearOrgTeam(ports.store, { key: team.key, name: team.name, url }, report, {
      workspace: pulled,
      workspaceUrlKey: urlKey,
    });
  };
}

/** Whether Linear is connected, through OAuth or with a key (the host's, else a saved one). */
async function isLinearConnected(store: Store, hostApiKey?: string | null): Promise<boolean> {
  return (
    (await readLinearOAuth(store)) !== null || (await readLinearApiKey(store, hostApiKey)) !== null
  );
}

/**
 * The client of the host's Linear connection: through OAuth when connected that way (the access
 * token refreshed first when it nears expiry), else with the key; null when neither is set.
 * @throws LinearSyncError when the refresh is refused (the connection must be made again)
 */
export async function connectConfigured(
  ports: Pick<LinearHostPorts, "store" | "now" | "connect" | "apiKey" | "oauth">,
): Promise<LinearSyncClient | null> {
  if (ports.oauth !== undefined) {
    const token = await linearAccessToken(ports.store, ports.oauth.app, ports.now());
    if (token !== null) return ports.oauth.connect(token);
  }
  const apiKey = await readLinearApiKey(ports.store, ports.apiKey);
  return apiKey === null ? null : ports.connect(apiKey);
}

/** One line: the teams, how many issues changed, and what the run created or changed in Linear. */
export function summarize(result: LinearSyncRunResult): string {
  const teams = result.teams.map((team) => team.key).join(", ") || "no team";
  const changed = result.teams.reduce((sum, team) => sum + team.changedIssues, 0);
  const made = [
    ...result.labels.created.map((name) => `label ${name}`),
    ...result.teams.flatMap((team) => team.published),
    ...result.teams.flatMap((team) => team.wroteBack),
  ];
  return `Synced ${teams}: ${changed} issue${changed === 1 ? "" : "s"} new or changed; ${
    made.length === 0 ? "nothing to create or update in Linear" : made.join(", ")
  }.`;
}

/**
 * A Linear webhook as either host receives it: the signing secret comes from the admin page (or
 * the host's environment); without one, nothing can be verified, so every delivery is refused.
 */
export async function receiveLinearWebhook(
  request: {
    readonly rawBody: string | Buffer;
    readonly headers: Record<string, string | string[] | undefined>;
  },
  ports: {
    readonly store: Store;
    readonly secret?: string | null;
    readonly enqueue: () => Promise<void>;
    readonly now?: () => number;
  },
): Promise<WebhookOutcome> {
  const stored = await ports.store.getSecret(secretKeys.linearWebhookSecret);
  const secret = ports.secret || stored || null;
  if (secret === null) {
    return {
      status: 401,
      result: "refused",
      reason:
        "no webhook signing secret is saved; paste the one Linear shows for this webhook on the admin page",
    };
  }
  return handleLinearWebhook(
    { rawBody: request.rawBody, headers: request.headers, secret },
    {
      store: ports.store,
      enqueue: () => ports.enqueue(),
      ...(ports.now === undefined ? {} : { now: ports.now }),
    },
  );
}

/**
 * Whether a queued sync is already waiting, so a burst of webhooks queues one sync, not one per
 * event. The mark expires, so a consumer that died never blocks later syncs.
 */
export async function claimQueuedSync(
  store: Store,
  now: number,
  windowMs = 60_000,
): Promise<boolean> {
  const mark = await store.get(storeKeys.linearSyncQueued());
  if (typeof mark === "number" && now - mark < windowMs) return false;
  await store.set(storeKeys.linearSyncQueued(), now);
  return true;
}

/** The consumer starts: a later webhook may queue the next sync. */
export async function releaseQueuedSync(store: Store): Promise<void> {
  await store.delete(storeKeys.linearSyncQueued());
}

/** The Capacity group's two labels, created when missing (the same bootstrap as a sync's). */
export function ensureCapacityLabels(client: LinearSyncClient): Promise<CapacityLabels> {
  return bootstrapCapacityLabels(client, { dryRun: false });
}
