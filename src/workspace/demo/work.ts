import { DAY, HOUR, MINUTE } from "./calendar";
import { epicFor } from "./epics";
import {
  estimateOf,
  lastEventAt,
  moveInto,
  newPlanItem,
  type PlanItem,
  setStatus,
  statusOf,
  type TeamRun,
  weightOf,
} from "./plan";
import { chooseShape } from "./shapes";
import { distinctTitle } from "./titles";
import type { Category, SprintSlot } from "./types";

interface NewWork {
  readonly category: Category;
  readonly createdAt: number;
  readonly sprints: readonly string[];
  readonly estimate: number | null;
  readonly added: boolean;
}

export function createWork(run: TeamRun, work: NewWork): PlanItem {
  const { rng, profile } = run;
  const { vocabulary } = profile;
  const shape = chooseShape(run, work.category, work.added);
  let parent: PlanItem | null = null;
  let title: string;
  if (shape.underEpic && work.category !== "unclassified") {
    const epic = epicFor(run, work.category, work.createdAt);
    epic.slots--;
    parent = epic.item;
    const steps = vocabulary.steps[work.category];
    title = distinctTitle(run, () => `${epic.topic}: ${rng.pick(steps)}`);
  } else {
    title = shape.title(run);
  }
  const components =
    vocabulary.components.length > 0 && rng.chance(0.75) ? [rng.pick(vocabulary.components)] : [];
  const project =
    profile.source === "jira"
      ? profile.id
      : (parent?.project ?? (rng.chance(0.5) ? rng.pick(vocabulary.projects) : null));
  const item = newPlanItem(run, {
    category: work.category,
    epic: false,
    title,
    type: shape.type,
    labels: shape.labels,
    components,
    project,
    parent,
    createdAt: work.createdAt,
    initialSprints: work.sprints,
    initialEstimate: work.estimate,
  });
  parent?.children.push(item);
  return item;
}

const POINTS = [1, 2, 3, 3, 5, 5, 5, 8, 8];
const BUG_POINTS = [1, 2, 2, 3];

/** A Fibonacci-ish estimate no larger than `room`; small unestimated bugs weigh 1. */
export function pickEstimate(run: TeamRun, category: Category, room: number): number | null {
  if (run.profile.unit === "issues") return null;
  const bugLike = category === "unclassified";
  if (bugLike && run.rng.chance(0.35)) return null;
  const cap = category === "investment" ? Math.min(room, run.profile.largestInvestment) : room;
  const fitting = (bugLike ? BUG_POINTS : POINTS).filter((points) => points <= cap);
  return fitting.length === 0 ? 1 : run.rng.pick(fitting);
}

export function neighbourEstimate(estimate: number): number {
  const scale = [1, 2, 3, 5, 8, 13];
  const index = scale.indexOf(estimate);
  return scale[index <= 0 ? 1 : index - 1] ?? estimate;
}

/** Pulls a piece of earlier dropped work back from the backlog, if one fits. */
export function takeFromBacklog(
  run: TeamRun,
  category: Category,
  before: number,
  fits: (weight: number) => boolean,
): PlanItem | undefined {
  const index = run.backlog.findIndex(
    (item) =>
      item.category === category &&
      lastEventAt(item) < before &&
      statusOf(item) === "todo" &&
      fits(weightOf(run, estimateOf(item))),
  );
  if (index < 0) return undefined;
  const [item] = run.backlog.splice(index, 1);
  return item;
}

/** An item committed to `sprint` at planning: new or from the backlog, moved in before the start. */
export function planInto(
  run: TeamRun,
  sprint: SprintSlot,
  category: Category,
  estimate: number | null,
  reuse: "none" | "sameSize" | "anySize",
): PlanItem {
  const { rng } = run;
  const t0 = sprint.startAt;
  const size = weightOf(run, estimate);
  const reused =
    reuse === "none"
      ? undefined
      : takeFromBacklog(run, category, t0 - 3 * DAY, (w) => reuse === "anySize" || w === size);
  if (reused !== undefined) {
    moveInto(run, reused, rng.time(t0 - 3 * DAY, t0 - 10 * MINUTE), sprint.id);
    return reused;
  }
  if (rng.chance(0.25)) {
    // Created straight into the sprint during planning: no sprint history at all.
    const createdAt = rng.time(t0 - 3 * DAY, t0 - 10 * MINUTE);
    return createWork(run, { category, createdAt, sprints: [sprint.id], estimate, added: false });
  }
  const createdAt = rng.time(t0 - 45 * DAY, t0 - 3 * DAY);
  const refined = estimate !== null && rng.chance(0.25);
  const item = createWork(run, {
    category,
    createdAt,
    sprints: [],
    estimate: refined ? null : estimate,
    added: false,
  });
  const plannedAt = rng.time(t0 - 3 * DAY, t0 - 10 * MINUTE);
  if (refined) {
    // Estimated in backlog refinement, between creation and planning.
    item.events.push({
      at: rng.time(createdAt + HOUR, plannedAt - HOUR),
      field: "estimate",
      to: estimate,
    });
  }
  moveInto(run, item, plannedAt, sprint.id);
  return item;
}

/** Unplanned work pulled into the running sprint at `at`. */
export function addMidSprint(
  run: TeamRun,
  sprint: SprintSlot,
  category: Category,
  estimate: number | null,
  at: number,
): PlanItem {
  const { rng } = run;
  if (rng.chance(0.6)) {
    return createWork(run, {
      category,
      createdAt: at,
      sprints: [sprint.id],
      estimate,
      added: true,
    });
  }
  const createdAt = rng.time(at - 30 * DAY, at - HOUR);
  const item = createWork(run, { category, createdAt, sprints: [], estimate, added: true });
  moveInto(run, item, at, sprint.id);
  return item;
}

/** Ideas and bug reports that never made it into a sprint; some are closed as won't do. */
export function planBacklogNoise(run: TeamRun, now: number): void {
  const { rng } = run;
  for (const quarter of run.calendar.quarters) {
    const count = rng.int(3, 6);
    for (let i = 0; i < count; i++) {
      const createdAt = rng.time(quarter.start, Math.min(now, quarter.start + 91 * DAY));
      const category = rng.pick<Category>(["roadmap", "roadmap", "investment", "unclassified"]);
      const estimate = rng.chance(0.5) ? pickEstimate(run, category, 8) : null;
      const item = createWork(run, { category, createdAt, sprints: [], estimate, added: false });
      if (rng.chance(0.15)) setStatus(item, createdAt + rng.int(1, 40) * DAY, "canceled");
    }
  }
}
