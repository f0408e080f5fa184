/**
 * `npm run bench:jira`: a full pull of one board of 20,000 issues and 60 sprints from the fake Jira
 * with 20 ms latency per request, against
 *
 * - the lower bound: the fixed calls, the sprint pages, the search pages and the changelog pages
 *   the endpoints' limits allow at best (requests), and the requests that must follow one another
 *   (wall time: the search pages are chained by their tokens);
 * - a naive client: the issues sprint by sprint, then one changelog call (and its pages) per issue,
 *   with the same 4 requests in flight.
 *
 * Prints a table with ratios; asserts nothing about wall-clock time. `--quick` times the naive
 * client's changelog calls on 2,000 issues and scales them (and says so).
 */
import { JiraClient, issueFields, jiraPath, type JiraTransport } from "../src/jira/index";
import { z } from "zod";
import { TaskPool } from "../src/shared/index";
import { ESTIMATE_FIELD_ID, SPRINT_FIELD_ID, type FakeJira } from "../tests/fakes/jira/index";
import {
  BENCH_BOARD as BOARD,
  BENCH_SPRINTS as SPRINTS,
  printColumns,
  startBenchJira,
} from "./synthetic-jira";

const ISSUES = 20_000;
const LATENCY_MS = 20;
const CONCURRENCY = 4;
const QUICK_SAMPLE = 2_000;

const sprintPage = z.object({ values: z.array(z.object({ id: z.number() })), isLast: z.boolean() });
const searchPage = z.object({
  issues: z.array(z.object({ id: z.string(), key: z.string() })),
  nextPageToken: z.string().optional(),
});
const changelogPage = z.object({ values: z.array(z.unknown()), isLast: z.boolean() });

interface Run {
  readonly name: string;
  readonly requests: number;
  readonly ms: number;
  readonly peak: number;
  readonly issues: number;
  readonly note?: string;
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const jira = await startBenchJira({ issues: ISSUES, latencyMs: LATENCY_MS });
  const { fake, transport } = jira;
  try {
    const bound = lowerBound(fake);
    const floor = await measureFloor(fake, transport);
    const ours = await runClient(fake, transport);
    const naive = await runNaive(fake, transport, quick);
    printTable(bound, [floor, ours, naive]);
    console.log("\nThis client's requests by endpoint:");
    for (const [endpoint, count] of Object.entries(ours.byEndpoint)) {
      console.log(`  ${String(count).padStart(6)}  ${endpoint}`);
    }
  } finally {
    await jira.close();
  }
}

/** Requests the endpoints' limits allow at best, and the round trips that must be sequential. */
function lowerBound(fake: FakeJira): Run & { detail: string } {
  const fieldIds = ["status", "resolution", "customfield_12345", "customfield_13579"];
  let histories = 0;
  for (const issue of fake.site.issuesById.values()) {
    histories += issue.histories.filter((h) =>
      h.items.some((item) => fieldIds.includes(item.fieldId)),
    ).length;
  }
  const fixed = 5; // board, configuration, filter, fields, statuses
  const sprintPages = Math.ceil(SPRINTS / 50);
  const searchPages = Math.ceil(ISSUES / 100);
  const changelogPages = Math.max(Math.ceil(ISSUES / 1000), Math.ceil(histories / 1000));
  // Sequential round trips: two for the fixed calls (the filter needs the configuration), every
  // search page (each needs the previous page's token), and at least one changelog page after it.
  const sequential = 2 + searchPages + 1;
  return {
    name: "lower bound",
    requests: fixed + sprintPages + searchPages + changelogPages,
    ms: sequential * LATENCY_MS,
    peak: 0,
    issues: ISSUES,
    detail: `${fixed} fixed + ${sprintPages} sprint pages + ${searchPages} search pages + ${changelogPages} changelog pages (${histories.toLocaleString("en")} relevant histories)`,
  };
}

async function runClient(
  fake: FakeJira,
  transport: JiraTransport,
): Promise<Run & { byEndpoint: Record<string, number> }> {
  fake.resetRequests();
  const client = new JiraClient(transport);
  const start = performance.now();
  const pulled = await client.pullBoard(BOARD);
  const ms = performance.now() - start;
  return {
    name: "this client",
    requests: fake.totalRequests(),
    ms,
    peak: fake.maxInFlight(),
    issues: pulled.items.length,
    byEndpoint: { ...fake.requests },
  };
}

/**
 * What this machine needs for the requests that must follow one another, whatever the client: the
 * same calls sent back to back, each body read and only the next token taken from it. The gap
 * between this and the latency-only bound is the fake's and the HTTP stack's cost per request.
 */
async function measureFloor(fake: FakeJira, transport: JiraTransport): Promise<Run> {
  fake.resetRequests();
  const start = performance.now();
  await transport.send({
    method: "GET",
    path: jiraPath`/rest/agile/1.0/board/${BOARD}/configuration`,
  });
  await transport.send({
    method: "GET",
    path: jiraPath`/rest/api/3/filter/${fake.site.boards.get(BOARD)?.filterId ?? ""}`,
  });
  // The same fields as the real client reads; the naive client differs only in how it pages.
  const fields = issueFields({
    sprintFieldId: SPRINT_FIELD_ID,
    estimateFieldId: ESTIMATE_FIELD_ID,
  });
  const ids: string[] = [];
  for (let token: string | undefined; ;) {
    const response = await transport.send({
      method: "POST",
      path: jiraPath`/rest/api/3/search/jql`,
      body: {
        jql: "project = T0 ORDER BY Rank ASC",
        fields,
        maxResults: 5000,
        nextPageToken: token,
      },
    });
    const page = searchPage.parse(JSON.parse(response.text));
    ids.push(...page.issues.map((issue) => issue.id));
    token = page.nextPageToken;
    if (token === undefined) break;
  }
  await transport.send({
    method: "POST",
    path: jiraPath`/rest/api/3/changelog/bulkfetch`,
    body: { issueIdsOrKeys: ids.slice(-1000), fieldIds: ["status"], maxResults: 1000 },
  });
  return {
    name: "sequential floor",
    requests: fake.totalRequests(),
    ms: performance.now() - start,
    peak: 1,
    issues: ids.length,
    note: "the requests that must follow one another, sent back to back without validation; measured here",
  };
}

/** Sprint by sprint, then one changelog call per issue: what a first version usually does. */
async function runNaive(fake: FakeJira, transport: JiraTransport, quick: boolean): Promise<Run> {
  fake.resetRequests();
  const call = async <T>(
    request: Parameters<JiraTransport["send"]>[0],
    schema: z.ZodType<T>,
  ): Promise<T> => {
    const response = await transport.send(request);
    if (response.status !== 200) throw new Error(`naive client: HTTP ${response.status}`);
    return schema.parse(JSON.parse(response.text));
  };
  const start = performance.now();
  const sprints: number[] = [];
  for (let startAt = 0; ;) {
    const page = await call(
      {
        method: "GET",
        path: jiraPath`/rest/agile/1.0/board/${BOARD}/sprint`,
        query: { startAt },
      },
      sprintPage,
    );
    sprints.push(...page.values.map((sprint) => sprint.id));
    if (page.isLast) break;
    startAt += page.values.length;
  }
  const keys = new Set<string>();
  for (const sprint of sprints) {
    for (let token: string | undefined; ;) {
      const page = await call(
        {
          method: "POST",
          path: jiraPath`/rest/api/3/search/jql`,
          body: {
            jql: `sprint = ${sprint}`,
            fields: ["summary", "status", "labels", "customfield_12345", "customfield_13579"],
            maxResults: 100,
            nextPageToken: token,
          },
        },
        searchPage,
      );
      for (const issue of page.issues) keys.add(issue.key);
      token = page.nextPageToken;
      if (token === undefined) break;
    }
  }
  const searchMs = performance.now() - start;
  const searchRequests = fake.totalRequests();
  const all = [...keys];
  const sample = quick ? all.slice(0, QUICK_SAMPLE) : all;
  const pool = new TaskPool(CONCURRENCY);
  const changelogStart = performance.now();
  for (const key of sample) {
    pool.add(async () => {
      for (let startAt = 0; ;) {
        const page = await call(
          {
            method: "GET",
            path: jiraPath`/rest/api/3/issue/${key}/changelog`,
            query: { startAt, maxResults: 100 },
          },
          changelogPage,
        );
        if (page.isLast) return;
        startAt += page.values.length;
      }
    });
  }
  await pool.drain();
  const changelogMs = performance.now() - changelogStart;
  const changelogRequests = fake.totalRequests() - searchRequests;
  const scale = all.length / sample.length;
  return {
    name: "naive client",
    requests: Math.round(searchRequests + changelogRequests * scale),
    ms: searchMs + changelogMs * scale,
    peak: fake.maxInFlight(),
    issues: all.length,
    note: quick
      ? `changelog calls timed on ${sample.length.toLocaleString("en")} of ${all.length.toLocaleString("en")} issues and scaled`
      : undefined,
  };
}

function printTable(bound: Run & { detail: string }, runs: readonly Run[]): void {
  console.log(
    `Jira pull: ${ISSUES.toLocaleString("en")} issues, ${SPRINTS} sprints, ${LATENCY_MS} ms latency per request, ${CONCURRENCY} changelog requests in flight at most\n`,
  );
  const rows = [
    ["", "requests", "× bound", "wall time", "× bound", "max in flight", "issues read"],
    [bound.name, fmt(bound.requests), "1.00", seconds(bound.ms), "1.00", "", fmt(bound.issues)],
    ...runs.map((run) => [
      run.name,
      fmt(run.requests),
      (run.requests / bound.requests).toFixed(2),
      seconds(run.ms),
      (run.ms / bound.ms).toFixed(2),
      String(run.peak),
      fmt(run.issues),
    ]),
  ];
  printColumns(rows);
  console.log(
    `\nLower bound: ${bound.detail}; wall time = its sequential round trips × ${LATENCY_MS} ms.`,
  );
  const naive = runs.find((run) => run.name === "naive client");
  if (naive && naive.issues < ISSUES) {
    console.log(
      `The naive client misses the ${fmt(ISSUES - naive.issues)} issues that were never in a sprint.`,
    );
  }
  for (const run of runs) if (run.note) console.log(`${run.name}: ${run.note}.`);
  const floor = runs.find((run) => run.name === "sequential floor");
  const ours = runs.find((run) => run.name === "this client");
  if (floor && ours) {
    console.log(
      `this client: ${(ours.ms / floor.ms).toFixed(2)}× the sequential floor in wall time (validation, history rebuild and the fake's own work share one process).`,
    );
  }
}

const fmt = (n: number) => n.toLocaleString("en");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

await main();
