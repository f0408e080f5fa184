import { describe, expect, it } from "vitest";
import { findTeams, pullLinearTeam } from "../../src/linear/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { useFakeLinear } from "../helpers/fake-trackers";
import { linearClientFor, NOW } from "./helpers";

type ItemFile = NonNullable<WorkspaceFile["items"]>[number];

/** DATA with people: every third issue assigned, every sixth handed over once after creation. */
function withAssignees(): WorkspaceFile {
  const demo = generateDemoWorkspace(NOW);
  const items: ItemFile[] = (demo.items ?? [])
    .filter((item) => item.teamId === "DATA")
    // The demo's own people are replaced by this test's, so the expectations below are its own.
    .map(({ assignee: _assignee, ...item }) => ({
      ...item,
      history: (item.history ?? []).filter((event) => event.field !== "assignee"),
    }))
    .map((item, n) => {
      if (n % 3 !== 0) return item;
      const person = `person-${n % 5}`;
      if (n % 6 !== 0) return { ...item, assignee: person };
      const at = new Date(Date.parse(item.createdAt) + 3_600_000).toISOString();
      return {
        ...item,
        assignee: person,
        history: [...(item.history ?? []), { at, field: "assignee", from: "person-9", to: person }],
      };
    });
  return { ...demo, teams: demo.teams.filter((team) => team.id === "DATA"), items, targets: [] };
}

describe("assignees and their history (SPEC §6a)", () => {
  const seed = withAssignees();
  const fake = useFakeLinear({ workspace: seed, seed: { now: NOW } });

  it("come from `assignee { id }` and the history's fromAssigneeId/toAssigneeId", async () => {
    const { client } = linearClientFor(fake);
    const [team] = await findTeams(client, ["DATA"]);
    if (team === undefined) throw new Error("no team");
    const pulled = await pullLinearTeam(client, team);
    const byId = new Map(pulled.items.map((item) => [item.id, item]));
    const assigned = (seed.items ?? []).filter((item) => item.assignee != null);
    expect(assigned.length).toBeGreaterThan(20);
    for (const item of seed.items ?? []) {
      const got = byId.get(item.id);
      expect(got?.assignee ?? null, item.id).toBe(item.assignee ?? null);
      const events = (list: ItemFile["history"]) =>
        (list ?? []).filter((event) => event.field === "assignee");
      expect(events(got?.history), item.id).toEqual(events(item.history));
    }
    const loaded = parseWorkspace({ ...seed, items: pulled.items, sprints: pulled.sprints });
    expect(loaded.ok).toBe(true);
  });
});
