import type { HistoryEvent, Item, Status } from "./types";

/** An item's fields as functions of time, built once per item (SPEC §5). */
export interface Timeline {
  readonly item: Item;
  /** Completion time C (SPEC §5), null when the item is not currently done. */
  readonly completion: number | null;
  /** Every sprint id the item ever belonged to, once each. */
  readonly everSprintIds: readonly string[];
  /**
   * The first time a with t0 < a < t1 at which the item becomes a member of the sprint (its
   * creation, when created already in it, or a sprint event), or null.
   */
  firstJoinBetween(sprintId: string, t0: number, t1: number): number | null;
  existsAt(t: number): boolean;
  /** Member of `sprintId` at t, events with `at ≤ t` applied. */
  isMemberAt(sprintId: string, t: number): boolean;
  /** Member of `sprintId` just before t: events with `at < t` applied. */
  isMemberJustBefore(sprintId: string, t: number): boolean;
  statusAt(t: number): Status;
  estimateAt(t: number): number | null;
  assigneeAt(t: number): string | null;
  /**
   * SPEC §6a: the spans [start, end) before `until` in which the item exists and is in progress,
   * each with one assignee throughout, in time order.
   */
  progressSpans(until: number): ProgressSpan[];
}

export interface ProgressSpan {
  readonly start: number;
  readonly end: number;
  readonly assignee: string | null;
}

/** Builds an item's timeline from its current fields and history (SPEC §5). */
export function buildTimeline(item: Item): Timeline {
  return new ItemTimeline(item);
}

/**
 * The item's history in time order, read by scanning: an item has a handful of events, and a big
 * report builds one timeline per item, so scanning beats allocating an index per field.
 */
class ItemTimeline implements Timeline {
  readonly completion: number | null;
  readonly everSprintIds: readonly string[];
  private readonly history: readonly HistoryEvent[];
  /** Without status history a done item is done from completedAt on and todo before. */
  private readonly doneFrom: number | null = null;

  constructor(readonly item: Item) {
    // Stable sort: events at the same instant keep their file order.
    const history = isSorted(item.history)
      ? item.history
      : [...item.history].sort((a, b) => a.at - b.at);
    let everSprintIds = unique(item.sprintIds);
    let lastDone: number | null = null;
    let hasStatus = false;
    for (const event of history) {
      if (event.field === "sprint") {
        for (const id of event.from) everSprintIds = withId(everSprintIds, id, item.sprintIds);
        for (const id of event.to) everSprintIds = withId(everSprintIds, id, item.sprintIds);
      } else if (event.field === "status") {
        hasStatus = true;
        if (event.to === "done") lastDone = event.at;
      }
    }
    if (!hasStatus && item.status === "done") this.doneFrom = item.completedAt;
    this.history = history;
    this.completion = item.status === "done" ? (lastDone ?? item.completedAt) : null;
    this.everSprintIds = everSprintIds;
  }

  existsAt(t: number): boolean {
    return t >= this.item.createdAt;
  }

  isMemberAt(sprintId: string, t: number): boolean {
    return t >= this.item.createdAt && this.sprintsAfter(t, false).includes(sprintId);
  }

  isMemberJustBefore(sprintId: string, t: number): boolean {
    return t > this.item.createdAt && this.sprintsAfter(t, true).includes(sprintId);
  }

  statusAt(t: number): Status {
    if (this.doneFrom !== null) return t >= this.doneFrom ? "done" : "todo";
    for (const event of this.history) {
      if (event.field === "status" && event.at > t) return event.from;
    }
    return this.item.status;
  }

  estimateAt(t: number): number | null {
    for (const event of this.history) {
      if (event.field === "estimate" && event.at > t) return event.from;
    }
    return this.item.estimate;
  }

  assigneeAt(t: number): string | null {
    for (const event of this.history) {
      if (event.field === "assignee" && event.at > t) return event.from;
    }
    return this.item.assignee ?? null;
  }

  progressSpans(until: number): ProgressSpan[] {
    const item = this.item;
    const statuses: (HistoryEvent & { field: "status" })[] = [];
    const assignees: (HistoryEvent & { field: "assignee" })[] = [];
    let everInProgress = item.status === "inProgress";
    for (const event of this.history) {
      if (event.field === "status") {
        statuses.push(event);
        if (event.from === "inProgress" || event.to === "inProgress") everInProgress = true;
      } else if (event.field === "assignee") {
        assignees.push(event);
      }
    }
    // Without status history only a current inProgress counts (SPEC §6a): done items, too.
    if (!everInProgress || (statuses.length === 0 && item.status !== "inProgress")) return [];

    // Values only change at createdAt and at status or assignee events: walk them in order, the
    // value at t being the `from` of the first event after t, else the current value (SPEC §5).
    const spans: ProgressSpan[] = [];
    let open: { start: number; assignee: string | null } | null = null;
    let s = 0;
    let a = 0;
    for (let t = item.createdAt; t < until;) {
      while (s < statuses.length && (statuses[s] as HistoryEvent).at <= t) s++;
      while (a < assignees.length && (assignees[a] as HistoryEvent).at <= t) a++;
      const nextStatus = statuses[s];
      const nextAssignee = assignees[a];
      const inProgress = (nextStatus ? nextStatus.from : item.status) === "inProgress";
      const assignee = inProgress
        ? nextAssignee
          ? nextAssignee.from
          : (item.assignee ?? null)
        : null;
      if (open && (!inProgress || open.assignee !== assignee)) {
        spans.push({ start: open.start, end: t, assignee: open.assignee });
        open = null;
      }
      if (inProgress && !open) open = { start: t, assignee };
      t = Math.min(nextStatus?.at ?? Infinity, nextAssignee?.at ?? Infinity);
    }
    if (open) spans.push({ start: open.start, end: until, assignee: open.assignee });
    return spans;
  }

  firstJoinBetween(sprintId: string, t0: number, t1: number): number | null {
    // Membership only changes at createdAt and at sprint events, so those are the times to test.
    const created = this.item.createdAt;
    if (created > t0 && created < t1 && this.isMemberAt(sprintId, created)) return created;
    let wasMember = this.isMemberAt(sprintId, t0);
    for (const event of this.history) {
      if (event.field !== "sprint" || event.at <= t0 || event.at <= created) continue;
      if (event.at >= t1) break;
      const isMember = this.isMemberAt(sprintId, event.at);
      if (isMember && !wasMember) return event.at;
      wasMember = isMember;
    }
    return null;
  }

  /**
   * The sprint field at t: the `from` of the earliest sprint event after t (at or after t when
   * `inclusive`, which reads the value just before t), or the current value.
   */
  private sprintsAfter(t: number, inclusive: boolean): readonly string[] {
    for (const event of this.history) {
      if (event.field === "sprint" && (event.at > t || (inclusive && event.at === t))) {
        return event.from;
      }
    }
    return this.item.sprintIds;
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
