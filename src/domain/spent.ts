import { DAY_MS, lastIndexAtOrBefore } from "./quarter-split";
import { emptySplit, type SplitSum } from "./split";
import type { Timeline } from "./timeline";
import type { ItemCategory } from "./types";

/** One item for the spent sweep; `book` null counts it towards its assignee's n only. */
export interface SpentInput {
  readonly timeline: Timeline;
  readonly book: { readonly teamId: string; readonly category: ItemCategory } | null;
}

export interface SpentLedger {
  /** SPEC §6a: the spent split of a team's items over [from, to), in days. */
  spentBetween(teamId: string, from: number, to: number): SplitSum;
}

const CATEGORIES: readonly ItemCategory[] = ["roadmap", "investment", "unclassified"];
/**
 * Rates are sums of fractions k / n with n at most the number of items, so any real rate is far
 * above this; a sum of deltas that should cancel to 0 but leaves float noise is snapped to 0.
 */
const RATE_NOISE = 1e-9;

/**
 * SPEC §6a as one sweep: each item's in-progress spans (with their assignee) are cut at every
 * change point of its person, where the person's n changes; between change points every item of
 * the person runs at 1 / n, an unassigned one at 1. What is booked is the total rate per team and
 * category as a step function, so a window's spent is an integral over its steps. The cost grows
 * with items plus events, never with days.
 */
export function computeSpent(inputs: Iterable<SpentInput>, until: number): SpentLedger {
  const keyOfTeam = new Map<string, number>();
  const steps: { times: number[]; deltas: number[] }[] = [];
  const keyOf = (book: NonNullable<SpentInput["book"]>): number => {
    let base = keyOfTeam.get(book.teamId);
    if (base === undefined) {
      base = steps.length;
      keyOfTeam.set(book.teamId, base);
      for (let i = 0; i < CATEGORIES.length; i++) steps.push({ times: [], deltas: [] });
    }
    return base + CATEGORIES.indexOf(book.category);
  };
  const step = (key: number, time: number, delta: number) => {
    const s = steps[key] as { times: number[]; deltas: number[] };
    s.times.push(time);
    s.deltas.push(delta);
  };

  const spansByPerson = new Map<string, { start: number; end: number; key: number }[]>();
  for (const { timeline, book } of inputs) {
    const spans = timeline.progressSpans(until);
    if (spans.length === 0) continue;
    const key = book ? keyOf(book) : -1;
    for (const { start, end, assignee } of spans) {
      if (assignee === null) {
        if (key >= 0) {
          step(key, start, 1);
          step(key, end, -1);
        }
        continue;
      }
      let list = spansByPerson.get(assignee);
      if (!list) spansByPerson.set(assignee, (list = []));
      list.push({ start, end, key });
    }
  }
  for (const spans of spansByPerson.values()) sweepPerson(spans, step);

  const built = new Map<number, StepFunction>();
  return {
    spentBetween(teamId, from, to) {
      const split = emptySplit();
      const base = keyOfTeam.get(teamId);
      if (base === undefined || to <= from) return split;
      CATEGORIES.forEach((category, i) => {
        const key = base + i;
        let fn = built.get(key);
        if (!fn) built.set(key, (fn = buildStepFunction(steps[key] as StepDeltas)));
        split[category] = integrate(fn, from, to) / DAY_MS;
      });
      return split;
    },
  };
}

/** One person's spans: at each change point, each booked key's rate becomes count / n. */
function sweepPerson(
  spans: readonly { start: number; end: number; key: number }[],
  step: (key: number, time: number, delta: number) => void,
): void {
  const events: { time: number; key: number; sign: 1 | -1 }[] = [];
  for (const { start, end, key } of spans) {
    events.push({ time: start, key, sign: 1 }, { time: end, key, sign: -1 });
  }
  events.sort((a, b) => a.time - b.time);
  const counts = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < events.length;) {
    const time = (events[i] as (typeof events)[number]).time;
    const before = new Map<number, number>();
    for (const [key, count] of counts) before.set(key, count / n);
    for (; i < events.length && (events[i] as (typeof events)[number]).time === time; i++) {
      const { key, sign } = events[i] as (typeof events)[number];
      n += sign;
      const count = (counts.get(key) ?? 0) + sign;
      if (count === 0) counts.delete(key);
      else counts.set(key, count);
      if (!before.has(key)) before.set(key, 0);
    }
    for (const [key, old] of before) {
      if (key < 0) continue;
      const now = n === 0 ? 0 : (counts.get(key) ?? 0) / n;
      if (now !== old) step(key, time, now - old);
    }
  }
}

interface StepDeltas {
  readonly times: readonly number[];
  readonly deltas: readonly number[];
}

/** The rate is `rates[j]` on [times[j], times[j + 1]), 0 before times[0]. */
interface StepFunction {
  readonly times: number[];
  readonly rates: number[];
}

function buildStepFunction({ times, deltas }: StepDeltas): StepFunction {
  // Ties are summed in order of value, so the rates (and every spent number) are the same to the
  // last bit whatever order the workspace lists its items in.
  const order = times
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (times[a] as number) - (times[b] as number) ||
        (deltas[a] as number) - (deltas[b] as number),
    );
  const fn: StepFunction = { times: [], rates: [] };
  let rate = 0;
  for (let i = 0; i < order.length;) {
    const time = times[order[i] as number] as number;
    for (; i < order.length && times[order[i] as number] === time; i++) {
      rate += deltas[order[i] as number] as number;
    }
    if (Math.abs(rate) < RATE_NOISE) rate = 0;
    fn.times.push(time);
    fn.rates.push(rate);
  }
  return fn;
}

/** ∫ rate over [from, to), in rate × milliseconds. */
function integrate({ times, rates }: StepFunction, from: number, to: number): number {
  let total = 0;
  // From the last step starting at or before `from`.
  for (let j = Math.max(0, lastIndexAtOrBefore(times, from)); j < times.length; j++) {
    const start = Math.max(from, times[j] as number);
    if (start >= to) break;
    const end = Math.min(to, j + 1 < times.length ? (times[j + 1] as number) : to);
    total += (rates[j] as number) * (end - start);
  }
  return total;
}

/**
 * SPEC §6a per item over one window [from, to), in days: of the items with `own` set, each one's
 * spent, the integral over its in-progress spans of 1 / n (n its assignee's items in progress,
 * own or not), or of 1 when unassigned. Only the window is swept: one pass per person over the
 * span ends, so the cost grows with spans, never with how many of them overlap. Items with no
 * spent in the window are left out.
 */
export function spentOfItemsBetween(
  inputs: Iterable<{ readonly timeline: Timeline; readonly own: boolean }>,
  until: number,
  from: number,
  to: number,
): Map<string, number> {
  const clamp = (t: number) => Math.min(to, Math.max(from, t));
  const spent = new Map<string, number>();
  const book = (id: string, ms: number) => {
    if (ms > 0) spent.set(id, (spent.get(id) ?? 0) + ms);
  };
  const spansByPerson = new Map<string, { start: number; end: number; id: string | null }[]>();
  for (const { timeline, own } of inputs) {
    const id = own ? timeline.item.id : null;
    for (const { start, end, assignee } of timeline.progressSpans(until)) {
      if (assignee === null) {
        if (id !== null) book(id, clamp(end) - clamp(start));
        continue;
      }
      let list = spansByPerson.get(assignee);
      if (!list) spansByPerson.set(assignee, (list = []));
      list.push({ start: clamp(start), end: clamp(end), id });
    }
  }
  for (const spans of spansByPerson.values()) {
    // shareUntil(t): ∫ from `from` to t of 1 / n, what one item in progress all along would get.
    const change = new Map<number, number>();
    for (const { start, end } of spans) {
      change.set(start, (change.get(start) ?? 0) + 1);
      change.set(end, (change.get(end) ?? 0) - 1);
    }
    const times = [...change.keys()].sort((a, b) => a - b);
    const shareUntil = new Map<number, number>();
    let n = 0;
    let share = 0;
    times.forEach((time, j) => {
      if (j > 0 && n > 0) share += (time - (times[j - 1] as number)) / n;
      shareUntil.set(time, share);
      n += change.get(time) ?? 0;
    });
    for (const { start, end, id } of spans) {
      if (id !== null) book(id, (shareUntil.get(end) ?? 0) - (shareUntil.get(start) ?? 0));
    }
  }
  for (const [id, ms] of spent) spent.set(id, ms / DAY_MS);
  return spent;
}
