/**
 * Jira's enhanced search is eventually consistent: "after a write operation is performed,
 * subsequent search operations … without the reconcileIssues parameter may return stale or
 * outdated data … from a few seconds to minutes", and `reconcileIssues` (up to 50 issue ids) makes
 * it consistent "only for the specified issues"
 * (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile). The fake's search
 * index here lags every write by ten minutes, longer than any test runs; its reads by key do not.
 */
import { describe, expect, it } from "vitest";
import { syncBoard, type BoardSyncPorts } from "../../src/app/board-refresh";
import { handleIssueEvent } from "../../src/app/jira-events";
import { runResolver, type CallContext } from "../../src/app/resolvers";
import { CATEGORY_PROPERTY_KEY } from "../../src/jira/schemas";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { issueMovedEvent } from "../fakes/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const LAG_MS = 10 * 60_000;
const inPay: CallContext = { accountId: "5b10ac8d82e05b22cc7d4ef5", projectKey: "PAY" };

let boardId: number;
const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW }, (started) => {
  boardId = started.site.boardIdOf.get("PAY") ?? 0;
});

/** A board synced whole before the index starts lagging, and a clock a minute on. */
async function synced() {
  fake.site.searchLagMs = 0;
  const store = new MemoryStore();
  const clock = { now: NOW };
  const ports: BoardSyncPorts & { enqueue: () => Promise<void> } = {
    jira: clientFor(fake).client,
    store,
    now: () => clock.now,
    enqueue: () => Promise.resolve(),
  };
  expect(await syncBoard(boardId, ports)).toMatchObject({ status: "done", kind: "full" });
  fake.site.searchLagMs = LAG_MS;
  clock.now += 60_000;
  return { store, clock, ports };
}

/** PAY issues without children whose category was last written as `category`. */
const payIssues = (category: string) =>
  [...fake.site.issuesByKey.values()].filter(
    (issue) =>
      issue.projectKey === "PAY" &&
      ![...fake.site.issuesByKey.values()].some((other) => other.parentKey === issue.key) &&
      categoryOf(issue.key) === category,
  );

const categoryOf = (key: string): unknown =>
  (fake.site.issuesByKey.get(key)?.properties.get(CATEGORY_PROPERTY_KEY) as { category?: string })
    ?.category;

describe("a refresh over a search index that lags writes", () => {
  it("counts an issue classified on the panel in the refresh that follows", async () => {
    const { ports, clock } = await synced();
    const [issue] = payIssues("roadmap");
    if (!issue) throw new Error("no roadmap issue on PAY");
    const answer = await runResolver(
      "item/classify",
      { boardId, issueKeys: [issue.key], category: "investment" },
      inPay,
      { jira: ports.jira, store: ports.store, now: ports.now },
    );
    expect(answer).toMatchObject({ ok: true });
    expect(issue.labels).toContain("capacity-investment");

    clock.now += 5_000;
    const refresh = await syncBoard(boardId, ports);
    expect(refresh).toMatchObject({ status: "done", kind: "incremental", issuesRead: 1 });
    // The sync wrote the issue's new category: the report counts it as investment now.
    expect(categoryOf(issue.key)).toBe("investment");
  });

  it("counts every issue of a classify bigger than one search may reconcile", async () => {
    const { ports, clock } = await synced();
    const picked = payIssues("roadmap").slice(0, 80);
    expect(picked).toHaveLength(80);
    for (const batch of [picked.slice(0, 50), picked.slice(50)]) {
      const answer = await runResolver(
        "item/classify",
        { boardId, issueKeys: batch.map((issue) => issue.key), category: "investment" },
        inPay,
        { jira: ports.jira, store: ports.store, now: ports.now },
      );
      expect(answer).toMatchObject({ ok: true });
    }

    clock.now += 5_000;
    fake.resetRequests();
    const refresh = await syncBoard(boardId, ports);
    expect(refresh).toMatchObject({ status: "done", kind: "incremental", issuesRead: 80 });
    expect(picked.map((issue) => categoryOf(issue.key))).toEqual(picked.map(() => "investment"));
    // The refresh's search reconciles 50; one more search by id settles the other 30.
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBe(2);
  });

  it("drops an issue moved to another project while the index still has it on the board", async () => {
    const { ports, clock } = await synced();
    const [toMove] = payIssues("roadmap");
    if (!toMove) throw new Error("no PAY issue");
    const moved = fake.site.moveIssue(toMove, "OPS", Date.now());
    await handleIssueEvent(issueMovedEvent(fake, moved), ports);

    clock.now += 5_000;
    const refresh = await syncBoard(boardId, ports);
    expect(refresh).toMatchObject({ status: "done", kind: "incremental", left: 1 });
    const keys =
      refresh.status === "done"
        ? (refresh.report.teams[0]?.items.map((item) => item.id) ?? [])
        : [];
    expect(keys).not.toContain(toMove.key);
    expect(keys).not.toContain(moved.key);
  });
});
