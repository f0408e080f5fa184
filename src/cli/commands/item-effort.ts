/**
 * One item's share of its team's numbers, for `explain`: where its delivered weight went (SPEC §6,
 * §7) and the person-days it took while in progress (SPEC §6a), in total, per sprint it was in
 * and per quarter. Person-days are the item's own; whose time they were is never shown.
 */

import {
  buildTimeline,
  classifyItem,
  computeSpent,
  createContext,
  findDeliverySprint,
  type Item,
  nextQuarter,
  quarterOf,
  type SpentInput,
  type Sprint,
  sprintEnd,
  sprintStateAt,
  weightAt,
  type Workspace,
} from "../../domain/index";

export interface ItemDelivery {
  /** Completion time C (SPEC §5). */
  readonly at: number;
  /** The sprint whose delivered split holds it, if any. */
  readonly sprint: Sprint | null;
  readonly quarterId: string;
  /** Its weight at C in the team's unit. */
  readonly weight: number;
}

export interface PeriodDays {
  readonly id: string;
  readonly name: string;
  readonly days: number;
}

export interface ItemEffort {
  /** Null when the item is not done, or canceled (left out of delivered, SPEC §4). */
  readonly delivered: ItemDelivery | null;
  /** Person-days in progress from its creation to `now`. */
  readonly spentDays: number;
  readonly spentBySprint: readonly PeriodDays[];
  readonly spentByQuarter: readonly PeriodDays[];
}

/**
 * Measures `item` inside `workspace` at `now`. Every other item is swept too, since an
 * assignee's time is split over everything they have in progress (SPEC §6a), but only this
 * item's time is booked.
 */
export function measureItemEffort(workspace: Workspace, item: Item, now: number): ItemEffort {
  const context = createContext(workspace);
  const team = context.teamById.get(item.teamId);
  if (team === undefined)
    throw new Error(`Item ${item.id} names a team that is not in the workspace.`);
  const timeline = buildTimeline(item);
  const category = classifyItem(item, context).category;
  const inputs: SpentInput[] = workspace.items.map((other) =>
    other === item
      ? { timeline, book: { teamId: item.teamId, category } }
      : { timeline: buildTimeline(other), book: null },
  );
  const ledger = computeSpent(inputs, now);
  const daysBetween = (from: number, to: number): number => {
    const split = ledger.spentBetween(item.teamId, from, to);
    return split.roadmap + split.investment + split.unclassified;
  };

  // Stable by start, as the report orders sprints, so ties go to the later-listed one.
  const sprints = [...workspace.sprints]
    .filter((sprint) => sprint.teamId === item.teamId)
    .sort((a, b) => a.startAt - b.startAt);
  const sprintById = new Map(
    sprints.map((sprint, order) => [
      sprint.id,
      { sprint, state: sprintStateAt(sprint, now), order },
    ]),
  );

  const fiscal = workspace.settings.fiscalYearStartMonth;
  let delivered: ItemDelivery | null = null;
  if (item.status !== "canceled" && timeline.completion !== null) {
    const at = timeline.completion;
    const sprintId = findDeliverySprint(timeline, sprintById, now);
    delivered = {
      at,
      sprint: sprintId === null ? null : (sprintById.get(sprintId)?.sprint ?? null),
      quarterId: quarterOf(at, team.timezone, fiscal).id,
      weight: weightAt(timeline, at, team),
    };
  }

  const spans = timeline.progressSpans(now);
  const spentBySprint: PeriodDays[] = [];
  for (const sprint of sprints) {
    const entry = sprintById.get(sprint.id);
    if (!entry || entry.state === "future" || !timeline.everSprintIds.includes(sprint.id)) continue;
    const days = daysBetween(sprint.startAt, sprintEnd(sprint, entry.state, now));
    if (days > 0) spentBySprint.push({ id: sprint.id, name: sprint.name, days });
  }
  const spentByQuarter: PeriodDays[] = [];
  const first = spans[0];
  if (first !== undefined) {
    for (
      let quarter = quarterOf(first.start, team.timezone, fiscal);
      quarter.start < now;
      quarter = nextQuarter(quarter, team.timezone, fiscal)
    ) {
      const days = daysBetween(quarter.start, Math.min(quarter.end, now));
      if (days > 0) spentByQuarter.push({ id: quarter.id, name: quarter.id, days });
    }
  }
  return {
    delivered,
    spentDays: first === undefined ? 0 : daysBetween(first.start, now),
    spentBySprint,
    spentByQuarter,
  };
}

/** Days as person-days with at most two decimals; an hour is 0.04. */
export function formatDays(days: number): string {
  const rounded = Math.round(days * 100) / 100 + 0;
  return `${rounded} person-${rounded === 1 ? "day" : "days"}`;
}
