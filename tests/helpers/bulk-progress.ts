/**
 * What a page following a bulk change may show, checked on every value it read: the change's
 * progress starts at 0 of N, never goes back, stops at least once at a batch's end on the way, and
 * ends at N of N.
 */
import { expect } from "vitest";

/** Issues a bulk change runs in one batch (`BULK_BATCH`). */
const BATCH = 50;

/** `seen` is each count of issues done or failed read while the change ran, in order. */
export function expectTruthfulProgress(seen: readonly number[], total: number): void {
  expect(seen[0], `the first value read: ${seen.join(", ")}`).toBe(0);
  expect(seen.at(-1), `the last value read: ${seen.join(", ")}`).toBe(total);
  for (let index = 1; index < seen.length; index++) {
    expect(seen[index], `value ${index} of ${seen.join(", ")}`).toBeGreaterThanOrEqual(
      seen[index - 1] ?? 0,
    );
  }
  const between = seen.filter((value) => value > 0 && value < total);
  expect(between.length, `a value between 0 and ${total} in ${seen.join(", ")}`).toBeGreaterThan(0);
  // The backend records a batch at a time: a value between is a batch's end, never made up.
  for (const value of between) expect(value % BATCH).toBe(0);
}
