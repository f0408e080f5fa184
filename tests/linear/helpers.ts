import { receiveLinearWebhook } from "../../src/app/linear-host";
import { runLinearSync, type LinearSyncRunOptions } from "../../src/app/linear-sync";
import type { WebhookOutcome } from "../../src/app/index";
import {
  LinearSyncClient,
  type LinearOAuthApp,
  type LinearRetryEvent,
} from "../../src/linear/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { secretKeys, storeKeys, type Store } from "../../src/store/index";
import {
  signedWebhook,
  type FakeLinear,
  type FakeLinearOptions,
  type FakeWebhookEvent,
} from "../fakes/linear/index";

export const NOW = Date.parse("2026-11-24T00:00:00Z");

type OAuthClient = { readonly clientId: string; readonly clientSecret: string };

/** The fake Linear of the demo's DATA team with an OAuth application registered. */
export function fakeLinearOAuthOptions(client: OAuthClient): FakeLinearOptions {
  return {
    workspace: generateDemoWorkspace(NOW),
    seed: { now: NOW, teams: ["DATA"] },
    oauth: client,
  };
}

/** The application registered with the fake as the app sees it: its consent, token and revoke URLs. */
export function oauthAppOn(
  fake: FakeLinear,
  client: OAuthClient,
  redirectUri: string,
): LinearOAuthApp {
  return {
    ...client,
    redirectUri,
    authorizeUrl: `${fake.origin}/oauth/authorize`,
    tokenUrl: `${fake.origin}/oauth/token`,
    revokeUrl: `${fake.origin}/oauth/revoke`,
  };
}

/** A client of the fake over loopback whose retries wait no real time; the waits are recorded. */
export function linearClientFor(
  fake: FakeLinear,
  options: { apiKey?: string } = {},
): { client: LinearSyncClient; waits: LinearRetryEvent[] } {
  const waits: LinearRetryEvent[] = [];
  const client = new LinearSyncClient({
    apiKey: options.apiKey ?? fake.apiKey,
    apiUrl: fake.url,
    now: () => Date.now(),
    retry: {
      sleep: () => Promise.resolve(),
      random: () => 0.5,
      onRetry: (event) => waits.push(event),
    },
  });
  return { client, waits };
}

/**
 * Delivers each of a sync's own writes back as Linear's signed webhook, with the record of the
 * writes taken away first, so only the actor can tell an echo. `headerLists` sends the headers as
 * Forge's web trigger hands them over, each a list of values. Answers every outcome and the types
 * of the events that were queued.
 */
export async function deliverEchoes(
  store: Store,
  writes: readonly FakeWebhookEvent[],
  options: { readonly secret: string; readonly headerLists?: boolean },
): Promise<{ outcomes: WebhookOutcome[]; queued: string[] }> {
  await store.setSecret(secretKeys.linearWebhookSecret, options.secret);
  const outcomes: WebhookOutcome[] = [];
  const queued: string[] = [];
  for (const [n, event] of writes.entries()) {
    await store.delete(storeKeys.linearWrite(event.data.id));
    const signed = signedWebhook(event, { secret: options.secret, deliveryId: `echo-${n}` });
    const headers =
      options.headerLists === true
        ? Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name, [value]]))
        : signed.headers;
    outcomes.push(
      await receiveLinearWebhook(
        { rawBody: signed.rawBody, headers },
        { store, enqueue: () => Promise.resolve(void queued.push(event.type)) },
      ),
    );
  }
  return { outcomes, queued };
}

/**
 * One sync run against the fake through a client of {@link linearClientFor}: every team, not a
 * dry run, at {@link NOW}, publishing nothing, no targets; `options` changes any of that.
 */
export function syncOnFake(
  fake: FakeLinear,
  store: Store,
  options: Partial<LinearSyncRunOptions> = {},
): ReturnType<typeof runLinearSync> {
  return runLinearSync(linearClientFor(fake).client, store, {
    teamKeys: [],
    dryRun: false,
    now: NOW,
    publish: false,
    targetsOf: () => Promise.resolve([]),
    ...options,
  });
}
