/**
 * A bulk classify on the self-hosted server: the resolvers over the stored workspace in a real
 * SQLite file, the job run in the background one board at a time. A run that fails after a batch
 * changed its issues but before it was recorded is undone completely, and the job's state
 * survives a restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backgroundBulkRunner, type BulkJob } from "../../src/app/bulk-classify";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import {
  readWorkspaceFile,
  seedDemoWorkspace,
  workspaceBoardSource,
} from "../../src/server/workspace-board-source";
import type { Store } from "../../src/store/index";
import { SqliteStore } from "../../src/store/sqlite/index";
import { expectTruthfulProgress } from "../helpers/bulk-progress";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const inPay: CallContext = { accountId: null, projectKey: "PAY" };
type JobAnswer = BulkJob & { message: string };

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "capacity-bulk-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The store, failing a write whose key matches `failOn` once, as a full disk would. */
function failingOnce(inner: SqliteStore): Store & { failOn: RegExp | null } {
  const store = {
    failOn: null as RegExp | null,
    get: (key: string) => inner.get(key),
    delete: (key: string) => inner.delete(key),
    listByPrefix: (prefix: string) => inner.listByPrefix(prefix),
    getSecret: (key: string) => inner.getSecret(key),
    setSecret: (key: string, value: string) => inner.setSecret(key, value),
    setIfAbsent: (key: string, value: unknown) => inner.setIfAbsent(key, value),
    set(key: string, value: unknown) {
      if (store.failOn?.test(key)) {
        store.failOn = null;
        return Promise.reject(new Error("SQLITE_FULL: database or disk is full"));
      }
      return inner.set(key, value);
    },
  };
  return store;
}

function serverPorts(store: Store, errors: unknown[]): ResolverPorts {
  const boards = workspaceBoardSource(store, () => NOW);
  return {
    boards,
    store,
    now: () => NOW,
    enqueueBulk: backgroundBulkRunner({ store, source: boards, now: () => NOW }, (error) =>
      errors.push(error),
    ),
  };
}

async function call<T>(key: string, payload: unknown, ports: ResolverPorts): Promise<T> {
  const answer = await runResolver(key, payload, inPay, ports);
  if (!answer.ok) throw new Error(`${key}: ${answer.error.message}`);
  return answer.data as T;
}

/** Asks after a job until it is over or `errors` says its run failed. */
async function settle(
  ports: ResolverPorts,
  jobId: string,
  errors: readonly unknown[],
): Promise<JobAnswer> {
  for (;;) {
    const job = await call<JobAnswer>("bulk/status", { boardId: 1, jobId }, ports);
    if (job.finishedAt !== null || errors.length > 0) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first `count` issues of board 1 (project PAY) in the stored workspace. */
async function payKeys(store: Store, count: number): Promise<string[]> {
  return ((await readWorkspaceFile(store)).items ?? [])
    .filter((item) => item.id.startsWith("PAY-"))
    .slice(0, count)
    .map((item) => item.id);
}

describe("bulk classify on the self-hosted server", () => {
  it("answers how far a job got between its batches, though the store answers at once", async () => {
    const sqlite = new SqliteStore(join(dir, "capacity.db"));
    try {
      await seedDemoWorkspace(sqlite, NOW);
      const errors: unknown[] = [];
      const ports = serverPorts(sqlite, errors);
      const keys = await payKeys(sqlite, 120);
      const started = await call<JobAnswer>(
        "bulk/start",
        { boardId: 1, issueKeys: keys, category: "investment", requestId: "server-progress" },
        ports,
      );
      // Asked as soon as the process can answer: SQLite answers at once, so a job that never let
      // the event loop turn would be over before the first ask.
      const seen: JobAnswer[] = [started];
      while (seen.at(-1)?.finishedAt === null && errors.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        seen.push(
          await call<JobAnswer>("bulk/status", { boardId: 1, jobId: "server-progress" }, ports),
        );
      }
      expect(errors).toEqual([]);
      expectTruthfulProgress(
        seen.map((job) => job.done + job.failed),
        120,
      );
      expect(seen.at(-1)).toMatchObject({ total: 120, done: 120, failed: 0 });
      const items = (await readWorkspaceFile(sqlite)).items ?? [];
      for (const key of keys) {
        expect(items.find((item) => item.id === key)?.labels).toContain("capacity-investment");
      }
    } finally {
      sqlite.close();
    }
  }, 60_000);

  it("undoes a run that failed between changing a batch and recording it, and keeps the job across a restart", async () => {
    const file = join(dir, "capacity.db");
    const sqlite = new SqliteStore(file);
    const store = failingOnce(sqlite);
    await seedDemoWorkspace(store, NOW);
    const labelsOf = async (): Promise<Map<string, string[]>> =>
      new Map(
        ((await readWorkspaceFile(store)).items ?? []).map((item) => [
          item.id,
          [...(item.labels ?? [])].sort(),
        ]),
      );
    const workspace = await readWorkspaceFile(store);
    const keys = (workspace.items ?? [])
      .filter((item) => item.id.startsWith("PAY-"))
      .sort((a, b) => (b.labels?.length ?? 0) - (a.labels?.length ?? 0))
      .slice(0, 120)
      .map((item) => item.id);
    expect(keys).toHaveLength(120);
    const before = await labelsOf();

    // The second batch's labels are written, then recording its outcome fails.
    store.failOn = /:out:1$/;
    const errors: unknown[] = [];
    const ports = serverPorts(store, errors);
    const started = await call<JobAnswer>(
      "bulk/start",
      {
        boardId: 1,
        issueKeys: [...keys, "PAY-999999"],
        category: "investment",
        requestId: "server-bulk-1",
      },
      ports,
    );
    expect(started).toMatchObject({ total: 121, batches: 3, requestedBy: null });
    const stopped = await settle(ports, "server-bulk-1", errors);
    expect(String(errors[0])).toContain("disk is full");
    expect(stopped).toMatchObject({ next: 1, done: 50 });
    const afterCrash = await labelsOf();
    const changed = keys.filter((key) => afterCrash.get(key)?.join() !== before.get(key)?.join());
    // Issues of the unrecorded batch were changed all the same.
    expect(changed.filter((key) => keys.indexOf(key) >= 50).length).toBeGreaterThan(0);

    // A restart: the job is where it stood.
    sqlite.close();
    const reopened = new SqliteStore(file);
    try {
      const restarted = serverPorts(reopened, errors);
      const kept = await call<JobAnswer>("bulk/last", { boardId: 1 }, restarted);
      expect(kept).toMatchObject({ id: "server-bulk-1", next: 1, done: 50, finishedAt: null });

      // Its undo stops it and restores every issue it changed, recorded or not.
      const undo = await call<JobAnswer>(
        "bulk/undo",
        { boardId: 1, jobId: "server-bulk-1" },
        restarted,
      );
      expect(undo.id).toBe("server-bulk-1-undo");
      const undone = await settle(restarted, "server-bulk-1-undo", []);
      expect(undone).toMatchObject({ kind: "undo", failed: 0 });
      const restored = new Map(
        ((await readWorkspaceFile(reopened)).items ?? []).map((item) => [
          item.id,
          [...(item.labels ?? [])].sort(),
        ]),
      );
      for (const key of keys) expect(restored.get(key)).toEqual(before.get(key));
      const classify = await call<JobAnswer>(
        "bulk/status",
        { boardId: 1, jobId: "server-bulk-1" },
        restarted,
      );
      expect(classify.undoneBy).toBe("server-bulk-1-undo");
      expect(classify.finishedAt).not.toBeNull();

      // Asked again: the same undo, which has nothing more to do.
      const again = await call<JobAnswer>(
        "bulk/undo",
        { boardId: 1, jobId: "server-bulk-1" },
        restarted,
      );
      expect(again).toMatchObject({ id: "server-bulk-1-undo", done: undone.done });
    } finally {
      reopened.close();
    }
  }, 60_000);

  it("classifies to the end in the background and names every issue that is not on the board", async () => {
    const sqlite = new SqliteStore(join(dir, "capacity.db"));
    try {
      await seedDemoWorkspace(sqlite, NOW);
      const errors: unknown[] = [];
      const ports = serverPorts(sqlite, errors);
      const keys = await payKeys(sqlite, 60);
      // More failures than the job's head names: the rest are listed page by page.
      const missing = Array.from({ length: 25 }, (_, i) => `PAY-9999${String(i).padStart(2, "0")}`);
      await call(
        "bulk/start",
        {
          boardId: 1,
          issueKeys: [...keys, ...missing],
          category: "roadmap",
          requestId: "server-bulk-2",
        },
        ports,
      );
      const done = await settle(ports, "server-bulk-2", errors);
      expect(errors).toEqual([]);
      expect(done).toMatchObject({ total: 85, done: 60, failed: 25 });
      expect(done.failures).toHaveLength(20);
      expect(done.failures[0]).toEqual({ issueKey: missing[0], message: "Not on board 1." });
      expect(done.message).toMatch(
        /^60 of 85 classified as roadmap; 25 failed: PAY-999900 \(Not on board 1\.\), .*, and 5 more\.$/,
      );
      const listed = await call<{ failures: { issueKey: string; message: string }[] }>(
        "bulk/failures",
        { boardId: 1, jobId: "server-bulk-2" },
        ports,
      );
      expect(listed).toEqual({
        failures: missing.map((issueKey) => ({ issueKey, message: "Not on board 1." })),
        nextBatch: null,
      });
      const items = (await readWorkspaceFile(sqlite)).items ?? [];
      for (const key of keys) {
        expect(items.find((item) => item.id === key)?.labels).toContain("capacity-roadmap");
      }
    } finally {
      sqlite.close();
    }
  }, 60_000);
});
