import { describe, expect, it } from "vitest";
import { createScheduler } from "../../src/server/scheduler";

/** A job whose runs are released by hand, so overlap can be observed. */
function gatedJob() {
  const gates: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  let runs = 0;
  return {
    run: async () => {
      running += 1;
      runs += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((release) => gates.push(release));
      running -= 1;
      return `run ${runs}`;
    },
    release: () => gates.shift()?.(),
    stats: () => ({ runs, peak, waiting: gates.length }),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("the scheduler", () => {
  it("never runs twice at once, and requests made mid-run give exactly one more run", async () => {
    const job = gatedJob();
    const scheduler = createScheduler({ run: job.run, everyMs: 0, debounceMs: 1 });
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    const third = scheduler.runNow();
    await tick();
    expect(job.stats()).toEqual({ runs: 1, peak: 1, waiting: 1 });
    job.release();
    expect((await first).message).toBe("run 1");
    await tick();
    job.release();
    expect([(await second).message, (await third).message]).toEqual(["run 2", "run 2"]);
    expect(job.stats()).toEqual({ runs: 2, peak: 1, waiting: 0 });
    await scheduler.stop();
  });

  it("collapses a burst of requests into one run after the debounce window", async () => {
    let runs = 0;
    const scheduler = createScheduler({
      run: () => Promise.resolve(`run ${++runs}`),
      everyMs: 0,
      debounceMs: 20,
    });
    for (let i = 0; i < 10; i += 1) scheduler.requestSoon();
    expect(runs).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(runs).toBe(1);
    expect(scheduler.last()?.message).toBe("run 1");
    await scheduler.stop();
  });

  it("turns a failed run into an outcome with its message, and keeps going", async () => {
    let calls = 0;
    const outcomes: boolean[] = [];
    const scheduler = createScheduler({
      run: () =>
        ++calls === 1 ? Promise.reject(new Error("Jira is down")) : Promise.resolve("ok"),
      everyMs: 0,
      debounceMs: 1,
      onOutcome: (outcome) => outcomes.push(outcome.ok),
    });
    expect(await scheduler.runNow()).toMatchObject({ ok: false, message: "Jira is down" });
    expect(await scheduler.runNow()).toMatchObject({ ok: true, message: "ok" });
    expect(outcomes).toEqual([false, true]);
    await scheduler.stop();
    expect((await scheduler.runNow()).ok).toBe(false);
  });
});
