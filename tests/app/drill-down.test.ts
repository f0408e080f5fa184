import { describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import {
  DRILL_REASONS,
  drillDown,
  drillRequestsOfFlag,
  type DrillDown,
  type DrillReason,
} from "../../src/app/drill-down";
import { runResolver, type CallContext } from "../../src/app/resolvers";
import { computeReport } from "../../src/domain/report";
import type { Flag, Split, Workspace } from "../../src/domain/types";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import { DEFAULT_USER } from "../fakes/jira/index";
import { makeItem, makeSprint, makeTarget, makeWorkspace, at } from "../helpers/factories";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const keysOf = (drill: DrillDown, reason: DrillReason): string[] =>
  drill.rows
    .filter((row) => row.reason === reason)
    .map((row) => row.id)
    .sort();

/** SPEC §12's sprint, with E carried over, F estimated at 0 points and G canceled. */
const worked = makeWorkspace({
  targets: [makeTarget()],
  sprints: [makeSprint()],
  items: [
    makeItem({
      id: "PAY-1",
      title: "A",
      labels: ["capacity-roadmap"],
      estimate: 5,
      sprintIds: ["S1"],
      status: "done",
      completedAt: "2026-07-10T00:00:00Z",
    }),
    makeItem({
      id: "PAY-2",
      title: "B",
      labels: ["capacity-roadmap"],
      estimate: 8,
      sprintIds: ["S1"],
      status: "done",
      completedAt: "2026-07-12T00:00:00Z",
    }),
    makeItem({
      id: "PAY-3",
      title: "C",
      labels: ["capacity-investment"],
      estimate: 5,
      sprintIds: [],
      history: [
        { at: "2026-06-20T00:00:00Z", field: "sprint", from: [], to: ["S1"] },
        { at: "2026-07-08T00:00:00Z", field: "sprint", from: ["S1"], to: [] },
      ],
    }),
    makeItem({
      id: "PAY-4",
      title: "D",
      labels: ["capacity-roadmap"],
      estimate: 3,
      sprintIds: ["S1"],
      status: "done",
      completedAt: "2026-07-13T00:00:00Z",
      history: [{ at: "2026-07-05T00:00:00Z", field: "sprint", from: [], to: ["S1"] }],
    }),
    makeItem({
      id: "PAY-5",
      title: "E",
      estimate: 2,
      sprintIds: ["S1"],
      status: "inProgress",
      assignee: "p1",
      history: [{ at: "2026-07-02T00:00:00Z", field: "status", from: "todo", to: "inProgress" }],
    }),
    makeItem({
      id: "PAY-6",
      title: "F",
      labels: ["capacity-investment"],
      estimate: 0,
      sprintIds: ["S1"],
    }),
    makeItem({
      id: "PAY-7",
      title: "G",
      labels: ["capacity-investment"],
      estimate: 4,
      sprintIds: ["S1"],
      status: "canceled",
    }),
  ],
});
const WORKED_NOW = at("2026-07-20T00:00:00Z");

function expectSplitClose(actual: Split | undefined, expected: Split | undefined): void {
  const zero = { roadmap: 0, investment: 0, unclassified: 0 };
  const a = actual ?? zero;
  const e = expected ?? zero;
  expect(a.roadmap).toBeCloseTo(e.roadmap, 9);
  expect(a.investment).toBeCloseTo(e.investment, 9);
  expect(a.unclassified).toBeCloseTo(e.unclassified, 9);
}

describe("drillDown: the issues behind a sprint", () => {
  const drill = drillDown(worked, { period: { kind: "sprint", id: "S1" } }, WORKED_NOW);

  it.each([
    ["committed", ["PAY-1", "PAY-2", "PAY-3", "PAY-5", "PAY-6"]],
    ["added", ["PAY-4"]],
    ["removed", ["PAY-3"]],
    ["delivered", ["PAY-1", "PAY-2", "PAY-4"]],
    ["carriedOver", ["PAY-5", "PAY-6"]],
    ["spent", ["PAY-5"]],
  ] as const)("%s: %j", (reason, keys) => {
    expect(keysOf(drill, reason)).toEqual(keys);
  });

  it("lists an item estimated at 0 points with weight 0, and never a canceled one outside spent", () => {
    expect(drill.rows.filter((row) => row.id === "PAY-6").map((r) => [r.reason, r.weight])).toEqual(
      [
        ["committed", 0],
        ["carriedOver", 0],
      ],
    );
    expect(drill.rows.some((row) => row.id === "PAY-7")).toBe(false);
  });

  it("gives every row its category, provenance and weight, and sums to the report's splits", () => {
    expect(drill.rows.find((row) => row.id === "PAY-3" && row.reason === "removed")).toEqual({
      id: "PAY-3",
      title: "C",
      category: "investment",
      source: "explicit",
      via: null,
      ruleText: null,
      reason: "removed",
      weight: 5,
    });
    const sprint = computeReport(worked, { now: WORKED_NOW }).teams[0]?.sprints[0];
    for (const reason of DRILL_REASONS) expectSplitClose(drill.totals[reason], sprint?.[reason]);
    // E is in progress from 07-02 to the sprint's end on 07-15: 13 days, unclassified.
    expect(drill.totals.spent?.unclassified).toBeCloseTo(13, 9);
  });

  it("narrows to the reasons and the category asked for", () => {
    const narrow = drillDown(
      worked,
      { period: { kind: "sprint", id: "S1" }, reasons: ["committed"], category: "investment" },
      WORKED_NOW,
    );
    expect(narrow.reasons).toEqual(["committed"]);
    expect(narrow.rows.map((row) => row.id)).toEqual(["PAY-3", "PAY-6"]);
  });

  it("names what exists when the sprint or quarter is unknown", () => {
    expect(() => drillDown(worked, { period: { kind: "sprint", id: "S9" } }, WORKED_NOW)).toThrow(
      /no sprint "S9" on this board\. Sprints: S1/,
    );
    expect(() =>
      drillDown(worked, { period: { kind: "quarter", id: "2025-Q1" } }, WORKED_NOW),
    ).toThrow(/no quarter "2025-Q1".*2026-Q3 to 2026-Q3/);
  });
});

/** One demo team as a board sees it: its own items, sprints and targets, and the org's targets. */
function boardOf(teamId: string, now: number): Workspace {
  const file = generateDemoWorkspace(now);
  const parsed = parseWorkspace({
    ...file,
    teams: file.teams.filter((team) => team.id === teamId),
    targets: (file.targets ?? []).filter((t) => t.teamId === teamId || t.teamId === null),
    sprints: (file.sprints ?? []).filter((sprint) => sprint.teamId === teamId),
    items: (file.items ?? []).filter((item) => item.teamId === teamId),
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.workspace;
}

describe("drillDown on the demo: every reason of every period sums to the report", () => {
  const NOW = at("2026-11-24T00:00:00Z");
  it.each(["PAY", "DATA", "GRO"])("%s", (teamId) => {
    const board = boardOf(teamId, NOW);
    const team = computeReport(board, { now: NOW }).teams[0];
    if (!team) throw new Error("no team");
    const sprints = team.sprints.filter((_, i, all) => i >= all.length - 4 || i % 7 === 0);
    expect(sprints.length).toBeGreaterThan(3);
    for (const sprint of sprints) {
      const drill = drillDown(board, { period: { kind: "sprint", id: sprint.id } }, NOW);
      for (const reason of drill.reasons) expectSplitClose(drill.totals[reason], sprint[reason]);
    }
    for (const quarter of team.quarters) {
      const drill = drillDown(board, { period: { kind: "quarter", id: quarter.id } }, NOW);
      expect(drill.period.state).toBe(quarter.state);
      expectSplitClose(drill.totals.delivered, quarter.delivered);
      expectSplitClose(drill.totals.spent, quarter.spent);
    }
  });

  it("a flag opens the issues the domain counts for it", () => {
    const board = boardOf("DATA", NOW);
    const team = computeReport(board, { now: NOW }).teams[0];
    const flag = team?.flags.find((f) => f.code === "LOW_CONFIDENCE" && f.period.kind === "sprint");
    if (!team || !flag) throw new Error("the demo's DATA team has a low-confidence sprint");
    const [request] = drillRequestsOfFlag(flag, team.actual) ?? [];
    expect(request).toMatchObject({ period: flag.period, category: "unclassified" });
    const drill = drillDown(board, request ?? { period: { kind: "sprint", id: "" } }, NOW);
    const unclassified = new Set(
      team.items.filter((item) => item.category === "unclassified").map((item) => item.id),
    );
    expect(drill.rows.length).toBeGreaterThan(0);
    expect(drill.rows.every((row) => unclassified.has(row.id))).toBe(true);
  });
});

describe("drillRequestsOfFlag", () => {
  const flag = (code: Flag["code"], kind: Flag["period"]["kind"], evidence = {}): Flag => ({
    code,
    severity: "warning",
    period: { kind, id: "X" },
    message: "",
    evidence,
  });
  it.each([
    [flag("SPRINT_COMMITTED_BELOW_TARGET", "sprint"), "delivered", { reasons: ["committed"] }],
    [flag("SPRINT_BELOW_TARGET", "sprint"), "spent", { reasons: ["spent"] }],
    [
      flag("SPRINT_SQUEEZED", "sprint"),
      "delivered",
      { reasons: ["committed", "added", "removed", "delivered", "carriedOver"] },
    ],
    [flag("INVESTMENT_ZEROED", "sprint"), "delivered", { reasons: ["delivered"] }],
    [flag("QUARTER_AT_RISK", "quarter"), "spent", { reasons: ["spent"] }],
    [
      flag("LOW_CONFIDENCE", "sprint", { basis: "committed" }),
      "delivered",
      { reasons: ["committed"], category: "unclassified" },
    ],
    [flag("NO_TARGET", "team"), "delivered", null],
    [flag("TARGET_REVIEW_DUE", "team"), "delivered", null],
  ] as const)("$0.code on $0.period.kind, actual %s", (input, actual, expected) => {
    const requests = drillRequestsOfFlag(input, actual);
    if (expected === null) expect(requests).toBeNull();
    else expect(requests).toEqual([{ period: { kind: input.period.kind, id: "X" }, ...expected }]);
  });

  it("SUSTAINED_EROSION asks for every sprint of its run, in order", () => {
    const erosion = flag("SUSTAINED_EROSION", "sprint", { sprints: "S7,S8,X" });
    expect(drillRequestsOfFlag(erosion, "spent")).toEqual(
      ["S7", "S8", "X"].map((id) => ({ period: { kind: "sprint", id }, reasons: ["spent"] })),
    );
  });
});

/** Every flag code of SPEC §9, each raised somewhere on the demo. */
const FLAG_CODES = [
  "NO_TARGET",
  "TARGET_REVIEW_DUE",
  "SPRINT_COMMITTED_BELOW_TARGET",
  "SPRINT_BELOW_TARGET",
  "SPRINT_SQUEEZED",
  "INVESTMENT_ZEROED",
  "SUSTAINED_EROSION",
  "ROADMAP_STARVED",
  "QUARTER_BELOW_TARGET",
  "QUARTER_ROADMAP_STARVED",
  "QUARTER_AT_RISK",
  "LOW_CONFIDENCE",
] as const;

describe("a flag's drill on the demo lists every issue its message counts", () => {
  const NOW = at("2026-11-24T00:00:00Z");
  const teams = ["PAY", "CHK", "PLAT", "MOB", "GRO", "DATA", "IDN"].map((teamId) => {
    const board = boardOf(teamId, NOW);
    const team = computeReport(board, { now: NOW }).teams[0];
    if (!team) throw new Error(`no demo team ${teamId}`);
    return { board, team };
  });

  it.each(FLAG_CODES)("%s", (code) => {
    const raised = teams.flatMap(({ board, team }) =>
      team.flags.filter((f) => f.code === code).map((f) => ({ board, team, flag: f })),
    );
    expect(raised.length, `the demo raises ${code}`).toBeGreaterThan(0);
    for (const { board, team, flag: raisedFlag } of raised) {
      const requests = drillRequestsOfFlag(raisedFlag, team.actual);
      if (raisedFlag.period.kind === "team") {
        // About the declaration, not about issues: the flag links to the settings instead.
        expect(requests).toBeNull();
        continue;
      }
      if (!requests) throw new Error(`${code} on ${raisedFlag.period.id} has no drill`);
      // The periods the message names: the run of sprints for an erosion, else the flag's own.
      const named =
        code === "SUSTAINED_EROSION"
          ? String(raisedFlag.evidence.sprints).split(",")
          : [raisedFlag.period.id];
      expect(requests.map((request) => request.period.id)).toEqual(named);
      for (const request of requests) {
        const drill = drillDown(board, request, NOW);
        const period =
          request.period.kind === "sprint"
            ? team.sprints.find((s) => s.id === request.period.id)
            : team.quarters.find((q) => q.id === request.period.id);
        if (!period) throw new Error(`no period ${request.period.id}`);
        // Each reason asked for sums to the report's split: every issue behind it is listed.
        for (const reason of request.reasons ?? []) {
          const split = (period as Partial<Record<DrillReason, Split>>)[reason];
          if (request.category === "unclassified") {
            expect(drill.totals[reason]?.unclassified ?? 0).toBeCloseTo(
              split?.unclassified ?? 0,
              9,
            );
          } else {
            expectSplitClose(drill.totals[reason], split);
          }
        }
      }
      if (code === "SPRINT_SQUEEZED") {
        expect(requests[0]?.reasons).toContain("carriedOver");
      }
    }
  });
});

describe("report/drill", () => {
  const NOW = Date.parse("2026-11-24T00:00:00Z");
  const inPay: CallContext = { accountId: "acc-viewer", projectKey: "PAY" };
  const VIEWER = { email: "viewer@example.com", token: "viewer-token" };
  const hiddenFromViewer: string[] = [];
  let boardId: number;
  const fake = useFakeJira(
    {
      workspace: generateDemoWorkspace(NOW),
      now: NOW,
      users: [DEFAULT_USER, { ...VIEWER, hiddenIssues: hiddenFromViewer }],
    },
    (started) => {
      boardId = boardIdOf(started, "PAY");
    },
  );

  it("withholds issues the caller may not browse, keeps them in the totals, and refuses bad payloads", async () => {
    const store = new MemoryStore();
    const app = { jira: clientFor(fake).client, store, now: () => NOW };
    await syncBoard(boardId, app);
    const report = await runResolver("report/get", { boardId }, inPay, app);
    if (!report.ok) throw new Error(report.error.message);
    const { teams } = report.data as { teams: { quarters: { id: string; state: string }[] }[] };
    const quarter = teams[0]?.quarters.find((q) => q.state === "closed")?.id ?? "";
    const payload = { boardId, period: { kind: "quarter", id: quarter }, reasons: ["delivered"] };
    const everyone = await runResolver("report/drill", payload, inPay, app);
    if (!everyone.ok) throw new Error(everyone.error.message);
    const all = everyone.data as DrillDown & { withheld: number };
    expect(all.withheld).toBe(0);
    const secret = all.rows[0];
    if (!secret) throw new Error("no delivered issue in the quarter");
    hiddenFromViewer.push(secret.id);

    const viewer = { jira: clientFor(fake, VIEWER).client, store, now: () => NOW };
    const seen = await runResolver("report/drill", payload, inPay, viewer);
    if (!seen.ok) throw new Error(seen.error.message);
    const limited = seen.data as DrillDown & { withheld: number };
    expect(limited.withheld).toBe(1);
    expect(limited.rows.map((row) => row.id)).toEqual(
      all.rows.filter((row) => row.id !== secret.id).map((row) => row.id),
    );
    expect(JSON.stringify(limited.rows)).not.toContain(JSON.stringify(secret.title));
    expect(limited.totals).toEqual(all.totals);

    const bad = await runResolver(
      "report/drill",
      { ...payload, reasons: ["everything"] },
      inPay,
      app,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    const elsewhere = await runResolver(
      "report/drill",
      payload,
      { ...inPay, projectKey: "CHK" },
      app,
    );
    expect(elsewhere).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});

describe("drillDown of the company's quarter: a team's time spent in it, in UTC", () => {
  const NOW = at("2026-11-24T00:00:00Z");
  it("sums to the team's part of the company's split, which its own quarter may not", () => {
    let apart = 0;
    for (const teamId of ["PAY", "GRO", "DATA", "IDN"]) {
      const board = boardOf(teamId, NOW);
      const report = computeReport(board, { now: NOW });
      expect(report.org.quarters.length).toBeGreaterThan(0);
      for (const quarter of report.org.quarters) {
        const period = { kind: "org-quarter", id: quarter.id } as const;
        const drill = drillDown(board, { period }, NOW);
        expect(drill.period).toMatchObject({ kind: "org-quarter", id: quarter.id });
        expect(drill.reasons).toEqual(["spent"]);
        expectSplitClose(drill.totals.spent, quarter.spent);
        // The team's own quarter of the same name runs in its timezone.
        const own = report.teams[0]?.quarters.find((q) => q.id === quarter.id);
        if (own && Math.abs((own.spent?.roadmap ?? 0) - quarter.spent.roadmap) > 1e-6) apart++;
      }
    }
    expect(apart, "a team whose own quarters are not UTC's").toBeGreaterThan(0);
  });
});
