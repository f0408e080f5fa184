import { describe, expect, it } from "vitest";
import { LinearSyncError } from "../../src/linear/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { LinearSyncClient } from "../../src/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { linearClientFor, NOW } from "./helpers";

describe("Linear's ways of failing", () => {
  const fake = useFakeLinear({ workspace: generateDemoWorkspace(NOW), seed: { now: NOW } });

  it.each([
    ["HTTP 400, requests spent", { status: 400, budget: "requests" }],
    ["HTTP 429, requests spent", { status: 429, budget: "requests" }],
    ["HTTP 400, complexity spent", { status: 400, budget: "complexity" }],
  ] as const)(
    "waits out a rate limit known only by extensions.code RATELIMITED (%s) until the spent budget's reset",
    async (_name, shape) => {
      const { client, waits } = linearClientFor(fake);
      fake.inject({ kind: "ratelimited", retryAfterSeconds: 5, ...shape });
      const teams = await client.listTeams();
      expect(teams.map((team) => team.key)).toEqual(["GRO", "DATA"]);
      expect(waits).toHaveLength(1);
      expect(waits[0]?.error.code).toBe("LINEAR_RATE_LIMITED");
      // The reset header is an absolute time, so the wait is at most the 5 s Linear asked for,
      // and the other budget's reset (1 s away) is not the one waited for.
      expect(waits[0]?.delayMs).toBeGreaterThan(3000);
      expect(waits[0]?.delayMs).toBeLessThanOrEqual(5000);
    },
  );

  it("retries 5xx and dropped connections with backoff", async () => {
    const { client, waits } = linearClientFor(fake);
    fake.inject(
      { kind: "server", status: 503 },
      { kind: "reset" },
      { kind: "server", status: 500 },
    );
    await expect(client.listTeams()).resolves.toHaveLength(2);
    expect(waits.map((wait) => wait.error.code)).toEqual([
      "LINEAR_UPSTREAM",
      "LINEAR_UPSTREAM",
      "LINEAR_UPSTREAM",
    ]);
    expect(waits.map((wait) => wait.delayMs)).toEqual([500, 1000, 2000]);
  });

  it("stops at once on a bad key, with a message naming LINEAR_API_KEY", async () => {
    const { client, waits } = linearClientFor(fake, { apiKey: "lin_api_wrong" });
    const error: unknown = await client.listTeams().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LinearSyncError);
    expect(error).toMatchObject({ code: "LINEAR_UNAUTHORIZED", retryable: false });
    expect(String(error)).toContain("LINEAR_API_KEY");
    expect(waits).toEqual([]);
  });

  it("sleeps on every rate limit by default, however long Linear asks to wait", async () => {
    const { client, waits } = linearClientFor(fake);
    fake.inject({ kind: "ratelimited", retryAfterSeconds: 3_600 });
    await expect(client.listTeams()).resolves.toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]?.delayMs).toBeGreaterThan(3_590_000);
  });

  it.each([
    ["a number", 60_000],
    ["the time left", () => 60_000],
  ])(
    "throws a rate limit longer than maxWaitMs (%s) with its wait, instead of sleeping",
    async (_name, maxWaitMs) => {
      const slept: number[] = [];
      const client = new LinearSyncClient({
        apiKey: fake.apiKey,
        apiUrl: fake.url,
        retry: { maxWaitMs, sleep: (ms) => Promise.resolve(void slept.push(ms)) },
      });
      fake.inject({ kind: "ratelimited", retryAfterSeconds: 30 });
      await expect(client.listTeams()).resolves.toHaveLength(2);
      expect(slept).toHaveLength(1);

      fake.inject({ kind: "ratelimited", retryAfterSeconds: 600 });
      const error: unknown = await client.listTeams().catch((caught: unknown) => caught);
      if (!(error instanceof LinearSyncError)) throw error;
      expect(error).toMatchObject({ code: "LINEAR_RATE_LIMITED", retryable: true });
      const waitMs = error.retryAfterMs ?? 0;
      expect(waitMs).toBeGreaterThan(590_000);
      expect(waitMs).toBeLessThanOrEqual(600_000);
      expect(String(error)).toMatch(/wait 600 s, longer than this run may wait/);
      expect(slept).toHaveLength(1);
    },
  );
});
