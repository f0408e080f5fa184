/**
 * `npx tsx bench/linear-sync-bench.ts`: one sync run (`runLinearSync`: teams, labels, pull,
 * report, publish) of a Linear team of 10,000 issues over 40 cycles on the fake Linear with 30 ms
 * latency per request, then an incremental run after 50 issues changed, against
 *
 * - the lower bound of requests: one request per page of 250 of each connection read once (teams,
 *   labels, cycles, issues), the project lookup, and one request per object the run writes;
 * - the lower bound of complexity: each issue's fields and each of its history entries billed
 *   once, priced by the fake's estimate of Linear's rule (1 per object, 0.1 per scalar, a
 *   connection's nodes multiplied by `first`), with no page and no `first` to spare;
 * - the SDK's lazy way: the generated `issues()` pages of 50, then `issue.labels()`,
 *   `issue.cycle` and `issue.state` per issue (3 requests each) and `issue.history()` per issue
 *   that has any, plus the same label and publishing requests. Its complexity is the fake's
 *   estimate of the SDK's own documents, sent once each and multiplied, not run 30,000 times.
 *
 * A last run with write-back on labels every derived category, 50 issues to a batch update.
 *
 * Rate budget, as https://linear.app/developers/rate-limiting states it: an API key gets 5,000
 * requests and 3,000,000 complexity points an hour, an OAuth application 2,000,000 points,
 * refilled continuously (a leaky bucket), and no single query may cost more than 10,000 points.
 * Linear sends a key's real limits in `X-RateLimit-Requests-Limit` and
 * `X-RateLimit-Complexity-Limit`; the lines below say which of the two budgets binds.
 */
import {
  CycleQuery,
  Issue_HistoryQuery,
  Issue_LabelsQuery,
  IssuesQuery,
  LinearClient,
  WorkflowStateQuery,
} from "@linear/sdk";
import { RELIST_INTERVAL_MS } from "../src/app/linear-incremental-pull";
import { runLinearSync } from "../src/app/linear-sync";
import { parse } from "graphql";
import { HISTORY_SELECTION, ISSUE_FIELDS } from "../src/linear/documents";
import { LinearSyncClient } from "../src/linear/index";
import { MemoryStore, storeKeys } from "../src/store/index";
import { workspaceToFile } from "../tests/fakes/jira/index";
import {
  estimateDocumentComplexity,
  startFakeLinear,
  type FakeLinear,
} from "../tests/fakes/linear/index";
import { generateSyntheticWorkspace } from "./synthetic-workspace";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const ISSUES = 10_000;
const CYCLES = 40;
const LATENCY_MS = 30;
const CHANGES = 50;
const REQUESTS_PER_HOUR = 5_000;
const BUDGETS = [
  { name: "API key", complexity: 3_000_000 },
  { name: "OAuth app", complexity: 2_000_000 },
] as const;

/** What the fake bills for one more node of `document` as `variable` grows by one. */
function perNode(document: string, variable: string): number {
  const at = (n: number) => estimateDocumentComplexity(parse(document), { [variable]: n });
  return at(2) - at(1);
}
/** An issue's fields, as the sync reads them, without its history. */
const ISSUE_POINTS = perNode(
  `query Q($n: Int) { issues(first: $n) { nodes { ${ISSUE_FIELDS} } } }`,
  "n",
);
/** One history entry, as the sync reads it. */
const ENTRY_POINTS = perNode(
  `query Q($n: Int) { issues(first: 1) { nodes { history(first: $n) { ${HISTORY_SELECTION} } } } }`,
  "n",
);

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

async function measure(
  writeBack = false,
  now = NOW,
): Promise<{
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
    now,
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
  // The same hourly run when the team's issue ids are listed again (every RELIST_INTERVAL_MS, or
  // after a webhook told of an issue leaving the team), nothing changed since the last run.
  const relist = await measure(false, NOW + RELIST_INTERVAL_MS);
  const listing = fake.costs().filter((cost) => cost.operation === "CapacityIssueIds");
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
  // Teams, one label query, cycles, the issues, the project lookup, the writes.
  const fullBound = 1 + 1 + pages(CYCLES, 250) + pages(ISSUES, 250) + 1 + full.writes;
  const incrementalBound = 1 + 1 + 1 + pages(CHANGES, 250) + 1 + incremental.writes;
  // Each issue's fields and each history entry once, as the fake bills them.
  const entriesOf = (ids: ReadonlySet<string>) =>
    fake.data.history.filter((row) => ids.has(row.issueId)).length;
  const entries = entriesOf(new Set(fake.data.issues.map((issue) => issue.id)));
  const changedEntries = entriesOf(new Set(changed.map((issue) => issue.id)));
  const fullComplexityBound = ISSUES * ISSUE_POINTS + entries * ENTRY_POINTS;
  const incrementalComplexityBound = CHANGES * ISSUE_POINTS + changedEntries * ENTRY_POINTS;
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
  const rows: [string, number, number, string, string, string, string][] = [
    [
      "full sync: runLinearSync",
      full.requests,
      full.complexity,
      ratio(full.requests, fullBound),
      ratio(full.complexity, fullComplexityBound),
      ratio(full.requests, lazyFull),
      `${Math.round(full.ms)} ms`,
    ],
    [
      "full sync: lower bound",
      fullBound,
      fullComplexityBound,
      "1.00",
      "1.00",
      ratio(fullBound, lazyFull),
      "",
    ],
    [
      "full sync: SDK lazy getters",
      lazyFull,
      lazyFullComplexity,
      ratio(lazyFull, fullBound),
      ratio(lazyFullComplexity, fullComplexityBound),
      "1.00",
      `≈${Math.round((lazyFull * LATENCY_MS) / 1000)} s`,
    ],
    [
      `incremental (${CHANGES} changed): runLinearSync`,
      incremental.requests,
      incremental.complexity,
      ratio(incremental.requests, incrementalBound),
      ratio(incremental.complexity, incrementalComplexityBound),
      ratio(incremental.requests, lazyIncremental),
      `${Math.round(incremental.ms)} ms`,
    ],
    [
      "incremental: lower bound",
      incrementalBound,
      incrementalComplexityBound,
      "1.00",
      "1.00",
      ratio(incrementalBound, lazyIncremental),
      "",
    ],
    [
      "incremental: SDK lazy getters",
      lazyIncremental,
      lazyIncrementalComplexity,
      ratio(lazyIncremental, incrementalBound),
      ratio(lazyIncrementalComplexity, incrementalComplexityBound),
      "1.00",
      `≈${Math.round((lazyIncremental * LATENCY_MS) / 1000)} s`,
    ],
  ];
  console.log(
    `Linear sync: ${ISSUES} issues, ${CYCLES} cycles, ${entries} history entries (${needing} issues with some; ${full.history} batched history requests), ${LATENCY_MS} ms latency, publishing on\n`,
  );
  console.log(
    ["", "requests", "complexity", "req × bound", "pts × bound", "req × lazy", "time"]
      .map((h, i) => (i === 0 ? h.padEnd(42) : h.padStart(13)))
      .join(""),
  );
  for (const [name, requests, complexity, bound, pointsBound, lazy, time] of rows) {
    console.log(
      name.padEnd(42) +
        String(requests).padStart(13) +
        String(Math.round(complexity)).padStart(13) +
        bound.padStart(13) +
        pointsBound.padStart(13) +
        lazy.padStart(13) +
        time.padStart(13),
    );
  }
  console.log(
    `\nComplexity vs the SDK's lazy way: full ${ratio(full.complexity, lazyFullComplexity)}×, incremental ${ratio(incremental.complexity, lazyIncrementalComplexity)}×.`,
  );
  const listingPoints = listing.reduce((sum, cost) => sum + cost.complexity, 0);
  const idPoints = perNode(
    `query Q($n: Int) { issues(first: $n) { nodes { id identifier trashed } } }`,
    "n",
  );
  const runsPerListing = RELIST_INTERVAL_MS / 3_600_000;
  console.log(
    `Listing the team's issue ids (every ${runsPerListing} h, or after a webhook of an issue leaving): ` +
      `${listing.length} requests (bound ${pages(ISSUES, 250)}, ${ratio(listing.length, pages(ISSUES, 250))}×), ` +
      `${Math.round(listingPoints)} points (bound ${Math.round(ISSUES * idPoints)}, ${ratio(listingPoints, ISSUES * idPoints)}×); ` +
      `that run took ${relist.requests} requests and ${Math.round(relist.complexity)} points; ` +
      `an hourly run averages ${(incremental.requests + listing.length / runsPerListing).toFixed(1)} requests ` +
      `(${ratio(incremental.requests + listing.length / runsPerListing, incrementalBound)}× bound) and ` +
      `${Math.round(incremental.complexity + listingPoints / runsPerListing)} points ` +
      `(${ratio(incremental.complexity + listingPoints / runsPerListing, incrementalComplexityBound)}× bound).`,
  );
  console.log(
    `First write-back: ${writeBack.labelWrites} derived categories labelled in ${writeBack.labelRequests} batch requests ` +
      `(one issueUpdate each would take ${writeBack.labelWrites}), ${writeBack.requests} requests and ${Math.round(writeBack.complexity)} points in all, ${Math.round(writeBack.ms)} ms.`,
  );
  for (const budget of BUDGETS) {
    const perHour = (requests: number, complexity: number) => ({
      byRequests: REQUESTS_PER_HOUR / requests,
      byComplexity: budget.complexity / Math.max(1, complexity),
    });
    const fullBudget = perHour(full.requests, full.complexity);
    const incrementalBudget = perHour(incremental.requests, incremental.complexity);
    const binds = fullBudget.byComplexity < fullBudget.byRequests ? "complexity" : "requests";
    // Linear's budget is a bucket that starts full and refills at the hourly rate, so the first
    // hour's worth is spent at once and only the rest is waited for.
    const budgetHours = 1 / Math.min(fullBudget.byRequests, fullBudget.byComplexity);
    console.log(
      `${budget.name} (${REQUESTS_PER_HOUR} requests, ${budget.complexity} points an hour): ` +
        `${Math.min(fullBudget.byRequests, fullBudget.byComplexity).toFixed(1)} full syncs/hour ` +
        `(requests alone would allow ${fullBudget.byRequests.toFixed(1)}, complexity ${fullBudget.byComplexity.toFixed(1)}: ${binds} binds), ` +
        `${Math.floor(Math.min(incrementalBudget.byRequests, incrementalBudget.byComplexity))} incremental ones; ` +
        `a first full sync of ${ISSUES} issues uses ${(budgetHours * 100).toFixed(0)} % of an hour's budget, ` +
        (budgetHours <= 1
          ? "so it never waits for the bucket to refill."
          : `so about ${(budgetHours - 1).toFixed(1)} hours are spent waiting for it to refill.`),
    );
  }
} finally {
  await fake.close();
}
