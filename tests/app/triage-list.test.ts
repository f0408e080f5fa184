/**
 * The triage list on Forge's path (the fake Jira, Forge's store over the fake KVS): the board's
 * key → id map stays the board's through every write, and each page of the list costs at most one
 * Jira request and shows no title the caller may not browse.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readBoardData } from "../../src/app/board-data";
import { readIssueIds } from "../../src/app/board-issue-ids";
import { syncBoard, type SyncRequest } from "../../src/app/board-refresh";
import { handleIssueEvent } from "../../src/app/jira-events";
import {
  HIDDEN_ISSUE_TITLE,
  runResolver,
  type CallContext,
  type ResolverPorts,
} from "../../src/app/resolvers";
import type { TriagePage } from "../../src/app/triage";
import { ForgeKvsStore } from "../../src/store/forge/index";
import type { Store } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import {
  DEFAULT_USER,
  issueDeletedEvent,
  issueMovedEvent,
  issueUpdatedEvent,
  startFakeJira,
  type FakeJira,
} from "../fakes/jira/index";
import type { FakeIssue } from "../fakes/jira/site";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };
const VIEWER = { email: "viewer@example.com", token: "viewer-token" };
/** Issues the viewer may not browse (as an issue security level hides them); chosen below. */
const hiddenFromViewer: string[] = [];

let fake: FakeJira;
let boardId: number;
let installed: InstalledForgeKvs | null = null;
beforeAll(async () => {
  fake = await startFakeJira({
    workspace: generateDemoWorkspace(NOW),
    now: NOW,
    users: [DEFAULT_USER, { ...VIEWER, hiddenIssues: hiddenFromViewer }],
  });
  boardId = fake.site.boardIdOf.get("PAY") ?? 0;
});
afterAll(async () => fake.close());
afterEach(() => {
  installed?.uninstall();
  installed = null;
});

function setUp(user?: typeof VIEWER, store?: Store) {
  if (store === undefined) installed = installFakeForgeKvs();
  const clock = { now: NOW };
  const queued: SyncRequest[] = [];
  const ports = {
    jira: clientFor(fake, user).client,
    store: store ?? new ForgeKvsStore(),
    now: () => clock.now,
    enqueueBoardSync: (request: SyncRequest) => Promise.resolve(void queued.push(request)),
  } satisfies ResolverPorts;
  return { ports, clock, queued };
}

async function call<T>(key: string, payload: unknown, ports: ResolverPorts): Promise<T> {
  const answer = await runResolver(key, payload, inPay, ports);
  if (!answer.ok) throw new Error(`${key}: ${answer.error.message}`);
  return answer.data as T;
}

const payIssues = (): FakeIssue[] =>
  [...fake.site.issuesByKey.values()].filter((issue) => issue.projectKey === "PAY");

/** The map as the stored board has it: every issue's key with its id. */
async function boardKeysToIds(store: Store): Promise<Map<string, string>> {
  const data = await readBoardData(store, boardId);
  if (data === null) throw new Error("no board stored");
  return new Map([...data.issues.values()].map((issue) => [issue.key, issue.id]));
}

async function expectMapIsTheBoards(store: Store): Promise<Map<string, string>> {
  const kept = await readIssueIds(store, boardId);
  const board = await boardKeysToIds(store);
  expect(kept).toEqual(board);
  return board;
}

describe("the board's key → id map", () => {
  it("stays the stored board's after the first sync, a refresh with issues added, changed and gone, and a bulk classify", async () => {
    const { ports, clock } = setUp();
    await syncBoard(boardId, ports);
    const first = await expectMapIsTheBoards(ports.store);
    expect(first.size).toBe(payIssues().length);

    // Added (moved in from another project), changed, moved away and deleted, each with its event.
    const sync = { ...ports, enqueue: () => Promise.resolve() };
    const childless = payIssues().filter(
      (issue) => !payIssues().some((other) => other.parentKey === issue.key),
    );
    const [toMove, toDelete, toEdit] = childless;
    const incoming = [...fake.site.issuesByKey.values()].find(
      (issue) => issue.projectKey === "CHK" && issue.parentKey === null,
    );
    if (!toMove || !toDelete || !toEdit || !incoming) throw new Error("not enough issues");
    const joined = fake.site.moveIssue(incoming, "PAY", Date.now());
    await handleIssueEvent(issueMovedEvent(fake, joined), sync);
    const left = fake.site.moveIssue(toMove, "OPS", Date.now());
    await handleIssueEvent(issueMovedEvent(fake, left), sync);
    const deleted = issueDeletedEvent(fake, toDelete);
    fake.site.deleteIssue(toDelete);
    await handleIssueEvent(deleted, sync);
    await ports.jira.setCategoryLabel(
      toEdit.key,
      "investment",
      { roadmap: "capacity-roadmap", investment: "capacity-investment" },
      { as: "user" },
    );
    await handleIssueEvent(issueUpdatedEvent(fake, toEdit), sync);
    clock.now += 5 * 60_000;
    expect(await syncBoard(boardId, ports)).toMatchObject({ kind: "incremental", left: 2 });
    const refreshed = await expectMapIsTheBoards(ports.store);
    expect(refreshed.get(joined.key)).toBe(joined.id);
    expect(refreshed.has(toMove.key)).toBe(false);
    expect(refreshed.has(left.key)).toBe(false);
    expect(refreshed.has(toDelete.key)).toBe(false);
    expect(refreshed.size).toBe(first.size - 1);

    // A bulk classify edits labels in Jira and queues the sync that reads them.
    const { keys } = await call<TriagePage>("triage/list", { boardId, keys: true }, ports);
    const picked = (keys ?? []).slice(0, 5);
    expect(picked).toHaveLength(5);
    await call(
      "bulk/start",
      { boardId, issueKeys: picked, category: "roadmap", requestId: "map-bulk-1" },
      ports,
    );
    await expectMapIsTheBoards(ports.store);
    clock.now += 5 * 60_000;
    expect(await syncBoard(boardId, ports)).toMatchObject({ kind: "incremental" });
    expect(await expectMapIsTheBoards(ports.store)).toEqual(refreshed);
    const after = await call<TriagePage>("triage/list", { boardId, keys: true }, ports);
    for (const key of picked) expect(after.keys).not.toContain(key);
  });
});

describe("a page of the triage list on Forge's path", () => {
  it("costs at most one Jira request and never shows a title the caller may not browse", async () => {
    installed = installFakeForgeKvs();
    const store = new ForgeKvsStore();
    const app = setUp(undefined, store).ports;
    await syncBoard(boardId, app);
    const everyone = await call<TriagePage>("triage/list", { boardId, keys: true }, app);
    const all = everyone.keys ?? [];
    expect(all.length).toBeGreaterThan(20);
    // Hidden: issues on several pages whose titles no other issue shares.
    const summaries = [...fake.site.issuesByKey.values()].map((issue) => issue.summary);
    const unique = all.filter((key) => {
      const summary = fake.site.issuesByKey.get(key)?.summary;
      return summaries.filter((other) => other === summary).length === 1;
    });
    const secrets = [unique[1], unique[7], unique[15], unique.at(-1)].filter(
      (key): key is string => key !== undefined,
    );
    expect(secrets).toHaveLength(4);
    hiddenFromViewer.push(...secrets);
    const secretTitles = secrets.map((key) => fake.site.issuesByKey.get(key)?.summary ?? "?");

    const viewer = setUp(VIEWER, store).ports;
    const ask = async (payload: Record<string, unknown>): Promise<TriagePage> => {
      fake.resetRequests();
      const page = await call<TriagePage>("triage/list", { boardId, ...payload }, viewer);
      const requests = fake.totalRequests();
      expect(requests).toBeLessThanOrEqual(1);
      if (requests === 1)
        expect(fake.requests).toEqual({ "POST /rest/api/3/permissions/check": 1 });
      const text = JSON.stringify(page);
      // As a title would appear in the answer: the whole JSON string.
      for (const title of secretTitles) expect(text).not.toContain(JSON.stringify(title));
      return page;
    };

    // Page after page, in the board's order: every row, the hidden ones without their fields.
    const seen: TriagePage["rows"] = [];
    for (let index = 0; ; index++) {
      const page = await ask({ page: index, pageSize: 10 });
      expect(page.matching).toBe(all.length);
      if (page.rows.length === 0) break;
      seen.push(...page.rows);
    }
    expect(seen.map((row) => row.id)).toEqual(all);
    expect(seen.filter((row) => row.hidden).map((row) => row.id)).toEqual(secrets);
    for (const row of seen.filter((r) => r.hidden)) {
      expect(row).toMatchObject({
        title: HIDDEN_ISSUE_TITLE,
        type: null,
        status: null,
        rules: null,
      });
    }

    // "Select all matching" takes every key; a hidden title's words find nothing.
    expect((await ask({ keys: true })).keys).toEqual(all);
    const byTitle = await ask({ filter: secretTitles[0], keys: true });
    expect(byTitle.keys).not.toContain(secrets[0]);
    const needle = (secretTitles[0] ?? "?").toLowerCase();
    const visibleMatches = all.filter(
      (key) =>
        !secrets.includes(key) &&
        (fake.site.issuesByKey.get(key)?.summary ?? "").toLowerCase().includes(needle),
    );
    expect(byTitle.keys).toEqual(visibleMatches);
    expect(byTitle.matching).toBe(visibleMatches.length);
    // Sorted by title: hidden rows sort by the words they show, not by their own.
    const sorted = await ask({
      sort: { key: "title", direction: "ascending" },
      pageSize: 100,
      keys: true,
    });
    expect(sorted.keys).toHaveLength(all.length);
    const hiddenAt = sorted.rows.flatMap((row, index) => (row.hidden ? [index] : []));
    expect(hiddenAt.length).toBeGreaterThan(0);
  });
});
