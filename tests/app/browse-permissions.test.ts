import { describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import {
  HIDDEN_ISSUE_TITLE,
  runResolver,
  type CallContext,
  type ResolverPorts,
} from "../../src/app/resolvers";
import { withholdUnbrowsable } from "../../src/app/board-visibility";
import { buildReport } from "../../src/app/build-report";
import type { ReportAnswer } from "../../src/app/contract";
import { BULK_PERMISSION_CHECK_MAX } from "../../src/jira/client";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import { DEFAULT_USER } from "../fakes/jira/index";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const seed = generateDemoWorkspace(NOW);
const inPay: CallContext = { accountId: "acc-viewer", projectKey: "PAY" };
const VIEWER = { email: "viewer@example.com", token: "viewer-token" };
/** Issues the viewer may not browse (as an issue security level would hide them); set below. */
const hiddenFromViewer: string[] = [];

interface TriageRow {
  readonly id: string;
  readonly title: string;
  readonly hidden?: boolean;
}

let boardId: number;
const fake = useFakeJira(
  {
    workspace: seed,
    now: NOW,
    users: [DEFAULT_USER, { ...VIEWER, hiddenIssues: hiddenFromViewer }],
  },
  (started) => {
    boardId = boardIdOf(started, "PAY");
  },
);

/** The first page of the triage list. */
async function triage(ports: ResolverPorts): Promise<TriageRow[]> {
  const answer = await runResolver("triage/list", { boardId, pageSize: 100 }, inPay, ports);
  if (!answer.ok) throw new Error(answer.error.message);
  return (answer.data as { rows: TriageRow[] }).rows;
}

describe("titles limited to what the caller may browse", () => {
  it("triage/list keeps the rows of issues the caller cannot browse but hides their titles, in one check", async () => {
    const store = new MemoryStore();
    const app = { jira: clientFor(fake).client, store, now: () => NOW };
    await syncBoard(boardId, app);
    const everyone = await triage(app);
    expect(everyone.length).toBeGreaterThan(1);
    expect(everyone.some((row) => row.title === HIDDEN_ISSUE_TITLE)).toBe(false);

    const secret = everyone[0];
    if (secret === undefined) throw new Error("no unclassified issue on the board");
    hiddenFromViewer.push(secret.id);
    const viewer = { jira: clientFor(fake, VIEWER).client, store, now: () => NOW };
    fake.resetRequests();
    const rows = await triage(viewer);
    // One Jira request for the page: the bulk browse check, as the viewer.
    expect(fake.requests).toEqual({ "POST /rest/api/3/permissions/check": 1 });
    expect(rows.map((row) => row.id)).toEqual(everyone.map((row) => row.id));
    expect(rows.find((row) => row.id === secret.id)).toMatchObject({
      title: HIDDEN_ISSUE_TITLE,
      hidden: true,
    });
    expect(JSON.stringify(rows)).not.toContain(JSON.stringify(secret.title));
    expect(rows.filter((row) => row.title === HIDDEN_ISSUE_TITLE)).toHaveLength(1);
  });

  it("report/get lists only the issues the caller may browse, keeps every number, and says how many it left out, in one check", async () => {
    const store = new MemoryStore();
    const app = { jira: clientFor(fake).client, store, now: () => NOW };
    await syncBoard(boardId, app);
    const everyone = await report(app);
    const items = everyone.teams[0]?.items ?? [];
    expect(items.length).toBeGreaterThan(1);
    expect(items.length).toBeLessThanOrEqual(BULK_PERMISSION_CHECK_MAX);
    expect(everyone.withheld).toBeUndefined();

    // An ancestor others inherit from: the children stay listed, without its key.
    const ancestor = items.find((item) =>
      items.some((other) => other.source === "inherited" && other.via === item.id),
    );
    if (ancestor === undefined) throw new Error("no inherited category on the board");
    hiddenFromViewer.push(ancestor.id);
    const viewer = { jira: clientFor(fake, VIEWER).client, store, now: () => NOW };
    fake.resetRequests();
    const seen = await report(viewer);
    expect(fake.requests).toEqual({ "POST /rest/api/3/permissions/check": 1 });
    const hidden = hiddenFromViewer.filter((key) => items.some((item) => item.id === key));
    expect(seen.withheld?.count).toBe(hidden.length);
    expect(seen.withheld?.message).toMatch(/you cannot see in Jira/);
    expect(JSON.stringify(seen.teams)).not.toContain(JSON.stringify(ancestor.id));
    expect(seen.teams[0]?.items).toHaveLength(items.length - hidden.length);
    const children = seen.teams[0]?.items.filter((item) => item.source === "inherited") ?? [];
    expect(children.length).toBeGreaterThan(0);
    // Everything but the list is the report everyone sees.
    const withoutItems = (answer: ReportAnswer) =>
      answer.teams.map((team) => ({ ...team, items: [] }));
    expect(withoutItems(seen)).toEqual(withoutItems(everyone));
    expect(seen.org).toEqual(everyone.org);
  });
});

describe("a board too big for one check", () => {
  it("keeps its numbers and leaves its issue list out, asking Jira nothing", async () => {
    const items = Array.from({ length: BULK_PERMISSION_CHECK_MAX + 1 }, (_, i) => ({
      id: `BIG-${i + 1}`,
      category: "roadmap" as const,
      source: "explicit" as const,
      via: null,
    }));
    const loaded = parseWorkspace(generateDemoWorkspace(NOW));
    if (!loaded.ok) throw new Error(loaded.problems.join("; "));
    const base = buildReport(loaded.workspace, { now: NOW });
    const [team] = base.teams;
    if (team === undefined) throw new Error("no team");
    const big = { ...base, teams: [{ ...team, items }] };
    let asked = 0;
    const { report: seen, withheld } = await withholdUnbrowsable(big, () => {
      asked++;
      return Promise.resolve(new Set<string>());
    });
    expect(asked).toBe(0);
    expect(seen.teams[0]?.items).toEqual([]);
    expect(seen.teams[0]?.sprints).toEqual(team.sprints);
    expect(withheld).toMatchObject({ count: items.length });
    expect(withheld?.message).toMatch(/counted in these numbers but not listed/);
  });
});

async function report(ports: ResolverPorts): Promise<ReportAnswer> {
  const answer = await runResolver("report/get", { boardId }, inPay, ports);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data as ReportAnswer;
}
