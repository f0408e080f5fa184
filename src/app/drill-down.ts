/**
 * The issues behind a number: for one sprint or quarter of a board, every item that counts towards
 * its splits, with the reason it counts (SPEC §6: committed, added, removed, delivered, carried
 * over; §7 delivered in the quarter; §6a spent) and the weight it adds. Each item is run through
 * the same domain functions the report uses, one at a time, so the rows of a reason sum to the
 * report's split for that reason.
 */
import {
  DRILL_REASONS,
  addTo,
  buildTimeline,
  classifyItem,
  computeSprintSplit,
  createContext,
  describeDecidingRule,
  drillRequestsOfFlag,
  emptySplit,
  findDeliverySprint,
  nextQuarter,
  quarterOf,
  spentOfItemsBetween,
  sprintEnd,
  sprintStateAt,
  totalOf,
  weightAt,
  type ActualMeasure,
  type Classification,
  type DrillReason,
  type DrillRequest,
  type ItemCategory,
  type ProvenanceSource,
  type Sprint,
  type SprintState,
  type Split,
  type SplitSum,
  type Timeline,
  type Unit,
  type Workspace,
} from "../domain/index";
import { AppError } from "./app-error";

export { DRILL_REASONS, drillRequestsOfFlag, type DrillReason, type DrillRequest };

const SPRINT_REASONS = ["committed", "added", "removed", "delivered", "carriedOver"] as const;
const ISSUES = { unit: "issues", unestimatedWeight: 1 } as const;

export interface DrillRow {
  readonly id: string;
  readonly title: string;
  readonly category: ItemCategory;
  readonly source: ProvenanceSource;
  readonly via: string | null;
  /** The deciding rule's condition in words (`type is Story`) when a rule decided, else null. */
  readonly ruleText: string | null;
  readonly reason: DrillReason;
  /** In the team's unit for every reason but `spent`, which is in person-days. */
  readonly weight: number;
}

export interface DrillDown {
  readonly period: {
    readonly kind: "sprint" | "quarter" | "org-quarter";
    readonly id: string;
    readonly name: string;
    readonly state: SprintState | "current";
  };
  readonly unit: Unit;
  readonly actual: ActualMeasure;
  readonly reasons: readonly DrillReason[];
  /** Sorted by reason (in `DRILL_REASONS` order), then by weight, heaviest first, then by id. */
  readonly rows: readonly DrillRow[];
  /** Per reason, the rows' sums by category: the report's split for that reason. */
  readonly totals: Readonly<Partial<Record<DrillReason, Split>>>;
}

/**
 * The rows behind one sprint or quarter of the workspace's one team at `now`. An unknown period
 * is a NOT_FOUND error naming what exists.
 */
export function drillDown(workspace: Workspace, request: DrillRequest, now: number): DrillDown {
  const team = workspace.teams[0];
  if (!team) throw new AppError("NOT_FOUND", "This board has no team to drill into.");
  const context = createContext(workspace);
  const classifications = new Map<string, Classification>();
  const classificationOf = (id: string): Classification => {
    let known = classifications.get(id);
    const item = context.itemById.get(id);
    if (!known && item) classifications.set(id, (known = classifyItem(item, context)));
    return known ?? { category: "unclassified", source: "none", via: null };
  };
  const timelines = workspace.items.map((item) => buildTimeline(item));
  const teamTimelines = timelines.filter((timeline) => timeline.item.teamId === team.id);

  const rows: DrillRow[] = [];
  const totals: Partial<Record<DrillReason, SplitSum>> = {};
  const add = (timeline: Timeline, reason: DrillReason, weight: number): void => {
    const { category, source, via } = classificationOf(timeline.item.id);
    if (request.category !== undefined && category !== request.category) return;
    rows.push({
      id: timeline.item.id,
      title: timeline.item.title,
      category,
      source,
      via,
      ruleText: source === "rule" ? describeDecidingRule(team, via) : null,
      reason,
      weight,
    });
    addTo((totals[reason] ??= emptySplit()), category, weight);
  };

  let period: DrillDown["period"];
  let available: DrillReason[];
  let window: { from: number; to: number } | null;
  if (request.period.kind === "sprint") {
    const found = sprintPeriod(workspace, team.id, request.period.id, now);
    const { sprint, state, sprintById } = found;
    period = { kind: "sprint", id: sprint.id, name: sprint.name, state };
    available =
      state === "future"
        ? ["committed"]
        : state === "active"
          ? ["committed", "added", "removed", "delivered", "spent"]
          : [...DRILL_REASONS];
    window =
      state === "future" ? null : { from: sprint.startAt, to: sprintEnd(sprint, state, now) };
    const wanted = new Set(request.reasons ?? available);
    for (const timeline of teamTimelines) {
      if (timeline.item.status === "canceled" || !timeline.everSprintIds.includes(sprint.id)) {
        continue;
      }
      // The report's own computation, on this one item: its part of each split.
      const candidate = {
        timeline,
        category: classificationOf(timeline.item.id).category,
        deliveredIn: findDeliverySprint(timeline, sprintById, now),
      };
      const part = computeSprintSplit(sprint, state, now, [candidate], team);
      // Counted in issues, the same item says whether it is behind a reason at all, so an item
      // estimated at 0 points is listed too.
      const counted = computeSprintSplit(sprint, state, now, [candidate], ISSUES);
      for (const reason of SPRINT_REASONS) {
        if (wanted.has(reason) && totalOf(counted[reason] ?? emptySplit()) > 0) {
          add(timeline, reason, totalOf(part[reason] ?? emptySplit()));
        }
      }
    }
  } else {
    // The company's quarter is UTC's and sums time spent only (SPEC §7); the team's, its own.
    const org = request.period.kind === "org-quarter";
    const zone = org ? "UTC" : team.timezone;
    const fiscal = workspace.settings.fiscalYearStartMonth;
    const bounds = findQuarter(
      request.period.id,
      team.id,
      teamTimelines,
      workspace,
      { zone, teamZone: team.timezone },
      fiscal,
      now,
    );
    const state = bounds.end <= now ? "closed" : "current";
    period = org
      ? {
          kind: "org-quarter",
          id: bounds.id,
          name: `${bounds.id} in UTC, the company's quarter`,
          state,
        }
      : { kind: "quarter", id: bounds.id, name: bounds.id, state };
    available = org ? ["spent"] : ["delivered", "spent"];
    window = { from: bounds.start, to: Math.min(bounds.end, now) };
    if ((request.reasons ?? available).includes("delivered")) {
      for (const timeline of teamTimelines) {
        const c = timeline.completion;
        if (timeline.item.status === "canceled" || c === null) continue;
        if (c >= bounds.start && c < bounds.end)
          add(timeline, "delivered", weightAt(timeline, c, team));
      }
    }
  }

  const reasons = available.filter(
    (reason) => !request.reasons || request.reasons.includes(reason),
  );
  if (window && reasons.includes("spent")) {
    for (const { timeline, days } of spentPerItem(timelines, teamTimelines, window, now)) {
      add(timeline, "spent", days);
    }
  }

  const order = new Map(DRILL_REASONS.map((reason, index) => [reason, index]));
  rows.sort(
    (a, b) =>
      (order.get(a.reason) ?? 0) - (order.get(b.reason) ?? 0) ||
      b.weight - a.weight ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { period, unit: team.unit, actual: team.actual ?? "delivered", reasons, rows, totals };
}

interface SprintEntry {
  readonly sprint: Sprint;
  readonly state: SprintState;
  readonly order: number;
}

/** The sprint and the table `findDeliverySprint` needs, built the way the report builds it. */
function sprintPeriod(workspace: Workspace, teamId: string, id: string, now: number) {
  // Stable: sprints starting at the same instant keep their workspace order, as in the report.
  const sorted = [...workspace.sprints].sort((a, b) => a.startAt - b.startAt);
  const sprintById = new Map<string, SprintEntry>();
  sorted.forEach((sprint, order) =>
    sprintById.set(sprint.id, { sprint, state: sprintStateAt(sprint, now), order }),
  );
  const entry = sprintById.get(id);
  if (!entry || entry.sprint.teamId !== teamId) {
    throw new AppError(
      "NOT_FOUND",
      `There is no sprint ${JSON.stringify(id)} on this board. Sprints: ${
        sorted
          .filter((s) => s.teamId === teamId)
          .map((s) => s.id)
          .join(", ") || "none"
      }.`,
    );
  }
  return { sprint: entry.sprint, state: entry.state, sprintById };
}

/**
 * The quarter named `id` in `zone`, if the report lists it: from the one holding the team's first
 * quarter (its earliest sprint start or completion, in its own zone) to now (SPEC §7).
 */
function findQuarter(
  id: string,
  teamId: string,
  teamTimelines: readonly Timeline[],
  workspace: Workspace,
  { zone, teamZone }: { readonly zone: string; readonly teamZone: string },
  fiscal: number,
  now: number,
) {
  let earliest = now;
  for (const sprint of workspace.sprints) {
    if (sprint.teamId === teamId) earliest = Math.min(earliest, sprint.startAt);
  }
  for (const timeline of teamTimelines) {
    if (timeline.item.status !== "canceled" && timeline.completion !== null) {
      earliest = Math.min(earliest, timeline.completion);
    }
  }
  const first = quarterOf(quarterOf(earliest, teamZone, fiscal).start, zone, fiscal);
  const last = quarterOf(now, zone, fiscal);
  for (let q = first; ; q = nextQuarter(q, zone, fiscal)) {
    if (q.id === id) return q;
    if (q.start >= last.start) break;
  }
  throw new AppError(
    "NOT_FOUND",
    `There is no quarter ${JSON.stringify(id)} on this board; its quarters run from ${first.id} to ${last.id}.`,
  );
}

/**
 * SPEC §6a per item of the team over the window; n still counts every item of the workspace.
 */
function spentPerItem(
  timelines: readonly Timeline[],
  teamTimelines: readonly Timeline[],
  window: { readonly from: number; readonly to: number },
  now: number,
): { timeline: Timeline; days: number }[] {
  const mine = new Set(teamTimelines);
  const inputs = timelines.map((timeline) => ({ timeline, own: mine.has(timeline) }));
  const spent = spentOfItemsBetween(inputs, now, window.from, window.to);
  const result: { timeline: Timeline; days: number }[] = [];
  for (const timeline of teamTimelines) {
    const days = spent.get(timeline.item.id) ?? 0;
    if (days > 0) result.push({ timeline, days });
  }
  return result;
}
