/**
 * Linear teams on the Jira app's org page: the Linear sync as the Forge consumer runs it keeps each
 * team's report in Forge's KVS (the fake, with its size limits), and `org/get` lists the teams
 * beside the Jira boards, marked as Linear and linked to the team in Linear.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../src/app/build-report";
import { runConfiguredLinearSync } from "../../src/app/linear-host";
import type { OrgOverview } from "../../src/app/org-overview";
import { runResolver } from "../../src/app/resolvers";
import { LinearSyncClient } from "../../src/linear/index";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { secretKeys, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import { startFakeJira, type FakeJira } from "../fakes/jira/index";
import { FAKE_ORGANIZATION, startFakeLinear, type FakeLinear } from "../fakes/linear/index";
import { syncJiraAppSite } from "../helpers/jira-app-site";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const demo = generateDemoWorkspace(NOW);

let linear: FakeLinear;
let jira: FakeJira;
let installed: InstalledForgeKvs | null = null;

beforeAll(async () => {
  linear = await startFakeLinear({ workspace: demo });
  // One Jira board beside the Linear teams: Payments.
  jira = await startFakeJira({ workspace: demo, now: NOW, boards: [{ teamId: "PAY" }] });
});
afterAll(async () => {
  await linear.close();
  await jira.close();
});
afterEach(() => {
  installed?.uninstall();
  installed = null;
});

function forgeStore(): ForgeKvsStore {
  installed = installFakeForgeKvs();
  return new ForgeKvsStore();
}

const connect = (apiKey: string) =>
  new LinearSyncClient({
    apiKey,
    apiUrl: linear.url,
    retry: { sleep: () => Promise.resolve(), random: () => 0.5 },
  });

async function chooseTeams(store: ForgeKvsStore, teamKeys: string[]): Promise<void> {
  await store.setSecret(secretKeys.linearApiKey, linear.apiKey);
  await store.set(storeKeys.linearSettings(), { teamKeys, publish: false, writeBack: false });
}

async function orgPage(store: ForgeKvsStore): Promise<OrgOverview> {
  const ports = { jira: clientFor(jira).client, store, now: () => NOW };
  const answer = await runResolver("org/get", {}, { accountId: "acc", projectKey: null }, ports);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data as OrgOverview;
}

describe("Linear teams on the Jira app's org page", () => {
  it("lists each synced Linear team beside the Jira boards, marked as Linear and linked there", async () => {
    const store = forgeStore();
    const outcome = await syncJiraAppSite(store, {
      jira,
      linear,
      teamKeys: ["GRO", "DATA"],
      now: NOW,
    });
    expect(outcome.ok, outcome.message).toBe(true);

    const overview = await orgPage(store);
    expect(overview.teams.map((team) => [team.source, team.projectKey ?? team.key])).toEqual([
      ["board", "PAY"],
      ["linear", "linear:DATA"],
      ["linear", "linear:GRO"],
    ]);
    const growth = overview.teams.find((team) => team.key === "linear:GRO");
    expect(growth?.teamUrl).toBe(`https://linear.app/${FAKE_ORGANIZATION.urlKey}/team/GRO`);
    expect(growth?.boardId).toBeNull();

    // Its numbers are the ones `capacity-split report --team GRO` gives on the pulled workspace.
    const loaded = parseWorkspace(outcome.result?.workspace ?? {});
    if (!loaded.ok) throw new Error(loaded.problems.join("; "));
    const report = buildReport(loaded.workspace, { now: NOW, teamIds: ["GRO"] });
    const team = report.teams[0];
    const current = team?.quarters.find((quarter) => quarter.state === "current");
    expect(growth?.name).toBe(team?.name);
    expect(growth?.quarter?.id).toBe(current?.id);
    expect(growth?.quarter?.share).toBe(current?.investmentShare[team?.actual ?? "delivered"]);
    expect(growth?.notSummed).toBeNull();
    expect(growth?.orgSpent).toEqual(report.org.quarters.at(-1)?.spent);

    // Kept without its items, inside one KVS value.
    const kept = (await store.get(storeKeys.linearOrgTeam("GRO"))) as {
      report: { teams: { items: unknown[] }[] };
    };
    expect(kept.report.teams[0]?.items).toEqual([]);
  });

  it("drops a team from the page once the admin page no longer syncs it", async () => {
    const store = forgeStore();
    await chooseTeams(store, ["GRO", "DATA"]);
    expect(
      (await runConfiguredLinearSync({ store, now: () => NOW, connect, keepOrgTeams: true })).ok,
    ).toBe(true);
    await chooseTeams(store, ["DATA"]);
    expect(
      (await runConfiguredLinearSync({ store, now: () => NOW, connect, keepOrgTeams: true })).ok,
    ).toBe(true);
    expect((await orgPage(store)).teams.map((team) => team.key)).toEqual(["linear:DATA"]);
  });

  it("keeps nothing for the org page when the host does not ask for it (the self-hosted server)", async () => {
    const store = forgeStore();
    await chooseTeams(store, ["GRO"]);
    expect((await runConfiguredLinearSync({ store, now: () => NOW, connect })).ok).toBe(true);
    expect(await store.listByPrefix(storeKeys.linearOrgTeamPrefix())).toEqual([]);
  });
});
