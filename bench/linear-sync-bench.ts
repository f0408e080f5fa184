/**
 * `npx tsx bench/linear-sync-bench.ts`: a full pull of one Linear team of 10,000 issues over 40
 * cycles from the fake Linear with 30 ms latency per request, and an incremental pull after 50
 * issues changed, against
 *
 * - the lower bound: one request per 250 of each connection read (teams, labels, cycles, issues)
 *   plus the history pages that Linear's 10,000-point cap per query allows (100 issues × 25
 *   entries), and for the incremental pull one page of each;
 * - the SDK's lazy way: the generated `issues()` pages, then `issue.labels()`, `issue.cycle` and
 *   `issue.state` per issue (3 requests each), computed rather than run: the SDK's generated
 *   documents select fields the fake's subset does not hold.
 *
 * Complexity is the fake's estimate of Linear's published rule. The rate budget assumes an API
 * key's 5,000 requests and 250,000 complexity points per hour (linear.app/developers/rate-limiting).
 */
import { findTeams, pullLinearTeam, LinearSyncClient } from "../src/linear/index.js";
import { workspaceToFile } from "../tests/fakes/jira/index.js";
import { startFakeLinear } from "../tests/fakes/linear/index.js";
import { generateSyntheticWorkspace } from "./synthetic-workspace.js";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const ISSUES = 10_000;
const CYCLES = 40;
const LATENCY_MS = 30;
const CHANGES = 50;
const REQUESTS_PER_HOUR = 5_000;
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

try {
  const [team] = await findTeams(client, ["T0"]);
  if (team === undefined) throw new Error("the fake has no team T0");

  fake.resetCounters();
  let started = performance.now();
  const pulledFull = await pullLinearTeam(client, team);
  const fullMs = performance.now() - started;
  const fullRequests = fake.requests();
  const fullComplexity = fake.complexity();
  const historyRequests = fake.operations().filter((op) => op === "CapacityIssueHistory").length;

  const changed = fake.data.issues.slice(0, CHANGES);
  const later = new Date(Date.parse(pulledFull.cursor ?? new Date(NOW).toISOString()) + 60_000);
  for (const issue of changed) {
    issue.title = `${issue.title} (edited)`;
    issue.updatedAt = later.toISOString();
  }
  fake.resetCounters();
  started = performance.now();
  const incremental = await pullLinearTeam(client, team, { since: pulledFull.cursor });
  const incrementalMs = performance.now() - started;
  const incrementalRequests = fake.requests();
  const incrementalComplexity = fake.complexity();

  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const labels = fake.data.labels.length;
  const needing = fake.data.issues.filter((issue) => issue.updatedAt > issue.createdAt).length;
  const fullBound =
    pages(labels, 250) + pages(CYCLES, 250) + pages(ISSUES, 250) + pages(needing, 100);
  const incrementalBound = 1 + 1 + 1 + pages(CHANGES, 100);
  const lazy = 1 + pages(ISSUES, 50) + 3 * ISSUES;

  const rows: [string, number, number, string, string][] = [
    [
      "full: this client",
      fullRequests,
      fullComplexity,
      (fullRequests / fullBound).toFixed(2),
      `${Math.round(fullMs)} ms`,
    ],
    ["full: lower bound", fullBound, NaN, "1.00", ""],
    [
      "full: SDK lazy getters",
      lazy,
      NaN,
      (lazy / fullBound).toFixed(1),
      `≈${Math.round((lazy * LATENCY_MS) / 1000)} s`,
    ],
    [
      `incremental (${CHANGES} changed): this client`,
      incrementalRequests,
      incrementalComplexity,
      (incrementalRequests / incrementalBound).toFixed(2),
      `${Math.round(incrementalMs)} ms`,
    ],
    ["incremental: lower bound", incrementalBound, NaN, "1.00", ""],
  ];
  console.log(
    `Linear pull: ${ISSUES} issues, ${CYCLES} cycles, ${needing} with history (${historyRequests} history requests), ${LATENCY_MS} ms latency\n`,
  );
  console.log(
    ["", "requests", "complexity", "× bound", "time"]
      .map((h, i) => (i === 0 ? h.padEnd(40) : h.padStart(11)))
      .join(""),
  );
  for (const [name, requests, complexity, ratio, time] of rows) {
    console.log(
      name.padEnd(40) +
        String(requests).padStart(11) +
        (Number.isNaN(complexity) ? "" : String(Math.round(complexity))).padStart(11) +
        ratio.padStart(11) +
        time.padStart(11),
    );
  }
  const perHour = (requests: number, complexity: number) =>
    Math.min(REQUESTS_PER_HOUR / requests, COMPLEXITY_PER_HOUR / Math.max(1, complexity));
  const full = perHour(fullRequests, fullComplexity);
  console.log(
    `\nRate budget per API key and hour (${REQUESTS_PER_HOUR} requests, ${COMPLEXITY_PER_HOUR} points): ` +
      `${full.toFixed(2)} full syncs/hour (requests alone would allow ${Math.floor(REQUESTS_PER_HOUR / fullRequests)}; complexity binds), ` +
      `${Math.floor(perHour(incrementalRequests, incrementalComplexity))} incremental ones.`,
  );
  console.log(`Incremental pull returned ${incremental.items.length} issue(s).`);
} finally {
  await fake.close();
}
