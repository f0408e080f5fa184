/**
 * A board over a filter with no search restriction (Jira's "all issues" board, `ORDER BY Rank
 * ASC`): Jira's enhanced search "requires a bounded query. A bounded query is a query with a search
 * restriction" (REST v3 `SearchAndReconcileRequestBean.jql`), and the fake refuses it as Jira does.
 * The pull says what to change, before spending a request on a search Jira would refuse, and the
 * project page says the same instead of a progress that never moves.
 */
import { describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { runResolver } from "../../src/app/resolvers";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "./helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
/** The Payments board's filter as Jira's "all issues" board has it. */
const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW }, (started) => {
  const filterId = started.site.boards.get(started.site.boardIdOf.get("PAY") ?? 0)?.filterId;
  const filter = started.site.filters.get(filterId ?? "");
  if (!filter) throw new Error("no filter");
  started.site.filters.set(filter.id, { ...filter, jql: "ORDER BY Rank ASC" });
});

describe("a board whose filter has no search restriction", () => {
  it("fails its pull saying to add a restriction to the board's filter, with no search sent", async () => {
    const boardId = fake.site.boardIdOf.get("PAY") ?? 0;
    fake.resetRequests();

    const error = await clientFor(fake)
      .client.pullBoard(boardId)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: "JIRA_BAD_REQUEST" });
    expect((error as Error).message).toMatch(
      /filter has no search restriction \(its query is "ORDER BY Rank ASC"\).*Add a restriction to the board's filter/,
    );
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBeUndefined();
  });

  it("is answered on the project page with what to change, after its sync failed", async () => {
    const boardId = fake.site.boardIdOf.get("PAY") ?? 0;
    const jira = clientFor(fake).client;
    const store = new MemoryStore();
    await expect(syncBoard(boardId, { jira, store, now: () => NOW })).rejects.toThrow(
      /no search restriction/,
    );
    const answer = await runResolver(
      "report/get",
      { boardId },
      { accountId: "5b10ac8d82e05b22cc7d4ef5", projectKey: "PAY" },
      { jira, store, now: () => NOW },
    );
    expect(answer).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(answer.ok ? "" : answer.error.message).toMatch(
      /^Board \d+: The board's filter has no search restriction.*Add a restriction to the board's filter/,
    );
  });
});
