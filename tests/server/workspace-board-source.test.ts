import { describe, expect, it } from "vitest";
import {
  workspaceBoardSource,
  seedDemoWorkspace,
  readWorkspaceFile,
} from "../../src/server/workspace-board-source";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { listTargets } from "../../src/app/targets";
import { setTeamSettings } from "../../src/app/team-settings";

const NOW = Date.parse("2026-11-24T00:00:00Z");

async function seeded() {
  const store = new MemoryStore();
  expect(await seedDemoWorkspace(store, NOW)).toBe(true);
  return { store, source: workspaceBoardSource(store, () => NOW) };
}

describe("workspaceBoardSource", () => {
  it("seeds once, moving the demo's targets into the store's history", async () => {
    const { store } = await seeded();
    expect(await seedDemoWorkspace(store, NOW + 1000)).toBe(false);
    const { entries } = await listTargets(store, "1");
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0]?.reason).toBe("H2 planning");
  });

  it("keeps a pull that lands while the tracker is written to, and the classification too", async () => {
    const { store } = await seeded();
    const source = workspaceBoardSource(store, () => NOW, {
      // The tracker takes the write while a refresh rewrites the mirror (a new title here).
      writeThrough: async () => {
        const file = await readWorkspaceFile(store);
        await store.set(storeKeys.workspaceFile(), {
          ...file,
          items: (file.items ?? []).map((item) =>
            item.id === "PAY-2106" ? { ...item, title: "Renamed in Jira meanwhile" } : item,
          ),
        });
      },
    });
    await source.classify(1, ["PAY-2105"], "roadmap");
    const items = (await readWorkspaceFile(store)).items ?? [];
    expect(items.find((item) => item.id === "PAY-2106")?.title).toBe("Renamed in Jira meanwhile");
    expect(items.find((item) => item.id === "PAY-2105")?.labels).toContain("capacity-roadmap");
  });

  it("sets, then clears, the explicit label and answers with the new provenance", async () => {
    const { source } = await seeded();
    const [board] = await source.listBoards("PAY");
    expect(board).toMatchObject({ boardId: 1, name: "Payments" });
    const key = "PAY-2105";
    await source.classify(1, [key], "roadmap");
    const set = await source.getItem(1, key, { accountId: null, projectKey: "PAY" });
    expect(set.item).toMatchObject({ category: "roadmap", source: "explicit" });
    await source.classify(1, [key], null);
    const cleared = await source.getItem(1, key, { accountId: null, projectKey: "PAY" });
    expect(cleared.item).toMatchObject({
      category: "investment",
      source: "inherited",
      via: "PAY-2104",
    });
  });

  it("changes nothing when one of the issues is not on the board", async () => {
    const { source } = await seeded();
    await expect(source.classify(1, ["PAY-2105", "CHK-1"], "roadmap")).rejects.toThrow(/CHK-1/);
    const item = await source.getItem(1, "PAY-2105", { accountId: null, projectKey: "PAY" });
    expect(item.item.source).toBe("inherited");
  });

  it("applies the team's stored rules, timezone and weight of unestimated work", async () => {
    const { store, source } = await seeded();
    const rules = [{ if: { titleMatches: "." }, then: "roadmap" as const }];
    await setTeamSettings(store, "1", { rules, timezone: "Asia/Tokyo", unestimatedWeight: 2 });
    const team = (await source.loadWorkspace(1)).teams[0];
    expect(team).toMatchObject({ rules, timezone: "Asia/Tokyo", unestimatedWeight: 2 });
  });

  it("answers the issue panel with the deciding rule in words", async () => {
    const { store, source } = await seeded();
    const rules = [
      { if: { titleMatches: "^never$" }, then: "investment" as const },
      { if: { type: ["Story", "Task", "Bug"] }, then: "roadmap" as const },
    ];
    await setTeamSettings(store, "1", { rules });
    const file = await readWorkspaceFile(store);
    const plain = (file.items ?? []).find(
      (item) => item.teamId === file.teams[0]?.id && item.parentId == null && !item.labels?.length,
    );
    if (plain === undefined) throw new Error("the demo has no unlabelled top-level item");
    const answer = await source.getItem(1, plain.id, { accountId: null, projectKey: "PAY" });
    expect(answer.item).toMatchObject({
      source: "rule",
      via: "rule:2",
      ruleText: "type is Story or Task or Bug",
    });
  });
});
