/**
 * `POST /rest/api/3/issue/properties/multi` (Bulk set issue properties by issue) is asynchronous:
 * "303 Returned if the request is successful", with the task's absolute URL in `Location`
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-properties-multi-post).
 * The fake answers so; on both transports the client takes the 303 as accepted and sends nothing
 * more (a followed redirect would be a second request, and a point, a batch).
 */
import { describe, expect, it } from "vitest";
import { createForgeTransport } from "../../src/forge/jira-transport";
import { JiraClient } from "../../src/jira/index";
import { CATEGORY_PROPERTY_KEY } from "../../src/jira/schemas";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { forgeApiFor } from "../fakes/forge-api/index";
import { DEFAULT_USER } from "../fakes/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "./helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");

const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW });

const transports: Record<string, () => JiraClient> = {
  "the server's transport": () => clientFor(fake).client,
  "the Forge transport": () =>
    new JiraClient(
      createForgeTransport({ api: forgeApiFor(fake, { app: DEFAULT_USER, user: null }) }),
    ),
};

describe.each(Object.keys(transports))("the bulk property write over %s", (name) => {
  it("takes Jira's 303 as accepted and reads no task", async () => {
    const client = (transports[name] ?? (() => clientFor(fake).client))();
    const issues = [...fake.site.issuesById.values()].slice(0, 3);
    const value = {
      category: "investment",
      source: "explicit",
      via: null,
      updatedAt: new Date(NOW).toISOString(),
    } as const;
    for (const issue of issues) issue.properties.delete(CATEGORY_PROPERTY_KEY);
    fake.resetRequests();

    await client.setCategoryProperties(issues.map((issue) => ({ issueId: issue.id, value })));

    expect(fake.requests).toEqual({ "POST /rest/api/3/issue/properties/multi": 1 });
    for (const issue of issues) {
      expect(issue.properties.get(CATEGORY_PROPERTY_KEY)).toMatchObject({ category: "investment" });
    }
  });
});
