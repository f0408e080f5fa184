import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import {
  findTeams,
  linearWorkspaceFile,
  mergePulledTeam,
  pullLinearTeam,
} from "../../src/linear/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { useFakeLinear } from "../helpers/fake-trackers";
import { linearClientFor, NOW } from "./helpers";

const DEMO = generateDemoWorkspace(NOW);
const LINEAR_TEAMS = ["GRO", "DATA"] as const;

function parsed(file: WorkspaceFile) {
  const result = parseWorkspace(file);
  if (!result.ok) throw new Error(result.problems.slice(0, 10).join("\n"));
  return result.workspace;
}

/** The seed narrowed to one team: the report the pulled team must reproduce. */
function seedOf(teamId: string): WorkspaceFile {
  return {
    version: 1,
    settings: DEMO.settings,
    teams: DEMO.teams.filter((team) => team.id === teamId),
    targets: (DEMO.targets ?? []).filter((target) => target.teamId === teamId),
    sprints: (DEMO.sprints ?? []).filter((sprint) => sprint.teamId === teamId),
    items: (DEMO.items ?? []).filter((item) => item.teamId === teamId),
  };
}

describe("pullLinearTeam against the fake seeded from the demo", () => {
  const fake = useFakeLinear({ workspace: DEMO, seed: { now: NOW } });

  it.each(LINEAR_TEAMS)(
    "%s: the pulled team reports exactly what the seed reports",
    async (key) => {
      const { client } = linearClientFor(fake);
      const [team] = await findTeams(client, [key]);
      if (team === undefined) throw new Error("no team");
      const pulled = await pullLinearTeam(client, team);
      const file = linearWorkspaceFile([pulled]);
      const expected = parsed(seedOf(key));
      const actual = parsed({ ...file, targets: seedOf(key).targets });
      expect(actual.teams).toEqual(expected.teams);
      const byId = <T extends { id: string }>(list: readonly T[]) =>
        [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(byId(actual.items)).toEqual(byId(expected.items));
      expect(computeReport(actual, { now: NOW })).toEqual(computeReport(expected, { now: NOW }));
    },
  );

  it("reads 250 issues per request and history only for issues changed after creation", async () => {
    const { client } = linearClientFor(fake);
    const [team] = await findTeams(client, ["DATA"]);
    if (team === undefined) throw new Error("no team");
    fake.resetCounters();
    const pulled = await pullLinearTeam(client, team);
    const issues = pulled.items.length;
    const ops = fake.operations();
    // The pages, then one of the second pass, which reads what changed while they were read.
    expect(ops.filter((op) => op === "CapacityIssues")).toHaveLength(Math.ceil(issues / 250) + 1);
    expect(ops.filter((op) => op === "CapacityCycles")).toHaveLength(1);
    const historyRequests = ops.filter((op) => op === "CapacityIssueHistory").length;
    expect(historyRequests).toBeLessThanOrEqual(Math.ceil(issues / 100));
    expect(fake.complexity()).toBeGreaterThan(0);
  });

  it("an incremental pull after one change costs a handful of requests and merges cleanly", async () => {
    const { client } = linearClientFor(fake);
    const [team] = await findTeams(client, ["GRO"]);
    if (team === undefined) throw new Error("no team");
    const full = await pullLinearTeam(client, team);
    const issue = fake.data.issues.find((candidate) => candidate.identifier === full.items[0]?.id);
    if (issue === undefined) throw new Error("no issue");
    issue.title = "Renamed in Linear";
    issue.updatedAt = new Date(Date.parse(full.cursor ?? "") + 1000).toISOString();
    fake.resetCounters();
    const changes = await pullLinearTeam(client, team, { since: full.cursor });
    // Cycles, the label directory, one page of issues, one of history.
    expect(fake.requests()).toBeLessThanOrEqual(4);
    expect(changes.items.map((item) => item.id)).toEqual([issue.identifier]);
    const merged = mergePulledTeam(full, changes);
    expect(merged.items).toHaveLength(full.items.length);
    expect(merged.items.find((item) => item.id === issue.identifier)?.title).toBe(
      "Renamed in Linear",
    );
    expect(merged.cursor).toBe(issue.updatedAt);
  });

  it("reads on the history of an issue with more entries than one batch holds", async () => {
    const { client } = linearClientFor(fake);
    const [team] = await findTeams(client, ["DATA"]);
    if (team === undefined) throw new Error("no team");
    const issue = fake.data.issues.find((candidate) => candidate.teamId === team.id);
    if (issue === undefined) throw new Error("no issue");
    const start = Date.parse(issue.createdAt);
    for (let n = 1; n <= 40; n++) {
      fake.data.history.push({
        id: `extra-${n}`,
        issueId: issue.id,
        createdAt: new Date(start + n * 60_000).toISOString(),
        fromCycleId: null,
        toCycleId: null,
        fromEstimate: n,
        toEstimate: n + 1,
        fromStateId: null,
        toStateId: null,
        addedLabelIds: null,
        removedLabelIds: null,
      });
    }
    issue.updatedAt = new Date(
      Math.max(Date.parse(issue.updatedAt), start + 41 * 60_000),
    ).toISOString();
    fake.resetCounters();
    const pulled = await pullLinearTeam(client, team);
    const item = pulled.items.find((candidate) => candidate.id === issue.identifier);
    const estimates = (item?.history ?? []).filter((event) => event.field === "estimate");
    expect(estimates.length).toBeGreaterThanOrEqual(40);
    expect(fake.operations()).toContain("CapacityIssueHistoryPage");
  });
});
