import { describe, expect, it } from "vitest";
import { rememberBoard, storeCachedReport } from "../../src/app/board-sync";
import { judge, computeOrgOverview, type OrgOverview } from "../../src/app/org-overview";
import { loadOrgInput, readStoredOrgTeams } from "../../src/app/org-teams";
import { runResolver } from "../../src/app/resolvers";
import { appendOrgTarget } from "../../src/app/targets";
import { computeReport } from "../../src/domain/report";
import type { Report, TeamReport } from "../../src/domain/types";
import { verdictOf } from "../../src/render/verdict";
import { seedDemoWorkspace, workspaceBoardSource } from "../../src/server/workspace-board-source";
import { storeKeys } from "../../src/store/keys";
import { MemoryStore } from "../../src/store/memory-store";
import { cli } from "../cli/run";
import { makeItem, makeSprint, makeTarget, makeTeam, makeWorkspace } from "../helpers/factories";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const ORG_TARGET = {
  investmentShare: 0.35,
  tolerance: 0.05,
  // The demo's own company target takes effect on 2026-10-01: a later entry of the same date wins.
  effectiveFrom: "2026-10-01",
  reason: "Company plan",
  requestId: "org-target-test-1",
};

async function demoOverview(options: { orgTarget?: boolean } = {}): Promise<OrgOverview> {
  const store = new MemoryStore();
  await seedDemoWorkspace(store, NOW);
  if (options.orgTarget) await appendOrgTarget(store, ORG_TARGET, { by: "cto", at: NOW - 1 });
  const boards = workspaceBoardSource(store, () => NOW);
  return computeOrgOverview(await loadOrgInput({ store, boards, now: () => NOW }));
}

describe("the org overview on the demo", () => {
  it("sums to the org rollup `capacity-split report` prints for the same moment", async () => {
    const overview = await demoOverview();
    const printed = await cli(["report", "--demo", "--format", "json"], {
      now: new Date(NOW).toISOString(),
    });
    expect(printed.code).toBe(0);
    const report = JSON.parse(printed.stdout) as Report;
    expect(overview.org.quarters.map((q) => q.id)).toEqual(report.org.quarters.map((q) => q.id));
    for (const [index, quarter] of overview.org.quarters.entries()) {
      const expected = report.org.quarters[index];
      for (const category of ["roadmap", "investment", "unclassified"] as const) {
        expect(quarter.spent?.[category]).toBeCloseTo(expected?.spent[category] ?? NaN, 9);
      }
      if (expected?.investmentShare === null) expect(quarter.investmentShare).toBeNull();
      else expect(quarter.investmentShare).toBeCloseTo(expected?.investmentShare ?? NaN, 9);
      expect(quarter.flags).toEqual(expected?.flags);
    }
    // Every team, with its own current quarter as the CLI reports it.
    expect(overview.teams.map((team) => team.name)).toEqual(report.teams.map((team) => team.name));
    for (const [index, row] of overview.teams.entries()) {
      const team = report.teams[index];
      const current = team?.quarters.find((q) => q.state === "current");
      expect(row.quarter?.id).toBe(current?.id);
      expect(row.quarter?.share).toBe(current?.investmentShare[team?.actual ?? "delivered"]);
      expect(row.trend.length).toBeLessThanOrEqual(6);
      expect(row.trend.map((point) => point.id)).toEqual(
        (team?.sprints ?? [])
          .filter((s) => s.state !== "future")
          .slice(-6)
          .map((s) => s.id),
      );
    }
    // The demo's company asks 45% ± 5% of spent time on investment from its current quarter;
    // it spends 35% or so, below the band: the teams that hold it there are named, among them
    // Payments' launch crunch, Mobile with no target, and Growth, on its own 20% target.
    expect(report.org.quarters.at(-1)?.target).toEqual({ investmentShare: 0.45, tolerance: 0.05 });
    expect(overview.org.verdict.status).toBe("below-target");
    expect(overview.org.words).toBe("Below target so far");
    const names = overview.holdingOff.map(
      (key) => overview.teams.find((team) => team.key === key)?.projectKey,
    );
    expect(names).toEqual(expect.arrayContaining(["PAY", "MOB", "GRO"]));
    // Each row's status words and first sentence are its project page's.
    for (const [index, row] of overview.teams.entries()) {
      const verdict = verdictOf(report.teams[index] as TeamReport);
      expect(row.words).toBe(verdict.status.label);
      expect(row.sentence).toBe(verdict.headline.label);
    }
  });

  it("names the teams that hold the company off its target; their shares add up to the gap", async () => {
    const overview = await demoOverview({ orgTarget: true });
    const quarter = overview.org.quarter;
    expect(quarter?.target).toEqual({ investmentShare: 0.35, tolerance: 0.05 });
    const gap = overview.org.gap ?? NaN;
    const spent = quarter?.spent ?? { roadmap: 0, investment: 0, unclassified: 0 };
    expect(gap).toBeCloseTo(0.35 * (spent.roadmap + spent.investment) - spent.investment, 9);
    const contributions = overview.teams.map((team) => team.contribution ?? NaN);
    expect(contributions.reduce((sum, value) => sum + value, 0)).toBeCloseTo(gap, 9);
    // The demo's org spends less than 35 % on investment: Payments' squeeze holds it off most.
    expect(gap).toBeGreaterThan(0);
    const holders = overview.holdingOff.map(
      (key) => overview.teams.find((team) => team.key === key)?.contribution ?? NaN,
    );
    expect(holders.length).toBeGreaterThan(0);
    expect(holders.every((value) => value > 0)).toBe(true);
    expect(holders).toEqual([...holders].sort((a, b) => b - a));
    const notHolding = overview.teams.filter((team) => !overview.holdingOff.includes(team.key));
    expect(notHolding.every((team) => (team.contribution ?? 0) <= 0)).toBe(true);
  });

  it("answers `org/get` through the resolver table, and refuses a payload it does not take", async () => {
    const store = new MemoryStore();
    await seedDemoWorkspace(store, NOW);
    const ports = { store, boards: workspaceBoardSource(store, () => NOW), now: () => NOW };
    const context = { accountId: null, projectKey: null };
    const answer = await runResolver("org/get", {}, context, ports);
    expect(answer.ok).toBe(true);
    const refused = await runResolver("org/get", { boardId: 1 }, context, ports);
    expect(refused.ok).toBe(false);
  });
});

/** Two teams of a small workspace, each reported on its own as the Forge app keeps boards. */
function twoTeamReports(): { both: Report; alone: Report[] } {
  const teams = [makeTeam({ id: "A", name: "Alpha" }), makeTeam({ id: "B", name: "Beta" })];
  const items = [
    // Alpha: 10 days on roadmap work, 2 on investment; Beta: 4 on investment, 4 on roadmap.
    ...[
      ["A-1", "A", "Story", "2026-11-01T00:00:00Z", "2026-11-11T00:00:00Z"],
      ["A-2", "A", "Tech Debt", "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z"],
      ["B-1", "B", "Tech Debt", "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z"],
      ["B-2", "B", "Story", "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z"],
    ].map(([id, teamId, type, start, done]) =>
      makeItem({
        id,
        teamId,
        type,
        status: "done",
        assignee: null,
        createdAt: "2026-10-01T00:00:00Z",
        completedAt: done,
        history: [
          { at: start as string, field: "status", from: "todo", to: "inProgress" },
          { at: done as string, field: "status", from: "inProgress", to: "done" },
        ],
      }),
    ),
  ];
  const sprints = [
    makeSprint({ id: "A1", teamId: "A", name: "A 1" }),
    makeSprint({ id: "B1", teamId: "B", name: "B 1" }),
  ];
  const targets = [
    makeTarget({ teamId: "A", investmentShare: 0.3 }),
    makeTarget({ teamId: "B", investmentShare: 0.3 }),
    makeTarget({ teamId: null, investmentShare: 0.4, tolerance: 0.05 }),
  ];
  const workspace = makeWorkspace({ teams, items, sprints, targets });
  const both = computeReport(workspace, { now: NOW });
  const alone = ["A", "B"].map((id) => computeReport(workspace, { now: NOW, teamIds: [id] }));
  return { both, alone };
}

describe("the org overview from stored board reports (the Forge app)", () => {
  it("reads each board's stored periods, shows a board in its first read as syncing, and sums the rest", async () => {
    const { both, alone } = twoTeamReports();
    const store = new MemoryStore();
    for (const [index, report] of alone.entries()) {
      const boardId = index + 1;
      await rememberBoard(store, { boardId, projectKey: ["ALP", "BET"][index] ?? null });
      await storeCachedReport({ store, now: () => NOW }, boardId, {
        basis: { at: NOW, inputs: "{}" },
        workspace: makeWorkspace(),
        report,
      });
    }
    // A third board whose first read has got 40 of 200 issues far.
    await store.set(storeKeys.boardSync("3"), {
      phase: "full",
      startedAt: new Date(NOW).toISOString(),
      done: 40,
      total: 200,
      at: new Date(NOW).toISOString(),
    });
    await store.set(storeKeys.boardPullCursor("3"), { anything: true });
    await appendOrgTarget(
      store,
      { ...ORG_TARGET, investmentShare: 0.4 },
      { by: "cto", at: NOW - 1 },
    );

    const teams = await readStoredOrgTeams(store);
    expect(teams.map((team) => [team.boardId, team.name])).toEqual([
      [1, "Alpha"],
      [2, "Beta"],
      [3, "Board 3"],
    ]);
    const overview = computeOrgOverview(await loadOrgInput({ store, now: () => NOW }));
    const current = overview.org.quarter;
    expect(current?.spent).toEqual(both.org.quarters.at(-1)?.spent);
    expect(current?.spent).toEqual({ roadmap: 14, investment: 6, unclassified: 0 });
    expect(overview.org.gap).toBeCloseTo(0.4 * 20 - 6, 9);
    const [alpha, beta, third] = overview.teams;
    expect(alpha?.contribution).toBeCloseTo(0.4 * 12 - 2, 9);
    expect(beta?.contribution).toBeCloseTo(0.4 * 8 - 4, 9);
    expect(third?.syncing).toEqual({ done: 40, total: 200 });
    expect(third?.notSummed).toMatch(/first read/);
    // Alpha holds the company below 40 %; Beta pulls it up, so it does not.
    expect(overview.holdingOff).toEqual(["board:1"]);
    // 30 % sits exactly on 40 % − 2 × 5 %: below the band, but not critical (SPEC §9, as the flags judge it).
    expect(overview.org.verdict).toEqual({ status: "below-target", severity: "warning" });
  });

  it("leaves out a team whose last report is from an earlier quarter, and says why", () => {
    const { alone } = twoTeamReports();
    const stale = computeReport(makeWorkspace({ teams: [makeTeam({ id: "A", name: "Alpha" })] }), {
      now: Date.parse("2026-08-01T00:00:00Z"),
    });
    const overview = computeOrgOverview({
      now: NOW,
      fiscalYearStartMonth: 1,
      orgTargets: [],
      teams: [
        {
          key: "board:1",
          source: "board",
          boardId: 1,
          projectKey: "ALP",
          name: "Alpha",
          state: { report: stale, computedAt: "" },
        },
        {
          key: "board:2",
          source: "board",
          boardId: 2,
          projectKey: "BET",
          name: "Beta",
          state: { report: alone[1] as Report, computedAt: "" },
        },
      ],
    });
    expect(overview.teams[0]?.notSummed).toMatch(/earlier quarter/);
    expect(overview.teams[1]?.notSummed).toBeNull();
    expect(overview.org.quarter?.spent).toEqual({ roadmap: 4, investment: 4, unclassified: 0 });
  });
});

describe("judge", () => {
  const target = { investmentShare: 0.3, tolerance: 0.05 };
  const atRisk = [{ code: "QUARTER_AT_RISK", severity: "critical" as const }];
  it.each([
    [0.3, target, [], "on-target", null],
    [0.26, target, [], "on-target", null],
    [0.24, target, [], "below-target", "warning"],
    [0.19, target, [], "below-target", "critical"],
    [0.33, target, atRisk, "at-risk", "critical"],
    [0.37, target, [], "above-band", "info"],
    [0.41, target, [], "roadmap-starved", "warning"],
    [null, target, [], "no-data", null],
    [0.3, null, [], "no-target", "warning"],
  ] as const)("share %s against %o is %s", (share, against, flags, status, severity) => {
    expect(judge(share, against, flags)).toEqual({ status, severity });
  });
});
