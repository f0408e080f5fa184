/**
 * Linear teams on the Jira app's company page, end to end over loopback: the Linear sync as the
 * Forge consumer runs it (fake Linear, Forge's KVS fake with its size limits) keeps what a drill
 * needs; `org/drill` opens a Linear team's issues, each linked to the issue in Linear, with the
 * same rows and numbers as the self-hosted server's company page for the same team; who sees a
 * team is the admin page's choice, asked in the same bulk permission check as the boards (fake
 * Jira); and disconnecting Linear forgets the teams at once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import type { DrillAnswer } from "../../src/app/contract";
import type { LinearAdminPort, LinearConnectionView } from "../../src/app/linear-admin";
import { linearIssueUrl } from "../../src/app/org-linear-teams";
import type { OrgOverview } from "../../src/app/org-overview";
import { isLinearAppUrl } from "../../src/render/index";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { linearMirror } from "../../src/server/tracker-mirror";
import { workspaceBoardSource } from "../../src/server/workspace-board-source";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { MemoryStore, storeKeys, type Store } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import { DEFAULT_USER } from "../fakes/jira/index";
import { FAKE_ORGANIZATION } from "../fakes/linear/index";
import { boardIdOf, useFakeJira, useFakeLinear } from "../helpers/fake-trackers";
import { fakeLinearConnect, syncJiraAppSite } from "../helpers/jira-app-site";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const demo = generateDemoWorkspace(NOW);
const TEAMS = ["GRO", "DATA"];
const ANYWHERE: CallContext = { accountId: "acc", projectKey: null };

/** Not a Jira administrator; may browse PAY. */
const MEMBER = {
  email: "member@example.com",
  token: "member-token",
  permissions: { ADMINISTER: false },
};
/** Not a Jira administrator, and may not browse PAY. */
const OUTSIDER = {
  email: "outsider@example.com",
  token: "outsider-token",
  permissions: { ADMINISTER: false },
  hiddenProjects: ["PAY"],
};

const linear = useFakeLinear({ workspace: demo });
const jira = useFakeJira({
  workspace: demo,
  now: NOW,
  boards: [{ teamId: "PAY" }],
  users: [DEFAULT_USER, MEMBER, OUTSIDER],
});
let installed: InstalledForgeKvs | null = null;

afterEach(() => {
  installed?.uninstall();
  installed = null;
});

const connect = fakeLinearConnect(linear);

/** The admin page's Linear port as the Forge app gives it, its admin check left to the test. */
const linearPort = (admin: boolean): LinearAdminPort => ({
  connect,
  webhookUrl: () => Promise.resolve(null),
  syncNow: () => Promise.resolve({ ok: true, message: "queued" }),
  isAdmin: () => Promise.resolve(admin),
});

/** The Forge app's ports as a person: Jira as that person, the site's Linear connection. */
function portsAs(
  store: Store,
  user: { email: string; token: string } = DEFAULT_USER,
  admin = user === DEFAULT_USER,
): ResolverPorts {
  return {
    jira: clientFor(jira, user).client,
    store,
    now: () => NOW,
    linear: linearPort(admin),
  };
}

async function ask<T>(key: string, payload: unknown, ports: ResolverPorts): Promise<T> {
  const answer = await runResolver(key, payload, ANYWHERE, ports);
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data as T;
}

async function refusal(key: string, payload: unknown, ports: ResolverPorts) {
  const answer = await runResolver(key, payload, ANYWHERE, ports);
  if (answer.ok) throw new Error(`expected ${key} to be refused`);
  return answer.error;
}

/** A Forge store with the PAY board synced and the Linear teams synced by the Forge consumer. */
async function forgeSite(): Promise<ForgeKvsStore> {
  installed = installFakeForgeKvs();
  const store = new ForgeKvsStore();
  const outcome = await syncJiraAppSite(store, { jira, linear, teamKeys: TEAMS, now: NOW });
  expect(outcome.ok, outcome.message).toBe(true);
  return store;
}

/** The row key of the PAY board on the company page. */
const payBoard = (): string => `board:${boardIdOf(jira, "PAY")}`;

/** The current quarter's issues behind a team's share, as the company page asks for them. */
function quarterAsk(team: OrgOverview["teams"][number]) {
  return {
    period: { kind: "quarter", id: team.quarter?.id ?? "" },
    reasons: [team.measure ?? "delivered"],
    at: team.computedAt ?? undefined,
  };
}

describe("a Linear team's numbers on the Jira company page", () => {
  it("open the issues behind them, linked to Linear, the same rows and numbers the self-hosted server shows", async () => {
    const store = await forgeSite();
    const page = await ask<OrgOverview>("org/get", {}, portsAs(store));
    const growth = page.teams.find((team) => team.key === "linear:GRO");
    if (growth?.quarter == null) throw new Error("GRO has no current quarter on the page");

    const drill = await ask<DrillAnswer>(
      "org/drill",
      { linearTeam: "GRO", ...quarterAsk(growth) },
      portsAs(store),
    );
    expect(drill.rows.length).toBeGreaterThan(0);
    expect(drill.withheld).toBe(0);
    // The rows add up to the share the page shows.
    const split = drill.totals[growth.measure ?? "delivered"];
    const classified = (split?.roadmap ?? 0) + (split?.investment ?? 0);
    expect(classified === 0 ? null : (split?.investment ?? 0) / classified).toBeCloseTo(
      growth.quarter.share ?? NaN,
      9,
    );
    // Each issue links to its page in Linear.
    for (const row of drill.rows) {
      expect(row.id).toMatch(/^GRO-\d+$/);
      expect(drill.issueUrls?.[row.id]).toBe(
        `https://linear.app/${FAKE_ORGANIZATION.urlKey}/issue/${row.id}`,
      );
    }

    // The self-hosted server mirrors the same Linear teams, every item kept: its company page
    // shows the team as a board, with the same numbers and the same issues behind them.
    const serverStore = new MemoryStore();
    await serverStore.set(storeKeys.linearSettings(), {
      teamKeys: TEAMS,
      publish: false,
      writeBack: false,
    });
    await linearMirror(serverStore, {
      apiKey: linear.apiKey,
      apiUrl: linear.url,
      teamKeys: [],
      now: () => NOW,
    }).refresh();
    const server: ResolverPorts = {
      store: serverStore,
      boards: workspaceBoardSource(serverStore, () => NOW),
      now: () => NOW,
    };
    const serverPage = await ask<OrgOverview>("org/get", {}, server);
    const serverGrowth = serverPage.teams.find((team) => team.name === growth.name);
    if (serverGrowth?.boardId == null) throw new Error("the server does not show GRO");
    expect(serverGrowth.quarter).toEqual(growth.quarter);
    expect(serverGrowth.orgSpent).toEqual(growth.orgSpent);
    const serverDrill = await ask<DrillAnswer>(
      "org/drill",
      { boardId: serverGrowth.boardId, ...quarterAsk(growth) },
      server,
    );
    expect(drill.rows).toEqual(serverDrill.rows);
    expect(drill.totals).toEqual(serverDrill.totals);
    expect(drill.period).toEqual(serverDrill.period);

    // The company's part of the team: its time spent in the company's quarter.
    const orgQuarter = page.org.quarter?.id ?? "";
    const spent = { period: { kind: "quarter", id: orgQuarter }, reasons: ["spent"] };
    expect(
      (await ask<DrillAnswer>("org/drill", { linearTeam: "GRO", ...spent }, portsAs(store))).totals,
    ).toEqual(
      (
        await ask<DrillAnswer>(
          "org/drill",
          { boardId: serverGrowth.boardId, ...spent, at: growth.computedAt },
          server,
        )
      ).totals,
    );
  });

  it("are read only on a drill: org/get never reads what the drill keeps", async () => {
    const store = await forgeSite();
    const read: string[] = [];
    const watched: Store = {
      get: (key) => (read.push(key), store.get(key)),
      set: (key, value) => store.set(key, value),
      setIfAbsent: (key, value) => store.setIfAbsent(key, value),
      delete: (key) => store.delete(key),
      listByPrefix: (prefix) => (read.push(`${prefix}*`), store.listByPrefix(prefix)),
      getSecret: (key) => store.getSecret(key),
      setSecret: (key, value) => store.setSecret(key, value),
    };
    const page = await ask<OrgOverview>("org/get", {}, portsAs(watched));
    expect(page.teams.map((team) => team.key)).toContain("linear:DATA");
    expect(read.filter((key) => key.startsWith("linear-drill"))).toEqual([]);
    expect(await store.get(storeKeys.linearOrgDrill("DATA"))).toMatchObject({ teamKey: "DATA" });
  });

  it("answer a team the app keeps nothing of with what to do, and a malformed ask with BAD_REQUEST", async () => {
    const store = await forgeSite();
    const missing = await refusal(
      "org/drill",
      { linearTeam: "MOB", period: { kind: "quarter", id: "2026-Q4" } },
      portsAs(store),
    );
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toMatch(/keeps no issues of Linear team MOB/);
    const both = await refusal(
      "org/drill",
      { boardId: 1, linearTeam: "GRO", period: { kind: "quarter", id: "2026-Q4" } },
      portsAs(store),
    );
    expect(both.code).toBe("BAD_REQUEST");
    const hostile = await refusal(
      "org/drill",
      { linearTeam: "GRO/../x", period: { kind: "quarter", id: "2026-Q4" } },
      portsAs(store),
    );
    expect(hostile.code).toBe("BAD_REQUEST");
  });
});

describe("who sees a Linear team on the Jira company page", () => {
  it("is Jira administrators only until an admin chooses a project, then whoever may browse it; hidden teams count unnamed", async () => {
    const store = await forgeSite();
    const admin = await ask<OrgOverview>("org/get", {}, portsAs(store));
    expect(admin.teams.map((team) => team.key)).toEqual([payBoard(), "linear:DATA", "linear:GRO"]);
    const share = admin.org.quarter?.investmentShare;

    // Nothing chosen: a member sees the board only, in one permission check.
    jira.resetRequests();
    const member = await ask<OrgOverview>("org/get", {}, portsAs(store, MEMBER));
    expect(jira.requests["POST /rest/api/3/permissions/check"]).toBe(1);
    expect(jira.totalRequests()).toBe(1);
    expect(member.teams.map((team) => team.key)).toEqual([payBoard()]);
    expect(member.hiddenTeams).toBe(2);
    expect(member.org.quarter?.investmentShare).toBe(share);
    expect(member.org.quarter?.spent).toBeNull();
    expect(JSON.stringify(member)).not.toMatch(/Growth|linear:GRO|linear:DATA/);
    const refused = await refusal(
      "org/drill",
      { linearTeam: "GRO", period: { kind: "quarter", id: "2026-Q4" } },
      portsAs(store, MEMBER),
    );
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/Jira administrators only/);
    // A team the app does not keep is refused the same way: a refusal says nothing of what exists.
    expect(
      await refusal(
        "org/drill",
        { linearTeam: "NOPE", period: { kind: "quarter", id: "2026-Q4" } },
        portsAs(store, MEMBER),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });

    // The admin lets PAY's browsers see GRO.
    const view = await ask<LinearConnectionView>(
      "linear/team-access",
      { teamKey: "GRO", projectKey: "PAY" },
      portsAs(store),
    );
    expect(view.orgAccess).toEqual([
      { teamKey: "GRO", projectKey: "PAY" },
      { teamKey: "DATA", projectKey: null },
    ]);
    jira.resetRequests();
    const memberNow = await ask<OrgOverview>("org/get", {}, portsAs(store, MEMBER));
    expect(jira.totalRequests()).toBe(1);
    expect(memberNow.teams.map((team) => team.key)).toEqual([payBoard(), "linear:GRO"]);
    expect(memberNow.hiddenTeams).toBe(1);
    const growth = memberNow.teams.find((team) => team.key === "linear:GRO");
    if (growth === undefined) throw new Error("GRO not shown");
    const drill = await ask<DrillAnswer>(
      "org/drill",
      { linearTeam: "GRO", ...quarterAsk(growth) },
      portsAs(store, MEMBER),
    );
    expect(drill.rows.length).toBeGreaterThan(0);

    // Someone who may not browse PAY sees neither PAY's board nor GRO, and is refused its issues.
    const outsider = await ask<OrgOverview>("org/get", {}, portsAs(store, OUTSIDER));
    expect(outsider.teams).toEqual([]);
    expect(outsider.hiddenTeams).toBe(3);
    expect(outsider.org.quarter?.investmentShare).toBe(share);
    expect(
      await refusal(
        "org/drill",
        { linearTeam: "GRO", ...quarterAsk(growth) },
        portsAs(store, OUTSIDER),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });

    // Cleared again: administrators only.
    await ask("linear/team-access", { teamKey: "GRO", projectKey: null }, portsAs(store));
    expect((await ask<OrgOverview>("org/get", {}, portsAs(store, MEMBER))).hiddenTeams).toBe(2);
  });

  it("is chosen with a project that exists, for a synced team, by a site administrator; a refused choice changes nothing", async () => {
    const store = await forgeSite();
    await ask("linear/team-access", { teamKey: "GRO", projectKey: "PAY" }, portsAs(store));
    const before = await store.get(storeKeys.linearOrgAccess());

    const unknown = await refusal(
      "linear/team-access",
      { teamKey: "GRO", projectKey: "NOPE" },
      portsAs(store),
    );
    expect(unknown).toMatchObject({ code: "BAD_REQUEST" });
    expect(unknown.message).toMatch(/no project NOPE that you can see/);
    const notSynced = await refusal(
      "linear/team-access",
      { teamKey: "MOB", projectKey: "PAY" },
      portsAs(store),
    );
    expect(notSynced.message).toMatch(/MOB is not synced/);
    const malformed = await refusal(
      "linear/team-access",
      { teamKey: "GRO", projectKey: "pay<script>" },
      portsAs(store),
    );
    expect(malformed.code).toBe("BAD_REQUEST");
    const notAdmin = await refusal(
      "linear/team-access",
      { teamKey: "DATA", projectKey: "PAY" },
      portsAs(store, MEMBER),
    );
    expect(notAdmin.code).toBe("FORBIDDEN");
    expect(await store.get(storeKeys.linearOrgAccess())).toEqual(before);
  });
});

describe("disconnecting Linear", () => {
  it("forgets the Linear teams at once: the page no longer names them and the company share no longer counts them; a retry is harmless", async () => {
    installed = installFakeForgeKvs();
    const boardsOnly = new ForgeKvsStore();
    await syncBoard(boardIdOf(jira, "PAY"), {
      jira: clientFor(jira).client,
      store: boardsOnly,
      now: () => NOW,
    });
    const withoutLinear = await ask<OrgOverview>("org/get", {}, portsAs(boardsOnly));
    installed.uninstall();

    const store = await forgeSite();
    await ask("linear/team-access", { teamKey: "GRO", projectKey: "PAY" }, portsAs(store));
    const withLinear = await ask<OrgOverview>("org/get", {}, portsAs(store));
    expect(withLinear.teams).toHaveLength(3);
    expect(withLinear.org.quarter?.investmentShare).not.toBe(
      withoutLinear.org.quarter?.investmentShare,
    );

    for (let attempt = 0; attempt < 2; attempt++) {
      const view = await ask<LinearConnectionView>("linear/disconnect", {}, portsAs(store));
      expect(view.connected).toBe(false);
      const page = await ask<OrgOverview>("org/get", {}, portsAs(store));
      expect(page.teams.map((team) => team.key)).toEqual([payBoard()]);
      expect(page.hiddenTeams).toBe(0);
      expect(page.org.quarter).toEqual(withoutLinear.org.quarter);
      expect(JSON.stringify(page)).not.toMatch(/linear:/);
      // Nothing of them is left, chunks of a large value included.
      expect(installed?.kvs.keys().filter((key) => /linear-(org|drill)/.test(key))).toEqual([]);
      expect(
        await refusal(
          "org/drill",
          { linearTeam: "GRO", period: { kind: "quarter", id: "2026-Q4" } },
          portsAs(store),
        ),
      ).toMatchObject({ code: "NOT_FOUND" });
    }
  });
});

describe("a Linear issue's link", () => {
  it("is built on linear.app whatever the workspace key holds, and only a page of linear.app is drawn as one", () => {
    for (const urlKey of ["acme", "evil.com/x", "@evil.com", "..", "a b"]) {
      const url = linearIssueUrl(urlKey, "GRO-1");
      expect(new URL(url).hostname).toBe("linear.app");
      expect(isLinearAppUrl(url)).toBe(true);
    }
    expect(linearIssueUrl("acme", "GRO-12")).toBe("https://linear.app/acme/issue/GRO-12");
    for (const url of [
      "http://linear.app/acme/issue/GRO-1",
      "https://linear.app.evil.com/acme",
      "https://evil.com/linear.app/acme",
      "https://user@linear.app/acme",
      "https://linear.app:8443/acme",
      "javascript:alert(1)//https://linear.app/",
      "data:text/html,<script>alert(1)</script>#https://linear.app/",
      " javascript:alert(1)",
      "not a url",
    ]) {
      expect(isLinearAppUrl(url), url).toBe(false);
    }
  });
});
