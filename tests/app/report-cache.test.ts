import { describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import {
  MAX_REPORT_AGE_MS,
  markBoardChanged,
  readFreshReport,
  rememberBoard,
  storeCachedReport,
} from "../../src/app/board-sync";
import { handleIssueEvent } from "../../src/app/jira-events";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { computeReport } from "../../src/domain/report";
import type { Report } from "../../src/domain/types";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { makeItem, makeWorkspace } from "../helpers/factories";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const seed = generateDemoWorkspace(NOW);
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };

type Answer = Report & { computedAt: string; cached: boolean };

let boardId: number;
const fake = useFakeJira({ workspace: seed, now: NOW }, (started) => {
  boardId = boardIdOf(started, "PAY");
});

/** Ports over the fake with a clock the test moves, as time moves between real requests. */
function setUp() {
  const store = new MemoryStore();
  const clock = { now: NOW };
  const ports: ResolverPorts & { jira: NonNullable<ResolverPorts["jira"]> } = {
    jira: clientFor(fake).client,
    store,
    now: () => clock.now,
  };
  const tick = (ms = 1_000) => (clock.now += ms);
  return { store, ports, clock, tick };
}

async function call(key: string, payload: unknown, ports: ResolverPorts): Promise<unknown> {
  const answer = await runResolver(key, payload, inPay, ports);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data;
}
const reportGet = async (ports: ResolverPorts) =>
  (await call("report/get", { boardId }, ports)) as Answer;

/** Requests that read the board's issues: what a big board cannot afford inside a resolver. */
function boardPulls(): number {
  return Object.entries(fake.requests)
    .filter(([endpoint]) => /search|changelog|\/sprint|configuration|field|filter/.test(endpoint))
    .reduce((sum, [, count]) => sum + count, 0);
}

describe("the stored report of a Jira board", () => {
  it("a settings change or a new target queues a sync and shows the report from before until it ran", async () => {
    const { store, ports, tick } = setUp();
    const queued: unknown[] = [];
    const withQueue = {
      ...ports,
      enqueueBoardSync: (r: unknown) => Promise.resolve(void queued.push(r)),
    };
    await syncBoard(boardId, ports);
    tick();
    expect((await reportGet(withQueue)).cached).toBe(true);

    await call("settings/set", { boardId, settings: { unit: "issues" } }, withQueue);
    // Labels and rules move categories: the sync that writes the properties is queued.
    expect(queued).toHaveLength(1);
    // Until the queued sync ran, the page shows the report from before, saying so.
    expect(await reportGet(withQueue)).toMatchObject({ cached: true, recomputing: true });
    await syncBoard(boardId, ports);
    const afterSettings = await reportGet(withQueue);
    expect(afterSettings).toMatchObject({ cached: true });
    expect(afterSettings).not.toHaveProperty("recomputing");
    expect(afterSettings.teams[0]?.unit).toBe("issues");

    await call(
      "target/append",
      {
        boardId,
        investmentShare: 0.4,
        tolerance: 0.05,
        effectiveFrom: "2026-10-01",
        reason: "Platform push",
        requestId: "cache-test-1",
      },
      withQueue,
    );
    expect(await reportGet(withQueue)).toMatchObject({ recomputing: true });
    await syncBoard(boardId, ports);
    const afterTarget = await reportGet(withQueue);
    expect(afterTarget.teams[0]?.quarters).not.toEqual(afterSettings.teams[0]?.quarters);

    // An issue event: the page keeps the report it has while the queued sync catches up.
    await rememberBoard(store, { boardId, projectKey: "PAY" });
    const event = await handleIssueEvent(
      {
        eventType: "avi:jira:updated:issue",
        atlassianId: "someone",
        issue: { key: "PAY-7", fields: { project: { key: "PAY" } } },
      },
      { ...ports, enqueue: (r) => Promise.resolve(void queued.push(r)) },
    );
    // The sync the settings change queued has not started: it reads this change too.
    expect(event.action).toBe("folded");
    expect(queued).toHaveLength(1);
    tick();
    fake.resetRequests();
    expect((await reportGet(withQueue)).cached).toBe(true);
    expect(boardPulls()).toBe(0);
    tick(MAX_REPORT_AGE_MS);
    expect(await readFreshReport(ports, boardId)).toBeNull();
  });
});

describe("storing a big board's report", () => {
  const bigBoard = (count: number) =>
    makeWorkspace({
      items: Array.from({ length: count }, (_, index) =>
        makeItem({
          id: `PAY-${index + 1}`,
          // Long titles with two-byte characters: the parts are measured in UTF-8, as Forge does.
          title: `Item ${index + 1} ${"é".repeat(400)}`,
          labels: index % 2 === 0 ? ["capacity-roadmap"] : [],
        }),
      ),
    });

  it("keeps the items in parts and reads them back whole, dropping parts a smaller board left", async () => {
    const store = new MemoryStore();
    const ports = { store, now: () => NOW };
    const basis = { at: NOW - 1, inputs: JSON.stringify({ settings: {}, targets: [] }) };
    const big = bigBoard(2_500);
    const report = computeReport(big, { now: NOW });
    await storeCachedReport(ports, 7, { basis, workspace: big, report });
    const stored = () => store.listByPrefix(`${storeKeys.cachedReport("7")}:`);
    const parts = await stored();
    expect(parts.length).toBeGreaterThan(4);
    for (const { value } of parts) {
      expect(new TextEncoder().encode(JSON.stringify(value)).length).toBeLessThan(240 * 1024);
    }
    const read = await readFreshReport(ports, 7);
    expect(read?.report).toEqual(report);
    expect(read?.titles.get("PAY-2")).toBe(`Item 2 ${"é".repeat(400)}`);
    // Titles are kept for what the triage list shows: unclassified items only.
    expect(read?.titles.has("PAY-1")).toBe(false);

    const small = bigBoard(10);
    await storeCachedReport(ports, 7, {
      basis,
      workspace: small,
      report: computeReport(small, { now: NOW }),
    });
    expect(await stored()).toHaveLength(1);
    expect((await readFreshReport(ports, 7))?.report.teams[0]?.items).toHaveLength(10);
  });

  it("never serves a report whose parts belong to another write", async () => {
    const store = new MemoryStore();
    const ports = { store, now: () => NOW };
    const basis = { at: NOW - 1, inputs: JSON.stringify({ settings: {}, targets: [] }) };
    const big = bigBoard(1_500);
    await storeCachedReport(ports, 7, {
      basis,
      workspace: big,
      report: computeReport(big, { now: NOW }),
    });
    const part = await store.get(storeKeys.cachedReportPart("7", 1));
    await storeCachedReport(ports, 7, {
      basis,
      workspace: big,
      report: computeReport(big, { now: NOW }),
    });
    await store.set(storeKeys.cachedReportPart("7", 1), part);
    expect(await readFreshReport(ports, 7)).toBeNull();
  });

  it("a change marked while a report is being stored keeps it from counting as fresh", async () => {
    const inner = new MemoryStore();
    // An issue event lands after the report's reads and just before its head is written.
    const store = Object.assign(Object.create(inner) as MemoryStore, {
      async set(key: string, value: unknown): Promise<void> {
        if (key === storeKeys.cachedReport("7")) await markBoardChanged(inner, 7, NOW);
        await inner.set(key, value);
      },
    });
    const ports = { store, now: () => NOW };
    const board = bigBoard(20);
    await storeCachedReport(ports, 7, {
      basis: { at: NOW - 1, inputs: JSON.stringify({ settings: {}, targets: [] }) },
      workspace: board,
      report: computeReport(board, { now: NOW }),
    });
    expect(await inner.get(storeKeys.cachedReport("7"))).not.toBeUndefined();
    expect(await readFreshReport(ports, 7)).toBeNull();

    // Without a change since its pull began, the same report is fresh.
    const quiet = { store: new MemoryStore(), now: () => NOW };
    await storeCachedReport(quiet, 7, {
      basis: { at: NOW - 1, inputs: JSON.stringify({ settings: {}, targets: [] }) },
      workspace: board,
      report: computeReport(board, { now: NOW }),
    });
    expect(await readFreshReport(quiet, 7)).not.toBeNull();
  });
});
