import { JiraClient, createNodeTransport, type JiraClientOptions } from "../../src/jira/index";
import type { RetryEvent } from "../../src/jira/retry";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import type { WorkspaceFile } from "../../src/workspace/schema";
import type { FakeJira, FakeJiraOptions, FakeUser } from "../fakes/jira/index";

export const NOW = Date.parse("2026-11-24T00:00:00Z");

/**
 * A fake Jira of the demo workspace at {@link NOW} with one board, Payments as board 12, which the
 * given users may sign in to (default: one with every permission).
 */
export function paymentsBoard12(users?: readonly FakeUser[]): FakeJiraOptions {
  return {
    workspace: generateDemoWorkspace(NOW),
    now: NOW,
    boards: [{ teamId: "PAY", boardId: 12 }],
    ...(users === undefined ? {} : { users }),
  };
}

/** A client of the fake over loopback whose retries wait no real time; the waits are recorded. */
export function clientFor(
  fake: FakeJira,
  options: {
    timeoutMs?: number;
    email?: string;
    token?: string;
    retry?: JiraClientOptions["retry"];
  } = {},
): { client: JiraClient; waits: RetryEvent[] } {
  const waits: RetryEvent[] = [];
  const client = new JiraClient(
    createNodeTransport({
      site: fake.url,
      email: options.email ?? fake.email,
      apiToken: options.token ?? fake.token,
      timeoutMs: options.timeoutMs ?? 5_000,
    }),
    {
      retry: {
        sleep: () => Promise.resolve(),
        random: () => 0.5,
        onRetry: (event) => waits.push(event),
        ...options.retry,
      },
    },
  );
  return { client, waits };
}

/**
 * The seed workspace narrowed to one team and renamed the way a pull names things: the team id is
 * the board id, sprint ids are Jira's, the team is named after the board and carries the Jira
 * default labels explicitly. Its report must equal the pulled workspace's.
 */
export function asPulled(seed: WorkspaceFile, fake: FakeJira, teamId: string): WorkspaceFile {
  const boardId = fake.site.boardIdOf.get(teamId);
  if (boardId === undefined) throw new Error(`Team ${teamId} was not seeded as a board.`);
  const board = fake.site.boards.get(boardId);
  const id = String(boardId);
  const sprintId = (sprint: string) => String(fake.site.sprintIdOf.get(sprint) ?? sprint);
  const team = seed.teams.find((candidate) => candidate.id === teamId);
  if (team === undefined) throw new Error(`No team ${teamId}.`);
  return {
    version: 1,
    settings: seed.settings,
    teams: [
      {
        ...team,
        id,
        name: board?.name ?? team.name,
        labels: team.labels ?? { roadmap: "capacity-roadmap", investment: "capacity-investment" },
      },
    ],
    targets: (seed.targets ?? [])
      .filter((t) => t.teamId === teamId)
      .map((t) => ({ ...t, teamId: id })),
    sprints: (seed.sprints ?? [])
      .filter((sprint) => sprint.teamId === teamId)
      .map((sprint) => ({ ...sprint, id: sprintId(sprint.id), teamId: id })),
    items: (seed.items ?? [])
      .filter((item) => item.teamId === teamId)
      .map((item) => ({
        ...item,
        teamId: id,
        sprintIds: (item.sprintIds ?? []).map(sprintId),
        history: (item.history ?? []).map((event) =>
          event.field === "sprint"
            ? { ...event, from: event.from.map(sprintId), to: event.to.map(sprintId) }
            : event,
        ),
      })),
  };
}
