import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LinearSyncError } from "../../src/linear/index.js";
import { generateDemoWorkspace } from "../../src/workspace/demo.js";
import { startFakeLinear, type FakeLinear } from "../fakes/linear/index.js";
import { linearClientFor, NOW } from "./helpers.js";

describe("Linear's ways of failing", () => {
  let fake: FakeLinear;
  beforeAll(async () => {
    fake = await startFakeLinear({ workspace: generateDemoWorkspace(NOW), seed: { now: NOW } });
  });
  afterAll(() => fake.close());

  it("waits out a rate limit (HTTP 400, extensions.type ratelimited) from the reset header", async () => {
    const { client, waits } = linearClientFor(fake);
    fake.inject({ kind: "ratelimited", retryAfterSeconds: 2 });
    const teams = await client.listTeams();
    expect(teams.map((team) => team.key)).toEqual(["GRO", "DATA"]);
    expect(waits).toHaveLength(1);
    expect(waits[0]?.error.code).toBe("LINEAR_RATE_LIMITED");
    // The reset header is an absolute time, so the wait is at most the 2 s Linear asked for.
    expect(waits[0]?.delayMs).toBeGreaterThan(1000);
    expect(waits[0]?.delayMs).toBeLessThanOrEqual(2000);
  });

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
});
