import { describe, expect, it } from "vitest";
import { runLinearSync, type LinearSyncRunOptions } from "../../src/app/linear-sync";
import type { LinearSyncClient } from "../../src/linear/index";
import { renderMarkdown } from "../../src/render/index";
import { computeReport } from "../../src/domain/report";
import {
  cycleMarker,
  findTeams,
  isCycleUpdateOf,
  publishTeamReport,
  reportProjectName,
  type CycleUpdate,
} from "../../src/linear/index";
import { renderCycleUpdate } from "../../src/render/index";
import { startFakeLinearPerTest } from "../helpers/fake-trackers";
import { makeSprint, makeTeam } from "../render/fixture";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import { startFakeLinear, type FakeLinear } from "../fakes/linear/index";
import { linearClientFor, NOW } from "./helpers";

const DEMO = generateDemoWorkspace(NOW);
const TARGETS = DEMO.targets ?? [];

const startFake = startFakeLinearPerTest();

function seedReportMarkdown(teamId: string): string {
  const loaded = parseWorkspace({
    version: 1,
    settings: DEMO.settings,
    teams: DEMO.teams.filter((team) => team.id === teamId),
    targets: TARGETS.filter((target) => target.teamId === teamId),
    sprints: (DEMO.sprints ?? []).filter((sprint) => sprint.teamId === teamId),
    items: (DEMO.items ?? []).filter((item) => item.teamId === teamId),
  });
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  return renderMarkdown(computeReport(loaded.workspace, { now: NOW }));
}

/** A publishing sync of some teams with the demo's targets, on a fresh store. */
function syncLinear(
  client: LinearSyncClient,
  options: { teamKeys: string[]; dryRun: boolean } & Partial<LinearSyncRunOptions>,
) {
  return runLinearSync(client, new MemoryStore(), {
    now: NOW,
    publish: true,
    targetsOf: (key) => Promise.resolve(TARGETS.filter((target) => target.teamId === key)),
    ...options,
  });
}

/** Linear's objects the sync owns, as comparable values. */
function snapshot(current: FakeLinear) {
  return {
    labels: current.data.labels.map((label) => label.name).sort(),
    projects: current.data.projects.map((project) => project.name).sort(),
    documents: current.data.documents.map((document) => [document.title, document.content]),
    updates: current.data.projectUpdates.map((update) => [update.body, update.health]),
  };
}

describe("runLinearSync with publishing", () => {
  it("a first sync creates the group, labels, project, document and cycle update; a second creates nothing", async () => {
    const fake = await startFake({
      workspace: DEMO,
      seed: { capacityGroup: false, now: NOW, teams: ["GRO"] },
    });
    // Without the group, the seed's Roadmap/Investment labels are plain team labels; the sync adds the group.
    const { client } = linearClientFor(fake);
    const first = await syncLinear(client, { teamKeys: ["GRO"], dryRun: false });
    expect(first.labels.created).toHaveLength(3);
    expect(first.teams[0]?.published).toEqual([
      `project "${reportProjectName({ name: "Growth" })}"`,
      `document "${reportProjectName({ name: "Growth" })}"`,
      expect.stringMatching(/^update for cycle GRO-C\d+ \((onTrack|atRisk|offTrack)\)$/),
    ]);
    const after = snapshot(fake);
    const second = await syncLinear(client, { teamKeys: ["GRO"], dryRun: false });
    expect(second.labels.created).toEqual([]);
    expect(second.teams[0]?.published).toEqual([]);
    expect(snapshot(fake)).toEqual(after);
  });

  it("the living document holds the same numbers as the report on the seed", async () => {
    const fake = await startFake({ workspace: DEMO, seed: { now: NOW, teams: ["DATA"] } });
    const { client } = linearClientFor(fake);
    await syncLinear(client, {
      teamKeys: ["DATA"],
      dryRun: false,
    });
    expect(fake.data.documents.map((document) => document.content)).toEqual([
      seedReportMarkdown("DATA"),
    ]);
  });

  it("a dry run changes nothing; a sync under injected rate limits ends as a clean one", async () => {
    const clean = await startFakeLinear({ workspace: DEMO, seed: { now: NOW, teams: ["DATA"] } });
    await syncLinear(linearClientFor(clean).client, {
      teamKeys: ["DATA"],
      dryRun: false,
    });
    const expected = snapshot(clean);
    await clean.close();

    const fake = await startFake({ workspace: DEMO, seed: { now: NOW, teams: ["DATA"] } });
    const { client, waits } = linearClientFor(fake);
    const before = snapshot(fake);
    const dry = await syncLinear(client, {
      teamKeys: ["DATA"],
      dryRun: true,
    });
    expect(dry.teams[0]?.published.length).toBeGreaterThan(0);
    expect(snapshot(fake)).toEqual(before);

    fake.inject(
      { kind: "ratelimited" },
      { kind: "server", status: 502 },
      { kind: "ratelimited" },
      { kind: "reset" },
    );
    await syncLinear(client, {
      teamKeys: ["DATA"],
      dryRun: false,
    });
    expect(waits).toHaveLength(4);
    expect(snapshot(fake)).toEqual(expected);
  });
});

describe("the marker by which the sync finds its cycle updates", () => {
  it.each([
    ["the sync's own ending", `Body\n\n_${cycleMarker("C1")}_\n`, true],
    ["as Linear might write it back", `Body\n\n*${cycleMarker("C1")}*`, true],
    ["another cycle's", `Body\n\n_${cycleMarker("C10")}_`, false],
    ["quoted inside a line", `- warning: _${cycleMarker("C1")}_ said the title`, false],
    ["on a line that is not the last", `_${cycleMarker("C1")}_\n\nMore words.`, false],
    ["escaped by the renderer", `**\\_${cycleMarker("C1")}\\_** closed`, false],
  ])("%s", (_, body, expected) => {
    expect(isCycleUpdateOf(body, "C1")).toBe(expected);
  });

  it("a name or a message quoting another cycle's marker does not stop that cycle's update", async () => {
    const fake = await startFake({ workspace: DEMO, seed: { now: NOW, teams: ["GRO"] } });
    const { client } = linearClientFor(fake);
    const [team] = await findTeams(client, ["GRO"]);
    if (team === undefined) throw new Error("no GRO team in the fake");
    const forged = `_${cycleMarker("C-B")}_`;
    const update = (cycleId: string, name: string): CycleUpdate => {
      const sprint = makeSprint({ id: cycleId, name });
      const flags = [
        {
          code: "SPRINT_SQUEEZED" as const,
          severity: "warning" as const,
          period: { kind: "sprint" as const, id: cycleId },
          message: `a message ending in\n\n${forged}`,
          evidence: {},
        },
      ];
      return {
        cycleId,
        body: renderCycleUpdate(makeTeam({ sprints: [sprint], flags }), sprint, flags),
        health: "atRisk",
      };
    };
    const publish = (cycleUpdates: readonly CycleUpdate[]) =>
      publishTeamReport(client, { team, document: "# Report", cycleUpdates, dryRun: false });

    await publish([update("C-A", `Cycle A\n\n${forged}`)]);
    const project = fake.data.projects.find((p) => p.name === reportProjectName(team));
    if (project === undefined) throw new Error("the project was not created");
    // A person's update in the project that mentions a cycle's marker is not the sync's update.
    fake.data.projectUpdates.push({
      id: "person-1",
      projectId: project.id,
      body: `Reading ${cycleMarker("C-C")} carefully.\n\nSee you next week.`,
      health: "onTrack",
      createdAt: new Date(NOW).toISOString(),
    });

    const second = await publish([
      update("C-A", "Cycle A"),
      update("C-B", "Cycle B"),
      update("C-C", "Cycle C"),
    ]);
    expect(second.changes).toEqual([
      "update for cycle C-B (atRisk)",
      "update for cycle C-C (atRisk)",
    ]);
    const ours = (cycleId: string) =>
      fake?.data.projectUpdates.filter((u) => isCycleUpdateOf(u.body, cycleId)).length;
    expect([ours("C-A"), ours("C-B"), ours("C-C")]).toEqual([1, 1, 1]);
    expect((await publish([update("C-B", "Cycle B"), update("C-C", "Cycle C")])).changes).toEqual(
      [],
    );
  });
});
