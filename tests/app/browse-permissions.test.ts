import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import {
  HIDDEN_ISSUE_TITLE,
  runResolver,
  type CallContext,
  type ResolverPorts,
} from "../../src/app/resolvers";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { DEFAULT_USER, startFakeJira, type FakeJira } from "../fakes/jira/index";
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

let fake: FakeJira;
let boardId: number;
beforeAll(async () => {
  fake = await startFakeJira({
    workspace: seed,
    now: NOW,
    users: [DEFAULT_USER, { ...VIEWER, hiddenIssues: hiddenFromViewer }],
  });
  boardId = fake.site.boardIdOf.get("PAY") ?? 0;
});
afterAll(async () => fake.close());

async function triage(ports: ResolverPorts): Promise<TriageRow[]> {
  const answer = await runResolver("triage/list", { boardId }, inPay, ports);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data as TriageRow[];
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
});
