import { describe, expect, it } from "vitest";
import { mapCycle, mapIssue, mapTeam } from "../../src/linear/map-team";
import { linearWorkspaceFile } from "../../src/linear/pull-team";
import type { LinearCycle, LinearIssue, LinearTeam } from "../../src/linear/schemas";
import { parseWorkspace } from "../../src/workspace/load-workspace";

// Shapes as selected by src/linear/documents.ts from Linear's published schema (Team, Cycle,
// Issue, IssueHistory.fromCycleId / toCycleId).
const team = (key: string): LinearTeam => ({
  id: `team-${key}`,
  key,
  name: key,
  timezone: "UTC",
  issueEstimationType: "fibonacci",
});
const cycle = (id: string, number: number): LinearCycle => ({
  id,
  number,
  name: null,
  startsAt: "2026-07-01T00:00:00Z",
  endsAt: "2026-07-15T00:00:00Z",
  completedAt: null,
});
const issue: LinearIssue = {
  id: "issue-1",
  identifier: "OPS-1",
  title: "Moved from ENG",
  estimate: 3,
  createdAt: "2026-06-20T00:00:00Z",
  completedAt: null,
  canceledAt: null,
  updatedAt: "2026-07-03T00:00:00Z",
  archivedAt: null,
  trashed: null,
  state: { id: "state-1", type: "started" },
  cycle: { id: "cycle-ops" },
  parent: null,
  project: null,
  labelIds: [],
  assignee: null,
};
const names = { labels: new Map<string, string>(), stateTypes: new Map([["state-1", "started"]]) };
const labels = { roadmap: "roadmap", investment: "investment" };

describe("Linear issue moved between teams", () => {
  it("keeps only its own team's cycles in its history, so the pulled file loads", () => {
    const history = [
      { from: null, to: "cycle-eng", at: "2026-07-01T10:00:00Z" },
      // Moving the issue to OPS takes it out of ENG's cycle; OPS then plans it.
      { from: "cycle-eng", to: null, at: "2026-07-02T10:00:00Z" },
      { from: null, to: "cycle-ops", at: "2026-07-03T00:00:00Z" },
    ].map((row, i) => ({
      id: `h${i}`,
      createdAt: row.at,
      fromCycleId: row.from,
      toCycleId: row.to,
      fromEstimate: 3,
      toEstimate: 3,
      fromStateId: null,
      toStateId: null,
      fromAssigneeId: null,
      toAssigneeId: null,
    }));
    const item = mapIssue("OPS", issue, history, { ...names, cycleIds: new Set(["cycle-ops"]) });
    expect(item.history).toEqual([
      { at: "2026-07-03T00:00:00Z", field: "sprint", from: [], to: ["cycle-ops"] },
    ]);
    const pulled = (key: string, cycleId: string, items: (typeof item)[]) => ({
      team: mapTeam(team(key), labels),
      sprints: [mapCycle(key, cycle(cycleId, 1))],
      items,
      cursor: null,
      issueIds: {},
    });
    const loaded = parseWorkspace(
      linearWorkspaceFile([pulled("ENG", "cycle-eng", []), pulled("OPS", "cycle-ops", [item])]),
    );
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  });
});
