import { addTo, emptySplit, type SplitSum } from "./split";
import type { Timeline } from "./timeline";
import type { ItemCategory, Sprint, SprintState, Team } from "./types";

/** SPEC §2: a sprint's state at `now`. */
export function sprintStateAt(sprint: Sprint, now: number): SprintState {
  if (sprint.startAt > now) return "future";
  if (sprint.completeAt !== null && sprint.completeAt <= now) return "closed";
  return "active";
}

/** SPEC §6: T1 is `completeAt` for a closed sprint, else `now`. */
export function sprintEnd(sprint: Sprint, state: SprintState, now: number): number {
  return state === "closed" && sprint.completeAt !== null ? sprint.completeAt : now;
}

export interface SprintSplit {
  readonly committed: SplitSum;
  readonly added: SplitSum;
  readonly removed: SplitSum;
  readonly delivered: SplitSum;
  /** Closed sprints only. */
  readonly carriedOver: SplitSum | null;
  readonly unestimated: number;
}

/** What a sprint split needs to know about one candidate item. */
export interface SplitCandidate {
  readonly timeline: Timeline;
  readonly category: ItemCategory;
  /** The sprint that gets this item's delivery (SPEC §6), or null. */
  readonly deliveredIn: string | null;
}

/**
 * SPEC §6: committed, added, removed, delivered and carriedOver of one sprint, plus the tally of
 * unestimated items. `candidates` must include every non-canceled item that was ever a member of
 * the sprint; others contribute nothing, so passing more is correct but slower.
 */
export function computeSprintSplit(
  sprint: Sprint,
  state: SprintState,
  now: number,
  candidates: Iterable<SplitCandidate>,
  team: Pick<Team, "unit" | "unestimatedWeight">,
): SprintSplit {
  const committed = emptySplit();
  const added = emptySplit();
  const removed = emptySplit();
  const delivered = emptySplit();
  const carriedOver = state === "closed" ? emptySplit() : null;
  const unestimatedIds = new Set<string>();
  const id = sprint.id;
  const t0 = sprint.startAt;
  const t1 = sprintEnd(sprint, state, now);

  const weigh = (timeline: Timeline, t: number): number => {
    if (team.unit === "issues") return 1;
    const estimate = timeline.estimateAt(t);
    if (estimate !== null) return estimate;
    unestimatedIds.add(timeline.item.id);
    return team.unestimatedWeight;
  };

  for (const { timeline, category, deliveredIn } of candidates) {
    if (state === "future") {
      // The plan so far: committed taken at now.
      if (timeline.isMemberAt(id, now) && timeline.statusAt(now) !== "done") {
        addTo(committed, category, weigh(timeline, now));
      }
      continue;
    }

    let counted: number | null = null;
    if (timeline.isMemberAt(id, t0)) {
      if (timeline.statusAt(t0) !== "done") {
        counted = weigh(timeline, t0);
        addTo(committed, category, counted);
      }
    } else {
      const joined = timeline.firstJoinBetween(id, t0, t1);
      if (joined !== null && timeline.statusAt(joined) !== "done") {
        counted = weigh(timeline, joined);
        addTo(added, category, counted);
      }
    }

    const isDelivered = deliveredIn === id;
    if (isDelivered && timeline.completion !== null) {
      addTo(delivered, category, weigh(timeline, timeline.completion));
    }
    if (counted !== null && !isDelivered) {
      if (!timeline.isMemberJustBefore(id, t1)) addTo(removed, category, counted);
      else if (carriedOver) addTo(carriedOver, category, weigh(timeline, t1));
    }
  }

  return { committed, added, removed, delivered, carriedOver, unestimated: unestimatedIds.size };
}

/**
 * SPEC §6: the sprint whose delivered split gets an item: among non-future sprints with the
 * completion time C in (T0, T1] and the item a member at C, the one with the latest `startAt`
 * (on equal starts, the one listed later).
 */
export function findDeliverySprint(
  timeline: Timeline,
  sprintById: ReadonlyMap<
    string,
    { readonly sprint: Sprint; readonly state: SprintState; readonly order: number }
  >,
  now: number,
): string | null {
  const c = timeline.completion;
  if (c === null) return null;
  let best: { readonly sprint: Sprint; readonly order: number } | null = null;
  for (const sprintId of timeline.everSprintIds) {
    const entry = sprintById.get(sprintId);
    if (!entry || entry.state === "future") continue;
    const { sprint } = entry;
    if (c <= sprint.startAt || c > sprintEnd(sprint, entry.state, now)) continue;
    if (!timeline.isMemberAt(sprintId, c)) continue;
    if (
      best === null ||
      sprint.startAt > best.sprint.startAt ||
      (sprint.startAt === best.sprint.startAt && entry.order > best.order)
    ) {
      best = entry;
    }
  }
  return best?.sprint.id ?? null;
}
