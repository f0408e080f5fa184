import { DAY, HOUR, MINUTE } from "./calendar";
import {
  estimateAt,
  estimateOf,
  lastEvent,
  lastEventAt,
  moveInto,
  moveOut,
  type PlanItem,
  setStatus,
  statusOf,
  type TeamRun,
  weightOf,
} from "./plan";
import { CATEGORIES, type Category, type Classified, type SprintSlot } from "./types";
import {
  addMidSprint,
  createWork,
  neighbourEstimate,
  pickEstimate,
  planInto,
  takeFromBacklog,
} from "./work";

function scheduleDelivery(
  run: TeamRun,
  item: PlanItem,
  sprint: SprintSlot,
  earliest: number,
  doneAt: number,
  reestimateTo: number | null,
): void {
  const { rng } = run;
  if (statusOf(item) === "todo") {
    const from = Math.max(earliest, sprint.startAt, doneAt - 5 * DAY) + 10 * MINUTE;
    setStatus(item, rng.time(from, doneAt - HOUR), "inProgress");
  }
  if (reestimateTo !== null) {
    item.events.push({
      at: rng.time(sprint.startAt + HOUR, doneAt - 10 * MINUTE),
      field: "estimate",
      to: reestimateTo,
    });
  }
  // Reopening stays inside this sprint, so the item is not done at its start.
  const startedAt = Math.max(lastEvent(item, "status")?.at ?? earliest, sprint.startAt);
  if (doneAt - startedAt > 12 * HOUR && rng.chance(0.05)) {
    // Reopened after review, done again later in the same sprint.
    const firstDone = startedAt + Math.round((doneAt - startedAt) * 0.4);
    setStatus(item, firstDone, "done");
    setStatus(item, firstDone + Math.round((doneAt - startedAt) * 0.2), "inProgress");
  }
  setStatus(item, doneAt, "done");
}

interface Delivery {
  readonly category: Category;
  readonly weight: number;
  /** Null for work added mid-sprint, created once its completion time is known. */
  readonly item: PlanItem | null;
  readonly estimate: number | null;
  readonly reestimateTo: number | null;
}

/**
 * Completion times for a sprint's deliveries: each category's items spread evenly over the
 * sprint by cumulative weight, so that any stretch of it (the elapsed part of the active sprint,
 * the days of a sprint inside a quarter) shows about the planned mix rather than a lucky or
 * unlucky draw.
 */
function spreadDeliveries(
  run: TeamRun,
  sprint: SprintSlot,
  deliveries: readonly Delivery[],
): { delivery: Delivery; doneAt: number }[] {
  const { rng } = run;
  const placed: { delivery: Delivery; position: number }[] = [];
  for (const category of CATEGORIES) {
    const own = deliveries.filter((delivery) => delivery.category === category);
    const total = own.reduce((sum, delivery) => sum + delivery.weight, 0);
    // Fisher-Yates, so that stories, bugs and carried work mix within a category.
    for (let i = own.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      const [a, b] = [own[i], own[j]];
      if (a !== undefined && b !== undefined) [own[i], own[j]] = [b, a];
    }
    let cumulative = 0;
    for (const delivery of own) {
      const share = delivery.weight / Math.max(1, total);
      const middle = cumulative / Math.max(1, total) + share / 2;
      cumulative += delivery.weight;
      const position = Math.min(0.97, Math.max(0.03, middle + rng.range(-0.2, 0.2) * share));
      placed.push({ delivery, position });
    }
  }
  const from = sprint.startAt + 2 * HOUR;
  const to = sprint.closeAt - 30 * MINUTE;
  return placed
    .sort((a, b) => a.position - b.position)
    .map(({ delivery, position }) => ({
      delivery,
      doneAt: Math.round((from + (to - from) * position) / MINUTE) * MINUTE,
    }));
}

function shareOf(split: Record<Classified, number>): number {
  const total = split.roadmap + split.investment;
  return total === 0 ? 0 : split.investment / total;
}

/**
 * Plans one sprint so that it delivers the mix the team's story asks for: carried-in work first,
 * then new work filling each category's quota exactly, then committed work that will not be
 * delivered (carried over or moved out), steered so that the committed share lands on the plan.
 * Returns the items that roll over into `next`.
 */
export function planSprint(
  run: TeamRun,
  sprint: SprintSlot,
  carryIns: readonly PlanItem[],
  next: SprintSlot | undefined,
): PlanItem[] {
  const { rng, profile } = run;
  const t0 = sprint.startAt;
  const t1 = sprint.closeAt;
  const closes = sprint.state === "closed" && next !== undefined;
  const mix = profile.mix(sprint, run.calendar, rng);

  const velocity = rng.int(profile.velocity[0], profile.velocity[1]);
  const unclassified = Math.round(velocity * profile.unclassifiedShare * rng.range(0.7, 1.3));
  const classified = velocity - unclassified;
  const investment = Math.round(classified * mix.deliver);
  const quota: Record<Category, number> = {
    roadmap: classified - investment,
    investment,
    unclassified,
  };

  const leftovers: PlanItem[] = [];
  const carried: Record<Category, number> = { roadmap: 0, investment: 0, unclassified: 0 };
  const carriedDelivered: PlanItem[] = [];
  for (const item of carryIns) {
    if (mix.squeeze && item.category === "investment") {
      leftovers.push(item);
    } else {
      carriedDelivered.push(item);
      carried[item.category] += weightOf(run, estimateOf(item));
    }
  }
  // Carried-in work is delivered whole, so the quotas grow to keep the planned share.
  if (carried.investment > quota.investment) {
    quota.investment = carried.investment;
    if (mix.deliver > 0) {
      const roadmap = Math.round((quota.investment * (1 - mix.deliver)) / mix.deliver);
      quota.roadmap = Math.max(quota.roadmap, roadmap);
    }
  }
  if (carried.roadmap > quota.roadmap) {
    quota.roadmap = carried.roadmap;
    if (mix.deliver < 1 && !mix.squeeze) {
      const investmentQuota = Math.round((quota.roadmap * mix.deliver) / (1 - mix.deliver));
      quota.investment = Math.max(quota.investment, investmentQuota);
    }
  }
  quota.unclassified = Math.max(quota.unclassified, carried.unclassified);

  const deliveries: Delivery[] = carriedDelivered.map((item) => ({
    category: item.category,
    weight: weightOf(run, estimateOf(item)),
    item,
    estimate: estimateOf(item),
    reestimateTo: null,
  }));

  const committed: Record<Classified, number> = { roadmap: 0, investment: 0 };
  const countCommitted = (item: PlanItem) => {
    if (item.category !== "unclassified") {
      committed[item.category] += weightOf(run, estimateAt(item, t0));
    }
  };
  carryIns.forEach(countCommitted);

  for (const category of CATEGORIES) {
    let remaining = quota[category] - carried[category];
    while (remaining > 0) {
      const reused = rng.chance(0.2)
        ? takeFromBacklog(run, category, t0 - 3 * DAY, (weight) => weight <= remaining)
        : undefined;
      if (reused !== undefined) {
        // Dropped earlier, picked up again: its own size counts against the quota.
        const weight = weightOf(run, estimateOf(reused));
        remaining -= weight;
        moveInto(run, reused, rng.time(t0 - 3 * DAY, t0 - 10 * MINUTE), sprint.id);
        countCommitted(reused);
        const estimate = estimateOf(reused);
        deliveries.push({ category, weight, item: reused, estimate, reestimateTo: null });
        continue;
      }
      const estimate = pickEstimate(run, category, remaining);
      const weight = weightOf(run, estimate);
      remaining -= weight;
      if (rng.chance(category === "unclassified" ? 0.5 : 0.12)) {
        // Added mid-sprint once its completion time is known.
        deliveries.push({ category, weight, item: null, estimate, reestimateTo: null });
        continue;
      }
      const reestimate = estimate !== null && estimate > 1 && rng.chance(0.12);
      const initial = reestimate && estimate !== null ? neighbourEstimate(estimate) : estimate;
      const item = planInto(run, sprint, category, initial, "none");
      countCommitted(item);
      deliveries.push({
        category,
        weight,
        item,
        estimate,
        reestimateTo: reestimate ? estimate : null,
      });
    }
  }

  for (const { delivery, doneAt } of spreadDeliveries(run, sprint, deliveries)) {
    let item = delivery.item;
    let earliest = t0;
    if (item === null && doneAt - 2 * HOUR >= t0 + DAY) {
      earliest = rng.time(Math.max(t0 + DAY, doneAt - 4 * DAY), doneAt - 2 * HOUR);
      item = addMidSprint(run, sprint, delivery.category, delivery.estimate, earliest);
    } else if (item === null) {
      // Too early in the sprint to have been added during it: planned like the rest.
      item = planInto(run, sprint, delivery.category, delivery.estimate, "none");
      countCommitted(item);
    }
    scheduleDelivery(run, item, sprint, earliest, doneAt, delivery.reestimateTo);
  }

  // Committed work that will not be delivered, each piece chosen to move the committed share
  // towards the plan: a healthy team's commitment looks like its delivery, a squeezed one's does not.
  const addLeftover = (category: Category, estimate: number | null) => {
    // A squeezed team keeps re-planning the same dropped debt; elsewhere a reused item must be
    // the size the steering asked for.
    const squeezed = category === "investment" && mix.squeeze;
    const reuse = rng.chance(squeezed ? 0.5 : 0.2) ? (squeezed ? "anySize" : "sameSize") : "none";
    const item = planInto(run, sprint, category, estimate, reuse);
    countCommitted(item);
    leftovers.push(item);
  };
  const wanted = rng.int(1, 2);
  for (let i = 0; i < 6; i++) {
    const close = Math.abs(shareOf(committed) - mix.commit) < 0.02;
    if (i >= wanted && (close || mix.squeeze)) break;
    let best: { category: Classified; estimate: number | null; miss: number } | undefined;
    for (const category of ["roadmap", "investment"] as const) {
      const drawn = pickEstimate(run, category, 5);
      for (const estimate of drawn === null ? [null] : [drawn, 2, 3]) {
        const trial = { ...committed, [category]: committed[category] + weightOf(run, estimate) };
        const miss = Math.abs(shareOf(trial) - mix.commit);
        if (best === undefined || miss < best.miss - 0.005) best = { category, estimate, miss };
      }
    }
    if (best !== undefined) addLeftover(best.category, best.estimate);
  }
  for (let guard = 0; mix.squeeze && shareOf(committed) < mix.commit - 0.03 && guard < 8; guard++) {
    addLeftover("investment", pickEstimate(run, "investment", 5));
  }
  if (rng.chance(profile.unclassifiedShare * 2)) {
    addLeftover("unclassified", pickEstimate(run, "unclassified", 3));
  }

  if (!closes || next === undefined || sprint.completeAt === null) return [];
  const closedAt = sprint.completeAt;
  const carryOuts: PlanItem[] = [];
  for (const item of leftovers) {
    if (statusOf(item) === "todo" && rng.chance(0.4)) {
      setStatus(item, rng.time(Math.max(t0, lastEventAt(item)) + 4 * HOUR, t1 - DAY), "inProgress");
    }
    if (item.carries < 2 && rng.chance(mix.squeeze ? 0.55 : 0.7)) {
      moveInto(run, item, closedAt, next.id);
      item.carries++;
      carryOuts.push(item);
      continue;
    }
    // Moved out mid-sprint to make room; back to the backlog, now and then dropped for good.
    const at = rng.time(Math.max(t0 + DAY, lastEventAt(item) + MINUTE), t1 - DAY);
    setStatus(item, at, "todo");
    moveOut(item, at, sprint.id);
    run.backlog.push(item);
  }
  if (rng.chance(0.2)) {
    // Closed as won't do mid-sprint. Canceled work is left out of every number (SPEC §4), so it
    // is planned outside the committed share steered above; cancelling counted work would shift it.
    const category = rng.pick(CATEGORIES);
    const item = planInto(run, sprint, category, pickEstimate(run, category, 5), "none");
    setStatus(item, rng.time(t0 + DAY, t1 - DAY), "canceled");
  }
  if (rng.chance(0.25)) {
    // Scope churn: pulled in mid-sprint, then moved out again before the end.
    const category = rng.chance(0.5) ? "unclassified" : "roadmap";
    const at = rng.time(t0 + DAY, t1 - 3 * DAY);
    const item = addMidSprint(run, sprint, category, pickEstimate(run, category, 3), at);
    const removedAt = rng.time(at + 2 * HOUR, t1 - HOUR);
    moveOut(item, removedAt, sprint.id);
    if (rng.chance(0.3)) setStatus(item, removedAt + rng.int(5, 600) * MINUTE, "canceled");
    else run.backlog.push(item);
  }
  return carryOuts;
}

/** The next sprint's plan so far: work moved into it since the active sprint began. */
export function planFuture(
  run: TeamRun,
  future: SprintSlot,
  active: SprintSlot,
  now: number,
): void {
  const { rng, profile } = run;
  const from = active.startAt + 2 * DAY;
  if (now - from < DAY) return;
  const mix = profile.mix(future, run.calendar, rng);
  const progress = Math.min(1, (now - from) / Math.max(DAY, active.endAt - from));
  let remaining = Math.round(profile.velocity[0] * 0.8 * progress);
  const committed: Record<Classified, number> = { roadmap: 0, investment: 0 };
  while (remaining > 0) {
    const planned = committed.roadmap + committed.investment;
    const category: Category =
      planned > 0 && shareOf(committed) < mix.commit ? "investment" : "roadmap";
    const estimate = pickEstimate(run, category, Math.min(remaining, 5));
    const weight = weightOf(run, estimate);
    remaining -= weight;
    committed[category] += weight;
    const plannedAt = rng.time(from, now);
    const reused = takeFromBacklog(run, category, plannedAt - HOUR, () => true);
    if (reused !== undefined) {
      moveInto(run, reused, plannedAt, future.id);
      continue;
    }
    const createdAt = rng.time(plannedAt - 30 * DAY, plannedAt - HOUR);
    const item = createWork(run, { category, createdAt, sprints: [], estimate, added: false });
    moveInto(run, item, plannedAt, future.id);
  }
}
