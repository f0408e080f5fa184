import { NeedsAuthenticationError, ProxyRequestError, type Route } from "@forge/api";
import { describe, expect, it } from "vitest";
import {
  createForgeTransport,
  toForgeRoute,
  type ForgeRequestApi,
} from "../../src/forge/jira-transport";
import { AuthError, JiraClient, jiraPath } from "../../src/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { paymentsBoard12 } from "../jira/helpers";

describe("toForgeRoute", () => {
  it("builds the route through Forge's own `route` tag: path values as given, query values encoded", () => {
    const key = "PAY-7";
    expect(
      toForgeRoute({
        method: "GET",
        path: jiraPath`/rest/api/3/issue/${key}/properties/${"capacity-split"}`,
        query: {
          fields: ["labels", "summary"],
          expand: undefined,
          jql: "project = PAY",
          maxResults: 50,
        },
      }).value,
    ).toBe(
      "/rest/api/3/issue/PAY-7/properties/capacity-split?fields=labels%2Csummary&jql=project%20%3D%20PAY&maxResults=50",
    );
    expect(toForgeRoute({ method: "GET", path: jiraPath`/rest/api/3/field` }).value).toBe(
      "/rest/api/3/field",
    );
  });

  it.each(["../../admin", "PAY-7/comment", "PAY-7?fields=x", "PAY-7#x"])(
    "lets Forge refuse a path value that would change the path: %s",
    (value) => {
      expect(() =>
        toForgeRoute({ method: "GET", path: jiraPath`/rest/api/3/issue/${value}` }),
      ).toThrow(/Disallowing path manipulation attempt/);
    },
  );

  it("refuses a query parameter name that is not a plain identifier", () => {
    expect(() =>
      toForgeRoute({ method: "GET", path: jiraPath`/x`, query: { "a=b&c": 1 } }),
    ).toThrow(/Invalid Jira query parameter name/);
  });
});

describe("createForgeTransport", () => {
  const fake = useFakeJira(
    paymentsBoard12([
      { email: "capacity-bot@example.com", token: "app-token" },
      { email: "viewer@example.com", token: "viewer-token", permissions: { EDIT_ISSUES: false } },
    ]),
  );
  const calls: string[] = [];
  /**
   * Stands in for the Forge runtime's product fetch only: it sends the route Forge built, unchanged,
   * to the fake site over HTTP with a credential per identity, as Forge would to Jira.
   */
  const forgeLike = (): ForgeRequestApi => {
    const requester = (who: "app" | "user", token: string) => ({
      requestJira: async (
        route: Route,
        init?: {
          method?: string;
          headers?: Record<string, string>;
          body?: string;
          signal?: AbortSignal;
        },
      ) => {
        calls.push(`${who} ${init?.method ?? "GET"} ${route.value}`);
        const auth = Buffer.from(
          `${who === "app" ? fake.email : "viewer@example.com"}:${token}`,
        ).toString("base64");
        return fetch(`${fake.url}${route.value}`, {
          ...init,
          headers: { ...init?.headers, Authorization: `Basic ${auth}` },
        });
      },
    });
    return {
      asApp: () => requester("app", fake.token),
      asUser: () => requester("user", "viewer-token"),
    };
  };

  it("reads as the app and writes labels as the user, so the user's Jira permission decides", async () => {
    const client = new JiraClient(createForgeTransport({ api: forgeLike() }), {
      retry: { maxAttempts: 1 },
    });
    const board = await client.getBoard(12);
    expect(board.name).toBe("Payments board");
    const error = await client
      .setCategoryLabel("PAY-2106", "investment", {
        roadmap: "capacity-roadmap",
        investment: "capacity-investment",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(
      /^The Jira account lacks permission to edit the labels of PAY-2106 on this Jira site/,
    );
    expect(calls).toEqual([
      "app GET /rest/agile/1.0/board/12",
      "user GET /rest/api/3/issue/PAY-2106?fields=labels",
      "user PUT /rest/api/3/issue/PAY-2106",
    ]);
  });

  it("turns a failure to reach Jira into a retryable network error", async () => {
    const failing: ForgeRequestApi = {
      asApp: () => ({ requestJira: () => Promise.reject(new Error("socket hang up")) }),
      asUser: () => ({ requestJira: () => Promise.reject(new Error("socket hang up")) }),
    };
    await expect(
      createForgeTransport({ api: failing }).send({
        method: "GET",
        path: jiraPath`/rest/api/3/field`,
      }),
    ).rejects.toMatchObject({
      code: "JIRA_NETWORK",
      retryable: true,
      message: "Could not reach Jira for GET /rest/api/3/field: socket hang up.",
    });
  });

  it.each([
    [
      "NEEDS_AUTHENTICATION_ERR",
      () => new NeedsAuthenticationError("Authentication Required", "k"),
    ],
    ["PROXY_ERR", () => new ProxyRequestError(502, "UPSTREAM_FAILURE")],
  ])("hands Forge's own %s up as it is, for the platform to answer", async (name, make) => {
    const thrown = make();
    let tries = 0;
    const refusing: ForgeRequestApi = {
      asApp: () => ({ requestJira: () => Promise.reject(new Error("not this one")) }),
      asUser: () => ({
        requestJira: () => {
          tries++;
          return Promise.reject(thrown);
        },
      }),
    };
    const client = new JiraClient(createForgeTransport({ api: refusing }), {
      retry: { sleep: () => Promise.resolve() },
    });
    const error = await client.getLabels("PAY-1").catch((e: unknown) => e);
    expect(error).toBe(thrown);
    expect((error as Error).name).toBe(name);
    expect(tries).toBe(1);
  });
});
