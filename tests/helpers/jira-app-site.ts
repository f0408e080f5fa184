/**
 * A site as the Jira app keeps it, against the fake Jira and fake Linear over loopback: the PAY
 * board synced, then the Linear teams the admin page chose synced by the Linear consumer, which
 * keeps them for the company page.
 */
import { syncBoard } from "../../src/app/board-refresh";
import { runConfiguredLinearSync, type HostSyncOutcome } from "../../src/app/linear-host";
import { LinearSyncClient } from "../../src/linear/index";
import { secretKeys, storeKeys, type Store } from "../../src/store/index";
import type { FakeJira } from "../fakes/jira/index";
import type { FakeLinear } from "../fakes/linear/index";
import { clientFor } from "../jira/helpers";
import { boardIdOf } from "./fake-trackers";

/** Clients of the fake Linear that retry without waiting. */
export function fakeLinearConnect(linear: FakeLinear): (apiKey: string) => LinearSyncClient {
  return (apiKey) =>
    new LinearSyncClient({
      apiKey,
      apiUrl: linear.url,
      retry: { sleep: () => Promise.resolve(), random: () => 0.5 },
    });
}

/** Syncs board PAY (unless `board` is false) and then Linear teams `teamKeys` into `store`. */
export async function syncJiraAppSite(
  store: Store,
  options: {
    readonly jira: FakeJira;
    readonly linear: FakeLinear;
    readonly teamKeys: readonly string[];
    readonly now: number;
    readonly board?: boolean;
  },
): Promise<HostSyncOutcome> {
  const now = () => options.now;
  if (options.board !== false) {
    await syncBoard(boardIdOf(options.jira, "PAY"), {
      jira: clientFor(options.jira).client,
      store,
      now,
    });
  }
  await store.setSecret(secretKeys.linearApiKey, options.linear.apiKey);
  await store.set(storeKeys.linearSettings(), {
    teamKeys: options.teamKeys,
    publish: false,
    writeBack: false,
  });
  return runConfiguredLinearSync({
    store,
    now,
    connect: fakeLinearConnect(options.linear),
    keepOrgTeams: true,
  });
}
