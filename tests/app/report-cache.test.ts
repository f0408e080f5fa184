import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MAX_REPORT_AGE_MS,
  readFreshReport,
  recomputeBoard,
  rememberBoard,
  storeCachedReport,
} from "../../src/app/board-sync";
import { handleIssueEvent } from "../../src/app/jira-events";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { computeReport } from "../../src/domain/report";
import type { Report } from "../../src/domain/types";
import { storeKeys } from "../../src/store/keys";
import { MemoryStore } from "../../src/store/memory-store";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { startFakeJira, type FakeJira } from "../fakes/jira/index";
import { makeItem, makeWorkspace } from "../helpers/factories";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const seed = generateDemoWorkspace(NOW);
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };

type Answer = Report & { computedAt: string; cached: boolean };

let fake: FakeJira;
let boardId: number;
beforeAll(async () => {
  fake = await startFakeJira({ workspace: seed, now: NOW });
  boardId = fake.site.boardIdOf.get("PAY") ?? 0;
});
afterAll(async () => fake.close());

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

describe("the cached report of a Jira board", () => {
  it("after a recompute, report/get and triage/list cost no board pull and say when it was computed", async () => {
    const { ports, tick } = setUp();
    await recomputeBoard(boardId, ports);
    const computedAt = new Date(NOW).toISOString();
    tick(60_000);
    fake.resetRequests();

    const cached = await reportGet(ports);
    const triage = (await call("triage/list", { boardId }, ports)) as { id: string }[];
    expect(boardPulls()).toBe(0);
    // What is left is the board lookup that checks the caller's project.
    expect(fake.totalRequests()).toBe(2);
    expect(cached).toMatchObject({ cached: true, computedAt, now: computedAt });

    // The same numbers as computing it live.
    const live = await reportGet(setUp().ports);
    expect(live.cached).toBe(false);
    expect(cached.teams).toEqual(live.teams);
    const liveTriage = (await call("triage/list", { boardId }, setUp().ports)) as unknown[];
    expect(triage).toEqual(liveTriage);
    expect(triage.length).toBeGreaterThan(0);
  });

  it("a live report/get keeps what it computed, so the next one is answered from the store", async () => {
    const { ports, tick } = setUp();
    fake.resetRequests();
    expect((await reportGet(ports)).cached).toBe(false);
    expect(boardPulls()).toBeGreaterThan(0);
    tick();
    fake.resetRequests();
    expect((await reportGet(ports)).cached).toBe(true);
    expect(boardPulls()).toBe(0);
  });

  it("computes live again after a classification the app wrote, and shows it", async () => {
    const { ports, tick } = setUp();
    await recomputeBoard(boardId, ports);
    tick();
    const [first] = (await call("triage/list", { boardId }, ports)) as { id: string }[];
    if (!first) throw new Error("nothing to triage on PAY");
    tick();
    await call("item/classify", { boardId, issueKeys: [first.id], category: "investment" }, ports);
    tick();
    fake.resetRequests();
    const after = await reportGet(ports);
    expect(after.cached).toBe(false);
    expect(boardPulls()).toBeGreaterThan(0);
    expect(after.teams[0]?.items.find((item) => item.id === first.id)).toMatchObject({
      category: "investment",
      source: "explicit",
    });
    await call("item/classify", { boardId, issueKeys: [first.id], category: null }, ports);
  });

  it("computes live again after an issue event, a settings change, a new target, or a day", async () => {
    const { store, ports, tick } = setUp();
    const fresh = async () => {
      tick();
      await recomputeBoard(boardId, ports);
      tick();
      expect((await reportGet(ports)).cached).toBe(true);
      tick();
    };

    await fresh();
    await rememberBoard(store, { boardId, projectKey: "PAY" });
    await handleIssueEvent(
      {
        eventType: "avi:jira:updated:issue",
        atlassianId: "someone",
        issue: { key: "PAY-7", fields: { project: { key: "PAY" } } },
        changelog: { items: [{ field: "labels" }] },
      },
      { ...ports, enqueue: () => Promise.resolve() },
    );
    expect((await reportGet(ports)).cached).toBe(false);

    // A status, estimate or sprint change moves the numbers too, though no category changes.
    await fresh();
    const queued: number[] = [];
    const moved = await handleIssueEvent(
      {
        eventType: "avi:jira:updated:issue",
        atlassianId: "someone",
        issue: { key: "PAY-7", fields: { project: { key: "PAY" } } },
        changelog: { items: [{ field: "status" }] },
      },
      { ...ports, enqueue: (id) => Promise.resolve(void queued.push(id)) },
    );
    expect(moved.action).toBe("ignored");
    expect(queued).toEqual([]);
    expect((await reportGet(ports)).cached).toBe(false);

    await fresh();
    await call("settings/set", { boardId, settings: { unit: "issues" } }, ports);
    const afterSettings = await reportGet(ports);
    expect(afterSettings.cached).toBe(false);
    expect(afterSettings.teams[0]?.unit).toBe("issues");

    await fresh();
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
      ports,
    );
    expect((await reportGet(ports)).cached).toBe(false);

    await fresh();
    tick(MAX_REPORT_AGE_MS);
    expect((await reportGet(ports)).cached).toBe(false);
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
});
