/**
 * The dashboard gadget's drill inside Jira, against the fake Jira over loopback. The gadget belongs
 * to no project: each open flag of the team row `org/get` gives it opens, through `org/drill`,
 * exactly what the project page's `report/drill` opens for the same flag, with the same issues
 * withheld from a person who may not browse some of them. A person who may not browse the board's
 * project is refused by either resolver and gets none of its issues.
 */
import { describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { appendTarget } from "../../src/app/targets";
import type { DrillAnswer, ReportAnswer } from "../../src/app/contract";
import type { OrgOverview, OrgTeamRow } from "../../src/app/org-overview";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import {
  drillRequestsOfFlag,
  findOpenFlags,
  type DrillReason,
  type Split,
} from "../../src/domain/index";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { DEFAULT_USER } from "../fakes/jira/index";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
/** The project page's context: Jira shows it in the board's project. */
const IN_PAY: CallContext = { accountId: "acc-viewer", projectKey: "PAY" };
/** The gadget's: a dashboard, in no project. */
const ON_DASHBOARD: CallContext = { accountId: "acc-viewer", projectKey: null };

/** May browse PAY, but not the issues listed in `hiddenFromViewer`. */
const VIEWER = { email: "viewer@example.com", token: "viewer-token" };
const hiddenFromViewer: string[] = [];
/** May not browse PAY at all. */
const OUTSIDER = { email: "outsider@example.com", token: "outsider-token" };

const store = new MemoryStore();
let boardId = 0;
const fake = useFakeJira(
  {
    workspace: generateDemoWorkspace(NOW),
    now: NOW,
    users: [
      DEFAULT_USER,
      { ...VIEWER, hiddenIssues: hiddenFromViewer },
      { ...OUTSIDER, hiddenProjects: ["PAY"] },
    ],
  },
  async (started) => {
    boardId = boardIdOf(started, "PAY");
    // The app keeps targets in its own storage; the demo's for Payments, declared there.
    await appendTarget(
      store,
      String(boardId),
      {
        investmentShare: 0.3,
        tolerance: 0.05,
        effectiveFrom: "2026-01-01",
        reason: "Plan",
        requestId: "gadget-drill-1",
      },
      { by: "lead", at: NOW - 1 },
    );
    await syncBoard(boardId, { jira: clientFor(started).client, store, now: () => NOW });
  },
);

const portsAs = (user?: { email: string; token: string }): ResolverPorts => ({
  jira: clientFor(fake, user ?? {}).client,
  store,
  now: () => NOW,
});

async function answer<T>(
  key: string,
  payload: unknown,
  context: CallContext,
  ports: ResolverPorts,
): Promise<T> {
  const outcome = await runResolver(key, payload, context, ports);
  if (!outcome.ok) throw new Error(`${key}: ${outcome.error.message}`);
  return outcome.data as T;
}

/** Payments' row as the gadget gets it, and every drill its open flags ask for. */
async function paymentsFlags(): Promise<{
  row: OrgTeamRow;
  drills: { code: string; payload: Record<string, unknown>; reasons: readonly DrillReason[] }[];
}> {
  const overview = await answer<OrgOverview>("org/get", {}, ON_DASHBOARD, portsAs());
  const row = overview.teams.find((team) => team.boardId === boardId);
  if (!row?.measure || row.computedAt === null) throw new Error("no Payments row with a report");
  const drills = row.flags.flatMap(({ flag }) =>
    (drillRequestsOfFlag(flag, row.measure ?? "delivered") ?? []).map((request) => ({
      code: flag.code,
      payload: { boardId, ...request, at: row.computedAt },
      reasons: request.reasons ?? [],
    })),
  );
  return { row, drills };
}

describe("the gadget's flags open what the project page's flags open", () => {
  it("lists the team's open flags as its project page does, each drill equal to the page's", async () => {
    const { row, drills } = await paymentsFlags();
    const report = await answer<ReportAnswer>("report/get", { boardId }, IN_PAY, portsAs());
    const team = report.teams[0];
    if (!team) throw new Error("no team in Payments' report");
    // The flags the project page lists (open now, notes included), each with its period's name.
    expect(row.flags).toEqual(
      findOpenFlags(report, "info").map(({ periodName, flag }) => ({ periodName, flag })),
    );
    const { critical, warning, info } = row.openFlags;
    expect(row.flags.length).toBe(critical + warning + info);
    expect(new Set(drills.map((drill) => drill.code)).size).toBeGreaterThan(1);

    for (const { code, payload, reasons } of drills) {
      const gadget = await answer<DrillAnswer>("org/drill", payload, ON_DASHBOARD, portsAs());
      const page = await answer<DrillAnswer>("report/drill", payload, IN_PAY, portsAs());
      expect(gadget, code).toEqual(page);
      expect(gadget.rows.length, code).toBeGreaterThan(0);
      // The rows sum to the report's split for each reason the flag judges.
      const { period } = payload as { period: { kind: string; id: string } };
      const numbers: Partial<Record<DrillReason, Split>> | undefined =
        period.kind === "sprint"
          ? team.sprints.find((sprint) => sprint.id === period.id)
          : team.quarters.find((quarter) => quarter.id === period.id);
      for (const reason of reasons) {
        const expected = numbers?.[reason];
        if (!expected) throw new Error(`${code}: the report has no ${reason} for ${period.id}`);
        const total = gadget.totals[reason];
        expect(total?.roadmap, `${code} ${reason}`).toBeCloseTo(expected.roadmap, 9);
        expect(total?.investment, `${code} ${reason}`).toBeCloseTo(expected.investment, 9);
        expect(total?.unclassified, `${code} ${reason}`).toBeCloseTo(expected.unclassified, 9);
      }
    }
  });

  it("withholds from a person the issues they may not browse, as the project page does", async () => {
    const { drills } = await paymentsFlags();
    const [first] = drills;
    if (!first) throw new Error("no flag of Payments opens issues");
    const all = await answer<DrillAnswer>("org/drill", first.payload, ON_DASHBOARD, portsAs());
    const secret = all.rows[0];
    if (!secret) throw new Error("the flag's drill lists no issue");
    hiddenFromViewer.push(secret.id);

    const gadget = await answer<DrillAnswer>(
      "org/drill",
      first.payload,
      ON_DASHBOARD,
      portsAs(VIEWER),
    );
    const page = await answer<DrillAnswer>("report/drill", first.payload, IN_PAY, portsAs(VIEWER));
    expect(gadget).toEqual(page);
    expect(gadget.withheld).toBe(1);
    expect(gadget.rows.some((row) => row.id === secret.id)).toBe(false);
    expect(JSON.stringify(gadget.rows)).not.toContain(JSON.stringify(secret.title));
    // Withheld issues still count: the totals are everyone's.
    expect(gadget.totals).toEqual(all.totals);
  });

  it("refuses a person who may not browse the board's project, giving none of its issues", async () => {
    const { drills } = await paymentsFlags();
    expect(drills.length).toBeGreaterThan(0);
    const seen = await answer<OrgOverview>("org/get", {}, ON_DASHBOARD, portsAs(OUTSIDER));
    expect(seen.teams.some((team) => team.boardId === boardId)).toBe(false);
    expect(seen.hiddenTeams).toBe(1);

    for (const { code, payload } of drills) {
      const refused = await runResolver("org/drill", payload, ON_DASHBOARD, portsAs(OUTSIDER));
      expect(refused, code).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(JSON.stringify(refused), code).not.toContain("PAY-");
      // Nor can the gadget ask the project page's resolver, which answers only inside its project.
      const sideways = await runResolver("report/drill", payload, ON_DASHBOARD, portsAs(OUTSIDER));
      expect(sideways, code).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(JSON.stringify(sideways), code).not.toContain("PAY-");
    }
  });
});
