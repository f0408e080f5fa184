import { describe, expect, it } from "vitest";
import {
  bootstrapCapacityLabels,
  pullLinearTeam,
  findTeams,
  setIssueCategory,
} from "../../src/linear/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { startFakeLinearPerTest } from "../helpers/fake-trackers";
import { linearClientFor, NOW } from "./helpers";

const DEMO = generateDemoWorkspace(NOW);
const startFake = startFakeLinearPerTest();

describe("bootstrapCapacityLabels", () => {
  it("creates the group and its children once; a second run creates nothing", async () => {
    const fake = await startFake({
      workspace: { ...DEMO, items: [] },
      seed: { capacityGroup: false, now: NOW },
    });
    const { client } = linearClientFor(fake);
    const first = await bootstrapCapacityLabels(client);
    expect(first.created).toEqual(["Capacity", "Capacity › Roadmap", "Capacity › Investment"]);
    const second = await bootstrapCapacityLabels(client);
    expect(second.created).toEqual([]);
    expect(second).toMatchObject({
      groupId: first.groupId,
      roadmapId: first.roadmapId,
      investmentId: first.investmentId,
    });
    expect(fake.data.labels.map((label) => label.name).sort()).toEqual([
      "Capacity",
      "Investment",
      "Roadmap",
    ]);
  });

  it("a dry run reports what it would create and creates nothing", async () => {
    const fake = await startFake({
      workspace: { ...DEMO, items: [] },
      seed: { capacityGroup: false, now: NOW },
    });
    const { client } = linearClientFor(fake);
    const plan = await bootstrapCapacityLabels(client, { dryRun: true });
    expect(plan.created).toEqual(["Capacity", "Capacity › Roadmap", "Capacity › Investment"]);
    expect(fake.data.labels).toEqual([]);
    expect(fake.operations()).not.toContain("CapacityLabelCreate");
  });

  it("finds the seeded group by name, whatever its case, under rate limits", async () => {
    const fake = await startFake({ workspace: DEMO, seed: { now: NOW } });
    const { client, waits } = linearClientFor(fake);
    fake.inject({ kind: "ratelimited" }, { kind: "ratelimited" });
    const labels = await bootstrapCapacityLabels(client, {
      config: { group: "capacity", roadmap: "roadmap", investment: "INVESTMENT" },
    });
    expect(labels.created).toEqual([]);
    expect(waits).toHaveLength(2);
  });
});

describe("setIssueCategory", () => {
  it("swaps the two labels, touches no other label, and a repeat changes nothing", async () => {
    const fake = await startFake({ workspace: DEMO, seed: { now: NOW } });
    const { client } = linearClientFor(fake);
    const ids = await bootstrapCapacityLabels(client);
    if (ids.roadmapId === null || ids.investmentId === null) throw new Error("labels missing");
    const labelIds = { roadmapId: ids.roadmapId, investmentId: ids.investmentId };
    const issue = fake.data.issues.find(
      (candidate) =>
        candidate.labelIds.includes(labelIds.roadmapId) && candidate.labelIds.length > 1,
    );
    if (issue === undefined) throw new Error("no roadmap issue with another label");
    const others = issue.labelIds.filter((id) => id !== labelIds.roadmapId);
    const historyBefore = fake.data.history.length;

    const after = await setIssueCategory(client, issue.id, "investment", labelIds);
    expect([...after].sort()).toEqual([...others, labelIds.investmentId].sort());
    await setIssueCategory(client, issue.id, "investment", labelIds);
    expect([...issue.labelIds].sort()).toEqual([...others, labelIds.investmentId].sort());
    // One change recorded: the repeat was a no-op.
    expect(fake.data.history.length).toBe(historyBefore + 1);
  });

  it("the pulled workspace sees the new label after a classify", async () => {
    const fake = await startFake({ workspace: DEMO, seed: { now: NOW } });
    const { client } = linearClientFor(fake);
    const ids = await bootstrapCapacityLabels(client);
    if (ids.roadmapId === null || ids.investmentId === null) throw new Error("labels missing");
    const issue = fake.data.issues.find((candidate) => candidate.labelIds.length === 0);
    if (issue === undefined) throw new Error("no unlabelled issue");
    await setIssueCategory(client, issue.id, "roadmap", {
      roadmapId: ids.roadmapId,
      investmentId: ids.investmentId,
    });
    const [team] = await findTeams(client, [
      fake.data.teams.find((t) => t.id === issue.teamId)?.key ?? "",
    ]);
    if (team === undefined) throw new Error("no team");
    const pulled = await pullLinearTeam(client, team);
    expect(pulled.items.find((item) => item.id === issue.identifier)?.labels).toEqual(["Roadmap"]);
  });
});
