/**
 * `npx tsx bench/linear-sync-bench.ts`: one sync run (`runLinearSync`: teams, labels, pull,
 * report, publish) of a Linear team of 10,000 issues over 40 cycles on the fake Linear with 30 ms
 * latency per request, then an incremental run after 50 issues changed, against
 *
 * - the lower bound: one request per page of 250 of each connection read once (teams, labels,
 *   cycles, issues), the history pages Linear's 10,000-point cap per query allows (100 issues ×
 *   25 entries), the project lookup, and one request per object the run writes;
 * - the SDK's lazy way: the generated `issues()` pages of 50, then `issue.labels()`,
 *   `issue.cycle` and `issue.state` per issue (3 requests each) and `issue.history()` per issue
 *   that has any, plus the same label and publishing requests. Its complexity is the fake's
 *   estimate of the SDK's own documents, sent once each and multiplied, not run 30,000 times.
 *
 * A last run with write-back on labels every derived category, 50 issues to a batch update.
 *
 * Complexity is the fake's estimate of Linear's published rule (1 per object, 0.1 per scalar,
 * connections multiplied by `first`).
 *
 * Rate budget: https://linear.app/developers/rate-limiting. An API key gets 1,500 requests and
 * 250,000 complexity points per hour, refilled as a leaky bucket. Summaries of that page differ
 * (an older version said 2,500 requests; third-party copies say 5,000), and Linear sends the key's
 * real limits in `X-RateLimit-Requests-Limit` and `X-RateLimit-Complexity-Limit`, so the line
 * below also says which of the two budgets binds.
 */
import {
  CycleQuery,
  Issue_HistoryQuery,
  Issue_LabelsQuery,
  IssuesQuery,
  LinearClient,
  WorkflowStateQuery,
} from "@linear/sdk";
import { runLinearSync } from "../src/app/linear-sync";
import { LinearSyncClient } from "../src/linear/index";
import { storeKeys } from "../src/store/keys";
import { MemoryStore } from "../src/store/memory-store";
import { workspaceToFile } from "../tests/fakes/jira/index";
import { startFakeLinear, type FakeLinear } from "../tests/fakes/linear/index";
import { generateSyntheticWorkspace } from "./synthetic-workspace";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const ISSUES = 10_000;
const CYCLES = 40;
const LATENCY_MS = 30;
const CHANGES = 50;
const REQUESTS_PER_HOUR = 1_500;
const COMPLEXITY_PER_HOUR = 250_000;

const workspace = workspaceToFile(
  generateSyntheticWorkspace({ itemCount: ISSUES, teams: 1, sprintsPerTeam: CYCLES, now: NOW }),
);
const fake = await startFakeLinear({
  workspace,
  seed: { teams: ["T0"], now: NOW },
  latencyMs: LATENCY_MS,
});
const client = new LinearSyncClient({ apiKey: fake.apiKey, apiUrl: fake.url });
const store = new MemoryStore();
const targets = (workspace.targets ?? []).filter((target) => target.teamId === "T0");

async function measure(writeBack = false): Promise<{
  requests: number;
  complexity: number;
  ms: number;
  history: number;
  writes: number;
  labelWrites: number;
  labelRequests: number;
}> {
  fake.resetCounters();
  const started = performance.now();
  const result = await runLinearSync(client, store, {
    teamKeys: ["T0"],
    dryRun: false,
    now: NOW,
    publish: true,
    writeBack,
    targetsOf: () => Promise.resolve(targets),
  });
  return {
    requests: fake.requests(),
    complexity: fake.complexity(),
    ms: performance.now() - started,
    history: fake.operations().filter((op) => op === "CapacityIssueHistory").length,
    writes: result.labels.created.length + (result.teams[0]?.published.length ?? 0),
    labelWrites: result.teams[0]?.wroteBack.length ?? 0,
    labelRequests: fake.operations().filter((op) => op === "CapacityIssueBatchLabels").length,
  };
}

/**
 * The complexity the fake estimates for one request of an SDK document; the fake prices a query
 * before it runs it, so documents that select fields outside its subset are priced all the same.
 */
async function sdkCost(target: FakeLinear, send: () => Promise<unknown>): Promise<number> {
  const before = target.costs().length;
  await send().catch(() => undefined);
  return target.costs()[before]?.complexity ?? Number.NaN;
}

try {
  const needing = fake.data.issues.filter((issue) => issue.updatedAt > issue.createdAt).length;
  const full = await measure();

  const changed = fake.data.issues.slice(0, CHANGES);
  const cursor = await store.get(storeKeys.linearCursor("T0"));
  if (typeof cursor !== "string") throw new Error("the full sync stored no cursor");
  const later = new Date(Date.parse(cursor) + 60_000).toISOString();
  for (const issue of changed) {
    issue.title = `${issue.title} (edited)`;
    issue.updatedAt = later;
  }
  const incremental = await measure();
  const writeBack = await measure(true);

  const sdk = new LinearClient({ apiKey: fake.apiKey, apiUrl: fake.url });
  fake.setLatency(0);
  const anyIssue = fake.data.issues[0]?.id ?? "";
  const request = sdk.client.request.bind(sdk.client);
  const pageCost = await sdkCost(fake, () => new IssuesQuery(request).fetch({ first: 50 }));
  const perIssue =
    (await sdkCost(fake, () => new Issue_LabelsQuery(request, anyIssue).fetch())) +
    (await sdkCost(fake, () => new CycleQuery(request).fetch(anyIssue))) +
    (await sdkCost(fake, () => new WorkflowStateQuery(request).fetch(anyIssue)));
  const historyCost = await sdkCost(fake, () => new Issue_HistoryQuery(request, anyIssue).fetch());

  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  // Teams, one label query, cycles, then the issues and their history, the project lookup, writes.
  const fullBound =
    1 + 1 + pages(CYCLES, 250) + pages(ISSUES, 250) + pages(needing, 100) + 1 + full.writes;
  const incrementalBound = 1 + 1 + 1 + 1 + pages(CHANGES, 100) + 1 + incremental.writes;
  const lazyRequests = (issues: number, withHistory: number, writes: number) =>
    1 + 3 + pages(issues, 50) + 3 * issues + withHistory + 1 + writes;
  const lazyComplexity = (issues: number, withHistory: number) =>
    pages(issues, 50) * pageCost + issues * perIssue + withHistory * historyCost;
  const lazyFull = lazyRequests(ISSUES, needing, full.writes);
  const lazyFullComplexity = lazyComplexity(ISSUES, needing);
  const lazyIncremental = lazyRequests(CHANGES, CHANGES, incremental.writes);
  const lazyIncrementalComplexity = lazyComplexity(CHANGES, CHANGES);

  const ratio = (a: number, b: number) => {
    const value = a / b;
    return value >= 0.01 ? value.toFixed(2) : value.toPrecision(2);
  };
  const rows: [string, number, number | null, string, string, string][] = [
    [
      "full sync: runLinearSync",
      full.requests,
      full.complexity,
      ratio(full.requests, fullBound),
      ratio(full.requests, lazyFull),
      `${Math.round(full.ms)} ms`,
    ],
    ["full sync: lower bound", fullBound, null, "1.00", ratio(fullBound, lazyFull), ""],
    [
      "full sync: SDK lazy getters",
      lazyFull,
      lazyFullComplexity,
      ratio(lazyFull, fullBound),
      "1.00",
      `≈${Math.round((lazyFull * LATENCY_MS) / 1000)} s`,
    ],
    [
      `incremental (${CHANGES} changed): runLinearSync`,
      incremental.requests,
      incremental.complexity,
      ratio(incremental.requests, incrementalBound),
      ratio(incremental.requests, lazyIncremental),
      `${Math.round(incremental.ms)} ms`,
    ],
    [
      "incremental: lower bound",
      incrementalBound,
      null,
      "1.00",
      ratio(incrementalBound, lazyIncremental),
      "",
    ],
    [
      "incremental: SDK lazy getters",
      lazyIncremental,
      lazyIncrementalComplexity,
      ratio(lazyIncremental, incrementalBound),
      "1.00",
      `≈${Math.round((lazyIncremental * LATENCY_MS) / 1000)} s`,
    ],
  ];
  console.log(
    `Linear sync: ${ISSUES} issues, ${CYCLES} cycles, ${needing} with history (${full.history} history requests), ${LATENCY_MS} ms latency, publishing on\n`,
  );
  console.log(
    ["", "requests", "complexity", "× bound", "× lazy", "time"]
      .map((h, i) => (i === 0 ? h.padEnd(42) : h.padStart(12)))
      .join(""),
  );
  for (const [name, requests, complexity, bound, lazy, time] of rows) {
    console.log(
      name.padEnd(42) +
        String(requests).padStart(12) +
        (complexity === null ? "" : String(Math.round(complexity))).padStart(12) +
        bound.padStart(12) +
        lazy.padStart(12) +
        time.padStart(12),
    );
  }
  console.log(
    `\nComplexity vs the SDK's lazy way: full ${ratio(full.complexity, lazyFullComplexity)}×, incremental ${ratio(incremental.complexity, lazyIncrementalComplexity)}×.`,
  );
  console.log(
    `First write-back: ${writeBack.labelWrites} derived categories labelled in ${writeBack.labelRequests} batch requests ` +
      `(one issueUpdate each would take ${writeBack.labelWrites}), ${writeBack.requests} requests and ${Math.round(writeBack.complexity)} points in all, ${Math.round(writeBack.ms)} ms.`,
  );
  const perHour = (requests: number, complexity: number) => ({
    byRequests: REQUESTS_PER_HOUR / requests,
    byComplexity: COMPLEXITY_PER_HOUR / Math.max(1, complexity),
  });
  const fullBudget = perHour(full.requests, full.complexity);
  const incrementalBudget = perHour(incremental.requests, incremental.complexity);
  const binds = fullBudget.byComplexity < fullBudget.byRequests ? "complexity" : "requests";
  console.log(
    `Rate budget per API key and hour (${REQUESTS_PER_HOUR} requests, ${COMPLEXITY_PER_HOUR} points): ` +
      `${Math.min(fullBudget.byRequests, fullBudget.byComplexity).toFixed(2)} full syncs/hour ` +
      `(requests alone would allow ${fullBudget.byRequests.toFixed(1)}, complexity ${fullBudget.byComplexity.toFixed(1)}: ${binds} binds), ` +
      `${Math.floor(Math.min(incrementalBudget.byRequests, incrementalBudget.byComplexity))} incremental ones.`,
  );
  // Linear's budget is a bucket that starts full and refills at the hourly rate, so the first
  // hour's worth is spent at once and only the rest is waited for.
  const budgetHours = 1 / Math.min(fullBudget.byRequests, fullBudget.byComplexity);
  console.log(
    `Time to a first full sync of ${ISSUES} issues: ${budgetHours.toFixed(1)} hours of the key's ${binds} budget, ` +
      `of which about ${Math.max(0, budgetHours - 1).toFixed(1)} are spent waiting for it to refill ` +
      `(the pull saves its progress page by page, so runs a host must end continue it).`,
  );
} finally {
  await fake.close();
}
