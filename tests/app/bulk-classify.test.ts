/**
 * A bulk classify through Forge's path: the resolver queues the job, the consumer runs it in
 * batches over the fake Jira with its state in the fake Forge KVS, stopping midway as a run whose
 * time is up does, and the undo gives every issue back the labels it had.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { jiraBoardSource } from "../../src/app/jira-board-source";
import { BULK_BATCH, runBulkJob, type BulkJob } from "../../src/app/bulk-classify";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import type { TriageRow } from "../../src/app/triage";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import { startFakeJira, type FakeJira } from "../fakes/jira/index";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const inMob: CallContext = { accountId: "acc-admin", projectKey: "MOB" };

let fake: FakeJira;
let boardId: number;
let installed: InstalledForgeKvs | null = null;

beforeAll(async () => {
  fake = await startFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW });
  boardId = fake.site.boardIdOf.get("MOB") ?? 0;
});
afterAll(async () => fake.close());
afterEach(() => {
  installed?.uninstall();
  installed = null;
});

async function call<T>(key: string, payload: unknown, ports: ResolverPorts): Promise<T> {
  const answer = await runResolver(key, payload, inMob, ports);
  if (!answer.ok) throw new Error(`${key}: ${answer.error.message}`);
  return answer.data as T;
}

/** An issue's labels on the fake Jira, as the set Jira keeps them. */
const labelsOf = (key: string): string[] =>
  [...(fake.site.issuesByKey.get(key)?.labels ?? [])].sort();

describe("bulk classify through the queue (Forge's path)", () => {
  it("classifies 120 issues in batches across consumer runs, reports each failure, and undoes exactly", async () => {
    installed = installFakeForgeKvs();
    const store = new ForgeKvsStore();
    const jira = clientFor(fake).client;
    await syncBoard(boardId, { jira, store, now: () => NOW });
    const queued: { boardId: number; jobId: string }[] = [];
    const ports: ResolverPorts = {
      jira,
      store,
      now: () => NOW,
      enqueueBulk: (job) => {
        queued.push(job);
        return Promise.resolve();
      },
    };

    // Any issues, not only unclassified ones: the conflicts of the triage list first, then
    // issues that carry a label already, so the undo has each kind of state to give back.
    const rows = await call<TriageRow[]>("triage/list", { boardId }, ports);
    const conflicts = rows.filter((row) => row.conflicts.includes("labels")).map((row) => row.id);
    expect(conflicts.length).toBeGreaterThan(0);
    const others = [...fake.site.issuesByKey.values()]
      .filter((issue) => issue.key.startsWith("MOB-") && !conflicts.includes(issue.key))
      .sort((a, b) => b.labels.length - a.labels.length)
      .map((issue) => issue.key);
    const picked = [...conflicts, ...others].slice(0, 120);
    expect(picked).toHaveLength(120);
    const before = new Map(picked.map((key) => [key, labelsOf(key)]));
    const missing = ["MOB-999991", "MOB-999992", "MOB-999993"];

    fake.resetRequests();
    const started = await call<BulkJob>(
      "bulk/start",
      {
        boardId,
        issueKeys: [...picked, ...missing],
        category: "investment",
        requestId: "bulk-0001",
      },
      ports,
    );
    // The resolver only queued the job: no label was edited inside its 25 s.
    expect(fake.requests).toEqual({});
    expect(started).toMatchObject({ total: 123, done: 0, batches: Math.ceil(123 / BULK_BATCH) });
    expect(queued).toEqual([{ boardId, jobId: "bulk-0001" }]);
    // The same request again is the same job, queued once.
    await call(
      "bulk/start",
      { boardId, issueKeys: picked, category: "investment", requestId: "bulk-0001" },
      ports,
    );
    expect(queued).toHaveLength(1);

    // A consumer run whose time runs out after one batch, then the run it hands over to.
    const source = jiraBoardSource({ jira, store, now: () => NOW });
    let batches = 0;
    const first = await runBulkJob({ store, source, now: () => NOW }, boardId, "bulk-0001", {
      shouldStop: () => batches++ >= 1,
    });
    expect(first.next).toBe(1);
    const status = await call<BulkJob & { message: string }>(
      "bulk/status",
      { boardId, jobId: "bulk-0001" },
      ports,
    );
    expect(status.message).toMatch(/^50 of 123 classified as investment so far/);
    const done = await runBulkJob({ store, source, now: () => NOW }, boardId, "bulk-0001");
    expect(done).toMatchObject({
      total: 123,
      done: 120,
      failed: 3,
    });
    expect(done.finishedAt).not.toBeNull();
    for (const key of picked) expect(labelsOf(key)).toContain("capacity-investment");
    const result = await call<{ message: string }>(
      "bulk/status",
      { boardId, jobId: "bulk-0001" },
      ports,
    );
    expect(result.message).toMatch(/^120 of 123 classified as investment; 3 failed: MOB-999991 \(/);
    expect(result.message).toContain("MOB-999993");

    // Undo: queued too, then run; twice asked is one undo.
    const undo = await call<BulkJob>("bulk/undo", { boardId, jobId: "bulk-0001" }, ports);
    const again = await call<BulkJob>("bulk/undo", { boardId, jobId: "bulk-0001" }, ports);
    expect(again.id).toBe(undo.id);
    expect(queued.at(-1)).toEqual({ boardId, jobId: undo.id });
    const undone = await runBulkJob({ store, source, now: () => NOW }, boardId, undo.id);
    expect(undone).toMatchObject({ kind: "undo", failed: 0, done: undone.total });
    for (const key of picked) expect(labelsOf(key)).toEqual(before.get(key));
    // Running the finished undo again edits nothing.
    fake.resetRequests();
    await runBulkJob({ store, source, now: () => NOW }, boardId, undo.id);
    expect(fake.requests).toEqual({});
    const last = await call<BulkJob>("bulk/last", { boardId }, ports);
    expect(last.undoneBy).toBe(undo.id);
  }, 120_000);

  it("runs a bulk of one batch inside the request, and refuses keys of another project", async () => {
    installed = installFakeForgeKvs();
    const store = new ForgeKvsStore();
    const jira = clientFor(fake).client;
    await syncBoard(boardId, { jira, store, now: () => NOW });
    const ports: ResolverPorts = {
      jira,
      store,
      now: () => NOW,
      enqueueBulk: () => Promise.reject(new Error("a single batch is not queued")),
    };
    const rows = await call<TriageRow[]>("triage/list", { boardId }, ports);
    const keys = rows.slice(0, 3).map((row) => row.id);
    const job = await call<BulkJob>(
      "bulk/start",
      { boardId, issueKeys: keys, category: "roadmap", requestId: "bulk-small-1" },
      ports,
    );
    expect(job).toMatchObject({ total: 3, done: 3, failed: 0 });
    expect(job.finishedAt).not.toBeNull();
    for (const key of keys) expect(labelsOf(key)).toContain("capacity-roadmap");
    const refused = await runResolver(
      "bulk/start",
      { boardId, issueKeys: ["PAY-1"], category: "roadmap", requestId: "bulk-small-2" },
      inMob,
      ports,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  }, 120_000);
});
