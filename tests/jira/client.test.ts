import { describe, expect, it } from "vitest";
import {
  AuthError,
  BadRequestError,
  NotFoundError,
  UpstreamError,
  type BoardContext,
} from "../../src/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { clientFor, paymentsBoard12 } from "./helpers";

const READ_ONLY = {
  email: "viewer@example.com",
  token: "viewer-token",
  permissions: { EDIT_ISSUES: false, ADMINISTER_PROJECTS: false, ADMINISTER: false },
  hiddenIssues: ["PAY-2105"],
};

describe("JiraClient against the fake", () => {
  let context: BoardContext;
  const fake = useFakeJira(
    paymentsBoard12([{ email: "bot@example.com", token: "bot-token" }, READ_ONLY]),
    async (started) => {
      context = await clientFor(started).client.getBoardContext(12);
    },
  );

  it("finds the sprint field by its type and the estimate field from the board, not by a fixed id", () => {
    expect(context).toMatchObject({
      board: { id: 12, name: "Payments board", type: "scrum", projectKey: "PAY" },
      jql: "project = PAY ORDER BY Rank ASC",
      sprintFieldId: "customfield_12345",
      // Not the decoy "Story Points" field (customfield_10002) that the board does not use.
      estimateFieldId: "customfield_13579",
      unit: "points",
    });
    expect(context.statuses.map((status) => status.statusCategory.key)).toContain("indeterminate");
  });

  it("says which credentials to check when Jira rejects them (401), and does not retry", async () => {
    const { client, waits } = clientFor(fake, { token: "expired" });
    const error = await client.getBoard(12).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({
      code: "JIRA_UNAUTHORIZED",
      message: `Jira rejected the credentials: check JIRA_EMAIL and JIRA_API_TOKEN for ${fake.url}.`,
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(waits).toEqual([]);
  });

  it("says what permission is missing (403)", async () => {
    const { client } = clientFor(fake, { email: READ_ONLY.email, token: READ_ONLY.token });
    const error = await client
      .setCategoryLabel("PAY-2106", "investment", {
        roadmap: "capacity-roadmap",
        investment: "capacity-investment",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({
      code: "JIRA_FORBIDDEN",
      message: `The Jira account lacks permission to edit the labels of PAY-2106 on ${fake.url}: ask a Jira administrator for it, or use an account that has it. Jira said: You do not have permission to edit issues in this project.`,
    });
    expect(fake.site.issue("PAY-2106")?.labels).toEqual([]);
  });

  it("says what was not found (404), and does not retry", async () => {
    const { client, waits } = clientFor(fake);
    const error = await client.getBoard(404).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      code: "JIRA_NOT_FOUND",
      message: `Jira could not read board 404 on ${fake.url}: it does not exist or the account cannot see it. Check the id and the account's project access. Jira said: Board does not exist or you do not have permission to see it.`,
    });
    expect(waits).toEqual([]);
  });

  it("refuses an answer of the wrong shape without retrying, naming what is wrong", async () => {
    const { client, waits } = clientFor(fake);
    fake.inject({ kind: "wrong-shape", endpoint: "GET /rest/agile/1.0/board/{boardId}" });
    const error = await client.getBoard(12).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: "JIRA_MALFORMED_RESPONSE", retryable: false });
    expect((error as Error).message).toMatch(
      /^Jira's answer to GET \/rest\/agile\/1.0\/board\/12 \(to read board 12\) is not what its documentation describes: id: .*Is http:\/\/127.0.0.1:\d+ a Jira Cloud site\?$/,
    );
    expect(waits).toEqual([]);
  });

  it("knows the old search endpoint is gone", async () => {
    const { client } = clientFor(fake);
    // The client never calls it; the fake answers like Jira so a stale client would find out.
    const response = await client.transport.send({
      method: "POST",
      path: { parts: ["/rest/api/3/search"], params: [] },
      body: { jql: "project = PAY" },
    });
    expect(response.status).toBe(410);
  });

  it("reads one issue in one request: the item, its sprints and its property", async () => {
    const { client } = clientFor(fake);
    await client.setCategoryProperty("PAY-2105", {
      category: "investment",
      source: "inherited",
      via: "PAY-2104",
      updatedAt: "2026-11-24T00:00:00.000Z",
    });
    fake.resetRequests();
    const snapshot = await client.getIssue("PAY-2105", { ...context, teamId: "12" });
    expect(fake.totalRequests()).toBe(1);
    expect(snapshot.item).toMatchObject({
      id: "PAY-2105",
      teamId: "12",
      title: "Retire the legacy ledger service: dashboards",
      type: "Task",
      project: "PAY",
      parentId: "PAY-2104",
      estimate: 1,
      status: "done",
      components: ["Ledger"],
      sprintIds: [String(fake.site.sprintIdOf.get("PAY-S41"))],
      history: [],
    });
    expect(snapshot.sprints).toEqual([
      {
        id: fake.site.sprintIdOf.get("PAY-S41"),
        name: "PAY Sprint 41",
        state: "closed",
        boardId: 12,
      },
    ]);
    expect(snapshot.property).toEqual({
      category: "investment",
      source: "inherited",
      via: "PAY-2104",
      updatedAt: "2026-11-24T00:00:00.000Z",
    });
    expect(await client.getCategoryProperty("PAY-2105")).toEqual(snapshot.property);
    expect(await client.getCategoryProperty("PAY-2106")).toBeNull();
  });

  it("refuses to write a property value that is not the documented shape", async () => {
    const { client } = clientFor(fake);
    const bad = { category: "maybe", source: "none", via: null, updatedAt: "yesterday" };
    // @ts-expect-error: the point is a value the type would not allow
    await expect(client.setCategoryProperty("PAY-2105", bad)).rejects.toThrow();
  });

  it("checks the caller's permissions in a project", async () => {
    const admin = clientFor(fake).client;
    const viewer = clientFor(fake, { email: READ_ONLY.email, token: READ_ONLY.token }).client;
    const keys = ["ADMINISTER_PROJECTS", "EDIT_ISSUES"];
    expect(await admin.getMyPermissions("PAY", keys)).toEqual({
      ADMINISTER_PROJECTS: true,
      EDIT_ISSUES: true,
    });
    expect(await viewer.getMyPermissions("PAY", keys)).toEqual({
      ADMINISTER_PROJECTS: false,
      EDIT_ISSUES: false,
    });
    await expect(admin.getMyPermissions("NOPE", keys)).rejects.toBeInstanceOf(NotFoundError);
    expect(await admin.getMyPermissions(null, ["ADMINISTER"])).toEqual({ ADMINISTER: true });
    expect(await viewer.getMyPermissions(null, ["ADMINISTER"])).toEqual({ ADMINISTER: false });
    await expect(admin.getMyPermissions("PAY", ["FLY"])).rejects.toBeInstanceOf(BadRequestError);
  });

  it("asks in bulk which issues the caller may browse, in chunks of the documented 1000", async () => {
    const viewer = clientFor(fake, { email: READ_ONLY.email, token: READ_ONLY.token }).client;
    const admin = clientFor(fake).client;
    const idOf = (key: string): string => {
      const issue = fake.site.issuesByKey.get(key);
      if (!issue) throw new Error(`no ${key} in the fake`);
      return issue.id;
    };
    const asked = [idOf("PAY-2104"), idOf("PAY-2105"), idOf("PAY-2106"), "99999999"];
    fake.resetRequests();
    expect(await viewer.browsableIssues(asked)).toEqual(
      new Set([idOf("PAY-2104"), idOf("PAY-2106")]),
    );
    expect(await admin.browsableIssues(asked)).toEqual(new Set(asked.slice(0, 3)));
    expect(fake.requests["POST /rest/api/3/permissions/check"]).toBe(2);

    // Every issue of the site and ids Jira does not know, 2500 in all: three requests.
    const known = [...fake.site.issuesById.keys()];
    const unknown = Array.from({ length: 2500 - known.length }, (_, i) => String(90_000_000 + i));
    fake.resetRequests();
    expect(await admin.browsableIssues([...unknown, ...known])).toEqual(new Set(known));
    expect(fake.requests["POST /rest/api/3/permissions/check"]).toBe(3);
    await expect(admin.browsableIssues(["PAY-1"])).rejects.toThrow(/Not a Jira issue id/);
    expect(await admin.browsableIssues([])).toEqual(new Set());
  });
});
