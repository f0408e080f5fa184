import type { HistoryEvent, Item, Status } from "./types.js";

/** An item's fields as functions of time, built once per item (SPEC §5). */
export interface Timeline {
  readonly item: Item;
  /** Completion time C (SPEC §5), null when the item is not currently done. */
  readonly completion: number | null;
  /** Every sprint id the item ever belonged to, once each. */
  readonly everSprintIds: readonly string[];
  /** Times of sprint events, ascending: with `createdAt`, where membership may change. */
  readonly sprintTimes: readonly number[];
  existsAt(t: number): boolean;
  /** Member of `sprintId` at t, events with `at ≤ t` applied. */
  isMemberAt(sprintId: string, t: number): boolean;
  /** Member of `sprintId` just before t: events with `at < t` applied. */
  isMemberJustBefore(sprintId: string, t: number): boolean;
  statusAt(t: number): Status;
  estimateAt(t: number): number | null;
}

const NONE: readonly never[] = [];
const TODO: readonly Status[] = ["todo"];

/** Builds an item's timeline from its current fields and history (SPEC §5). */
export function buildTimeline(item: Item): Timeline {
  return new ItemTimeline(item);
}

/**
 * Each field is kept as ascending event times and the value before each event (`from`); the value
 * at t is the `from` of the earliest event after t, or the current value. Arrays are allocated only
 * for fields that have events, since a big report builds one timeline per item.
 */
class ItemTimeline implements Timeline {
  readonly completion: number | null;
  readonly everSprintIds: readonly string[];
  readonly sprintTimes: readonly number[] = NONE;
  private sprintFroms: readonly (readonly string[])[] = NONE;
  private estimateTimes: readonly number[] = NONE;
  private estimateFroms: readonly (number | null)[] = NONE;
  private statusTimes: readonly number[] = NONE;
  private statusFroms: readonly Status[] = NONE;

  constructor(readonly item: Item) {
    let everSprintIds = unique(item.sprintIds);
    let lastDone: number | null = null;
    if (item.history.length > 0) {
      // Stable sort: events at the same instant keep their file order.
      const history = isSorted(item.history)
        ? item.history
        : [...item.history].sort((a, b) => a.at - b.at);
      const sprintTimes: number[] = [];
      const sprintFroms: (readonly string[])[] = [];
      const estimateTimes: number[] = [];
      const estimateFroms: (number | null)[] = [];
      const statusTimes: number[] = [];
      const statusFroms: Status[] = [];
      for (const event of history) {
        if (event.field === "sprint") {
          sprintTimes.push(event.at);
          sprintFroms.push(event.from);
          for (const id of event.from) everSprintIds = withId(everSprintIds, id, item.sprintIds);
          for (const id of event.to) everSprintIds = withId(everSprintIds, id, item.sprintIds);
        } else if (event.field === "estimate") {
          estimateTimes.push(event.at);
          estimateFroms.push(event.from);
        } else {
          statusTimes.push(event.at);
          statusFroms.push(event.from);
          if (event.to === "done") lastDone = event.at;
        }
      }
      if (sprintTimes.length > 0) [this.sprintTimes, this.sprintFroms] = [sprintTimes, sprintFroms];
      if (estimateTimes.length > 0)
        [this.estimateTimes, this.estimateFroms] = [estimateTimes, estimateFroms];
      if (statusTimes.length > 0) [this.statusTimes, this.statusFroms] = [statusTimes, statusFroms];
    }
    if (this.statusTimes.length === 0 && item.status === "done" && item.completedAt !== null) {
      // Without status history a done item is done from completedAt on and todo before.
      this.statusTimes = [item.completedAt];
      this.statusFroms = TODO;
    }
    this.completion = item.status === "done" ? (lastDone ?? item.completedAt) : null;
    this.everSprintIds = everSprintIds;
  }

  existsAt(t: number): boolean {
    return t >= this.item.createdAt;
  }

  isMemberAt(sprintId: string, t: number): boolean {
    if (t < this.item.createdAt) return false;
    const i = firstAfter(this.sprintTimes, t);
    return (
      i < this.sprintTimes.length ? (this.sprintFroms[i] as readonly string[]) : this.item.sprintIds
    ).includes(sprintId);
  }

  isMemberJustBefore(sprintId: string, t: number): boolean {
    if (t <= this.item.createdAt) return false;
    const i = firstAtOrAfter(this.sprintTimes, t);
    return (
      i < this.sprintTimes.length ? (this.sprintFroms[i] as readonly string[]) : this.item.sprintIds
    ).includes(sprintId);
  }

  statusAt(t: number): Status {
    const i = firstAfter(this.statusTimes, t);
    return i < this.statusTimes.length ? (this.statusFroms[i] as Status) : this.item.status;
  }

  estimateAt(t: number): number | null {
    const i = firstAfter(this.estimateTimes, t);
    return i < this.estimateTimes.length
      ? (this.estimateFroms[i] as number | null)
      : this.item.estimate;
  }
}

function isSorted(history: readonly HistoryEvent[]): boolean {
  for (let i = 1; i < history.length; i++) {
    if ((history[i] as HistoryEvent).at < (history[i - 1] as HistoryEvent).at) return false;
  }
  return true;
}

function unique(ids: readonly string[]): readonly string[] {
  return ids.length < 2 || new Set(ids).size === ids.length ? ids : [...new Set(ids)];
}

/** `ids` with `id` added, copying `ids` first when it is still the item's own array. */
function withId(ids: readonly string[], id: string, own: readonly string[]): readonly string[] {
  if (ids.includes(id)) return ids;
  return ids === own ? [...ids, id] : ((ids as string[]).push(id), ids);
}

/** The index of the first time > t in ascending `times`, or its length. */
function firstAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The index of the first time ≥ t in ascending `times`, or its length. */
function firstAtOrAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) >= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
