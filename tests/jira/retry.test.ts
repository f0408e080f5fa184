import { describe, expect, it } from "vitest";
import {
  AuthError,
  BadRequestError,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  retryAfterOf,
  withRetry,
  type JiraError,
} from "../../src/jira/index";

const cause = { cause: new Error("HTTP") };
const rateLimited = (ms: number | null) =>
  new RateLimitedError("slow down", { ...cause, retryAfterMs: ms });
const serverError = (retryAfterMs: number | null = null) =>
  new UpstreamError("boom", "JIRA_SERVER_ERROR", true, { ...cause, status: 500, retryAfterMs });

/** Runs `withRetry` over a scripted sequence of failures, recording the waits. */
async function run(
  failures: readonly JiraError[],
  options: { maxAttempts?: number; maxRetryAfterMs?: number; random?: number } = {},
) {
  const waits: number[] = [];
  let calls = 0;
  const result = await withRetry(
    () => {
      const failure = failures[calls++];
      return failure === undefined ? Promise.resolve("ok") : Promise.reject(failure);
    },
    {
      maxAttempts: options.maxAttempts ?? 6,
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => options.random ?? 0.5,
    },
  ).catch((error: unknown) => error);
  return { result, waits, calls };
}

describe("withRetry", () => {
  it("waits what a 429 asked for, with at most 30 % (≤ 1 s) added, never less", async () => {
    expect(await run([rateLimited(2_000), rateLimited(10_000)], { random: 0 })).toEqual({
      result: "ok",
      waits: [2_000, 10_000],
      calls: 3,
    });
    expect((await run([rateLimited(2_000)], { random: 0.99 })).waits).toEqual([2_594]);
    expect((await run([rateLimited(10_000)], { random: 0.99 })).waits).toEqual([10_990]);
  });

  it("backs off exponentially with full jitter, capped, when nothing says how long", async () => {
    const failures = [serverError(), serverError(), serverError(), serverError(), serverError()];
    expect((await run(failures, { random: 0.5 })).waits).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
    expect((await run(failures, { random: 0 })).waits).toEqual([0, 0, 0, 0, 0]);
    const many = Array.from({ length: 9 }, () => serverError());
    expect((await run(many, { maxAttempts: 10, random: 0.999 })).waits.at(-1)).toBe(29_970);
  });

  it("never retries a 429 at once: without a usable wait it backs off from 5 s, doubling, ×0.7–1.3", async () => {
    const failures = [rateLimited(null), rateLimited(null), rateLimited(null), rateLimited(null)];
    expect((await run(failures, { random: 0.5 })).waits).toEqual([5_000, 10_000, 20_000, 30_000]);
    expect((await run(failures, { random: 0 })).waits).toEqual([3_500, 7_000, 14_000, 21_000]);
    expect((await run(failures, { random: 0.999 })).waits[0]).toBe(6_496);
  });

  it("honours a 503's Retry-After like a 429's", async () => {
    expect((await run([serverError(3_000)], { random: 0 })).waits).toEqual([3_000]);
  });

  it.each([
    ["401", new AuthError("no", "JIRA_UNAUTHORIZED", cause)],
    ["403", new AuthError("no", "JIRA_FORBIDDEN", cause)],
    ["404", new NotFoundError("gone", cause)],
    ["400", new BadRequestError("bad", { ...cause, jiraMessages: [] })],
    ["a schema mismatch", new UpstreamError("shape", "JIRA_MALFORMED_RESPONSE", false, cause)],
  ])("treats %s as final", async (_, error) => {
    expect(await run([error])).toEqual({ result: error, waits: [], calls: 1 });
  });

  it("stops after maxAttempts and rethrows the last error as it was", async () => {
    const last = serverError();
    const { result, calls, waits } = await run([serverError(), serverError(), last], {
      maxAttempts: 3,
    });
    expect(result).toBe(last);
    expect([calls, waits.length]).toEqual([3, 2]);
  });

  it("hands a wait longer than it will sit out to the caller at once", async () => {
    const error = rateLimited(600_000);
    expect(await run([error], { maxRetryAfterMs: 120_000 })).toEqual({
      result: error,
      waits: [],
      calls: 1,
    });
  });

  it("never retries what is not a Jira error (a bug)", async () => {
    let calls = 0;
    const bug = new TypeError("undefined is not a function");
    await expect(withRetry(() => (calls++, Promise.reject(bug)))).rejects.toBe(bug);
    expect(calls).toBe(1);
  });
});

describe("retryAfterOf", () => {
  const now = Date.parse("2026-11-24T10:00:00Z");
  const headers = (values: Record<string, string>) => ({ headers: new Headers(values) });
  it.each([
    [{ "Retry-After": "5" }, 5_000],
    [{ "Retry-After": "0.5" }, 500],
    [{ "Retry-After": "Tue, 24 Nov 2026 10:00:30 GMT" }, 30_000],
    [{ "X-RateLimit-Reset": "2026-11-24T10:02Z" }, 120_000],
    [{ "Retry-After": "7", "X-RateLimit-Reset": "2026-11-24T10:02Z" }, 7_000],
    // Minute precision: a reset that reads as past may still be up to a minute away.
    [{ "X-RateLimit-Reset": "2026-11-24T09:00Z" }, null],
    [{ "X-RateLimit-Reset": "2026-11-24T10:00Z" }, null],
    [{ "Retry-After": "soon" }, null],
    [{}, null],
  ])("%j → %s ms", (values, expected) => {
    expect(retryAfterOf(headers(values), now)).toBe(expected);
  });
});
