/**
 * A board's changed time on the three stores: marks made at once, in any order, interleaved at
 * every storage call with readers and with the prune a stored report makes, never set it back.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  markBoardChanged,
  pruneChangeMarks,
  readChangedAt,
  readFreshReport,
  readReportBasis,
  storeCachedReport,
} from "../../src/app/board-sync";
import { computeReport } from "../../src/domain/index";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { Rng } from "../../src/workspace/demo/random";
import { makeWorkspace } from "../helpers/factories";
import { closeTestStores, InterleavingStore, seeded, TEST_STORES } from "../helpers/stores";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const BOARD = 7;
const iso = (at: number) => new Date(at).toISOString();

afterEach(closeTestStores);

/** `count` moments a few milliseconds apart, in an order the seed shuffles. */
function shuffledMoments(seed: number, count: number): number[] {
  const rng = new Rng(seed);
  const moments = Array.from({ length: count }, (_, n) => NOW + n * 3);
  for (let i = moments.length - 1; i > 0; i--) {
    const j = Math.floor(rng.float() * (i + 1));
    [moments[i], moments[j]] = [moments[j] as number, moments[i] as number];
  }
  return moments;
}

describe.each(Object.keys(TEST_STORES))("a board's changed time on the %s store", (kind) => {
  const open = TEST_STORES[kind] ?? (() => new MemoryStore());

  for (const seed of [1, 2, 3]) {
    it(`is the latest of marks made at once, never going back while they land (seed ${seed})`, async () => {
      const base = open();
      const store = new InterleavingStore(base, seeded(seed));
      const moments = shuffledMoments(seed, 30);
      const seen: (string | null)[] = [];
      let marking = true;
      const reader = (async () => {
        while (marking) seen.push(await readChangedAt(store, BOARD));
      })();
      // Events mark in any order while stored reports prune, each at its own storage calls.
      const marks = moments.map((at) => markBoardChanged(store, BOARD, at));
      const prunes = [0, 1, 2].map(() => pruneChangeMarks(store, BOARD));
      await Promise.all([...marks, ...prunes]);
      marking = false;
      await reader;

      const latest = iso(Math.max(...moments));
      expect(await readChangedAt(base, BOARD)).toBe(latest);
      expect(seen.length).toBeGreaterThan(1);
      // Every reading is one mark's moment, and no reading is earlier than one before it.
      for (const [index, value] of seen.entries()) {
        if (value !== null) expect(moments.map(iso)).toContain(value);
        const before = seen[index - 1];
        if (index > 0 && before !== null && before !== undefined) {
          expect(value !== null && value >= before, `${value} after ${before}`).toBe(true);
        }
      }

      // A prune with nothing landing keeps the latest mark only.
      await pruneChangeMarks(store, BOARD);
      const left = await base.listByPrefix(storeKeys.boardChangedPrefix(String(BOARD)));
      expect(left.map((entry) => entry.value)).toEqual([latest]);
      expect(await readChangedAt(base, BOARD)).toBe(latest);
    });
  }

  it("counts the one key earlier versions kept, as a mark once pruned, and keeps each board's marks its own", async () => {
    const store = open();
    await markBoardChanged(store, BOARD, NOW + 10);
    await markBoardChanged(store, BOARD, NOW + 10);
    await store.set(storeKeys.boardChanged(String(BOARD)), iso(NOW + 50));
    expect(await readChangedAt(store, BOARD)).toBe(iso(NOW + 50));
    await pruneChangeMarks(store, BOARD);
    expect(await store.get(storeKeys.boardChanged(String(BOARD)))).toBeUndefined();
    expect(await readChangedAt(store, BOARD)).toBe(iso(NOW + 50));
    // Another board's marks are its own.
    await markBoardChanged(store, 70, NOW + 99);
    expect(await readChangedAt(store, BOARD)).toBe(iso(NOW + 50));
    expect(await readChangedAt(store, 70)).toBe(iso(NOW + 99));
  });
});

describe("a stored report and the board's marks", () => {
  it("prunes every mark but the latest, and a mark after its pull began keeps it from being fresh", async () => {
    const store = new MemoryStore();
    const ports = { store, now: () => NOW };
    for (let n = 0; n < 25; n++) await markBoardChanged(store, BOARD, NOW - 1_000 + n);
    const workspace = makeWorkspace();
    const basis = { ...(await readReportBasis(ports, BOARD)), at: NOW - 100 };
    await storeCachedReport(ports, BOARD, {
      basis,
      workspace,
      report: computeReport(workspace, { now: NOW }),
    });
    const marks = await store.listByPrefix(storeKeys.boardChangedPrefix(String(BOARD)));
    expect(marks.map((mark) => mark.value)).toEqual([iso(NOW - 1_000 + 24)]);
    expect(await readFreshReport(ports, BOARD)).not.toBeNull();
    await markBoardChanged(store, BOARD, NOW - 50);
    expect(await readChangedAt(store, BOARD)).toBe(iso(NOW - 50));
    expect(await readFreshReport(ports, BOARD)).toBeNull();
  });
});
