import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import {
  BadRequestError,
  UpstreamError,
  toWorkspaceFile,
  pullCursorSchema,
  type PulledBoard,
} from "../../src/jira/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { generateSyntheticWorkspace } from "../../bench/synthetic-workspace";
import { workspaceToFile, type FakeJira } from "../fakes/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { asPulled, clientFor, NOW } from "./helpers";

const DEMO = generateDemoWorkspace(NOW);
const JIRA_TEAMS = ["PAY", "CHK", "PLAT", "MOB"] as const;

function teamOf(seed: WorkspaceFile, id: string) {
  const team = seed.teams.find((candidate) => candidate.id === id);
  if (team === undefined) throw new Error(`no team ${id}`);
  return team;
}

function parsed(file: WorkspaceFile) {
  const result = parseWorkspace(file);
  if (!result.ok) throw new Error(result.problems.slice(0, 10).join("\n"));
  return result.workspace;
}

/** The pulled board with the seed's targets for that team: what a person would report on. */
function pulledWorkspace(pulled: PulledBoard, seed: WorkspaceFile, teamId: string): WorkspaceFile {
  const targets = (seed.targets ?? [])
    .filter((target) => target.teamId === teamId)
    .map((target) => ({ ...target, teamId: pulled.team.id }));
  return toWorkspaceFile([pulled], { targets, settings: seed.settings });
}

/** Pulls a seeded board and checks it against its seed: items, sprints and report alike. */
async function expectRoundTrip(fake: FakeJira, teamId: string): Promise<PulledBoard> {
  const { client } = clientFor(fake);
  const team = teamOf(DEMO, teamId);
  const boardId = fake.site.boardIdOf.get(teamId) ?? 0;
  const pulled = await client.pullBoard(boardId, { timezone: team.timezone, rules: team.rules });
  expect(pulled.notes).toEqual([]);
  const expected = parsed(asPulled(DEMO, fake, teamId));
  const actual = parsed(pulledWorkspace(pulled, DEMO, teamId));
  // The items themselves, histories included, come back as they were seeded.
  const byId = <T extends { id: string }>(list: readonly T[]) =>
    [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(byId(actual.items)).toEqual(byId(expected.items));
  expect(actual.sprints).toEqual(expected.sprints);
  expect(computeReport(actual, { now: NOW })).toEqual(computeReport(expected, { now: NOW }));
  return pulled;
}

// Company-managed scrum boards, and team-managed boards (`simple`) with their sprints feature on.
describe.each(["scrum", "simple"] as const)(
  "pullBoard round trip (demo workspace, %s boards)",
  (type) => {
    const fake = useFakeJira({
      workspace: DEMO,
      now: NOW,
      boards: JIRA_TEAMS.map((teamId) => ({ teamId, type })),
    });

    it.each(JIRA_TEAMS)(
      "%s: the pulled board reports exactly what the seed reports",
      async (teamId) => {
        const pulled = await expectRoundTrip(fake, teamId);
        expect(pulled.context.board.type).toBe(type);
        expect(pulled.sprints.length).toBeGreaterThan(0);
      },
    );

    it("uses the fewest requests the endpoints allow", async () => {
      const { client } = clientFor(fake);
      fake.resetRequests();
      const boardId = fake.site.boardIdOf.get("PAY") ?? 0;
      const pulled = await client.pullBoard(boardId, { onProgress: () => undefined });
      const issues = pulled.items.length;
      expect(fake.requests).toEqual({
        "GET /rest/agile/1.0/board/{boardId}": 1,
        "GET /rest/agile/1.0/board/{boardId}/configuration": 1,
        "GET /rest/api/3/filter/{id}": 1,
        "GET /rest/api/3/field": 1,
        "GET /rest/api/3/status": 1,
        // 37 sprints: one page of 50.
        "GET /rest/agile/1.0/board/{boardId}/sprint": 1,
        // Only asked for when someone watches the progress.
        "POST /rest/api/3/search/approximate-count": 1,
        // The fake, like Jira, pages issues by 100 when fields are asked for.
        "POST /rest/api/3/search/jql": Math.ceil(issues / 100),
        // 377 issues fit one batch; their filtered histories fit in pages of 10,000 (the most
        // BulkChangelogRequestBean.maxResults allows).
        "POST /rest/api/3/changelog/bulkfetch": Math.ceil(relevantHistories(fake, "PAY") / 10_000),
      });
      expect(pulled.requests).toBe(fake.totalRequests());
    });
  },
);

/** Histories of a board's issues that touch status, resolution, sprint or estimate. */
function relevantHistories(fake: FakeJira, teamId: string): number {
  const board = fake.site.boards.get(fake.site.boardIdOf.get(teamId) ?? 0);
  let count = 0;
  for (const issue of fake.site.issuesById.values()) {
    if (issue.projectKey !== board?.projectKey) continue;
    count += issue.histories.filter((history) =>
      history.items.some((item) =>
        ["status", "resolution", "customfield_12345", "customfield_13579"].includes(item.fieldId),
      ),
    ).length;
  }
  return count;
}

describe("pullBoard on a larger board (2,500 issues, several changelog batches)", () => {
  const SEED = workspaceToFile(
    generateSyntheticWorkspace({
      itemCount: 2_500,
      teams: 1,
      sprintsPerTeam: 14,
      now: NOW,
      seed: 7,
    }),
  );
  let clean: PulledBoard;
  const boardId = 12;
  const fake = useFakeJira(
    { workspace: SEED, now: NOW, boards: [{ teamId: "T0", boardId }] },
    async (started) => {
      clean = await clientFor(started).client.pullBoard(boardId);
    },
  );

  const comparable = (board: PulledBoard) => ({ sprints: board.sprints, items: board.items });

  it("reads every issue and gives a valid workspace", () => {
    // (The synthetic generator's histories are not always self-consistent, e.g. done before
    // started, so item-by-item equality is checked on the demo above, not here.)
    expect(clean.items).toHaveLength(2_500);
    expect(parseWorkspace(toWorkspaceFile([clean])).ok).toBe(true);
  });

  it("finishes with the same result under injected 429s, 5xx, a malformed body and a dropped connection", async () => {
    const { client, waits } = clientFor(fake);
    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "POST /rest/api/3/search/jql",
      retryAfter: "2",
      times: 2,
    });
    fake.inject({
      kind: "status",
      status: 500,
      endpoint: "POST /rest/api/3/changelog/bulkfetch",
      times: 2,
    });
    fake.inject({
      kind: "status",
      status: 503,
      endpoint: "GET /rest/agile/1.0/board/{boardId}/sprint",
      retryAfter: "1",
    });
    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "GET /rest/api/3/field",
      rateLimitReset: new Date(Date.now() + 60_000).toISOString(),
    });
    fake.inject({ kind: "malformed", endpoint: "POST /rest/api/3/search/jql" });
    fake.inject({ kind: "disconnect", endpoint: "GET /rest/api/3/status" });
    const pulled = await client.pullBoard(boardId);
    expect(comparable(pulled)).toEqual(comparable(clean));
    const codes = waits.map((wait) => wait.error.code).sort();
    expect(codes).toEqual([
      "JIRA_MALFORMED_RESPONSE",
      "JIRA_NETWORK",
      "JIRA_RATE_LIMITED",
      "JIRA_RATE_LIMITED",
      "JIRA_RATE_LIMITED",
      "JIRA_SERVER_ERROR",
      "JIRA_SERVER_ERROR",
      "JIRA_SERVER_ERROR",
    ]);
    // Retry-After: 2 is honoured (plus at most 30 % jitter), the 503's Retry-After: 1 likewise,
    // and X-RateLimit-Reset a minute ahead.
    const searchWaits = waits
      .filter((wait) => wait.error.code === "JIRA_RATE_LIMITED")
      .map((w) => w.delayMs);
    expect(searchWaits.filter((ms) => ms >= 2_000 && ms < 2_600)).toHaveLength(2);
    expect(searchWaits.some((ms) => ms > 55_000 && ms <= 61_000)).toBe(true);
    expect(
      waits.some(
        (wait) =>
          wait.error.code === "JIRA_SERVER_ERROR" && wait.delayMs >= 1_000 && wait.delayMs < 1_300,
      ),
    ).toBe(true);
  });

  it("gives up on a response slower than the timeout only after its retries, with a message that says so", async () => {
    const { client } = clientFor(fake, { timeoutMs: 200, retry: { maxAttempts: 2 } });
    fake.inject({ kind: "slow", delayMs: 600, endpoint: "GET /rest/api/3/filter/{id}", times: 2 });
    const error = await client.pullBoard(boardId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: "JIRA_TIMEOUT", retryable: true });
    expect(String((error as Error).message)).toMatch(
      /did not answer GET \/rest\/api\/3\/filter\/\d+ within 0.2 s/,
    );
  });

  it("retries a response that was slow once and then answers in time", async () => {
    // The limit leaves a busy machine room for the answers that are not held back.
    const { client } = clientFor(fake, { timeoutMs: 2_000 });
    fake.inject({ kind: "slow", delayMs: 6_000, endpoint: "GET /rest/api/3/filter/{id}" });
    expect(comparable(await client.pullBoard(boardId))).toEqual(comparable(clean));
  });

  it("resumes an interrupted pull from its cursor without reading the pages again", async () => {
    const { client } = clientFor(fake);
    const abort = new AbortController();
    let saved: string | null = null;
    let pages = 0;
    const first = await client
      .pullBoard(boardId, {
        signal: abort.signal,
        onProgress: (progress) => {
          if (progress.phase === "context") return;
          // What a host would store: JSON.
          saved = JSON.stringify(progress.cursor());
          if (progress.phase === "issues" && ++pages === 12) abort.abort();
        },
      })
      .catch((error: unknown) => error);
    expect(first).toMatchObject({ name: "AbortError" });
    expect(saved).not.toBeNull();
    const cursor = pullCursorSchema.parse(JSON.parse(saved ?? "null"));
    expect(cursor.issues).toHaveLength(1_200);
    // The first changelog batch (1000 issues) was either complete or is owed; never half-kept.
    expect([0, 1_000]).toContain(Object.keys(cursor.changelogs).length);

    fake.resetRequests();
    const resumed = await client.pullBoard(boardId, { resume: JSON.parse(saved ?? "null") });
    expect(comparable(resumed)).toEqual(comparable(clean));
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBe(Math.ceil(2_500 / 100) - 12);
    expect(resumed.notes).toEqual([]);
  });

  it("keeps what it read when a request fails for good, and the next run finishes from there", async () => {
    const { client } = clientFor(fake, { retry: { maxAttempts: 2 } });
    let cursor: unknown = null;
    // After the first changelog batch, the next request fails twice: its retry budget is spent.
    let batches = 0;
    const error = await client
      .pullBoard(boardId, {
        changelogConcurrency: 1,
        onProgress: (progress) => {
          if (progress.phase === "context") return;
          cursor = progress.cursor();
          if (progress.phase === "changelogs" && ++batches === 1) {
            fake.inject({
              kind: "status",
              status: 502,
              endpoint: "POST /rest/api/3/changelog/bulkfetch",
              times: 2,
            });
          }
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: "JIRA_SERVER_ERROR" });
    const saved = pullCursorSchema.parse(cursor);
    expect(Object.keys(saved.changelogs).length).toBeGreaterThanOrEqual(1_000);

    fake.resetRequests();
    const resumed = await clientFor(fake).client.pullBoard(boardId, { resume: saved });
    expect(comparable(resumed)).toEqual(comparable(clean));
    // Batches already read are not read again.
    expect(fake.requests["POST /rest/api/3/changelog/bulkfetch"]).toBeLessThan(
      clean.requests - 5 - 1 - Math.ceil(2_500 / 100),
    );
  });

  it("restarts the search when Jira no longer accepts its page token, keeping the histories it has", async () => {
    const { client } = clientFor(fake);
    fake.resetRequests();
    let pages = 0;
    const pulled = await client.pullBoard(boardId, {
      onProgress: (progress) => {
        if (progress.phase === "issues" && ++pages === 15)
          fake.inject({ kind: "expire-page-tokens" });
      },
    });
    expect(comparable(pulled)).toEqual(comparable(clean));
    expect(pulled.notes).toEqual([
      "Jira no longer accepted the search's page token; the issue search was restarted (issues already read kept their history).",
    ]);
    // 15 pages (16 if the page asked for ahead slipped in before the expiry), the rejected one,
    // then all 25 pages again; changelogs are not read twice.
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBeGreaterThanOrEqual(15 + 1 + 25);
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBeLessThanOrEqual(16 + 1 + 25);
  });

  it("starts over from a cursor of another board or configuration, and says so", async () => {
    const { client } = clientFor(fake);
    const stale = {
      version: 1,
      boardId: 99,
      jql: "project = X",
      sprintFieldId: null,
      estimateFieldId: null,
      nextPageToken: null,
      searchDone: true,
      issues: [],
      changelogs: {},
    };
    const pulled = await client.pullBoard(boardId, { resume: stale });
    expect(comparable(pulled)).toEqual(comparable(clean));
    expect(pulled.notes[0]).toMatch(/belongs to another board/);
    const garbage = await client.pullBoard(boardId, { resume: { version: 7 } });
    expect(garbage.notes[0]).toMatch(/not one this version can read/);
  });

  it("reports progress towards Jira's approximate count", async () => {
    const { client } = clientFor(fake);
    const seen: { phase: string; read: number; expected: number | null; changelogs: number }[] = [];
    await client.pullBoard(boardId, {
      onProgress: (p) =>
        seen.push({
          phase: p.phase,
          read: p.issuesRead,
          expected: p.issuesExpected,
          changelogs: p.changelogsRead,
        }),
    });
    expect(seen[0]?.phase).toBe("context");
    expect(seen.at(-1)).toEqual({ phase: "done", read: 2_500, expected: 2_500, changelogs: 2_500 });
    expect(seen.some((p) => p.expected === 2_500 && p.read < 2_500)).toBe(true);
  });

  it("refuses a JQL error as final, with Jira's words", async () => {
    const { client, waits } = clientFor(fake);
    const error = await client
      .searchIssues(
        "project = T0 OR labels = x",
        { sprintFieldId: null, estimateFieldId: null },
        null,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(String((error as Error).message)).toContain("OR is not supported");
    expect(waits).toEqual([]);
  });
});

describe("pullBoard: sprints and estimation as Jira configures them", () => {
  const fake = useFakeJira({
    workspace: DEMO,
    now: NOW,
    boards: [
      { teamId: "PAY", boardId: 31, futureSprintsWithoutDates: true },
      { teamId: "MOB", boardId: 32, estimation: "issueCount" },
      { teamId: "CHK", boardId: 33, type: "simple", sprints: false },
      { teamId: "PLAT", boardId: 34, type: "kanban" },
      { teamId: "GRO", boardId: 35, estimation: "none" },
    ],
  });

  it("leaves out future sprints without dates, and their ids everywhere, and says so", async () => {
    const { client } = clientFor(fake);
    const pulled = await client.pullBoard(31);
    const future = [...fake.site.sprints.values()].filter(
      (s) => s.boardId === 31 && s.state === "future",
    );
    expect(future.length).toBeGreaterThan(0);
    const kept = new Set(pulled.sprints.map((sprint) => sprint.id));
    for (const sprint of future) expect(kept.has(String(sprint.id))).toBe(false);
    expect(pulled.notes).toEqual([
      `${future.length === 1 ? "1 sprint without start and end dates is" : `${future.length} sprints without start and end dates are`} left out: ${future.map((s) => s.name).join(", ")}. Set their dates in Jira to plan against them.`,
    ]);
    const used = pulled.items.flatMap((item) => [
      ...(item.sprintIds ?? []),
      ...(item.history ?? []).flatMap((event) =>
        event.field === "sprint" ? [...event.from, ...event.to] : [],
      ),
    ]);
    expect(used.every((id) => kept.has(id))).toBe(true);
    expect(parseWorkspace(toWorkspaceFile([pulled])).ok).toBe(true);
  });

  it("counts in issues when the board estimates by issue count, and still reads story points by name", async () => {
    const { client } = clientFor(fake);
    const pulled = await client.pullBoard(32);
    expect(pulled.team.unit).toBe("issues");
    expect(pulled.context.estimateFieldId).toBe("customfield_13579");
    const seedEstimates = (DEMO.items ?? [])
      .filter((item) => item.teamId === "MOB")
      .map((i) => i.estimate ?? null);
    expect(pulled.items.map((item) => item.estimate ?? null).sort()).toEqual(seedEstimates.sort());
  });

  it("reads a team-managed board with sprints off as having none: Jira's 400 is no failure", async () => {
    fake.resetRequests();
    const pulled = await clientFor(fake).client.pullBoard(33);
    expect(fake.requests["GET /rest/agile/1.0/board/{boardId}/sprint"]).toBe(1);
    expect(pulled.sprints).toEqual([]);
    expect(pulled.items.every((item) => (item.sprintIds ?? []).length === 0)).toBe(true);
    expect(pulled.items).toHaveLength((DEMO.items ?? []).filter((i) => i.teamId === "CHK").length);
    expect(pulled.notes).toEqual([
      'Board "Checkout board" has no sprints (Jira: The board does not support sprints); items are read without sprints.',
    ]);
  });

  it("does not ask a kanban board for sprints", async () => {
    fake.resetRequests();
    const pulled = await clientFor(fake).client.pullBoard(34);
    expect(fake.requests["GET /rest/agile/1.0/board/{boardId}/sprint"]).toBeUndefined();
    expect(pulled.context.board.type).toBe("kanban");
    expect(pulled.sprints).toEqual([]);
    expect(pulled.notes).toEqual([]);
  });

  it("counts issues on a board whose estimation is none, and still reads story points by name", async () => {
    const pulled = await clientFor(fake).client.pullBoard(35);
    expect(pulled.team.unit).toBe("issues");
    expect(pulled.context.estimateFieldId).toBe("customfield_13579");
    expect(pulled.items.length).toBeGreaterThan(0);
  });

  it("answers changelogs as Jira does: bulk times in epoch ms, some items without fieldId", async () => {
    const issue = [...fake.site.issuesById.values()].find((candidate) =>
      candidate.histories.some((history) => history.items.some((item) => item.legacy === true)),
    );
    expect(issue).toBeDefined();
    const response = await fetch(`${fake.url}/rest/api/3/changelog/bulkfetch`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${fake.email}:${fake.token}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ issueIdsOrKeys: [issue?.id], fieldIds: ["status", "resolution"] }),
    });
    const body = (await response.json()) as {
      issueChangeLogs: { changeHistories: { created: unknown; items: object[] }[] }[];
    };
    const histories = body.issueChangeLogs.flatMap((log) => log.changeHistories);
    expect(histories.length).toBeGreaterThan(0);
    expect(histories.every((history) => typeof history.created === "number")).toBe(true);
    expect(histories.flatMap((history) => history.items).some((item) => !("fieldId" in item))).toBe(
      true,
    );
  });
});
