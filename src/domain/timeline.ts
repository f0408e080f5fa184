import type { Item, Status } from "./types.js";

/**
 * One field's values over time (SPEC §5): `times` ascending, `froms[i]` the value before the event
 * at `times[i]`, `current` the value after the last event.
 */
interface Track<T> {
  readonly times: readonly number[];
  readonly froms: readonly T[];
  readonly current: T;
}

/** An item's fields as functions of time, built once per item (SPEC §5). */
export interface Timeline {
  readonly item: Item;
  /** Times at which sprint membership may change: `createdAt` and every sprint event. */
  readonly sprintChanges: readonly number[];
  /** Completion time C (SPEC §5), null when the item is not currently done. */
  readonly completion: number | null;
  /** Every sprint id the item ever belonged to. */
  readonly everSprintIds: ReadonlySet<string>;
  existsAt(t: number): boolean;
  /** Member of `sprintId` at t, events with `at ≤ t` applied. */
  isMemberAt(sprintId: string, t: number): boolean;
  /** Member of `sprintId` just before t: events with `at < t` applied. */
  isMemberJustBefore(sprintId: string, t: number): boolean;
  statusAt(t: number): Status;
  estimateAt(t: number): number | null;
}

/** Builds an item's timeline from its current fields and history (SPEC §5). */
export function buildTimeline(item: Item): Timeline {
  const sprintEvents: { at: number; from: readonly string[]; to: readonly string[] }[] = [];
  const estimateEvents: { at: number; from: number | null }[] = [];
  const statusEvents: { at: number; from: Status; to: Status }[] = [];
  for (const event of item.history) {
    if (event.field === "sprint") sprintEvents.push(event);
    else if (event.field === "estimate") estimateEvents.push(event);
    else statusEvents.push(event);
  }
  // Array.prototype.sort is stable, so events at the same instant keep their file order.
  const byTime = (a: { at: number }, b: { at: number }) => a.at - b.at;
  sprintEvents.sort(byTime);
  estimateEvents.sort(byTime);
  statusEvents.sort(byTime);

  const sprintTrack: Track<readonly string[]> = {
    times: sprintEvents.map((e) => e.at),
    froms: sprintEvents.map((e) => e.from),
    current: item.sprintIds,
  };
  const estimateTrack: Track<number | null> = {
    times: estimateEvents.map((e) => e.at),
    froms: estimateEvents.map((e) => e.from),
    current: item.estimate,
  };
  const statusTrack: Track<Status> =
    statusEvents.length > 0 || item.status !== "done" || item.completedAt === null
      ? { times: statusEvents.map((e) => e.at), froms: statusEvents.map((e) => e.from), current: item.status }
      : // Without status history a done item is done from completedAt on and todo before.
        { times: [item.completedAt], froms: ["todo"], current: "done" };

  let completion: number | null = null;
  if (item.status === "done") {
    for (const event of statusEvents) if (event.to === "done") completion = event.at;
    completion ??= item.completedAt;
  }

  const everSprintIds = new Set<string>(item.sprintIds);
  for (const event of sprintEvents) {
    for (const id of event.from) everSprintIds.add(id);
    for (const id of event.to) everSprintIds.add(id);
  }

  const changes = [item.createdAt];
  for (const event of sprintEvents) if (event.at > item.createdAt) changes.push(event.at);

  return {
    item,
    sprintChanges: changes,
    completion,
    everSprintIds,
    existsAt: (t) => t >= item.createdAt,
    isMemberAt: (sprintId, t) =>
      t >= item.createdAt && valueAt(sprintTrack, t).includes(sprintId),
    isMemberJustBefore: (sprintId, t) =>
      t > item.createdAt && valueJustBefore(sprintTrack, t).includes(sprintId),
    statusAt: (t) => valueAt(statusTrack, t),
    estimateAt: (t) => valueAt(estimateTrack, t),
  };
}

/** The `from` of the earliest event with `at > t`, or the current value (SPEC §5). */
function valueAt<T>(track: Track<T>, t: number): T {
  const i = firstIndex(track.times, (at) => at > t);
  return i < track.times.length ? (track.froms[i] as T) : track.current;
}

/** The value with only the events strictly before t applied. */
function valueJustBefore<T>(track: Track<T>, t: number): T {
  const i = firstIndex(track.times, (at) => at >= t);
  return i < track.times.length ? (track.froms[i] as T) : track.current;
}

/** Binary search over ascending times: the first index where `past` holds, or the length. */
function firstIndex(times: readonly number[], past: (at: number) => boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(times[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
