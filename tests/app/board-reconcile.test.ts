import { RateLimitError } from "@forge/events";
import { describe, expect, it } from "vitest";
import {
  fullPullPoints,
  pauseReconcile,
  readReconcilePlan,
  reconcileBudget,
  reconcileTick,
  RECONCILE_FRESH_MS,
  type ReconcilePorts,
} from "../../src/app/board-reconcile";
import { syncBoard } from "../../src/app/board-refresh";
import { claimBoardSync, type SyncRequest } from "../../src/app/board-sync-queue";
import { rememberBoard } from "../../src/app/board-sync";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { type ForgeQueueDouble, forgeQueue, siteWithBoards } from "../helpers/reconcile-site";
import { clientFor } from "../jira/helpers";

const HOUR = 3_600_000;
const START = Date.parse("2026-11-24T00:00:00Z");

const siteWith = (boards: number, issues: number): Promise<MemoryStore> =>
  siteWithBoards(
    Array.from({ length: boards }, () => issues),
    START - 2 * RECONCILE_FRESH_MS,
  );

function portsOf(
  store: MemoryStore,
  clock: { now: number },
  queue: ForgeQueueDouble,
): ReconcilePorts {
  return {
    store,
    now: () => clock.now,
    enqueue: queue.enqueue,
    isQueueLimit: (error) => error instanceof RateLimitError,
    budget: reconcileBudget(undefined),
  };
}

/** Hourly ticks, each board's queued sync starting (and its queued mark cleared) before the next. */
async function runHours(
  store: MemoryStore,
  clock: { now: number },
  queue: ForgeQueueDouble,
  hours: number,
) {
  for (let hour = 0; hour < hours; hour++) {
    clock.now = START + hour * HOUR;
    await reconcileTick(portsOf(store, clock, queue));
    for (const { request } of queue.pushes) await claimBoardSync(store, request.boardId);
  }
}

function pointsByHour(pushes: { at: number; request: SyncRequest }[], issues: number) {
  const byHour = new Map<number, number>();
  for (const { at } of pushes) {
    const hour = Math.floor(at / HOUR);
    byHour.set(hour, (byHour.get(hour) ?? 0) + fullPullPoints(issues));
  }
  return [...byHour.values()];
}

describe("the Jira reconcile", () => {
  it("the budget is the documented share of the app's 65,000 points; a bad share falls back to 10 %", () => {
    expect(reconcileBudget(undefined)).toBe(6_500);
    expect(reconcileBudget("25")).toBe(16_250);
    expect(reconcileBudget("0")).toBe(6_500);
    expect(reconcileBudget("lots")).toBe(6_500);
    // bench:jira measures 4,072 and 40,630 points for full pulls of 2,000 and 20,000 issues.
    expect(fullPullPoints(2_000)).toBe(4_072);
    expect(fullPullPoints(20_000)).toBe(40_630);
  });

  it("600 boards: no minute over 500 pushes, no hour over the budget, every board once", async () => {
    const store = await siteWith(600, 100);
    const clock = { now: START };
    const queue = forgeQueue(clock);
    await runHours(store, clock, queue, 24);
    const perMinute = new Map<number, number>();
    for (const { at } of queue.pushes) {
      const minute = Math.floor(at / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(500);
    expect(Math.max(...pointsByHour(queue.pushes, 100))).toBeLessThanOrEqual(6_500);
    const ids = queue.pushes.map((p) => p.request.boardId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(queue.pushes.every((p) => p.request.full)).toBe(true);
    // 600 boards of 213 points at 6,500 an hour: 30 boards an hour, all within the day.
    expect(ids.length).toBe(600);
    expect((await readReconcilePlan(store))?.due).toEqual([]);
  });

  it("the queue's own rate limit ends a tick; the next tick queues the rest", async () => {
    const store = await siteWith(40, 10);
    const clock = { now: START };
    const queue = forgeQueue(clock);
    // 500 events this minute came from elsewhere (issue events).
    for (let i = 0; i < 500; i++)
      queue.pushes.push({ at: START, request: { boardId: 10_000 + i, full: false } });
    const first = await reconcileTick(portsOf(store, clock, queue));
    expect(first).toMatchObject({ stoppedBy: "queue-limit", queued: [], due: 40 });
    clock.now = START + HOUR;
    const second = await reconcileTick(portsOf(store, clock, queue));
    expect(second.queued).toHaveLength(40);
  });

  it("a board whose push fails leaves the others queued, and is queued at the next tick", async () => {
    const store = await siteWith(5, 100);
    const clock = { now: START };
    const failFor = new Set([2]);
    const queue = forgeQueue(clock, failFor);
    const first = await reconcileTick(portsOf(store, clock, queue));
    expect(first.queued).toEqual([1, 3, 4, 5]);
    expect(first.failed).toEqual([2]);
    expect((await readReconcilePlan(store))?.due).toEqual([2]);
    failFor.clear();
    clock.now = START + HOUR;
    const second = await reconcileTick(portsOf(store, clock, queue));
    expect(second.queued).toEqual([2]);
  });

  it("a tick stopped midway resumes where it stood: nothing queued twice", async () => {
    const store = await siteWith(20, 100);
    const clock = { now: START };
    const queue = forgeQueue(clock);
    let checks = 0;
    // The invocation is stopped after 7 boards.
    const stopped = await reconcileTick({
      ...portsOf(store, clock, queue),
      shouldStop: () => ++checks > 7,
    });
    expect(stopped).toMatchObject({ stoppedBy: "time", due: 13 });
    // A new invocation (a restart) a minute later; the first 7 are still queued and not started.
    clock.now = START + 60_000;
    const resumed = await reconcileTick(portsOf(store, clock, queue));
    const ids = queue.pushes.map((p) => p.request.boardId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(20);
    expect(resumed.due).toBe(0);
  });

  it("a board bigger than an hour's budget goes alone, and later hours pay for it", async () => {
    const store = await siteWith(3, 20_000);
    const clock = { now: START };
    const queue = forgeQueue(clock);
    await runHours(store, clock, queue, 24);
    const hours = queue.pushes.map((p) => (p.at - START) / HOUR);
    // 40,630 points at 6,500 an hour: one board every seven hours.
    expect(hours).toEqual([0, 7, 14]);
  });

  it("Jira's spent quota pauses the reconcile until the next hour", async () => {
    const store = await siteWith(3, 100);
    const clock = { now: START + 10 * 60_000 };
    const queue = forgeQueue(clock);
    await pauseReconcile(store, clock.now, clock.now + 60_000);
    expect((await reconcileTick(portsOf(store, clock, queue))).stoppedBy).toBe("paused");
    clock.now = START + HOUR;
    expect((await reconcileTick(portsOf(store, clock, queue))).queued).toEqual([1, 2, 3]);
  });
});

describe("the Jira reconcile over the fake Jira", () => {
  const NOW = Date.parse("2026-11-24T00:00:00Z");
  let boardId = 0;
  const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW }, (started) => {
    boardId = boardIdOf(started, "PAY");
  });

  it("skips a board pulled in full within the day, and queues it once the day has passed", async () => {
    const store = new MemoryStore();
    const clock = { now: NOW };
    await syncBoard(boardId, { jira: clientFor(fake).client, store, now: () => clock.now });
    await rememberBoard(store, { boardId, projectKey: "PAY", projectId: 1 });
    const queue = forgeQueue(clock);
    clock.now = NOW + HOUR;
    expect(await reconcileTick(portsOf(store, clock, queue))).toMatchObject({
      queued: [],
      skipped: [boardId],
    });
    clock.now = NOW + RECONCILE_FRESH_MS + HOUR;
    expect((await reconcileTick(portsOf(store, clock, queue))).queued).toEqual([boardId]);
  });
});
