import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createNodeTransport, jiraPath, normalizeSite } from "../../src/jira/index";
import { buildPath } from "../../src/jira/node-transport";
import { describePath, pathPattern } from "../../src/jira/transport";
import { useFakeJira } from "../helpers/fake-trackers";
import { paymentsBoard12 } from "./helpers";

describe("jiraPath", () => {
  it("keeps literal parts and values apart", () => {
    const key = "PAY-7";
    const path = jiraPath`/rest/api/3/issue/${key}/properties/${"capacity-split"}`;
    expect(path).toEqual({
      parts: ["/rest/api/3/issue/", "/properties/", ""],
      params: ["PAY-7", "capacity-split"],
    });
    expect(pathPattern(path)).toBe("/rest/api/3/issue/{0}/properties/{1}");
    expect(describePath(path)).toBe("/rest/api/3/issue/PAY-7/properties/capacity-split");
  });
});

describe("the Node transport", () => {
  it("encodes every path value and query value, joining lists with commas", () => {
    const hostile = "../admin?x=1#";
    expect(
      buildPath({
        method: "GET",
        path: jiraPath`/rest/api/3/issue/${hostile}`,
        query: {
          fields: ["labels", "summary"],
          properties: "capacity-split",
          skipped: undefined,
          maxResults: 50,
        },
      }),
    ).toBe(
      "/rest/api/3/issue/..%2Fadmin%3Fx%3D1%23?fields=labels%2Csummary&properties=capacity-split&maxResults=50",
    );
    expect(() => buildPath({ method: "GET", path: jiraPath`/x`, query: { "a&b": 1 } })).toThrow(
      /Invalid Jira query parameter name/,
    );
  });

  it.each([
    ["https://example.atlassian.net/", "https://example.atlassian.net"],
    ["https://example.atlassian.net/jira/software", "https://example.atlassian.net"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
  ])("normalises the site %s", (site, expected) => {
    expect(normalizeSite(site)).toBe(expected);
  });

  it.each(["example.atlassian.net", "ftp://example.atlassian.net"])(
    "refuses the site %s with a hint",
    (site) => {
      expect(() => normalizeSite(site)).toThrow(
        /Invalid Jira site .*(https:\/\/example.atlassian.net|http\(s\))/,
      );
    },
  );

  describe("over loopback", () => {
    const fake = useFakeJira(paymentsBoard12());

    it("signs requests with Basic auth and returns error statuses as answers", async () => {
      const good = createNodeTransport({ site: fake.url, email: fake.email, apiToken: fake.token });
      const bad = createNodeTransport({ site: fake.url, email: fake.email, apiToken: "wrong" });
      const request = { method: "GET", path: jiraPath`/rest/api/3/field` } as const;
      expect((await good.send(request)).status).toBe(200);
      const refused = await bad.send(request);
      expect(refused.status).toBe(401);
      expect(refused.text).toContain("must be authenticated");
    });

    it("turns a refused connection into a retryable network error naming the site", async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      const closed = createNodeTransport({
        site: `http://127.0.0.1:${port}`,
        email: "a",
        apiToken: "b",
      });
      const error = await closed
        .send({ method: "GET", path: jiraPath`/rest/api/3/field` })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "JIRA_NETWORK", retryable: true });
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Could not reach Jira at http://127.0.0.1:${port} \\(GET /rest/api/3/field\\): .*ECONNREFUSED.*Check the site URL`,
        ),
      );
    });

    it("gives up on a slow answer after its timeout", async () => {
      const transport = createNodeTransport({
        site: fake.url,
        email: fake.email,
        apiToken: fake.token,
        timeoutMs: 100,
      });
      fake.inject({ kind: "slow", delayMs: 400, endpoint: "GET /rest/api/3/status" });
      await expect(
        transport.send({ method: "GET", path: jiraPath`/rest/api/3/status` }),
      ).rejects.toMatchObject({
        code: "JIRA_TIMEOUT",
        message: `Jira at ${fake.url} did not answer GET /rest/api/3/status within 0.1 s. It may be overloaded: try again later.`,
      });
    });
  });
});
