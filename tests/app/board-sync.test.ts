import { describe, expect, it } from "vitest";
import { getSprintSnapshot, type SyncPorts } from "../../src/app/board-sync";
import { syncBoard } from "../../src/app/board-refresh";
import { handleSprintEvent } from "../../src/app/jira-events";
import { runResolver } from "../../src/app/resolvers";
import type { Report } from "../../src/domain/types";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const seed = generateDemoWorkspace(NOW);
let boardId: number;
const fake = useFakeJira({ workspace: seed, now: NOW }, (started) => {
  boardId = boardIdOf(started, "PAY");
});

const portsWith = (store: MemoryStore): SyncPorts => ({
  jira: clientFor(fake).client,
  store,
  now: () => NOW,
});

describe("sprint events", () => {
  it("records a started sprint's committed split exactly as the report computes it", async () => {
    const store = new MemoryStore();
    const ports = portsWith(store);
    await syncBoard(boardId, ports);
    const report = await runResolver(
      "report/get",
      { boardId },
      { accountId: null, projectKey: "PAY" },
      ports,
    );
    if (!report.ok) throw new Error(report.error.message);
    const active = (report.data as Report).teams[0]?.sprints.find((s) => s.state === "active");
    if (!active) throw new Error("no active sprint");
    const snapshot = await handleSprintEvent(
      { sprint: { id: Number(active.id), originBoardId: boardId } },
      "started",
      ports,
    );
    expect(snapshot?.split).toEqual(active.committed);
    expect(await getSprintSnapshot(store, active.id, "started")).toEqual(snapshot);
    expect(await handleSprintEvent({ sprint: { id: "x" } }, "started", ports)).toBeNull();
  });
});
