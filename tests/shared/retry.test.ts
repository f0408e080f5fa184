import { describe, expect, it } from "vitest";
import {
  fullJitterBackoff,
  retry,
  type RetryOptions,
  type RetryPolicy,
} from "../../src/shared/index";

class TrackerError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

class GaveUp extends Error {}

const policy: RetryPolicy<TrackerError> = {
  owns: (error): error is TrackerError => error instanceof TrackerError,
  requestedWaitMs: (error) => error.retryAfterMs,
};

/** Runs `retry` over a scripted sequence of failures, recording the waits and the attempts. */
async function run(
  failures: readonly Error[],
  options: RetryOptions<TrackerError> = {},
  rules: RetryPolicy<TrackerError> = policy,
) {
  const waits: number[] = [];
  const attempts: number[] = [];
  const result = await retry(
    (attempt) => {
      attempts.push(attempt);
      const failure = failures[attempt - 1];
      return failure === undefined ? Promise.resolve("ok") : Promise.reject(failure);
    },
    rules,
    {
      random: () => 0.5,
      ...options,
      sleep: (ms) => Promise.resolve(void waits.push(ms)),
    },
  ).catch((error: unknown) => error);
  return { result, waits, attempts };
}

describe("retry", () => {
  it("waits exactly what the failure asked for, plus only the policy's added jitter", async () => {
    const limited = [new TrackerError("slow", true, 2_000), new TrackerError("slow", true, 7_000)];
    expect(await run(limited)).toEqual({
      result: "ok",
      waits: [2_000, 7_000],
      attempts: [1, 2, 3],
    });
    const jittered = await run(limited, {}, { ...policy, jitterRequested: () => 250 });
    expect(jittered.waits).toEqual([2_250, 7_250]);
  });

  it("backs off exponentially with full jitter, capped, when the failure names no wait", async () => {
    const failures = Array.from({ length: 8 }, () => new TrackerError("boom", true));
    const { waits } = await run(failures, { maxAttempts: 9, random: () => 0.5 });
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
    expect((await run(failures.slice(0, 3), { random: () => 0 })).waits).toEqual([0, 0, 0]);
    expect(fullJitterBackoff(3, 100, 1_000, () => 0.999)).toBe(399);
  });

  it("uses the policy's own wait for failures it has a rule for", async () => {
    const failures = [new TrackerError("refused", true), new TrackerError("boom", true)];
    const rules = {
      ...policy,
      unrequestedWaitMs: (e: TrackerError) => (e.message === "refused" ? 5_000 : null),
    };
    expect((await run(failures, {}, rules)).waits).toEqual([5_000, 1_000]);
  });

  it("hands a wait longer than maxWaitMs back at once, as the policy's error or the failure itself", async () => {
    const long = new TrackerError("slow", true, 60_000);
    const plain = await run([long], { maxWaitMs: 30_000 });
    expect(plain).toEqual({ result: long, waits: [], attempts: [1] });
    const wrapped = await run(
      [long],
      { maxWaitMs: 30_000 },
      {
        ...policy,
        beyondWait: (error, ms) => new GaveUp(`${error.message}: ${ms}`),
      },
    );
    expect(wrapped.result).toBeInstanceOf(GaveUp);
    expect((wrapped.result as GaveUp).message).toBe("slow: 60000");
  });

  it("asks a maxWaitMs function at every wait, so a host can answer the time it has left", async () => {
    let left = 6_000;
    const failures = [
      new TrackerError("a", true, 4_000),
      new TrackerError("b", true, 4_000),
      new TrackerError("c", true, 4_000),
    ];
    const outcome = await run(failures, {
      maxWaitMs: () => left,
      onRetry: ({ delayMs }) => void (left -= delayMs),
    });
    expect(outcome.waits).toEqual([4_000]);
    expect(outcome.result).toBe(failures[1]);
  });

  it("never retries a final failure, a bug, or past maxAttempts, and rethrows the last failure as it was", async () => {
    const final = new TrackerError("denied", false);
    expect(await run([final])).toEqual({ result: final, waits: [], attempts: [1] });
    const bug = new TypeError("bug");
    expect(await run([bug])).toEqual({ result: bug, waits: [], attempts: [1] });
    const failures = Array.from({ length: 5 }, (_, i) => new TrackerError(`boom ${i}`, true));
    const limited = await run(failures, { maxAttempts: 3 });
    expect(limited.attempts).toEqual([1, 2, 3]);
    expect(limited.result).toBe(failures[2]);
  });

  it("tells onRetry each attempt, its wait and its failure before sleeping", async () => {
    const events: unknown[] = [];
    const failure = new TrackerError("slow", true, 1_500);
    await run([failure], { onRetry: (event) => events.push(event) });
    expect(events).toEqual([{ attempt: 1, delayMs: 1_500, error: failure }]);
  });
});
