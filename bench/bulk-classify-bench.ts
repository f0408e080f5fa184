/**
 * `npm run bench:bulk`: a bulk classify of every issue of a synthetic board (2,000 issues; 20,000
 * without `--quick`) through the resolver and the queued job, as on Forge: the person's bulk edit
 * permission check in the resolver, then the job's batches as the app. Measured against lower
 * bounds in the same run:
 *
 * - Jira requests and points (1 a request, 1 an issue returned, writes 1) against the least any
 *   design needs: one write for each issue whose labels change;
 * - store reads and writes of the job against a job with no write-ahead plan (input, outcomes and
 *   head a batch): the cost of recording each batch's plan before it writes;
 * - time at 150 ms a Jira request, 4 at once, against a consumer invocation's 900 s, from the
 *   request count (the fake answers at once, so the run takes seconds).
 *
 * Prints tables; asserts nothing.
 */
import { syncBoard } from "../src/app/board-refresh";
import { BULK_BATCH, runBulkJob, type BulkJob } from "../src/app/bulk-classify";
import { jiraBoardSource } from "../src/app/jira-board-source";
import { runResolver, type ResolverPorts } from "../src/app/resolvers";
import { JiraClient } from "../src/jira/index";
import {
  BENCH_BOARD as BOARD,
  BENCH_NOW as NOW,
  CountingStore,
  printColumns,
  startBenchJira,
} from "./synthetic-jira";

const ISSUES = process.argv.includes("--quick") ? 2_000 : 20_000;
const LATENCY_MS = 150;
const CONCURRENCY = 4;
const CONSUMER_S = 900;
const POINTS_PER_HOUR = 65_000;

const bench = await startBenchJira({ issues: ISSUES, sprints: 40, latencyMs: 0 });
const { fake } = bench;
try {
  const jira = new JiraClient(bench.transport);
  const store = new CountingStore();
  await syncBoard(BOARD, { jira, store, now: () => NOW });
  const keys = [...fake.site.issuesByKey.values()].map((issue) => issue.key);
  const projectKey = keys[0]?.split("-")[0] ?? "";
  const labelled = new Map(keys.map((key) => [key, fake.site.issuesByKey.get(key)?.labels ?? []]));
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

  fake.resetRequests();
  store.reads = 0;
  store.writes = 0;
  const started = await runResolver(
    "bulk/start",
    { boardId: BOARD, issueKeys: keys, category: "investment", requestId: "bench-bulk-1" },
    { accountId: "bench", projectKey },
    ports,
  );
  if (!started.ok) throw new Error(started.error.message);
  const resolverRequests = fake.totalRequests();
  const resolverWrites = store.writes;

  fake.resetRequests();
  store.reads = 0;
  store.writes = 0;
  const source = jiraBoardSource({ jira, store, now: () => NOW, writeAs: "app" });
  const job: BulkJob = await runBulkJob({ store, source, now: () => NOW }, BOARD, "bench-bulk-1");
  const requests = fake.totalRequests();
  const writes = fake.requests["PUT /rest/api/3/issue/{issueIdOrKey}"] ?? 0;
  const changed = keys.filter(
    (key) =>
      (fake.site.issuesByKey.get(key)?.labels ?? []).join(" ") !==
      (labelled.get(key) ?? []).join(" "),
  ).length;
  // Each label read returns one issue: 1 point for the request, 1 for the issue.
  const points = resolverRequests + (requests - writes) * 2 + writes;
  const lowerPoints = changed;
  const batches = Math.ceil(ISSUES / BULK_BATCH);
  // Without a plan: per batch the input written at the start, then its outcomes and the head.
  const withoutPlanWrites = batches * 3 + 2;
  const seconds = (requests * LATENCY_MS) / CONCURRENCY / 1000;

  console.log(`Bulk classify of ${ISSUES.toLocaleString("en")} issues (${batches} batches)`);
  printColumns([
    ["", "measured", "lower bound", "ratio"],
    [
      "Jira requests (job)",
      String(requests),
      String(changed),
      (requests / Math.max(1, changed)).toFixed(2),
    ],
    [
      "Jira points (resolver + job)",
      String(points),
      String(lowerPoints),
      (points / Math.max(1, lowerPoints)).toFixed(2),
    ],
    [
      "store writes (start + job)",
      String(resolverWrites + store.writes),
      String(withoutPlanWrites),
      ((resolverWrites + store.writes) / withoutPlanWrites).toFixed(2),
    ],
  ]);
  console.log(
    `resolver: ${resolverRequests} Jira request(s) (bulk permission check, 1,000 issues each), ${resolverWrites} store writes`,
  );
  console.log(`job: ${store.reads} store reads, ${job.done} done, ${job.failed} failed`);
  console.log(
    `time at ${LATENCY_MS} ms a request, ${CONCURRENCY} at once: ${seconds.toFixed(0)} s, ${(seconds / CONSUMER_S).toFixed(2)} of one consumer invocation (${CONSUMER_S} s)`,
  );
  console.log(
    `issues an hour within ${POINTS_PER_HOUR.toLocaleString("en")} points: ${Math.floor((POINTS_PER_HOUR * ISSUES) / points).toLocaleString("en")}`,
  );
  if (queued.length !== 1) throw new Error(`Expected the job queued once, got ${queued.length}.`);
} finally {
  await bench.close();
}
