import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getSprintSnapshot,
  recomputeBoard,
  rememberBoard,
  type SyncPorts,
} from "../../src/app/board-sync";
import { handleIssueEvent, handleSprintEvent } from "../../src/app/jira-events";
import { runResolver } from "../../src/app/resolvers";
import type { Report } from "../../src/domain/types";
import { MemoryStore } from "../../src/store/memory-store";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { startFakeJira, type FakeJira } from "../fakes/jira/index";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const seed = generateDemoWorkspace(NOW);
let fake: FakeJira;
let boardId: number;
beforeAll(async () => {
  fake = await startFakeJira({ workspace: seed, now: NOW });
  boardId = fake.site.boardIdOf.get("PAY") ?? 0;
});
afterAll(async () => fake.close());

const portsWith = (store: MemoryStore): SyncPorts => ({
  jira: clientFor(fake).client,
  store,
  now: () => NOW,
});
const properties = () =>
  new Map(
    [...fake.site.issuesByKey.values()]
      .filter((i) => i.projectKey === "PAY")
      .map((i) => [i.key, i.properties.get("capacity-split")]),
  );

describe("recomputing a board", () => {
  it("writes every item's category once, then only what changed, even through failures", async () => {
    const store = new MemoryStore();
    fake.inject({
      kind: "status",
      status: 500,
      endpoint: "PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
      times: 3,
    });
    fake.inject({
      kind: "status",
      status: 429,
      retryAfter: "1",
      endpoint: "PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
      times: 2,
    });
    const first = await recomputeBoard(boardId, portsWith(store));
    expect(first.propertiesWritten).toBe(first.items);
    const written = properties();
    expect([...written.values()].every((value) => value !== undefined)).toBe(true);

    const again = await recomputeBoard(boardId, portsWith(store));
    expect(again.propertiesWritten).toBe(0);

    // Relabelling an epic moves its children: they inherit (SPEC §3).
    const epic = [...fake.site.issuesByKey.values()].find(
      (i) =>
        i.projectKey === "PAY" && i.issueType === "Epic" && i.labels.includes("capacity-roadmap"),
    );
    if (!epic) throw new Error("no roadmap epic in PAY");
    const children = [...fake.site.issuesByKey.values()].filter(
      (i) => i.parentKey === epic.key && i.labels.length === 0,
    );
    expect(children.length).toBeGreaterThan(0);
    epic.labels = ["capacity-investment"];
    const moved = await recomputeBoard(boardId, portsWith(store));
    expect(moved.propertiesWritten).toBeGreaterThanOrEqual(1 + children.length);
    for (const child of children) {
      expect(child.properties.get("capacity-split")).toMatchObject({
        category: "investment",
        source: "inherited",
        via: epic.key,
      });
    }
  });
});

describe("Jira events", () => {
  it("queues the project's boards only for changes that can move a category", async () => {
    const store = new MemoryStore();
    await rememberBoard(store, { boardId, projectKey: "PAY" });
    const queued: number[] = [];
    const ports = {
      ...portsWith(store),
      enqueue: (id: number) => Promise.resolve(void queued.push(id)),
      appAccountId: "app-account",
    };
    const event = (items: { field: string }[], atlassianId = "someone") => ({
      eventType: "avi:jira:updated:issue",
      atlassianId,
      issue: { key: "PAY-7", fields: { project: { key: "PAY" } } },
      changelog: { items },
    });
    expect((await handleIssueEvent(event([{ field: "description" }]), ports)).action).toBe(
      "ignored",
    );
    expect(
      (await handleIssueEvent(event([{ field: "labels" }], "app-account"), ports)).action,
    ).toBe("ignored");
    expect(await handleIssueEvent(event([{ field: "labels" }]), ports)).toEqual({
      action: "queued",
      reason: "recompute of PAY's boards",
      boardIds: [boardId],
    });
    expect(await handleIssueEvent({ nonsense: true }, ports)).toMatchObject({ action: "ignored" });
    expect(queued).toEqual([boardId]);
  });

  it("records a started sprint's committed split exactly as the report computes it", async () => {
    const store = new MemoryStore();
    const ports = portsWith(store);
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
