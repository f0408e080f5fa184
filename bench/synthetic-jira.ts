import { MemoryStore } from "../src/store/index";
import { startFakeJira, workspaceToFile, type FakeJira } from "../tests/fakes/jira/index";
import { generateSyntheticWorkspace } from "./synthetic-workspace";

/** The fake Jira with one synthetic board of `issues` issues and `sprints` sprints (team T0). */
export function startSyntheticJira(options: {
  readonly issues: number;
  readonly sprints: number;
  readonly now: number;
  readonly latencyMs: number;
  readonly boardId: number;
}): Promise<FakeJira> {
  const seed = workspaceToFile(
    generateSyntheticWorkspace({
      itemCount: options.issues,
      teams: 1,
      sprintsPerTeam: options.sprints,
      now: options.now,
      seed: 11,
    }),
  );
  return startFakeJira({
    workspace: seed,
    now: options.now,
    latencyMs: options.latencyMs,
    boards: [{ teamId: "T0", boardId: options.boardId }],
  });
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

/** The store's reads and writes, for what the in-memory store does not time. */
export class CountingStore extends MemoryStore {
  reads = 0;
  writes = 0;
  override get(key: string): Promise<unknown> {
    this.reads++;
    return super.get(key);
  }
  override set(key: string, value: unknown): Promise<void> {
    this.writes++;
    return super.set(key, value);
  }
}
