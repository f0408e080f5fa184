/**
 * A bulk classify through Forge's path: the resolver, called by a person, asks Jira as that person
 * which issues they may edit and queues the job; the consumer, which Forge runs with no user to act
 * as, edits as the app over the fake Jira with its state in the fake Forge KVS, stopping when its
 * time runs low and continuing in the next invocation. A consumer killed mid-batch, then undone,
 * leaves every issue as it was.
 */
import { afterEach, describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { BULK_BATCH, BULK_STALLED_MS, type BulkJob } from "../../src/app/bulk-classify";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import type { TriagePage } from "../../src/app/triage";
import { bulkConsumer } from "../../src/forge/bulk-handlers";
import { createForgeTransport } from "../../src/forge/jira-transport";
import { JiraClient } from "../../src/jira/index";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { forgeApiFor, type ForgeApiDouble } from "../fakes/forge-api/index";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import { DEFAULT_USER, startFakeJira, type FakeJira } from "../fakes/jira/index";
import type { FakeUser } from "../fakes/jira/routes";
import { expectTruthfulProgress } from "../helpers/bulk-progress";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const DANA_ID = "5b10ac8d82e05b22cc7d4ef5";
const inMob: CallContext = { accountId: DANA_ID, projectKey: "MOB" };
/** Jira at 150 ms a request, on the consumer's clock. */
const MS_PER_CALL = 150;

type QueuedJob = { boardId: number; jobId: string };
type JobAnswer = BulkJob & { message: string };

let installed: InstalledForgeKvs | null = null;
let fake: FakeJira | null = null;
afterEach(async () => {
  installed?.uninstall();
  installed = null;
  await fake?.close();
  fake = null;
});

/**
 * A fake site with the app's account and Dana's, who may not edit the issues later put in
 * `readOnly`, nor those of the projects put in `readOnlyProjects`; the board synced into a fresh
 * fake KVS; and hosts for Forge's two invocations. `app` is the app's account (every permission
 * by default).
 */
async function setUp(app: FakeUser = DEFAULT_USER) {
  const readOnly: string[] = [];
  const readOnlyProjects: string[] = [];
  const dana: FakeUser = {
    email: "dana@example.com",
    token: "dana-token",
    accountId: DANA_ID,
    readOnlyIssues: readOnly,
    readOnlyProjects,
  };
  const site = await startFakeJira({
    workspace: generateDemoWorkspace(NOW),
    now: NOW,
    users: [app, dana],
  });
  fake = site;
  installed = installFakeForgeKvs();
  const store = new ForgeKvsStore();
  const boardId = site.site.boardIdOf.get("MOB") ?? 0;
  await syncBoard(boardId, { jira: clientFor(site).client, store, now: () => NOW });
  const queued: QueuedJob[] = [];
  /** The delay of each event a consumer queued, in seconds. */
  const delays: number[] = [];
  const clock = { now: NOW };

  /** A resolver invocation: Dana is present, so `asUser()` acts as her. */
  const resolver = (now = NOW) => {
    const api = forgeApiFor(site, { app, user: dana });
    const jira = new JiraClient(createForgeTransport({ api }), {
      retry: { sleep: () => Promise.resolve() },
    });
    const ports: ResolverPorts = {
      jira,
      store,
      now: () => now,
      enqueueBulk: (job) => {
        queued.push(job);
        return Promise.resolve();
      },
      enqueueBoardSync: () => Promise.resolve(),
    };
    return { api, ports };
  };

  /**
   * A consumer invocation: no user, a time limit on the virtual clock; `beforeCall` sees each
   * call before Jira does.
   */
  const consumer = (
    options: {
      timeLimitMs?: number;
      killAfterWrites?: number;
      beforeCall?: (call: { method: string; path: string }) => void;
    } = {},
  ) => {
    const api = forgeApiFor(site, {
      app,
      user: null,
      clock,
      msPerCall: MS_PER_CALL,
      ...(options.killAfterWrites === undefined
        ? {}
        : { killAfterWrites: options.killAfterWrites }),
    });
    const watched = {
      asApp: () => ({
        requestJira: (
          ...[route, init]: Parameters<ReturnType<ForgeApiDouble["asApp"]>["requestJira"]>
        ) => {
          options.beforeCall?.({ method: init?.method ?? "GET", path: route.value });
          return api.asApp().requestJira(route, init);
        },
      }),
      asUser: () => api.asUser(),
    };
    const run = bulkConsumer({
      api: watched,
      now: () => clock.now,
      timeLimitMs: options.timeLimitMs ?? 900_000,
      reserveMs: 0,
      enqueueBulk: (job, delay) => {
        queued.push(job);
        delays.push(delay ?? 0);
        return Promise.resolve();
      },
      enqueueBoardSync: () => Promise.resolve(),
    });
    return { api, deliver: (job: QueuedJob) => run({ body: job, queueName: "bulk-classify" }) };
  };

  const call = async <T>(key: string, payload: unknown, now = NOW): Promise<T> => {
    const answer = await runResolver(key, payload, inMob, resolver(now).ports);
    if (!answer.ok) throw new Error(`${key}: ${answer.error.message}`);
    return answer.data as T;
  };

  /** A job's head as `bulk/status` answers it. */
  const status = (jobId: string) => call<JobAnswer>("bulk/status", { boardId, jobId });
  /** Starts classifying `issueKeys` through the resolver; the event it queued. */
  const startQueued = async (
    issueKeys: readonly string[],
    category: "roadmap" | "investment",
    requestId: string,
  ): Promise<QueuedJob> => {
    await call("bulk/start", { boardId, issueKeys, category, requestId });
    const event = queued.shift();
    if (event === undefined) throw new Error(`bulk/start queued nothing for ${requestId}.`);
    return event;
  };

  /** 120 issues of the board: the triage list's conflicts first, then ones with labels. */
  const pick = async (): Promise<string[]> => {
    const { rows } = await call<TriagePage>("triage/list", {
      boardId,
      conflictsOnly: true,
      pageSize: 100,
    });
    const conflicts = rows.filter((row) => row.conflicts.includes("labels")).map((row) => row.id);
    expect(conflicts.length).toBeGreaterThan(0);
    const others = [...site.site.issuesByKey.values()]
      .filter((issue) => issue.key.startsWith("MOB-") && !conflicts.includes(issue.key))
      .sort((a, b) => b.labels.length - a.labels.length)
      .map((issue) => issue.key);
    const picked = [...conflicts, ...others].slice(0, 120);
    expect(picked).toHaveLength(120);
    return picked;
  };

  /** An issue's labels on the fake Jira, as the set Jira keeps them. */
  const labelsOf = (key: string): string[] =>
    [...(site.site.issuesByKey.get(key)?.labels ?? [])].sort();
  /** As Jira holds them, repeats included (Jira holds none). */
  const rawLabelsOf = (key: string): string[] => [
    ...(site.site.issuesByKey.get(key)?.labels ?? []),
  ];
  const puts = (api: ForgeApiDouble) => api.calls.filter((call) => call.method === "PUT").length;

  return {
    site,
    clock,
    store,
    boardId,
    queued,
    delays,
    readOnly,
    readOnlyProjects,
    resolver,
    consumer,
    call,
    status,
    startQueued,
    pick,
    labelsOf,
    rawLabelsOf,
    puts,
  };
}

describe("bulk classify on Forge: the person's permissions, the app's writes", () => {
  it("edits as the app only what the person may edit, continues past time limits, and names each failure", async () => {
    const t = await setUp();
    const picked = await t.pick();
    // Dana may not edit five of them (a workflow status says so for her, not for the app).
    t.readOnly.push(...picked.slice(10, 15));
    const before = new Map(picked.map((key) => [key, t.labelsOf(key)]));
    const missing = ["MOB-999991", "MOB-999992", "MOB-999993"];

    const { api: asked, ports } = t.resolver();
    const answer = await runResolver(
      "bulk/start",
      {
        boardId: t.boardId,
        issueKeys: [...picked, ...missing],
        category: "investment",
        requestId: "bulk-0001",
      },
      inMob,
      ports,
    );
    if (!answer.ok) throw new Error(answer.error.message);
    const started = answer.data as JobAnswer;
    // Inside the resolver: one bulk permission check as Dana, and no label edited.
    expect(asked.calls).toEqual([
      { who: "user", method: "POST", path: "/rest/api/3/permissions/check" },
    ]);
    expect(started).toMatchObject({
      total: 123,
      done: 0,
      batches: Math.ceil(123 / BULK_BATCH),
      requestedBy: DANA_ID,
    });
    expect(t.queued).toEqual([{ boardId: t.boardId, jobId: "bulk-0001" }]);
    // The same request again is the same job, queued once, asking Jira nothing.
    const { api: again, ports: againPorts } = t.resolver();
    await runResolver(
      "bulk/start",
      { boardId: t.boardId, issueKeys: picked, category: "investment", requestId: "bulk-0001" },
      inMob,
      againPorts,
    );
    expect(t.queued).toHaveLength(1);
    expect(again.calls).toEqual([]);

    // Each consumer invocation has 20 s of Jira at 150 ms a call: a batch (a read and a write an
    // issue) takes about 15 s, so the first stops after two batches and queues the rest.
    const first = t.consumer({ timeLimitMs: 20_000 });
    await first.deliver(t.queued.shift() ?? { boardId: 0, jobId: "" });
    const midway = await t.call<JobAnswer>("bulk/status", {
      boardId: t.boardId,
      jobId: "bulk-0001",
    });
    expect(midway.next).toBe(2);
    expect(midway.finishedAt).toBeNull();
    expect(midway.message).toMatch(/^9[0-9] of 123 classified as investment; \d+ failed/);
    expect(t.queued).toEqual([{ boardId: t.boardId, jobId: "bulk-0001" }]);
    const runs = [first.api];
    while (t.queued.length > 0) {
      const next = t.consumer({ timeLimitMs: 20_000 });
      runs.push(next.api);
      await next.deliver(t.queued.shift() ?? { boardId: 0, jobId: "" });
    }
    expect(runs).toHaveLength(2);

    // No invocation without a user asked to act as one; every call of theirs was the app's.
    const consumerCalls = runs.flatMap((api) => api.calls);
    expect(consumerCalls.filter((call) => call.who === "user")).toEqual([]);
    const editable = picked.filter((key) => !t.readOnly.includes(key));
    for (const key of editable) expect(t.labelsOf(key)).toContain("capacity-investment");
    for (const key of t.readOnly) expect(t.labelsOf(key)).toEqual(before.get(key));
    // One write an issue whose labels changed, none repeated across invocations.
    const changed = editable.filter(
      (key) => t.labelsOf(key).join(" ") !== before.get(key)?.join(" "),
    );
    expect(runs.reduce((sum, api) => sum + t.puts(api), 0)).toBe(changed.length);

    const result = await t.call<JobAnswer>("bulk/status", {
      boardId: t.boardId,
      jobId: "bulk-0001",
    });
    expect(result).toMatchObject({ total: 123, done: 115, failed: 8, changed: changed.length });
    expect(result.finishedAt).not.toBeNull();
    // Each failure by name, with its reason.
    expect(result.failures).toEqual(
      expect.arrayContaining([
        ...t.readOnly.map((issueKey) => ({ issueKey, message: "Jira does not let you edit it." })),
        ...missing.map((issueKey) => ({
          issueKey,
          message: `It is not on board ${t.boardId} as last read from Jira.`,
        })),
      ]),
    );
    expect(result.failures).toHaveLength(8);
    expect(result.message).toMatch(/^115 of 123 classified as investment; 8 failed: /);
    for (const key of [...t.readOnly, ...missing]) expect(result.message).toContain(key);
    const listed = await t.call<{ failures: { issueKey: string }[]; nextBatch: number | null }>(
      "bulk/failures",
      { boardId: t.boardId, jobId: "bulk-0001" },
    );
    expect(listed.nextBatch).toBeNull();
    expect(listed.failures.map((failure) => failure.issueKey).sort()).toEqual(
      [...t.readOnly, ...missing].sort(),
    );

    // The undo, queued and run the same way, gives every changed issue back its labels.
    const undo = await t.call<JobAnswer>("bulk/undo", { boardId: t.boardId, jobId: "bulk-0001" });
    expect(undo).toMatchObject({ kind: "undo", undoOf: "bulk-0001", requestedBy: DANA_ID });
    const undoRun = t.consumer();
    await undoRun.deliver(t.queued.shift() ?? { boardId: 0, jobId: "" });
    expect(undoRun.api.calls.every((call) => call.who === "app")).toBe(true);
    for (const key of picked) expect(t.labelsOf(key)).toEqual(before.get(key));
  }, 120_000);

  it("runs a bulk of one batch inside the request as the person, and refuses keys of another project", async () => {
    const t = await setUp();
    const { rows } = await t.call<TriagePage>("triage/list", { boardId: t.boardId });
    const keys = rows.slice(0, 4).map((row) => row.id);
    t.readOnly.push(keys[3] ?? "");
    const { api, ports } = t.resolver();
    const answer = await runResolver(
      "bulk/start",
      { boardId: t.boardId, issueKeys: keys, category: "roadmap", requestId: "bulk-small-1" },
      inMob,
      { ...ports, enqueueBulk: () => Promise.reject(new Error("a single batch is not queued")) },
    );
    if (!answer.ok) throw new Error(answer.error.message);
    const job = answer.data as JobAnswer;
    expect(job).toMatchObject({ total: 4, done: 3, failed: 1 });
    expect(job.finishedAt).not.toBeNull();
    // Dana is present: her reads and writes are hers.
    expect(api.calls.length).toBeGreaterThan(0);
    expect(api.calls.every((call) => call.who === "user")).toBe(true);
    for (const key of keys.slice(0, 3)) expect(t.labelsOf(key)).toContain("capacity-roadmap");
    expect(t.labelsOf(keys[3] ?? "")).not.toContain("capacity-roadmap");
    const refused = await runResolver(
      "bulk/start",
      { boardId: t.boardId, issueKeys: ["PAY-1"], category: "roadmap", requestId: "bulk-small-2" },
      inMob,
      t.resolver().ports,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  }, 120_000);
});

describe("bulk classify on Forge: a consumer killed mid-batch, then undone", () => {
  it("undoes every issue the killed batch changed, and an undo killed in turn finishes on retry", async () => {
    const t = await setUp();
    const picked = await t.pick();
    const before = new Map(picked.map((key) => [key, t.labelsOf(key)]));
    await t.call("bulk/start", {
      boardId: t.boardId,
      issueKeys: picked,
      category: "roadmap",
      requestId: "bulk-crash",
    });
    const event = t.queued.shift() ?? { boardId: 0, jobId: "" };

    // Killed after 70 label writes: the first batch is recorded, the second is cut off.
    const killed = t.consumer({ killAfterWrites: 70 });
    await Promise.race([killed.deliver(event), killed.api.killed]);
    const head = await t.call<JobAnswer>("bulk/status", {
      boardId: t.boardId,
      jobId: "bulk-crash",
    });
    expect(head).toMatchObject({ next: 1, done: 50 });
    const changedByCrash = picked.filter(
      (key) => t.labelsOf(key).join(" ") !== before.get(key)?.join(" "),
    );
    // 70 writes answered, and at most the three others in flight with them landed.
    expect(changedByCrash.length).toBeGreaterThanOrEqual(70);
    expect(changedByCrash.length).toBeLessThanOrEqual(73);
    // Some of them are past what the head recorded: the ones an undo after the batch would miss.
    expect(changedByCrash.filter((key) => picked.indexOf(key) >= 50).length).toBeGreaterThan(0);

    // Asked after while its run may still go on, the job is left alone; asked after once no run
    // can still be going, it is queued again to go on from its plan.
    const lastMoved = t.clock.now;
    await t.call("bulk/status", { boardId: t.boardId, jobId: "bulk-crash" }, lastMoved + 60_000);
    expect(t.queued).toEqual([]);
    await t.call("bulk/last", { boardId: t.boardId }, lastMoved + BULK_STALLED_MS);
    expect(t.queued).toEqual([event]);

    // The undo of a classify not finished is queued behind it, not run in the request.
    const undo = await t.call<JobAnswer>("bulk/undo", { boardId: t.boardId, jobId: "bulk-crash" });
    expect(undo).toMatchObject({ id: "bulk-crash-undo", kind: "undo", done: 0 });
    expect(t.queued).toEqual([event, { boardId: t.boardId, jobId: "bulk-crash-undo" }]);
    t.queued.length = 0;
    const undoEvent = { boardId: t.boardId, jobId: "bulk-crash-undo" };

    // The classify's queued run comes first: it sees its undo and edits nothing more.
    const redelivered = t.consumer();
    await redelivered.deliver(event);
    expect(t.puts(redelivered.api)).toBe(0);
    expect(t.queued).toEqual([]);
    const stopped = await t.call<JobAnswer>("bulk/status", {
      boardId: t.boardId,
      jobId: "bulk-crash",
    });
    expect(stopped).toMatchObject({ undoneBy: "bulk-crash-undo", next: 1 });
    expect(stopped.finishedAt).not.toBeNull();
    expect(stopped.message).toMatch(/before its undo stopped it/);

    // The undo is killed too, after 20 writes, and Forge delivers it again.
    const undoKilled = t.consumer({ killAfterWrites: 20 });
    await Promise.race([undoKilled.deliver(undoEvent), undoKilled.api.killed]);
    const retried = t.consumer();
    await retried.deliver(undoEvent);
    for (const key of picked) {
      expect(t.labelsOf(key)).toEqual(before.get(key));
      expect(new Set(t.rawLabelsOf(key)).size).toBe(t.rawLabelsOf(key).length);
    }
    const done = await t.call<JobAnswer>("bulk/status", {
      boardId: t.boardId,
      jobId: "bulk-crash-undo",
    });
    expect(done.finishedAt).not.toBeNull();
    expect(done.failed).toBe(0);

    // Asked again, it is the same undo; delivered again, it writes nothing.
    const same = await t.call<JobAnswer>("bulk/undo", { boardId: t.boardId, jobId: "bulk-crash" });
    expect(same.id).toBe("bulk-crash-undo");
    const once = t.consumer();
    await once.deliver(undoEvent);
    expect(once.api.calls).toEqual([]);
    for (const key of picked) expect(t.labelsOf(key)).toEqual(before.get(key));
  }, 120_000);
});

describe("bulk classify on Forge: the person loses edit permission while the job runs", () => {
  /** 300 issues of the board, by key. */
  const pick300 = (t: Awaited<ReturnType<typeof setUp>>): string[] => {
    const keys = [...t.site.site.issuesByKey.keys()].filter((key) => key.startsWith("MOB-"));
    expect(keys.length).toBeGreaterThanOrEqual(300);
    return keys.slice(0, 300);
  };
  const isPermissionCheck = (call: { method: string; path: string }) =>
    call.method === "POST" && call.path === "/rest/api/3/permissions/check";
  const labelWrite = /^\/rest\/api\/3\/issue\/([A-Z]+-\d+)/;
  /** The issues a run wrote labels of, from its calls. */
  const written = (api: ForgeApiDouble): string[] =>
    api.calls.flatMap((call) =>
      call.method === "PUT" ? (labelWrite.exec(call.path)?.slice(1, 2) ?? []) : [],
    );
  type Failures = { failures: { issueKey: string; message: string }[]; nextBatch: number | null };
  const NO_LONGER = "You can no longer edit this issue.";

  it("edits none of the project's issues once she loses Edit Issues on it, names each, and undoes only what it wrote", async () => {
    const t = await setUp();
    const picked = pick300(t);
    const before = new Map(picked.map((key) => [key, t.labelsOf(key)]));
    const event = await t.startQueued(picked, "investment", "bulk-revoked");

    // The first batch runs as she may; as the second starts, a Jira admin takes "Edit Issues" on
    // the project away from her (a permission scheme change).
    let checks = 0;
    let revokedAt = -1;
    const run = t.consumer({
      beforeCall: (call) => {
        if (isPermissionCheck(call) && ++checks === 2) {
          t.readOnlyProjects.push("MOB");
          revokedAt = run.api.calls.length;
        }
      },
    });
    await run.deliver(event);
    expect(t.queued).toEqual([]);
    // One check a batch, as the app, naming her.
    expect(run.api.calls.filter(isPermissionCheck)).toHaveLength(6);
    expect(run.api.calls.every((call) => call.who === "app")).toBe(true);
    // Nothing written after the permission went, and no issue of the later batches read.
    expect(revokedAt).toBeGreaterThan(0);
    expect(run.api.calls.slice(revokedAt).filter((call) => !isPermissionCheck(call))).toEqual([]);
    for (const key of picked.slice(0, 50)) expect(t.labelsOf(key)).toContain("capacity-investment");
    for (const key of picked.slice(50)) expect(t.labelsOf(key)).toEqual(before.get(key));

    const result = await t.status("bulk-revoked");
    expect(result).toMatchObject({ total: 300, done: 50, failed: 250 });
    expect(result.finishedAt).not.toBeNull();
    expect(result.message).toMatch(
      /^50 of 300 classified as investment; 250 failed: MOB-\S+ \(You can no longer edit this issue\.\)/,
    );
    // Every one named, with the reason, once.
    const listed = await t.call<Failures>("bulk/failures", {
      boardId: t.boardId,
      jobId: "bulk-revoked",
    });
    expect(listed.nextBatch).toBeNull();
    expect(listed.failures).toEqual(
      picked.slice(50).map((issueKey) => ({ issueKey, message: NO_LONGER })),
    );

    // Forge delivers the event again: the job is over, Jira is asked nothing.
    const again = t.consumer();
    await again.deliver(event);
    expect(again.api.calls).toEqual([]);

    // She gets the permission back and undoes. Batch one's changes fit one batch, so the undo
    // runs inside her request, as her (Jira checks each write): only what the job wrote is touched.
    t.readOnlyProjects.length = 0;
    const changed = picked.filter(
      (key) => t.labelsOf(key).join(" ") !== before.get(key)?.join(" "),
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((key) => picked.indexOf(key) < 50)).toBe(true);
    const { api: undoApi, ports } = t.resolver();
    const undo = await runResolver(
      "bulk/undo",
      { boardId: t.boardId, jobId: "bulk-revoked" },
      inMob,
      ports,
    );
    expect(undo).toMatchObject({ ok: true, data: { done: changed.length, failed: 0 } });
    expect(t.queued).toEqual([]);
    expect(undoApi.calls.every((call) => call.who === "user")).toBe(true);
    expect(written(undoApi).sort()).toEqual([...changed].sort());
    for (const key of picked) expect(t.labelsOf(key)).toEqual(before.get(key));
  }, 120_000);

  it("goes on with the issues she still may edit, through a killed run and its retry, and its undo checks again", async () => {
    const t = await setUp();
    const picked = pick300(t);
    const before = new Map(picked.map((key) => [key, t.labelsOf(key)]));
    const event = await t.startQueued(picked, "investment", "bulk-partly");

    // As the second batch starts, 40 issues of the later batches move where she may not edit
    // them (a workflow status that names who may); then the run is killed midway and retried.
    const lost = picked
      .slice(50)
      .filter((_, index) => index % 6 === 0)
      .slice(0, 40);
    expect(lost).toHaveLength(40);
    let checks = 0;
    const killed = t.consumer({
      killAfterWrites: 80,
      beforeCall: (call) => {
        if (isPermissionCheck(call) && ++checks === 2) t.readOnly.push(...lost);
      },
    });
    await Promise.race([killed.deliver(event), killed.api.killed]);
    const midway = await t.status("bulk-partly");
    expect(midway.next).toBeGreaterThanOrEqual(1);
    expect(midway.finishedAt).toBeNull();
    const retried = t.consumer();
    await retried.deliver(event);
    expect(t.queued).toEqual([]);
    expect(retried.api.calls.filter(isPermissionCheck).length).toBe(6 - midway.next);

    // The rest complete; the lost ones are left as they were and named; nothing twice.
    const kept = picked.filter((key) => !lost.includes(key));
    for (const key of kept) expect(t.labelsOf(key)).toContain("capacity-investment");
    for (const key of lost) expect(t.labelsOf(key)).toEqual(before.get(key));
    for (const key of picked) {
      expect(new Set(t.rawLabelsOf(key)).size).toBe(t.rawLabelsOf(key).length);
    }
    expect(
      [...written(killed.api), ...written(retried.api)].filter((key) => lost.includes(key)),
    ).toEqual([]);
    const result = await t.status("bulk-partly");
    expect(result).toMatchObject({ total: 300, done: 260, failed: 40 });
    const listed = await t.call<Failures>("bulk/failures", {
      boardId: t.boardId,
      jobId: "bulk-partly",
    });
    expect(listed.failures).toEqual(lost.map((issueKey) => ({ issueKey, message: NO_LONGER })));

    // Before she undoes, she loses three issues the job changed: the undo leaves them, names
    // them, and gives every other changed issue its labels back.
    const changed = picked.filter(
      (key) => t.labelsOf(key).join(" ") !== before.get(key)?.join(" "),
    );
    const lostLater = changed.slice(0, 3);
    t.readOnly.push(...lostLater);
    const undoJob = await t.call<JobAnswer>("bulk/undo", {
      boardId: t.boardId,
      jobId: "bulk-partly",
    });
    const undo = t.consumer();
    await undo.deliver(t.queued.shift() ?? { boardId: 0, jobId: "" });
    expect(written(undo.api).sort()).toEqual(changed.slice(3).sort());
    for (const key of lostLater) expect(t.labelsOf(key)).toContain("capacity-investment");
    for (const key of picked.filter((key) => !lostLater.includes(key))) {
      expect(t.labelsOf(key)).toEqual(before.get(key));
    }
    const undone = await t.status(undoJob.id);
    expect(undone).toMatchObject({ total: changed.length, done: changed.length - 3, failed: 3 });
    expect(undone.failures).toEqual(
      lostLater.map((issueKey) => ({ issueKey, message: NO_LONGER })),
    );
  }, 120_000);

  it("holds a batch whose check Jira rate-limits, writing nothing until Jira answers", async () => {
    const t = await setUp();
    const picked = await t.pick();
    const before = new Map(picked.map((key) => [key, t.labelsOf(key)]));
    const event = await t.startQueued(picked, "roadmap", "bulk-limited");
    t.site.inject({
      kind: "status",
      status: 429,
      endpoint: "POST /rest/api/3/permissions/check",
      retryAfter: "600",
    });
    const limited = t.consumer();
    await limited.deliver(event);
    // The check was the one call: no label read or written, the same event queued after the
    // 600 s Jira asked for, the head where it was.
    expect(limited.api.calls).toEqual([
      { who: "app", method: "POST", path: "/rest/api/3/permissions/check" },
    ]);
    expect(t.queued).toEqual([event]);
    expect(t.delays).toEqual([600]);
    const held = await t.status("bulk-limited");
    expect(held).toMatchObject({ next: 0, done: 0, failed: 0, finishedAt: null });
    for (const key of picked) expect(t.labelsOf(key)).toEqual(before.get(key));
    const later = t.consumer();
    await later.deliver(t.queued.shift() ?? { boardId: 0, jobId: "" });
    const done = await t.status("bulk-limited");
    expect(done).toMatchObject({ done: 120, failed: 0 });
  }, 120_000);

  it("edits nothing when Jira refuses the app the check, and says why for each issue", async () => {
    // An app account without "Administer Jira" may not ask about another person.
    const t = await setUp({ ...DEFAULT_USER, permissions: { ADMINISTER: false } });
    const picked = await t.pick();
    const before = new Map(picked.map((key) => [key, t.labelsOf(key)]));
    const event = await t.startQueued(picked, "roadmap", "bulk-unchecked");
    const run = t.consumer();
    await run.deliver(event);
    expect(run.api.calls.filter((call) => call.method !== "POST")).toEqual([]);
    for (const key of picked) expect(t.labelsOf(key)).toEqual(before.get(key));
    const result = await t.status("bulk-unchecked");
    expect(result).toMatchObject({ done: 0, failed: 120 });
    expect(result.finishedAt).not.toBeNull();
    expect(new Set(result.failures.map((failure) => failure.message))).toEqual(
      new Set([
        "Jira did not let Capacity Split check that you may still edit it, so it was left as it was.",
      ]),
    );
  }, 120_000);
});

describe("bulk classify on Forge: progress as the page reads it", () => {
  it("reads 0 of 120, each batch as the consumer records it, and 120 of 120 with every issue done", async () => {
    const t = await setUp();
    const picked = await t.pick();
    // Each Jira request takes real time now, so each batch (a check, a read, 50 writes) does too.
    t.site.setLatency(20);
    const event = await t.startQueued(picked, "investment", "bulk-progress");
    const seen: JobAnswer[] = [await t.status("bulk-progress")];
    let delivered = false;
    const run = t
      .consumer()
      .deliver(event)
      .finally(() => (delivered = true));
    // As the page does, only faster: asks until the job says it has finished.
    while (seen.at(-1)?.finishedAt === null) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen.push(await t.status("bulk-progress"));
      expect(delivered && seen.at(-1)?.finishedAt === null, "the run ended unfinished").toBe(false);
    }
    await run;
    expectTruthfulProgress(
      seen.map((job) => job.done + job.failed),
      120,
    );
    const last = seen.at(-1);
    expect(last).toMatchObject({ total: 120, done: 120, failed: 0 });
    expect(last?.message).toBe("120 of 120 classified as investment.");
    for (const job of seen.slice(0, -1)) {
      expect(job.message).toBe(`${job.done} of 120 classified as investment so far…`);
    }
    for (const key of picked) expect(t.labelsOf(key)).toContain("capacity-investment");
  }, 120_000);
});
