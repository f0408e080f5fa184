import { describe, expect, it } from "vitest";
import { pullLinearTeamIncrementally } from "../../src/app/linear-incremental-pull";
import { findTeams, pullLinearTeam } from "../../src/linear/index";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import type { FakeLinear, LinearFault } from "../fakes/linear/index";
import { startFakeLinearPerTest } from "../helpers/fake-trackers";
import { linearClientFor, NOW } from "./helpers";

/**
 * Linear pages `orderBy: updatedAt` newest first (linear.app/developers/pagination), so an issue
 * changed while a pull of several pages runs moves ahead of the page cursor: the pull must read
 * it again before it counts it.
 */
function byId<T extends { readonly id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

describe("an issue changed while a team's pull runs", () => {
  const startFake = startFakeLinearPerTest();

  async function setUp() {
    const fake = await startFake({
      workspace: generateDemoWorkspace(NOW),
      seed: { now: NOW, teams: ["GRO"] },
    });
    const { client } = linearClientFor(fake);
    const [team] = await findTeams(client, ["GRO"]);
    if (team === undefined) throw new Error("no team");
    const issues = fake.data.issues.filter((issue) => issue.teamId === team.id);
    expect(issues.length).toBeGreaterThan(250);
    return { fake, client, team };
  }

  /** Changes the issue least recently updated (on the last page) as a person in Linear would. */
  function changeOldest(fake: FakeLinear, teamId: string): string {
    const oldest = fake.data.issues
      .filter((issue) => issue.teamId === teamId)
      .reduce((a, b) => (a.updatedAt <= b.updatedAt ? a : b));
    oldest.title = "Renamed while the pull ran";
    oldest.updatedAt = new Date().toISOString();
    return oldest.identifier;
  }

  it("is read again in the same run", async () => {
    const { fake, client, team } = await setUp();
    let changed: string | null = null;
    const pulled = await pullLinearTeam(client, team, {
      onCheckpoint: (_checkpoint, step) => {
        if (step.kind === "issues" && step.page === 0) changed = changeOldest(fake, team.id);
        return Promise.resolve();
      },
    });
    expect(changed).not.toBeNull();
    const item = pulled.items.find((candidate) => candidate.id === changed);
    expect(item?.title).toBe("Renamed while the pull ran");
    const full = await pullLinearTeam(client, team);
    expect(byId(pulled.items)).toEqual(byId(full.items));
    expect(pulled.cursor).toBe(full.cursor);
  });

  it("is read again when the pull spanned two runs", async () => {
    const { fake, client, team } = await setUp();
    const store = new MemoryStore();
    const stop: LinearFault[] = [{ kind: "pass" }, { kind: "unauthorized" }];
    fake.injectOn("CapacityIssues", ...stop);
    await expect(pullLinearTeamIncrementally(client, store, team)).rejects.toThrow();
    const changed = changeOldest(fake, team.id);

    const { pulled } = await pullLinearTeamIncrementally(client, store, team);
    expect(pulled.items.find((item) => item.id === changed)?.title).toBe(
      "Renamed while the pull ran",
    );
    const { pulled: full } = await pullLinearTeamIncrementally(client, new MemoryStore(), team);
    expect(byId(pulled.items)).toEqual(byId(full.items));
  });
});
