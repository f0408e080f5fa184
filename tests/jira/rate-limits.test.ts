import { describe, expect, it } from "vitest";
import { createNodeTransport, JiraClient, RateLimitedError } from "../../src/jira/index";
import { type FakeJira } from "../fakes/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { paymentsBoard12 } from "./helpers";

/**
 * Jira's rate-limit headers as https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 * describes them, sent by the fake: `RateLimit-Reason`, `X-RateLimit-Reset` to the minute,
 * `X-RateLimit-NearLimit`. The client's clock and sleep are simulated: a sleep moves the clock.
 */
function simulatedClient(fake: FakeJira, start: number) {
  let now = start;
  const sleeps: number[] = [];
  const nearLimit: number[] = [];
  const client = new JiraClient(
    createNodeTransport({ site: fake.url, email: fake.email, apiToken: fake.token }),
    {
      now: () => now,
      retry: {
        random: () => 0.5,
        sleep: (ms) => {
          sleeps.push(ms);
          now += ms;
          return Promise.resolve();
        },
      },
      onNearLimit: () => nearLimit.push(now),
    },
  );
  return { client, sleeps, nearLimit, advance: (ms: number) => (now += ms) };
}

describe("rate limits as Jira signals them", () => {
  const fake = useFakeJira(paymentsBoard12());

  it("never retries at once on an X-RateLimit-Reset that reads as past: it is to the minute", async () => {
    const start = Date.parse("2026-11-24T10:00:20Z");
    const { client, sleeps } = simulatedClient(fake, start);
    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "GET /rest/api/3/field",
      rateLimitReset: "2026-11-24T10:00Z",
    });
    fake.resetRequests();
    await client.getFields();
    expect(sleeps).toEqual([5_000]);
    expect(fake.requests["GET /rest/api/3/field"]).toBe(2);
  });

  it("on a spent hourly quota sends nothing more until the next UTC hour, and says so", async () => {
    const start = Date.parse("2026-11-24T10:40:00Z");
    const { client, sleeps, advance } = simulatedClient(fake, start);
    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "GET /rest/api/3/status",
      reason: "jira-quota-global-based",
    });
    fake.resetRequests();
    const error = await client.getStatuses().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      reason: "jira-quota-global-based",
      quotaExhausted: true,
      // 20 minutes to 11:00 UTC: longer than a retry sits out, so it is the caller's to schedule.
      retryAfterMs: 20 * 60_000,
    });
    expect((error as Error).message).toMatch(/hourly Jira quota \(shared by every site it is on/);
    expect(sleeps).toEqual([]);
    // Another request of the same client is refused without reaching Jira.
    const second = await client.getFields().catch((e: unknown) => e);
    expect(second).toMatchObject({ code: "JIRA_RATE_LIMITED", retryAfterMs: 20 * 60_000 });
    expect(fake.totalRequests()).toBe(1);
    advance(20 * 60_000);
    await client.getFields();
    expect(fake.totalRequests()).toBe(2);
  });

  it("reads jira-cost-based as a short cost budget: waits what Retry-After says, then goes on", async () => {
    // Not among the values https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
    // documents, but sent by Jira with a Retry-After of seconds; it is not the hourly quota.
    const start = Date.parse("2026-11-24T10:40:00Z");
    const { client, sleeps } = simulatedClient(fake, start);
    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "GET /rest/api/3/field",
      retryAfter: "3",
      reason: "jira-cost-based",
    });
    fake.resetRequests();
    await client.getFields();
    await client.getStatuses();
    // One wait, on that request, of what Jira asked (plus the retry's jitter), not till 11:00.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3_000);
    expect(sleeps[0]).toBeLessThan(5_000);
    expect(fake.totalRequests()).toBe(3);

    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "GET /rest/api/3/status",
      reason: "jira-cost-based",
      // Every attempt the client makes (DEFAULT_RETRY.maxAttempts).
      times: 6,
    });
    const error = await client.getStatuses().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    // No wait was named: not read as "until the top of the hour".
    expect(error).toMatchObject({ quotaExhausted: false, retryAfterMs: null });
    expect((error as Error).message).not.toMatch(/hourly/);
  });

  it("backs off early while Jira says a budget is nearly spent", async () => {
    const start = Date.parse("2026-11-24T10:00:00Z");
    const { client, sleeps, nearLimit, advance } = simulatedClient(fake, start);
    fake.inject({ kind: "near-limit", endpoint: "GET /rest/api/3/field" });
    await client.getFields();
    expect(nearLimit).toEqual([start]);
    expect(client.nearLimit).toBe(true);
    await client.getStatuses();
    await client.getStatuses();
    expect(sleeps).toEqual([1_000, 1_000]);
    advance(60_000);
    await client.getStatuses();
    expect(sleeps).toHaveLength(2);
    expect(client.nearLimit).toBe(false);
  });

  it("retries a burst limit on that request only, after what Retry-After says", async () => {
    const { client, sleeps } = simulatedClient(fake, Date.parse("2026-11-24T10:00:00Z"));
    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "GET /rest/api/3/field",
      retryAfter: "1",
      reason: "jira-burst-based",
    });
    await client.getFields();
    await client.getStatuses();
    expect(sleeps).toEqual([1_000 + 150]);
  });
});
