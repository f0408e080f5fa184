/**
 * `npm run bench:jira`: the Jira app on boards of 2,000, 5,000 and 20,000 issues, the fake Jira
 * answering every request after 150 ms (a realistic round trip from a Forge function):
 *
 * - the first sync, per queue-consumer invocation, against the consumer's 900 s (`timeoutSeconds`);
 * - a refresh after 50 issues changed and 3 left the board (2 moved to another project, 1
 *   deleted, each announced by its issue event), against the lower bound for the 50 (one search
 *   page and one changelog request, each returning the 50 issues) and against pulling the board
 *   again; and its CPU against the first sync's (the refresh maps only the changed issues);
 * - every resolver the pages call, 20 calls each, p95 against the 5 s aim;
 * - Jira points as Jira meters Forge apps since 2026-03-02: 1 per request plus 1 per issue or
 *   project returned, writes 1; and how many boards one app keeps fresh within 65,000 points an hour.
 *
 * Storage is the in-memory store: Forge KVS round trips are not in the times; the store reads and
 * writes are counted instead. Prints tables; asserts nothing about wall-clock time.
 */
import { syncBoard, type BoardSyncPorts } from "../src/app/board-refresh";
import { handleIssueEvent } from "../src/app/jira-events";
import type { ReportAnswer } from "../src/app/index";
import { runResolver, type CallContext, type ResolverPorts } from "../src/app/resolvers";
import { JiraClient, type JiraTransport } from "../src/jira/index";
import { storeKeys, type Store } from "../src/store/index";
import type { FakeJira } from "../tests/fakes/jira/index";
import { withKeyAbsent } from "../tests/helpers/stores";
import {
  BENCH_NOW as NOW,
  CountingStore,
  jsonBytes,
  printColumns,
  startBenchJira,
} from "./synthetic-jira";

const LATENCY_MS = 150;
const SIZES = process.argv.includes("--quick") ? [2_000] : [2_000, 5_000, 20_000];
const CHANGED = 50;
const CALLS = 20;
const CONSUMER_TIMEOUT_S = 900;
const RESERVE_S = 120;
const RESOLVER_AIM_MS = 5_000;
const POINTS_PER_HOUR = 65_000;

/** Counts what Jira's points count: requests (at the fake) and issues returned (in the bodies). */
function meteredTransport(inner: JiraTransport): JiraTransport & { returned(): number } {
  let returned = 0;
  return {
    description: inner.description,
    async send(request) {
      const response = await inner.send(request);
      returned += issuesIn(request.method, request.path.parts.join("{}"), response.text);
      return response;
    },
    returned: () => returned,
  };
}

function issuesIn(method: string, path: string, text: string): number {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 0;
  }
  if (typeof body !== "object" || body === null) return 0;
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.issues)) return record.issues.length;
  // Distinct issues: one issue's histories may come in several groups of one page.
  if (Array.isArray(record.issueChangeLogs)) {
    return new Set(record.issueChangeLogs.map((log: { issueId?: unknown }) => String(log.issueId)))
      .size;
  }
  if (method === "GET" && /^\/rest\/api\/3\/issue\/\{\}$/.test(path)) return 1;
  return 0;
}

interface Cost {
  readonly ms: number;
  /** CPU of the whole process (the fake Jira's serving included), user + system. */
  readonly cpuMs: number;
  readonly requests: number;
  readonly points: number;
}

async function measure(
  fake: FakeJira,
  transport: ReturnType<typeof meteredTransport>,
  run: () => Promise<unknown>,
): Promise<Cost & { value: unknown }> {
  fake.resetRequests();
  const before = transport.returned();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - start;
  const requests = fake.totalRequests();
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    requests,
    points: requests + transport.returned() - before,
    value,
  };
}

interface BoardResult {
  readonly size: number;
  readonly invocations: { ms: number; points: number }[];
  readonly full: Cost & { mapped: number };
  readonly refresh: Cost & { issuesRead: number; mapped: number; left: number };
  readonly resolvers: {
    name: string;
    p95: number;
    requests: number;
    points: number;
    reads: number;
  }[];
  /** The refresh's store writes, and those of the triage projection among them. */
  readonly refreshWrites: {
    writes: number;
    bytes: number;
    triageWrites: number;
    triageBytes: number;
  };
  readonly triage: TriageCost[];
}

/** One triage/list query, read from the projection and the old way (the report and the items). */
interface TriageCost {
  readonly query: string;
  /** The bytes of the rows shown: what any answer must read at least. */
  readonly bound: number;
  readonly bytes: number;
  readonly oldBytes: number;
  readonly p95: number;
  readonly oldP95: number;
}

/** Queries of the triage list as the page asks them. */
const TRIAGE_QUERIES: readonly [string, Record<string, unknown>][] = [
  ["first page", {}],
  [
    "filter + sort, page 3",
    { filter: "1", sort: { key: "title", direction: "descending" }, page: 2 },
  ],
];

async function benchBoard(size: number): Promise<BoardResult> {
  const jira = await startBenchJira({ issues: size, latencyMs: LATENCY_MS });
  const { fake, boardId: BOARD, projectKey } = jira;
  try {
    const transport = meteredTransport(jira.transport);
    const store = new CountingStore();
    const clock = { now: NOW };
    const ports: BoardSyncPorts & ResolverPorts & { store: Store } = {
      jira: new JiraClient(transport),
      store,
      now: () => clock.now,
    };

    // The first sync, one consumer invocation after another, each stopping before its timeout.
    const invocations: { ms: number; points: number }[] = [];
    const fullStart = performance.now();
    let fullRequests = 0;
    let fullPoints = 0;
    let fullCpu = 0;
    let fullMapped = 0;
    for (;;) {
      const deadline = performance.now() + (CONSUMER_TIMEOUT_S - RESERVE_S) * 1000;
      const cost = await measure(fake, transport, () =>
        syncBoard(BOARD, { ...ports, shouldStop: () => performance.now() >= deadline }),
      );
      invocations.push({ ms: cost.ms, points: cost.points });
      fullRequests += cost.requests;
      fullPoints += cost.points;
      fullCpu += cost.cpuMs;
      const outcome = cost.value as { status: string; mapped?: number };
      if (outcome.status === "done") {
        fullMapped = outcome.mapped ?? 0;
        break;
      }
    }
    const full = {
      ms: performance.now() - fullStart,
      cpuMs: fullCpu,
      requests: fullRequests,
      points: fullPoints,
      mapped: fullMapped,
    };

    // 50 issues change in Jira (labels, as a person edits them), then one refresh.
    const changed = [...fake.site.issuesById.values()].filter((_, i) => i % 37 === 0);
    for (const issue of changed.slice(0, CHANGED)) {
      const before = issue.labels.join(" ");
      issue.labels = [...issue.labels, "capacity-investment"];
      fake.site.recordChange(
        issue,
        [
          {
            field: "labels",
            fieldtype: "jira",
            fieldId: "labels",
            from: null,
            fromString: before,
            to: null,
            toString: issue.labels.join(" "),
          },
        ],
        Date.now(),
      );
    }
    // Three issues leave the board, each announced by the event Forge delivers for it.
    const sync = { ...ports, enqueue: () => Promise.resolve() };
    const leaving = [...fake.site.issuesById.values()].filter((_, i) => i % 37 === 1).slice(0, 3);
    for (const [n, issue] of leaving.entries()) {
      const event = (eventType: string, moved = issue, items: object[] = []) => ({
        eventType,
        atlassianId: "someone",
        issue: { id: moved.id, key: moved.key, fields: { project: { key: moved.projectKey } } },
        ...(items.length > 0 ? { changelog: { id: String(n), items } } : {}),
      });
      if (n < 2) {
        const moved = fake.site.moveIssue(issue, "ELSEWHERE", Date.now());
        await handleIssueEvent(
          event("avi:jira:updated:issue", moved, [
            { field: "Key", fromString: issue.key, toString: moved.key },
          ]),
          sync,
        );
      } else {
        fake.site.deleteIssue(issue);
        await handleIssueEvent(event("avi:jira:deleted:issue"), sync);
      }
    }
    clock.now += 10 * 60_000;
    const triageKey = storeKeys.boardTriage(String(BOARD));
    store.bytes = true;
    const [writesBefore, writeBytesBefore] = [store.writes, store.writeBytes];
    store.writtenByKey.clear();
    const refreshed = await measure(fake, transport, () => syncBoard(BOARD, ports));
    store.bytes = false;
    const refreshWrites = {
      writes: store.writes - writesBefore,
      bytes: store.writeBytes - writeBytesBefore,
      triageWrites: store.writtenByKey.get(triageKey)?.writes ?? 0,
      triageBytes: store.writtenByKey.get(triageKey)?.bytes ?? 0,
    };
    const outcome = refreshed.value as { issuesRead?: number; mapped?: number; left?: number };
    const refresh = {
      ...refreshed,
      issuesRead: outcome.issuesRead ?? 0,
      mapped: outcome.mapped ?? 0,
      left: outcome.left ?? 0,
    };

    // Every resolver the pages call, as a person with the project open.
    const context: CallContext = { accountId: "acc-1", projectKey };
    const issueKey = [...fake.site.issuesByKey.keys()][0] ?? "";
    const calls: [string, unknown][] = [
      ["board/list", {}],
      ["report/get", { boardId: BOARD }],
      ["triage/list", { boardId: BOARD }],
      ["rules/preview", { boardId: BOARD, rules: [{ if: { type: ["Bug"] }, then: "investment" }] }],
      ["item/get", { boardId: BOARD, issueKey }],
      ["settings/get", { boardId: BOARD }],
      ["target/list", { boardId: BOARD }],
      ...(await drillCalls(BOARD, context, ports)),
    ];
    const resolvers: BoardResult["resolvers"] = [];
    for (const [name, payload] of calls) {
      const times: number[] = [];
      let requests = 0;
      let points = 0;
      const reads = store.reads;
      for (let n = 0; n < CALLS; n++) {
        const cost = await measure(fake, transport, async () => {
          const answer = await runResolver(name.split(" ")[0] ?? name, payload, context, ports);
          if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
        });
        times.push(cost.ms);
        requests += cost.requests;
        points += cost.points;
      }
      times.sort((a, b) => a - b);
      resolvers.push({
        name,
        p95: times[Math.ceil(0.95 * times.length) - 1] ?? 0,
        requests: requests / CALLS,
        points: points / CALLS,
        reads: (store.reads - reads) / CALLS,
      });
    }

    // triage/list: the bytes it reads and its p95, from the projection and the old way.
    const oldPorts = { ...ports, store: withKeyAbsent(store, triageKey) };
    const triage: TriageCost[] = [];
    for (const [query, extra] of TRIAGE_QUERIES) {
      const payload = { boardId: BOARD, ...extra };
      const run = async (via: ResolverPorts): Promise<{ ms: number; rows: unknown }> => {
        const start = performance.now();
        const answer = await runResolver("triage/list", payload, context, via);
        if (!answer.ok) throw new Error(`triage/list: ${answer.error.message}`);
        return { ms: performance.now() - start, rows: (answer.data as { rows: unknown }).rows };
      };
      const bytesOf = async (via: ResolverPorts): Promise<{ bytes: number; rows: unknown }> => {
        store.bytes = true;
        const before = store.readBytes;
        const { rows } = await run(via);
        store.bytes = false;
        return { bytes: store.readBytes - before, rows };
      };
      const p95Of = async (via: ResolverPorts): Promise<number> => {
        const times: number[] = [];
        for (let n = 0; n < CALLS; n++) times.push((await run(via)).ms);
        times.sort((a, b) => a - b);
        return times[Math.ceil(0.95 * times.length) - 1] ?? 0;
      };
      const read = await bytesOf(ports);
      const old = await bytesOf(oldPorts);
      if (JSON.stringify(read.rows) !== JSON.stringify(old.rows)) {
        throw new Error(`triage/list (${query}): the projection's page differs from the old one`);
      }
      triage.push({
        query,
        bound: jsonBytes(read.rows),
        bytes: read.bytes,
        oldBytes: old.bytes,
        p95: await p95Of(ports),
        oldP95: await p95Of(oldPorts),
      });
    }
    return { size, invocations, full, refresh, resolvers, refreshWrites, triage };
  } finally {
    await jira.close();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `report/drill` as the report page asks it: a sprint's bar, a quarter, a sprint's spent. */
async function drillCalls(
  boardId: number,
  context: CallContext,
  ports: ResolverPorts,
): Promise<[string, unknown][]> {
  const BOARD = boardId;
  const got = await runResolver("report/get", { boardId: BOARD }, context, ports);
  if (!got.ok) throw new Error(`report/get: ${got.error.message}`);
  const team = (got.data as ReportAnswer).teams[0];
  const sprint = team?.sprints.findLast((s) => s.state === "closed") ?? team?.sprints.at(-1);
  const quarter = team?.quarters.at(-1);
  if (!sprint || !quarter) throw new Error("The bench board has no sprint or quarter to drill.");
  const bar = { kind: "sprint", id: sprint.id };
  return [
    ["report/drill sprint bar", { boardId: BOARD, period: bar }],
    ["report/drill quarter", { boardId: BOARD, period: { kind: "quarter", id: quarter.id } }],
    ["report/drill spent", { boardId: BOARD, period: bar, reasons: ["spent"] }],
  ];
}

async function main(): Promise<void> {
  const results: BoardResult[] = [];
  for (const size of SIZES) {
    console.error(`board of ${fmt(size)} issues…`);
    results.push(await benchBoard(size));
  }
  console.log(
    `Jira app: fake Jira at ${LATENCY_MS} ms a request; points = requests + issues returned (writes 1).\n`,
  );
  console.log(
    "First sync (queue consumer, timeoutSeconds 900) and a refresh after 50 changed issues:\n",
  );
  printColumns([
    [
      "issues",
      "first sync",
      "invocations",
      "longest / 900 s",
      "points",
      "refresh",
      "issues read",
      "left",
      "points",
      "2/read + c",
      "× bound",
      "× full pull",
      "boards/hour",
    ],
    ...results.map((r) => {
      const longest = Math.max(...r.invocations.map((i) => i.ms));
      // One search request and one changelog request, each returning the 50 changed issues.
      const bound = 2 + 2 * CHANGED;
      // One refresh an hour with 50 changes, plus the daily full reconcile spread over the day.
      const hourly = r.refresh.points + r.full.points / 24;
      return [
        fmt(r.size),
        sec(r.full.ms),
        String(r.invocations.length),
        `${((longest / 1000 / CONSUMER_TIMEOUT_S) * 100).toFixed(1)} %`,
        fmt(r.full.points),
        sec(r.refresh.ms),
        fmt(r.refresh.issuesRead),
        fmt(r.refresh.left),
        fmt(r.refresh.points),
        `c = ${fmt(r.refresh.points - 2 * r.refresh.issuesRead)}`,
        (r.refresh.points / bound).toFixed(2),
        (r.refresh.points / r.full.points).toFixed(3),
        fmt(POINTS_PER_HOUR / hourly),
      ];
    }),
  ]);
  console.log(
    `\nRefresh bound: 1 search + 1 changelog request returning the ${CHANGED} issues = ${2 + 2 * CHANGED} points (2 a changed issue + 2); "2/read + c": the refresh's points are 2 per issue read plus c, the aim being a small c. Besides the changed issues the refresh reads the board's sprints and checks the issues that left.`,
  );
  console.log(
    "\nCPU of the process (the fake Jira's serving included), first sync against refresh:\n",
  );
  printColumns([
    ["issues", "first sync CPU", "items mapped", "refresh CPU", "items mapped", "× first sync"],
    ...results.map((r) => [
      fmt(r.size),
      sec(r.full.cpuMs),
      fmt(r.full.mapped),
      sec(r.refresh.cpuMs),
      fmt(r.refresh.mapped),
      (r.refresh.cpuMs / r.full.cpuMs).toFixed(3),
    ]),
  ]);
  console.log(
    "Boards/hour: boards one app keeps fresh within 65,000 points an hour, each refreshed once an hour with 50 changes and fully pulled once a day.\n",
  );
  console.log(
    `Resolvers the pages call (${CALLS} calls each; p95 against the ${RESOLVER_AIM_MS / 1000} s aim):\n`,
  );
  printColumns([
    [
      "resolver",
      ...results.map((r) => `p95 @ ${fmt(r.size)}`),
      "× aim @ largest",
      "Jira requests",
      "points",
      "store reads",
    ],
    ...(results[0]?.resolvers ?? []).map((entry, index) => {
      const largest = results.at(-1)?.resolvers[index];
      return [
        entry.name,
        ...results.map((r) => `${fmt(r.resolvers[index]?.p95 ?? 0)} ms`),
        ((largest?.p95 ?? 0) / RESOLVER_AIM_MS).toFixed(3),
        String(largest?.requests ?? 0),
        String(largest?.points ?? 0),
        fmt(largest?.reads ?? 0),
      ];
    }),
  ]);

  const kb = (bytes: number) =>
    `${(bytes / 1024).toLocaleString("en", { maximumFractionDigits: 1 })} KiB`;
  console.log(
    "\ntriage/list from the triage projection against the old way (the kept report's items and the board's items), store bytes read per call as UTF-8 JSON; the lower bound is the bytes of the rows shown:\n",
  );
  printColumns([
    [
      "issues",
      "query",
      "rows shown",
      "read",
      "× bound",
      "old way",
      "× bound",
      "× old way",
      "p95",
      "old p95",
      "× old p95",
    ],
    ...results.flatMap((r) =>
      r.triage.map((t) => [
        fmt(r.size),
        t.query,
        kb(t.bound),
        kb(t.bytes),
        (t.bytes / t.bound).toFixed(1),
        kb(t.oldBytes),
        (t.oldBytes / t.bound).toFixed(1),
        (t.bytes / t.oldBytes).toFixed(3),
        `${fmt(t.p95)} ms`,
        `${fmt(t.oldP95)} ms`,
        (t.p95 / t.oldP95).toFixed(3),
      ]),
    ),
  ]);
  console.log(
    "\nStore writes of the refresh after 50 changes, with the triage projection against without it:\n",
  );
  printColumns([
    ["issues", "writes", "of them projection", "× without", "bytes", "projection", "× without"],
    ...results.map(({ size, refreshWrites: w }) => [
      fmt(size),
      fmt(w.writes),
      fmt(w.triageWrites),
      (w.writes / (w.writes - w.triageWrites)).toFixed(3),
      kb(w.bytes),
      kb(w.triageBytes),
      (w.bytes / (w.bytes - w.triageBytes)).toFixed(3),
    ]),
  ]);
}

await main();
