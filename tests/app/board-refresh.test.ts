import { afterEach, describe, expect, it } from "vitest";
import { readBoardData } from "../../src/app/board-data";
import {
  claimBoardSync,
  mapStoredBoard,
  requestBoardSync,
  syncBoard,
  type BoardSyncPorts,
  type SyncRequest,
} from "../../src/app/board-refresh";
import type { ItemAnswer } from "../../src/app/board-source";
import { readStoredReport, rememberBoard } from "../../src/app/board-sync";
import { handleIssueEvent } from "../../src/app/jira-events";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import type { Report } from "../../src/domain/types";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { MemoryStore, type Store } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import { issueDeletedEvent, issueMovedEvent, issueUpdatedEvent } from "../fakes/jira/index";
import type { FakeIssue } from "../fakes/jira/site";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };

let installed: InstalledForgeKvs | null = null;
let boardId: number;
const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW }, (started) => {
  boardId = boardIdOf(started, "PAY");
});
afterEach(() => {
  installed?.uninstall();
  installed = null;
});

/** Forge's own store over the fake KVS, with its 240 KiB values and 25-write transactions. */
function forgeStore(): Store {
  installed = installFakeForgeKvs();
  return new ForgeKvsStore();
}

function setUp(store: Store = new MemoryStore()) {
  const clock = { now: NOW };
  const queued: SyncRequest[] = [];
  const ports: BoardSyncPorts & ResolverPorts & { jira: NonNullable<ResolverPorts["jira"]> } = {
    jira: clientFor(fake).client,
    store,
    now: () => clock.now,
    enqueueBoardSync: (request) => Promise.resolve(void queued.push(request)),
  };
  return { store, ports, clock, queued };
}

async function call(key: string, payload: unknown, ports: ResolverPorts): Promise<unknown> {
  const answer = await runResolver(key, payload, inPay, ports);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data;
}

const payIssues = (): FakeIssue[] =>
  [...fake.site.issuesByKey.values()].filter((issue) => issue.projectKey === "PAY");

/** An edit made in Jira: the labels through the fake's REST API, as a person would. */
async function relabel(ports: { jira: NonNullable<ResolverPorts["jira"]> }, key: string) {
  await ports.jira.setCategoryLabel(
    key,
    "investment",
    { roadmap: "capacity-roadmap", investment: "capacity-investment" },
    { as: "user" },
  );
}

describe("a board kept in the store", () => {
  it("answers the project page, triage, rules preview and issue panel without pulling the board", async () => {
    const { ports } = setUp(forgeStore());
    const first = await syncBoard(boardId, ports);
    expect(first).toMatchObject({ status: "done", kind: "full" });
    fake.resetRequests();

    const report = (await call("report/get", { boardId }, ports)) as Report & { cached: boolean };
    const triage = ((await call("triage/list", { boardId }, ports)) as { rows: { id: string }[] })
      .rows;
    await call(
      "rules/preview",
      { boardId, rules: [{ if: { type: ["Story"] }, then: "roadmap" }] },
      ports,
    );
    // No pull: one browse check each for the report's issue list and triage's titles.
    expect(fake.requests).toEqual({ "POST /rest/api/3/permissions/check": 2 });
    expect(report.cached).toBe(true);
    expect(triage.length).toBeGreaterThan(0);

    const [anyIssue] = payIssues();
    if (!anyIssue) throw new Error("no PAY issue");
    fake.resetRequests();
    await call("item/get", { boardId, issueKey: anyIssue.key }, ports);
    expect(fake.totalRequests()).toBe(1);
    expect(Object.keys(fake.requests)).toEqual(["GET /rest/api/3/issue/{issueIdOrKey}"]);
  });

  it("a board never read answers with its sync's progress and queues one sync, asking Jira nothing about its issues", async () => {
    const { ports, queued, store } = setUp();
    await rememberBoard(store, { boardId, projectKey: "PAY" });
    fake.resetRequests();
    expect(await call("report/get", { boardId }, ports)).toEqual({
      syncing: { done: 0, total: null },
    });
    expect(await call("triage/list", { boardId }, ports)).toEqual({
      syncing: { done: 0, total: null },
    });
    expect(fake.totalRequests()).toBe(0);
    expect(queued).toEqual([{ boardId, full: false }]);
  });

  it("a refresh reads only the issues changed since the last one, and ends where a full pull ends", async () => {
    const { ports, clock } = setUp();
    await syncBoard(boardId, ports);
    const unlabelled = payIssues().filter((issue) => issue.labels.length === 0);
    const changed = unlabelled.slice(0, 3);
    for (const issue of changed) await relabel(ports, issue.key);
    // A status change made behind the API's back still counts: Jira stamps `updated`.
    const moved = payIssues().find((issue) => issue.statusId === "10000");
    if (!moved) throw new Error("no To Do issue in PAY");
    moved.statusId = "3";
    fake.site.recordChange(
      moved,
      [
        {
          field: "status",
          fieldtype: "jira",
          fieldId: "status",
          from: "10000",
          fromString: "To Do",
          to: "3",
          toString: "In Progress",
        },
      ],
      Date.now(),
    );
    clock.now += 5 * 60_000;
    fake.resetRequests();

    const refresh = await syncBoard(boardId, ports);
    expect(refresh).toMatchObject({ status: "done", kind: "incremental", issuesRead: 4 });
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBe(1);
    expect(fake.requests["POST /rest/api/3/changelog/bulkfetch"]).toBe(1);
    // Sprints are read again (they start and close); the board's configuration is not.
    expect(fake.requests["GET /rest/agile/1.0/board/{boardId}/configuration"]).toBeUndefined();

    // Only the changed issues were mapped again; every other item was kept from the last sync.
    expect(refresh).toMatchObject({ mapped: 4 });
    const whole = setUp();
    whole.clock.now = clock.now;
    const full = await syncBoard(boardId, whole.ports);
    if (refresh.status !== "done" || full.status !== "done") throw new Error("not done");
    expect(full.mapped).toBe(full.items);
    expect(refresh.report.teams).toEqual(full.report.teams);
    // The kept items and the patched ones are the items a mapping from scratch gives.
    const kept = await readBoardData(ports.store, boardId);
    const fresh = await readBoardData(whole.store, boardId);
    if (kept === null || fresh === null) throw new Error("no board kept");
    expect((await mapStoredBoard(ports.store, kept)).remapped.size).toBe(0);
    const scratch = { ...kept, items: new Map(), head: { ...kept.head, mapping: undefined } };
    expect((await mapStoredBoard(ports.store, kept)).workspace).toEqual(
      (await mapStoredBoard(ports.store, scratch)).workspace,
    );
    expect(kept.items).toEqual(fresh.items);
    const item = refresh.report.teams[0]?.items.find((entry) => entry.id === changed[0]?.key);
    expect(item).toMatchObject({ category: "investment", source: "explicit" });
  });

  it("a first pull stopped by its time budget continues where it stopped and ends equal to a one-shot pull", async () => {
    fake.setLatency(0);
    const oneShot = setUp();
    const whole = await syncBoard(boardId, oneShot.ports);
    fake.resetRequests();
    await syncBoard(boardId, setUp().ports);
    const oneShotRequests = fake.totalRequests();

    const { ports, store } = setUp();
    fake.resetRequests();
    let checks = 0;
    const outcomes: string[] = [];
    const progress: number[] = [];
    for (let invocation = 0; invocation < 20; invocation++) {
      // Each invocation may read one page before its time is up.
      const start = checks;
      const outcome = await syncBoard(boardId, {
        ...ports,
        shouldStop: () => ++checks > start + 1,
      });
      outcomes.push(outcome.status);
      if (outcome.status === "done") break;
      progress.push(outcome.done);
      expect(await call("report/get", { boardId }, ports)).toMatchObject({
        syncing: { done: outcome.done },
      });
    }
    expect(outcomes.length).toBeGreaterThan(2);
    expect(outcomes.at(-1)).toBe("done");
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // No page is read twice, except the one a stopped invocation had already asked for ahead.
    const pages = Math.ceil(payIssues().length / 100);
    const searches = fake.requests["POST /rest/api/3/search/jql"] ?? 0;
    expect(searches).toBeGreaterThanOrEqual(pages);
    expect(searches).toBeLessThanOrEqual(pages + outcomes.length - 1);
    // Each further invocation: the issue count for its progress, the sprints, the page asked ahead,
    // and the page's board lookup.
    expect(fake.totalRequests()).toBeLessThanOrEqual(oneShotRequests + 4 * outcomes.length);
    const resumed = await readStoredReport(ports, boardId);
    const oneShotStored = await readStoredReport(oneShot.ports, boardId);
    expect(resumed?.report.teams).toEqual(oneShotStored?.report.teams);
    expect((await readBoardData(store, boardId))?.issues.size).toBe(
      whole.status === "done" ? whole.items : -1,
    );
  });

  it("writes each issue's property once, in bulk, then only where a category changed", async () => {
    const { ports, clock } = setUp();
    for (const issue of payIssues()) issue.properties.delete("capacity-split");
    fake.resetRequests();
    const first = await syncBoard(boardId, ports);
    if (first.status !== "done") throw new Error("not done");
    expect(first.propertiesWritten).toBe(first.items);
    expect(fake.requests["POST /rest/api/3/issue/properties/multi"]).toBe(
      Math.ceil(first.items / 100),
    );
    expect(fake.requests["PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}"]).toBe(
      undefined,
    );
    expect(payIssues().every((issue) => issue.properties.has("capacity-split"))).toBe(true);

    clock.now += 60_000;
    const again = await syncBoard(boardId, ports);
    expect(again).toMatchObject({ propertiesWritten: 0 });

    // Relabelling an epic moves its unlabelled children: they inherit (SPEC §3).
    const epic = payIssues().find(
      (i) => i.issueType === "Epic" && i.labels.includes("capacity-roadmap"),
    );
    if (!epic) throw new Error("no roadmap epic in PAY");
    const children = payIssues().filter((i) => i.parentKey === epic.key && i.labels.length === 0);
    expect(children.length).toBeGreaterThan(0);
    await relabel(ports, epic.key);
    clock.now += 60_000;
    const moved = await syncBoard(boardId, ports);
    expect(moved).toMatchObject({ kind: "incremental", propertiesWritten: 1 + children.length });
    for (const child of children) {
      expect(child.properties.get("capacity-split")).toMatchObject({
        category: "investment",
        source: "inherited",
        via: epic.key,
      });
    }
    await ports.jira.setCategoryLabel(
      epic.key,
      "roadmap",
      { roadmap: "capacity-roadmap", investment: "capacity-investment" },
      { as: "user" },
    );
  });

  it("a failed bulk write is written again next time, and nothing twice", async () => {
    const { ports, clock } = setUp();
    fake.inject({
      kind: "status",
      status: 500,
      endpoint: "POST /rest/api/3/issue/properties/multi",
      times: 40,
    });
    await expect(syncBoard(boardId, ports)).rejects.toThrow(/HTTP 500|failed/);
    clock.now += 60_000;
    const retried = await syncBoard(boardId, ports);
    if (retried.status !== "done") throw new Error("not done");
    expect(retried.propertiesWritten).toBeGreaterThan(0);
    expect(retried.propertiesWritten).toBeLessThanOrEqual(retried.items);
    clock.now += 60_000;
    expect(await syncBoard(boardId, ports)).toMatchObject({ propertiesWritten: 0 });
  });
});

describe("issues that leave a board", () => {
  it("drop out at the next refresh when moved to another project or deleted, for a point or two", async () => {
    const { ports, store, clock } = setUp();
    await syncBoard(boardId, ports);
    const sync = { ...ports, enqueue: () => Promise.resolve() };
    const [toMove, toDelete, toEdit] = payIssues().filter(
      (issue) => !payIssues().some((other) => other.parentKey === issue.key),
    );
    if (!toMove || !toDelete || !toEdit) throw new Error("not enough PAY issues");

    const moved = fake.site.moveIssue(toMove, "OPS", Date.now());
    await handleIssueEvent(issueMovedEvent(fake, moved), sync);
    const deleted = issueDeletedEvent(fake, toDelete);
    fake.site.deleteIssue(toDelete);
    await handleIssueEvent(deleted, sync);
    // An edit that keeps the issue on the board: read as changed, no check needed for it.
    await relabel(ports, toEdit.key);
    await handleIssueEvent(issueUpdatedEvent(fake, toEdit), sync);

    clock.now += 5 * 60_000;
    fake.resetRequests();
    const refresh = await syncBoard(boardId, ports);
    // (Edits by the tests before this one are in the window too.)
    expect(refresh).toMatchObject({ kind: "incremental", left: 2 });
    if (refresh.status !== "done") throw new Error("not done");
    expect(refresh.issuesRead).toBeGreaterThanOrEqual(1);
    // The changed issues, their changelogs, and one search of ids for the moved one.
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBe(2);
    expect(fake.requests["POST /rest/api/3/changelog/bulkfetch"]).toBe(1);
    const ids = refresh.report.teams[0]?.items.map((item) => item.id) ?? [];
    expect(ids).not.toContain(toMove.key);
    expect(ids).not.toContain(toDelete.key);
    expect(ids).toContain(toEdit.key);

    const whole = setUp();
    whole.clock.now = clock.now;
    const full = await syncBoard(boardId, whole.ports);
    if (full.status !== "done") throw new Error("not done");
    expect(refresh.report.teams).toEqual(full.report.teams);

    // Handled: the next refresh checks nothing again.
    clock.now += 60_000;
    fake.resetRequests();
    expect(await syncBoard(boardId, ports)).toMatchObject({ left: 0 });
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBe(1);
    expect((await readBoardData(store, boardId))?.issues.has(toMove.id)).toBe(false);
  });
});

describe("syncs are coalesced per board", () => {
  it("a burst of issue events queues one sync; once it starts, the next event queues the next", async () => {
    const { ports, queued, store } = setUp();
    await rememberBoard(store, { boardId, projectKey: "PAY" });
    const event = (key: string, extra: Record<string, unknown> = {}) => ({
      eventType: "avi:jira:updated:issue",
      atlassianId: "someone",
      issue: { key, fields: { project: { key: "PAY" } } },
      changelog: { items: [{ field: "status" }] },
      ...extra,
    });
    const sync = { ...ports, enqueue: ports.enqueueBoardSync ?? (() => Promise.resolve()) };
    const outcomes = [];
    for (let n = 1; n <= 10; n++)
      outcomes.push((await handleIssueEvent(event(`PAY-${n}`), sync)).action);
    expect(outcomes).toEqual(["queued", ...Array<string>(9).fill("folded")]);
    expect(queued).toEqual([{ boardId, full: false }]);

    await claimBoardSync(store, boardId);
    expect((await handleIssueEvent(event("PAY-11"), sync)).action).toBe("queued");
    expect(queued).toHaveLength(2);

    // The app's own edits never come back as work.
    await claimBoardSync(store, boardId);
    expect(await handleIssueEvent(event("PAY-12", { selfGenerated: true }), sync)).toMatchObject({
      action: "ignored",
      reason: "caused by the app itself",
    });
    expect(queued).toHaveLength(2);

    // The daily reconcile's full pull is not folded into a waiting refresh.
    await requestBoardSync({ ...sync, enqueue: sync.enqueue }, boardId);
    expect(
      await requestBoardSync({ ...sync, enqueue: sync.enqueue }, boardId, { full: true }),
    ).toBe(true);
    expect(queued.at(-1)).toEqual({ boardId, full: true });
  });
});

describe("resolvers within a resolver's time", () => {
  it("item/get without a board answers from the board of the issue's own sprint, in one request", async () => {
    const { ports } = setUp();
    await syncBoard(boardId, ports);
    const active = [...fake.site.sprints.values()].find(
      (sprint) => sprint.boardId === boardId && sprint.state === "active",
    );
    const issue = payIssues().find(
      (candidate) => active && candidate.sprintIds.includes(active.id),
    );
    if (!active || !issue) throw new Error("no issue in an active PAY sprint");
    fake.resetRequests();
    const answer = (await call("item/get", { issueKey: issue.key }, ports)) as ItemAnswer;
    expect(fake.totalRequests()).toBe(1);
    expect(answer.boardId).toBe(boardId);
    expect(answer.sprintReport?.id).toBe(String(active.id));
    expect(answer).toEqual(await call("item/get", { boardId, issueKey: issue.key }, ports));
  });

  it("a rate limit longer than a resolver may wait is answered with when to try again", async () => {
    const { ports } = setUp();
    await syncBoard(boardId, ports);
    const jira = clientFor(fake, { retry: { maxAttempts: 3, maxRetryAfterMs: 5_000 } }).client;
    fake.inject({
      kind: "status",
      status: 429,
      retryAfter: "30",
      endpoint: "GET /rest/api/3/issue/{issueIdOrKey}",
    });
    const [issue] = payIssues();
    const answer = await runResolver("item/get", { boardId, issueKey: issue?.key }, inPay, {
      ...ports,
      jira,
    });
    expect(answer).toEqual({
      ok: false,
      error: { code: "RATE_LIMITED", message: "Jira is rate-limiting, try again in 30 s." },
    });
  });
});
