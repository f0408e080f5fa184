/**
 * A board over a filter with no search restriction (Jira's "all issues" board, `ORDER BY Rank
 * ASC`): Jira's enhanced search "requires a bounded query. A bounded query is a query with a search
 * restriction" (REST v3 `SearchAndReconcileRequestBean.jql`), and the fake refuses it as Jira does.
 * The pull says what to change, before spending a request on a search Jira would refuse.
 */
import { describe, expect, it } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "./helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW });

describe("a board whose filter has no search restriction", () => {
  it("fails its pull saying to add a restriction to the board's filter, with no search sent", async () => {
    const boardId = fake.site.boardIdOf.get("PAY") ?? 0;
    const filterId = fake.site.boards.get(boardId)?.filterId ?? "";
    const filter = fake.site.filters.get(filterId);
    if (!filter) throw new Error("no filter");
    fake.site.filters.set(filterId, { ...filter, jql: "ORDER BY Rank ASC" });
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
});
