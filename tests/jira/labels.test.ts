import { describe, expect, it } from "vitest";
import { planLabelUpdate, type BoardContext } from "../../src/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { clientFor, paymentsBoard12 } from "./helpers";

const LABELS = { roadmap: "capacity-roadmap", investment: "capacity-investment" };

describe("planLabelUpdate (SPEC §3)", () => {
  it.each([
    [["ux"], "investment", [], ["capacity-investment"], ["ux", "capacity-investment"]],
    [
      ["ux", "capacity-roadmap"],
      "investment",
      ["capacity-roadmap"],
      ["capacity-investment"],
      ["ux", "capacity-investment"],
    ],
    [["capacity-investment", "ux"], "investment", [], [], ["capacity-investment", "ux"]],
    // The issue's own spelling counts and is what gets removed.
    [["Capacity-Investment"], "investment", [], [], ["Capacity-Investment"]],
    [
      ["Capacity-Roadmap", "capacity-ROADMAP"],
      "investment",
      ["Capacity-Roadmap", "capacity-ROADMAP"],
      ["capacity-investment"],
      ["capacity-investment"],
    ],
    [
      ["capacity-roadmap", "capacity-investment", "ux"],
      null,
      ["capacity-roadmap", "capacity-investment"],
      [],
      ["ux"],
    ],
    [["ux"], null, [], [], ["ux"]],
  ] as const)("%j → %s: remove %j, add %j", (current, category, remove, add, after) => {
    expect(planLabelUpdate(current, category, LABELS)).toEqual({ remove, add, labels: after });
  });
});

describe("setCategoryLabel against the fake", () => {
  let context: BoardContext;
  const fake = useFakeJira(paymentsBoard12(), async (started) => {
    context = await clientFor(started).client.getBoardContext(12);
  });

  const labelsInSearch = async (key: string) => {
    const { client } = clientFor(fake);
    for (let token: string | null = null; ;) {
      const page = await client.searchIssues(context.jql, context, token);
      const found = page.issues.find((issue) => issue.key === key);
      if (found) return found.labels;
      token = page.nextPageToken;
      if (token === null) throw new Error(`${key} not found`);
    }
  };

  it("swaps the category label, keeps every other label, and a later search sees it", async () => {
    const { client } = clientFor(fake);
    const issue = fake.site.issue("PAY-2106");
    if (!issue) throw new Error("seed changed");
    issue.labels = ["customer-reported", "capacity-roadmap", "q4"];
    const change = await client.setCategoryLabel("PAY-2106", "investment", LABELS);
    expect(change).toEqual({
      changed: true,
      added: ["capacity-investment"],
      removed: ["capacity-roadmap"],
      labels: ["customer-reported", "q4", "capacity-investment"],
    });
    expect(await labelsInSearch("PAY-2106")).toEqual([
      "customer-reported",
      "q4",
      "capacity-investment",
    ]);
  });

  it("changes nothing when asked again: one read, no write, no duplicate", async () => {
    const { client } = clientFor(fake);
    fake.resetRequests();
    const again = await client.setCategoryLabel("PAY-2106", "investment", LABELS);
    expect(again.changed).toBe(false);
    expect(fake.requests).toEqual({ "GET /rest/api/3/issue/{issueIdOrKey}": 1 });
    expect(fake.site.issue("PAY-2106")?.labels).toEqual([
      "customer-reported",
      "q4",
      "capacity-investment",
    ]);
  });

  it("keeps an existing label in another spelling instead of adding a second one", async () => {
    const { client } = clientFor(fake);
    const issue = fake.site.issue("PAY-2107");
    if (!issue) throw new Error("seed changed");
    issue.labels = ["Capacity-Roadmap"];
    expect((await client.setCategoryLabel("PAY-2107", "roadmap", LABELS)).changed).toBe(false);
    await client.setCategoryLabel("PAY-2107", "investment", LABELS);
    expect(issue.labels).toEqual(["capacity-investment"]);
  });

  it("clears both labels and nothing else", async () => {
    const { client } = clientFor(fake);
    const issue = fake.site.issue("PAY-2108");
    if (!issue) throw new Error("seed changed");
    issue.labels = ["capacity-roadmap", "keep-me", "CAPACITY-INVESTMENT"];
    await client.setCategoryLabel("PAY-2108", null, LABELS, { currentLabels: issue.labels });
    expect(issue.labels).toEqual(["keep-me"]);
  });

  it("ends with exactly the right labels under injected 429s and 500s, however often it is retried", async () => {
    const { client, waits } = clientFor(fake);
    const keys = ["PAY-2110", "PAY-2111", "PAY-2112", "PAY-2113"];
    for (const key of keys) {
      const issue = fake.site.issue(key);
      if (issue) issue.labels = ["team-a", "capacity-roadmap"];
    }
    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "PUT /rest/api/3/issue/{issueIdOrKey}",
      retryAfter: "1",
      times: 3,
    });
    fake.inject({
      kind: "status",
      status: 500,
      endpoint: "GET /rest/api/3/issue/{issueIdOrKey}",
      times: 2,
    });
    await Promise.all(keys.map((key) => client.setCategoryLabel(key, "investment", LABELS)));
    // A repeat of the whole run changes nothing.
    await Promise.all(keys.map((key) => client.setCategoryLabel(key, "investment", LABELS)));
    for (const key of keys)
      expect(fake.site.issue(key)?.labels).toEqual(["team-a", "capacity-investment"]);
    expect(waits).toHaveLength(5);
  });

  it("writes label changes to the changelog, as Jira does", () => {
    const issue = fake.site.issue("PAY-2106");
    expect(issue?.histories.at(-1)?.items[0]).toMatchObject({
      fieldId: "labels",
      fromString: "customer-reported capacity-roadmap q4",
      toString: "customer-reported q4 capacity-investment",
    });
  });
});
