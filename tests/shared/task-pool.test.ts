import { describe, expect, it } from "vitest";
import { TaskPool } from "../../src/shared/index";

/** A task whose end the test decides. */
function gate() {
  let open!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("TaskPool", () => {
  it("runs every task with at most `limit` in flight", async () => {
    const pool = new TaskPool(3);
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    for (let i = 0; i < 10; i++) {
      pool.add(async () => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        finished.push(i);
      });
    }
    await pool.drain();
    expect(most).toBe(3);
    expect(finished.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("starts nothing queued after a failure, waits for the running ones, then rejects with the first failure", async () => {
    const pool = new TaskPool(2);
    const first = gate();
    const second = gate();
    const started: string[] = [];
    let secondFinished = false;
    pool.add(() => (started.push("first"), first.done));
    pool.add(() => (started.push("second"), second.done.then(() => void (secondFinished = true))));
    pool.add(() => (started.push("third"), Promise.resolve()));
    const failure = new Error("first failed");
    first.fail(failure);
    await tick();
    expect(pool.hasFailed).toBe(true);
    const drained = pool.drain().catch((error: unknown) => error);
    await tick();
    second.open();
    expect(await drained).toBe(failure);
    expect(secondFinished).toBe(true);
    expect(started).toEqual(["first", "second"]);
    await expect(pool.settle()).resolves.toBeUndefined();
  });

  it("refuses a limit that is not a positive whole number", () => {
    expect(() => new TaskPool(0)).toThrow("Invalid concurrency 0.");
    expect(() => new TaskPool(1.5)).toThrow("Invalid concurrency 1.5.");
  });
});
