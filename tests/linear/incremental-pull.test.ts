import { describe, expect, it } from "vitest";
import { pullLinearTeamIncrementally } from "../../src/app/linear-incremental-pull";
import { findTeams, pullLinearTeam } from "../../src/linear/index";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { useFakeLinear } from "../helpers/fake-trackers";
import { linearClientFor, NOW } from "./helpers";

describe("pullLinearTeamIncrementally", () => {
  const fake = useFakeLinear({
    workspace: generateDemoWorkspace(NOW),
    seed: { now: NOW, teams: ["GRO"] },
  });

  it("stores state and cursor; the next run reads only what changed and equals a full pull", async () => {
    const store = new MemoryStore();
    const { client } = linearClientFor(fake);
    const [team] = await findTeams(client, ["GRO"]);
    if (team === undefined) throw new Error("no team");
    const first = await pullLinearTeamIncrementally(client, store, team);
    expect(first.changed).toBe(first.pulled.items.length);
    expect(await store.get(storeKeys.linearCursor("GRO"))).toBe(first.pulled.cursor);

    const issue = fake.data.issues[3];
    if (issue === undefined) throw new Error("no issue");
    issue.estimate = 5;
    issue.updatedAt = new Date(Date.parse(first.pulled.cursor ?? "") + 5_000).toISOString();
    // A run that dies on the way saves nothing, so the next one reads the same change again.
    fake.inject({ kind: "server", status: 500 }, { kind: "server", status: 500 });
    fake.inject({ kind: "server", status: 500 }, { kind: "server", status: 500 });
    fake.inject({ kind: "server", status: 500 }, { kind: "server", status: 500 });
    await expect(pullLinearTeamIncrementally(client, store, team)).rejects.toThrow();
    expect(await store.get(storeKeys.linearCursor("GRO"))).toBe(first.pulled.cursor);

    const second = await pullLinearTeamIncrementally(client, store, team);
    expect(second.changed).toBe(1);
    const full = await pullLinearTeam(client, team);
    const byId = <T extends { id: string }>(list: readonly T[]) =>
      [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(second.pulled.items)).toEqual(byId(full.items));
  });
});
