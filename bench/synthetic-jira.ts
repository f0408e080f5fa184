/**
 * The Jira benches' one setup: the fake Jira (tests/fakes/jira) on loopback, seeded with one
 * synthetic board, and the app's HTTP transport to it signed in as the fake's first user. Every
 * Jira bench starts from here, so they measure the same board the same way.
 */
import { createNodeTransport, type JiraTransport } from "../src/jira/index";
import { MemoryStore, type StoredEntry } from "../src/store/index";
import {
  startFakeJira,
  workspaceToFile,
  type FakeJira,
  type FakeJiraOptions,
} from "../tests/fakes/jira/index";
import { generateSyntheticWorkspace } from "./synthetic-workspace";

/** The benches' clock: sprints are future, active or closed as of this moment. */
export const BENCH_NOW = Date.parse("2026-11-24T00:00:00Z");
/** The board's id on the fake site. */
export const BENCH_BOARD = 12;
/** Sprints of the synthetic board. */
export const BENCH_SPRINTS = 60;

export interface BenchJira {
  readonly fake: FakeJira;
  /** The app's transport to the fake, as a Jira client sends its requests. */
  readonly transport: JiraTransport;
  readonly boardId: number;
  /** The board's project. */
  readonly projectKey: string;
  close(): Promise<void>;
}

/**
 * The fake Jira with one synthetic board of `issues` issues and `sprints` sprints (default
 * {@link BENCH_SPRINTS}; team T0, board {@link BENCH_BOARD}), answering each request after
 * `latencyMs`.
 */
export async function startBenchJira(options: {
  readonly issues: number;
  readonly latencyMs: number;
  readonly sprints?: number;
  /** Accounts of the site, the transport's first (default: one with every permission). */
  readonly users?: FakeJiraOptions["users"];
}): Promise<BenchJira> {
  const seed = workspaceToFile(
    generateSyntheticWorkspace({
      itemCount: options.issues,
      teams: 1,
      sprintsPerTeam: options.sprints ?? BENCH_SPRINTS,
      now: BENCH_NOW,
      seed: 11,
    }),
  );
  const fake = await startFakeJira({
    workspace: seed,
    now: BENCH_NOW,
    latencyMs: options.latencyMs,
    boards: [{ teamId: "T0", boardId: BENCH_BOARD }],
    ...(options.users === undefined ? {} : { users: options.users }),
  });
  return {
    fake,
    transport: createNodeTransport({ site: fake.url, email: fake.email, apiToken: fake.token }),
    boardId: BENCH_BOARD,
    projectKey: fake.site.boards.get(BENCH_BOARD)?.projectKey ?? "T0",
    close: () => fake.close(),
  };
}

/** Rows as columns: the first left-aligned, the rest right-aligned. */
export function printColumns(rows: readonly (readonly string[])[]): void {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  for (const row of rows) {
    console.log(
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
        )
        .join("  "),
    );
  }
}

/**
 * The store's reads and writes, for what the in-memory store does not time; with `bytes` on, also
 * their size as UTF-8 JSON (what Forge KVS would carry) and the bytes written under each key.
 */
export class CountingStore extends MemoryStore {
  reads = 0;
  writes = 0;
  bytes = false;
  readBytes = 0;
  writeBytes = 0;
  readonly writtenByKey = new Map<string, { writes: number; bytes: number }>();
  override async get(key: string): Promise<unknown> {
    this.reads++;
    const value = await super.get(key);
    if (this.bytes) this.readBytes += jsonBytes(value);
    return value;
  }
  override async listByPrefix(prefix: string): Promise<StoredEntry[]> {
    const entries = await super.listByPrefix(prefix);
    if (this.bytes) for (const { value } of entries) this.readBytes += jsonBytes(value);
    return entries;
  }
  override set(key: string, value: unknown): Promise<void> {
    this.countWrite(key, value);
    return super.set(key, value);
  }
  override setIfAbsent(key: string, value: unknown): Promise<boolean> {
    this.countWrite(key, value);
    return super.setIfAbsent(key, value);
  }
  private countWrite(key: string, value: unknown): void {
    this.writes++;
    if (!this.bytes) return;
    const size = jsonBytes(value);
    this.writeBytes += size;
    const entry = this.writtenByKey.get(key) ?? { writes: 0, bytes: 0 };
    this.writtenByKey.set(key, { writes: entry.writes + 1, bytes: entry.bytes + size });
  }
}

/** The size of a value as UTF-8 JSON; 0 for nothing. */
export function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), "utf8");
}
