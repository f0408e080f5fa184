/**
 * `npm run bench:org`: the org page's resolver (`org/get`) in the Forge app, which answers from
 * the board reports the sync keeps in app storage. Each board is a 20,000-issue board with 100
 * sprints (its report computed once from a synthetic workspace and kept as the sync keeps it), and
 * every storage call waits a fixed round trip, an assumption standing in for Forge KVS. Prints, for
 * 1 and 50 boards, the time, the storage calls and the bytes read, with their ratio to one board
 * and the time against the resolver's 25 s; then the same inside Jira as a person, whose boards
 * are limited to the projects they may browse by one bulk permission check against the fake Jira
 * at 150 ms a request, with the Jira requests and points that costs; and with 5 Linear teams of
 * 20,000 issues beside 50 boards, as the Jira app's Linear sync keeps them (their drill values
 * too), which `org/get` must not read. Then what a Linear team's drill keeps at 20,000 issues:
 * its size, the Forge KVS chunks it takes, and `org/drill` on it against `org/get` of one board.
 * Asserts nothing about wall-clock time.
 */
import { rememberBoard, storeCachedReport } from "../src/app/board-sync";
import { linearDrillWorkspace, storeLinearOrgTeam } from "../src/app/org-linear-teams";
import { runResolver } from "../src/app/resolvers";
import { computeReport, type Report, type Workspace } from "../src/domain/index";
import { MemoryStore, type Store, type StoredEntry } from "../src/store/index";
import { FORGE_CHUNK_LIMITS, splitText } from "../src/store/forge/chunked-values";
import { generateSyntheticWorkspace } from "./synthetic-workspace";
import { BENCH_NOW, printColumns, startBenchJira } from "./synthetic-jira";
import { clientFor } from "../tests/jira/helpers";

const NOW = BENCH_NOW;
const ISSUES = 20_000;
const SPRINTS = 100;
/** Boards, and Linear teams the Jira app's Linear sync keeps beside them. */
const CASES = [
  { boards: 1, linear: 0 },
  { boards: 50, linear: 0 },
  { boards: 50, linear: 5 },
];
const STORE_ROUND_TRIP_MS = 20;
const RESOLVER_LIMIT_MS = 25_000;
const RUNS = 5;
/** Jira's latency the brief designs for. */
const JIRA_LATENCY_MS = 150;

/** A store whose every call waits one round trip, counting calls and the JSON bytes it returns. */
class RoundTripStore implements Store {
  calls = 0;
  bytes = 0;
  constructor(private readonly inner: Store) {}
  private async wait(): Promise<void> {
    this.calls++;
    await new Promise((done) => setTimeout(done, STORE_ROUND_TRIP_MS));
  }
  async get(key: string): Promise<unknown> {
    await this.wait();
    const value = await this.inner.get(key);
    this.bytes += value === undefined ? 0 : JSON.stringify(value).length;
    return value;
  }
  async set(key: string, value: unknown): Promise<void> {
    await this.wait();
    await this.inner.set(key, value);
  }
  async setIfAbsent(key: string, value: unknown): Promise<boolean> {
    await this.wait();
    return this.inner.setIfAbsent(key, value);
  }
  async delete(key: string): Promise<void> {
    await this.wait();
    await this.inner.delete(key);
  }
  async getSecret(key: string): Promise<string | undefined> {
    await this.wait();
    return this.inner.getSecret(key);
  }
  async setSecret(key: string, value: string): Promise<void> {
    await this.wait();
    await this.inner.setSecret(key, value);
  }
  async listByPrefix(prefix: string): Promise<StoredEntry[]> {
    await this.wait();
    const entries = await this.inner.listByPrefix(prefix);
    this.bytes += JSON.stringify(entries).length;
    return entries;
  }
}

async function main(): Promise<void> {
  const workspace = generateSyntheticWorkspace({
    itemCount: ISSUES,
    teams: 1,
    sprintsPerTeam: SPRINTS,
    now: NOW,
  });
  const report = computeReport(workspace, { now: NOW });
  const headBytes = JSON.stringify({
    ...report,
    teams: report.teams.map((team) => ({ ...team, items: [] })),
  }).length;

  const { fake: jira } = await startBenchJira({
    issues: 10,
    sprints: 1,
    latencyMs: JIRA_LATENCY_MS,
  });
  const rows: string[][] = [
    [
      "boards",
      "Linear teams",
      "as",
      "ms (median)",
      "store calls",
      "KB read",
      "Jira requests",
      "× one board",
      "of 25 s",
    ],
  ];
  for (const asPerson of [false, true]) {
    let base: { ms: number; calls: number; bytes: number } | null = null;
    for (const { boards: count, linear } of CASES) {
      const memory = new MemoryStore();
      for (let team = 1; team <= linear; team++) {
        await keepLinearTeam(memory, `L${team}`, workspace, report);
      }
      for (let boardId = 1; boardId <= count; boardId++) {
        // Each board in its own project; ids Jira does not know are answered as not browsable.
        await rememberBoard(memory, {
          boardId,
          projectKey: `P${boardId}`,
          projectId: 20_000 + boardId,
        });
        await storeCachedReport({ store: memory, now: () => NOW }, boardId, {
          basis: { at: NOW, inputs: "{}" },
          workspace,
          report,
        });
      }
      const times: number[] = [];
      let calls = 0;
      let bytes = 0;
      let requests = 0;
      for (let run = 0; run < RUNS; run++) {
        const store = new RoundTripStore(memory);
        jira.resetRequests();
        const started = performance.now();
        const answer = await runResolver(
          "org/get",
          {},
          { accountId: "bench", projectKey: null },
          asPerson
            ? { store, now: () => NOW, jira: clientFor(jira).client }
            : { store, now: () => NOW },
        );
        times.push(performance.now() - started);
        if (!answer.ok) throw new Error(answer.error.message);
        calls = store.calls;
        bytes = store.bytes;
        requests = Object.values(jira.requests).reduce((sum, n) => sum + n, 0);
      }
      times.sort((a, b) => a - b);
      const ms = times[Math.floor(times.length / 2)] ?? NaN;
      base ??= { ms, calls, bytes };
      rows.push([
        String(count),
        String(linear),
        asPerson ? "person (Jira)" : "storage only",
        ms.toFixed(0),
        String(calls),
        (bytes / 1024).toFixed(0),
        String(requests),
        `${(ms / base.ms).toFixed(1)} time · ${(calls / base.calls).toFixed(1)} calls`,
        `${((ms / RESOLVER_LIMIT_MS) * 100).toFixed(1)}%`,
      ]);
    }
  }
  await jira.close();
  const drill = await measureLinearDrill(workspace, report);
  console.log(
    `org/get from storage: boards of ${ISSUES.toLocaleString("en")} issues and ${SPRINTS} sprints (a report head of ${(headBytes / 1024).toFixed(0)} KB each), ${STORE_ROUND_TRIP_MS} ms a storage call, median of ${RUNS}; Jira at ${JIRA_LATENCY_MS} ms a request, one browse check a page (1 point a request + 1 a project granted)\n`,
  );
  printColumns(rows);
  console.log(
    `\nA Linear team's drill at ${ISSUES.toLocaleString("en")} issues: ${(drill.bytes / 1024 / 1024).toFixed(1)} MB kept, ${drill.chunks} Forge KVS chunks of at most ${FORGE_CHUNK_LIMITS.chunkBytes / 1024} KiB (Forge refuses values over 240 KiB), ${(drill.bytes / headBytes).toFixed(0)}× its org page summary; org/drill of its current quarter ${drill.ms.toFixed(0)} ms (median of ${RUNS}, ${STORE_ROUND_TRIP_MS} ms a storage call, the chunks read at once), ${(drill.ms / drill.orgGetMs).toFixed(1)}× org/get of one board, ${((drill.ms / RESOLVER_LIMIT_MS) * 100).toFixed(1)}% of 25 s`,
  );
}

/** A copy of the synthetic team as Linear team `key`, kept as the Jira app's Linear sync keeps it. */
async function keepLinearTeam(
  store: Store,
  key: string,
  workspace: Workspace,
  report: Report,
): Promise<void> {
  const renamed = renamedAs(workspace, key);
  await storeLinearOrgTeam(
    store,
    { key, name: `Linear ${key}`, url: null },
    { ...report, teams: report.teams.map((entry) => ({ ...entry, id: key })) },
    { workspace: renamed, workspaceUrlKey: "bench" },
  );
}

/** The synthetic workspace's one team as team `key`. */
function renamedAs(workspace: Workspace, key: string): Workspace {
  return {
    ...workspace,
    teams: workspace.teams.slice(0, 1).map((team) => ({ ...team, id: key })),
    sprints: workspace.sprints.map((sprint) => ({ ...sprint, teamId: key })),
    items: workspace.items.map((item) => ({ ...item, teamId: key })),
  };
}

/** What one Linear team's drill keeps, and `org/drill` of its current quarter from the store. */
async function measureLinearDrill(workspace: Workspace, report: Report) {
  const memory = new MemoryStore();
  await keepLinearTeam(memory, "L1", workspace, report);
  const text = JSON.stringify({
    version: 1,
    teamKey: "L1",
    computedAt: report.now,
    workspaceUrlKey: "bench",
    workspace: linearDrillWorkspace(renamedAs(workspace, "L1"), "L1"),
  });
  const bytes = Buffer.byteLength(text);
  const chunks = splitText(text, FORGE_CHUNK_LIMITS.chunkBytes).length;
  const quarter = report.teams[0]?.quarters.at(-1)?.id ?? "";
  const { fake: jira } = await startBenchJira({
    issues: 10,
    sprints: 1,
    latencyMs: JIRA_LATENCY_MS,
  });
  const ports = { store: memory, now: () => NOW, jira: clientFor(jira).client };
  const timed = async (run: () => Promise<unknown>): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await run();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? NaN;
  };
  // A chunked value is read as its marker, then every chunk at once: two round trips.
  const ms = await timed(async () => {
    const store = new RoundTripStore(memory);
    const answer = await runResolver(
      "org/drill",
      { linearTeam: "L1", period: { kind: "quarter", id: quarter } },
      { accountId: "bench", projectKey: null },
      { ...ports, store },
    );
    if (!answer.ok) throw new Error(answer.error.message);
    await new Promise((done) => setTimeout(done, STORE_ROUND_TRIP_MS));
  });
  const board = new MemoryStore();
  await rememberBoard(board, { boardId: 1, projectKey: "P1", projectId: 20_001 });
  await storeCachedReport({ store: board, now: () => NOW }, 1, {
    basis: { at: NOW, inputs: "{}" },
    workspace,
    report,
  });
  const orgGetMs = await timed(async () => {
    const answer = await runResolver(
      "org/get",
      {},
      { accountId: "bench", projectKey: null },
      { ...ports, store: new RoundTripStore(board) },
    );
    if (!answer.ok) throw new Error(answer.error.message);
  });
  await jira.close();
  return { bytes, chunks, ms, orgGetMs };
}

await main();
