/**
 * `npm run bench:bulk`: a bulk classify of every issue of a synthetic board (2,000 issues; 20,000
 * without `--quick`) through the resolver and the queued job, as on Forge: the person's bulk edit
 * permission check in the resolver, then the job's batches as the app, each after asking Jira, as
 * the app, whether that person may still edit the batch's issues. Measured against lower bounds
 * and baselines in the same run:
 *
 * - Jira requests and points (1 a request, 1 an issue returned, writes 1) against the least any
 *   design needs: one write for each issue whose labels change;
 * - the same job without the check before each batch (run first and undone, so both start from
 *   the same labels): what the check adds in requests and points. The check answers issue ids,
 *   not issues; its points are given both ways, 1 a request and 1 more for each id answered;
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
import type { BoardSource } from "../src/app/board-source";
import { runResolver, type ResolverPorts } from "../src/app/resolvers";
import { JiraClient } from "../src/jira/index";
import { DEFAULT_USER } from "../tests/fakes/jira/index";
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
/** The person who starts the bulk: an account of the site, whom the job's checks name. */
const PERSON_ID = "5b10ac8d82e05b22cc7d4ef5";
const CHECK = "POST /rest/api/3/permissions/check";

const bench = await startBenchJira({
  issues: ISSUES,
  sprints: 40,
  latencyMs: 0,
  users: [DEFAULT_USER, { email: "person@example.com", token: "person", accountId: PERSON_ID }],
});
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
  const context = { accountId: PERSON_ID, projectKey };
  const source = jiraBoardSource({ jira, store, now: () => NOW, writeAs: "app" });
  // The same source without the check before each batch: the job as it ran before it.
  const uncheckedSource: BoardSource = { ...source };
  delete uncheckedSource.refusedEditsNow;

  /** Starts a classify of every issue through the resolver, then runs its job on `on`. */
  const classify = async (requestId: string, on: BoardSource) => {
    fake.resetRequests();
    const started = await runResolver(
      "bulk/start",
      { boardId: BOARD, issueKeys: keys, category: "investment", requestId },
      context,
      ports,
    );
    if (!started.ok) throw new Error(started.error.message);
    const resolverRequests = fake.totalRequests();
    fake.resetRequests();
    const job: BulkJob = await runBulkJob({ store, source: on, now: () => NOW }, BOARD, requestId);
    const requests = fake.totalRequests();
    const writes = fake.requests["PUT /rest/api/3/issue/{issueIdOrKey}"] ?? 0;
    const checks = fake.requests[CHECK] ?? 0;
    // Each label read returns one issue: 1 point for the request, 1 for the issue. A check is 1,
    // or 1 and each issue id it answers (the person may edit every issue: all of them).
    const reads = requests - writes - checks;
    const points = resolverRequests + reads * 2 + writes + checks;
    return {
      job,
      resolverRequests,
      requests,
      writes,
      checks,
      points,
      pointsIds: points + job.done,
    };
  };

  // The baseline first, undone after, so the measured job changes the same labels. Three jobs
  // are queued: the baseline, its undo and the measured one.
  const plain = await classify("bench-bulk-plain", uncheckedSource);
  const undo = await runResolver(
    "bulk/undo",
    { boardId: BOARD, jobId: "bench-bulk-plain" },
    context,
    ports,
  );
  if (!undo.ok) throw new Error(undo.error.message);
  await runBulkJob(
    { store, source: uncheckedSource, now: () => NOW },
    BOARD,
    (undo.data as BulkJob).id,
  );
  const restored = keys.every(
    (key) =>
      (fake.site.issuesByKey.get(key)?.labels ?? []).join(" ") ===
      (labelled.get(key) ?? []).join(" "),
  );
  if (!restored) throw new Error("The baseline's undo did not restore every issue's labels.");

  store.reads = 0;
  store.writes = 0;
  const checked = await classify("bench-bulk-1", source);
  const { job, requests, writes } = checked;
  const changed = keys.filter(
    (key) =>
      (fake.site.issuesByKey.get(key)?.labels ?? []).join(" ") !==
      (labelled.get(key) ?? []).join(" "),
  ).length;
  const batches = Math.ceil(ISSUES / BULK_BATCH);
  // Without a plan: per batch the input written at the start, then its outcomes and the head.
  const withoutPlanWrites = batches * 3 + 2;
  const seconds = (requests * LATENCY_MS) / CONCURRENCY / 1000;
  const ratio = (measured: number, base: number) => (measured / Math.max(1, base)).toFixed(3);

  console.log(`Bulk classify of ${ISSUES.toLocaleString("en")} issues (${batches} batches)`);
  printColumns([
    ["", "measured", "lower bound", "ratio"],
    ["Jira requests (job)", String(requests), String(changed), ratio(requests, changed)],
    [
      "Jira points (resolver + job)",
      String(checked.points),
      String(changed),
      ratio(checked.points, changed),
    ],
    [
      "store writes (start + job)",
      String(store.writes),
      String(withoutPlanWrites),
      ratio(store.writes, withoutPlanWrites),
    ],
  ]);
  console.log("");
  console.log(`The check before each batch, against the same job without it`);
  printColumns([
    ["", "with check", "without", "ratio", "added"],
    [
      "Jira requests (job)",
      String(requests),
      String(plain.requests),
      ratio(requests, plain.requests),
      String(requests - plain.requests),
    ],
    [
      "Jira points, a check 1",
      String(checked.points),
      String(plain.points),
      ratio(checked.points, plain.points),
      String(checked.points - plain.points),
    ],
    [
      "Jira points, a check 1 + each id",
      String(checked.pointsIds),
      String(plain.points),
      ratio(checked.pointsIds, plain.points),
      String(checked.pointsIds - plain.points),
    ],
    ["label writes", String(writes), String(plain.writes), ratio(writes, plain.writes), ""],
  ]);
  console.log("");
  console.log(
    `resolver: ${checked.resolverRequests} Jira request(s) (bulk permission check as the person, 1,000 issues each)`,
  );
  console.log(
    `job: ${checked.checks} checks as the app (1 a batch of ${BULK_BATCH}), ${store.reads} store reads, ${job.done} done, ${job.failed} failed`,
  );
  console.log(
    `time at ${LATENCY_MS} ms a request, ${CONCURRENCY} at once: ${seconds.toFixed(0)} s, ${(seconds / CONSUMER_S).toFixed(2)} of one consumer invocation (${CONSUMER_S} s)`,
  );
  console.log(
    `issues an hour within ${POINTS_PER_HOUR.toLocaleString("en")} points: ${Math.floor((POINTS_PER_HOUR * ISSUES) / checked.points).toLocaleString("en")} (a check 1), ${Math.floor((POINTS_PER_HOUR * ISSUES) / checked.pointsIds).toLocaleString("en")} (a check 1 + each id)`,
  );
  if (queued.length !== 3) throw new Error(`Expected three jobs queued, got ${queued.length}.`);
} finally {
  await bench.close();
}
