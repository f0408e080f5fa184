/**
 * The org page inside Jira shows a person only the boards whose project they may browse, asked in
 * one bulk permission check as that person, against the fake Jira over loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listKnownBoards, rememberBoard } from "../../src/app/board-sync";
import { syncBoard } from "../../src/app/board-refresh";
import type { DrillAnswer } from "../../src/app/contract";
import type { OrgOverview } from "../../src/app/org-overview";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { appendOrgTarget } from "../../src/app/targets";
import { MemoryStore } from "../../src/store/index";
import { DEFAULT_USER, startFakeJira, type FakeJira } from "../fakes/jira/index";
import { demoOfTeams } from "../helpers/factories";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const TEAMS = ["PAY", "CHK", "PLAT"];

/** May browse CHK and PLAT, not PAY. */
const VIEWER = { email: "viewer@example.com", token: "viewer-token", hiddenProjects: ["PAY"] };
const ANYWHERE: CallContext = { accountId: "acc-viewer", projectKey: null };

let fake: FakeJira;
const store = new MemoryStore();
const boardIds = new Map<string, number>();

beforeAll(async () => {
  fake = await startFakeJira({
    workspace: demoOfTeams(NOW, TEAMS),
    now: NOW,
    users: [DEFAULT_USER, VIEWER],
  });
  const app = { jira: clientFor(fake).client, store, now: () => NOW };
  for (const key of TEAMS) {
    const boardId = fake.site.boardIdOf.get(key) ?? 0;
    boardIds.set(key, boardId);
    await syncBoard(boardId, app);
  }
  await appendOrgTarget(
    store,
    {
      investmentShare: 0.35,
      tolerance: 0.05,
      effectiveFrom: "2026-01-01",
      reason: "Plan",
      requestId: "org-visibility-1",
    },
    { by: "cto", at: NOW - 1 },
  );
}, 120_000);
afterAll(async () => fake.close());

const portsAs = (user?: { email: string; token: string }): ResolverPorts => ({
  jira: clientFor(fake, user ?? {}).client,
  store,
  now: () => NOW,
});

async function overviewAs(ports: ResolverPorts): Promise<OrgOverview> {
  const answer = await runResolver("org/get", {}, ANYWHERE, ports);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data as OrgOverview;
}

describe("org/get inside Jira", () => {
  it("lists only the boards whose project the person may browse, in one check as that person", async () => {
    const everyone = await overviewAs(portsAs());
    expect(everyone.teams.map((team) => team.projectKey).sort()).toEqual([...TEAMS].sort());
    expect(everyone.hiddenTeams).toBe(0);
    expect(everyone.org.quarter?.spent).not.toBeNull();

    fake.resetRequests();
    const seen = await overviewAs(portsAs(VIEWER));
    expect(fake.requests).toEqual({ "POST /rest/api/3/permissions/check": 1 });
    expect(seen.teams.map((team) => team.projectKey).sort()).toEqual(["CHK", "PLAT"]);
    expect(seen.hiddenTeams).toBe(1);
    // Nothing of the hidden board: not its name, key, board id or its row's key.
    const payments = everyone.teams.find((team) => team.projectKey === "PAY");
    const text = JSON.stringify(seen);
    for (const secret of [payments?.name, `"PAY"`, `board:${boardIds.get("PAY")}`]) {
      expect(text).not.toContain(secret);
    }
    expect(seen.holdingOff.every((key) => seen.teams.some((team) => team.key === key))).toBe(true);
  });

  it("keeps the company's share and verdict, which are everyone's, and leaves out its day totals", async () => {
    const everyone = await overviewAs(portsAs());
    const seen = await overviewAs(portsAs(VIEWER));
    expect(seen.org.quarter?.investmentShare).toBe(everyone.org.quarter?.investmentShare);
    expect(seen.org.verdict).toEqual(everyone.org.verdict);
    expect(seen.org.gapSign).toBe(everyone.org.gapSign);
    expect(everyone.org.gap).not.toBeNull();
    // The company's days less the shown teams' would be the hidden team's: not given.
    expect(seen.org.gap).toBeNull();
    expect(seen.org.quarter?.spent).toBeNull();
    expect(seen.org.quarters.every((quarter) => quarter.spent === null)).toBe(true);
    // The rows the person sees are the rows everyone sees.
    for (const row of seen.teams) {
      expect(row).toEqual(everyone.teams.find((team) => team.key === row.key));
    }
  });

  it("places a board kept before its project id was known with one read as the app, and remembers it", async () => {
    const checkout = boardIds.get("CHK") ?? 0;
    await rememberBoard(store, { boardId: checkout, projectKey: "CHK" });
    fake.resetRequests();
    const seen = await overviewAs(portsAs(VIEWER));
    expect(fake.requests).toEqual({
      "GET /rest/agile/1.0/board/{boardId}": 1,
      "POST /rest/api/3/permissions/check": 1,
    });
    expect(seen.teams.map((team) => team.projectKey).sort()).toEqual(["CHK", "PLAT"]);
    const known = (await listKnownBoards(store)).find((board) => board.boardId === checkout);
    expect(known?.projectId).toBe(fake.site.projects.get("CHK"));
  });
});

describe("org/drill", () => {
  const quarterOf = (overview: OrgOverview, projectKey: string) =>
    overview.teams.find((team) => team.projectKey === projectKey)?.quarter?.id ?? "";

  it("opens the issues of a board the person may browse, from no project", async () => {
    const everyone = await overviewAs(portsAs());
    const answer = await runResolver(
      "org/drill",
      {
        boardId: boardIds.get("PLAT"),
        period: { kind: "quarter", id: quarterOf(everyone, "PLAT") },
        reasons: ["spent"],
        at: new Date(NOW).toISOString(),
      },
      ANYWHERE,
      portsAs(VIEWER),
    );
    expect(answer.ok).toBe(true);
    const drill = (answer.ok ? answer.data : null) as DrillAnswer;
    expect(drill.rows.length).toBeGreaterThan(0);
    expect(drill.rows.every((row) => row.id.startsWith("PLAT-"))).toBe(true);
  });

  it("refuses a board whose project the person may not browse, and one the app never read", async () => {
    const everyone = await overviewAs(portsAs());
    const hidden = await runResolver(
      "org/drill",
      {
        boardId: boardIds.get("PAY"),
        period: { kind: "quarter", id: quarterOf(everyone, "PAY") },
      },
      ANYWHERE,
      portsAs(VIEWER),
    );
    expect(hidden).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(JSON.stringify(hidden)).not.toContain("PAY-");
    const unknown = await runResolver(
      "org/drill",
      { boardId: 999_999, period: { kind: "quarter", id: "2026-Q4" } },
      ANYWHERE,
      portsAs(VIEWER),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});
