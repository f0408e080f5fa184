/**
 * Archived issues and labels (linear.app/docs/archive-issues: "Archived issues cannot be edited
 * until restored"; closed issues are archived after the team's chosen months). The fake refuses
 * label edits on archived issues and keeps archived labels, read with `includeArchived`.
 */
import { describe, expect, it } from "vitest";
import { bootstrapCapacityLabels } from "../../src/linear/index";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { startFakeLinearPerTest } from "../helpers/fake-trackers";
import { linearClientFor, NOW, syncOnFake } from "./helpers";

const DEMO = generateDemoWorkspace(NOW);

describe("archived Linear issues and labels", () => {
  const startFake = startFakeLinearPerTest();

  it("write-back plans no label on an archived issue, so a run over them succeeds", async () => {
    const fake = await startFake({
      workspace: DEMO,
      seed: { now: NOW, teams: ["GRO"], autoArchiveMonths: { GRO: 1 } },
    });
    const archived = new Set(
      fake.data.issues.filter((issue) => issue.archivedAt).map((issue) => issue.identifier),
    );
    expect(archived.size).toBeGreaterThan(0);
    const dry = await syncOnFake(fake, new MemoryStore(), { dryRun: true, writeBack: true });
    const planned = dry.teams.flatMap((team) => team.wroteBack);
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.filter((write) => archived.has(write.split(" ")[0] ?? ""))).toEqual([]);
    // Archived issues still count: they are the team's past work.
    const items = new Set((dry.workspace.items ?? []).map((item) => item.id));
    expect([...archived].every((id) => items.has(id))).toBe(true);

    const run = await syncOnFake(fake, new MemoryStore(), { writeBack: true });
    expect(run.teams[0]?.wroteBack).toEqual(dry.teams[0]?.wroteBack);
  });

  it("prefers a live label to an archived one of the same name", async () => {
    const fake = await startFake({ workspace: DEMO, seed: { now: NOW, teams: ["GRO"] } });
    const group = fake.data.labels.find((label) => label.isGroup && label.name === "Capacity");
    const live = fake.data.labels.find(
      (label) => label.parentId === group?.id && label.name === "Roadmap",
    );
    if (group === undefined || live === undefined) throw new Error("no Capacity labels seeded");
    // An older label of the same name, archived, listed first.
    fake.data.labels.unshift({
      ...live,
      id: "label-archived-roadmap",
      createdAt: "2024-01-01T00:00:00.000Z",
      archivedAt: "2025-01-01T00:00:00.000Z",
    });
    const { client } = linearClientFor(fake);
    const labels = await bootstrapCapacityLabels(client, {
      directory: await client.listLabels({}),
    });
    expect(labels.roadmapId).toBe(live.id);
    const queried = await bootstrapCapacityLabels(client);
    expect(queried.roadmapId).toBe(live.id);
  });
});
