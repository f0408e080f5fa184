/**
 * An independent, deliberately slow reference implementation of SPEC §2–§10, used by
 * reference.test.ts to check `computeReport` differentially. Written from the SPEC text only:
 * every sprint scans every item, every value at a time is computed literally from §5's words.
 *
 * Where the SPEC is ambiguous, the reading taken here (where the implementation chose the other
 * reading first, the reference was changed to follow it, marked "impl"):
 *
 * - A1 (§5) several events of one field at the same `at`: the first one in the history array is
 *   "the earliest" (the implementation agrees).
 * - A2 (§6) added: a is the first time in (T0, T1) at which the item is a member; if it is done
 *   at that a, it is not added (no later a is tried).
 * - A3 (§6) delivery tie-break between qualifying sprints with the same latest startAt: the last
 *   of them in workspace order (impl).
 * - A4 (§4) `unestimated` is tallied for unit `points` only, where the sentence stands (impl).
 * - A5 (§7) the first quarter listed holds the earliest sprint start or *item completion* (impl;
 *   the other reading is "sprint start or sprint completion", which would give kanban teams only
 *   the current quarter).
 * - A6 (§9) SUSTAINED_EROSION: each of the three sprints is compared with its own target.
 * - A7 (§9) NO_TARGET and TARGET_REVIEW_DUE belong to the team period.
 * - A8 (§9) TARGET_REVIEW_DUE: "the latest target entry" is the one with the newest
 *   `effectiveFrom`, not the last one appended.
 * - A9 (§3) an ancestor's explicit label is judged with the ancestor's own team's labels.
 * - A10 (§3) `titleMatches` matches case-insensitively, like the lists.
 * - A11 (§10) `items` lists every item of the team, canceled ones included.
 * - A12 (§3) an empty condition list (`labels: []`) never holds; an empty `if` always holds.
 * - A13 (§7) when the earliest quarter lies after the quarter holding `now`, only the quarter
 *   holding `now` is listed.
 * - A14 (§5) a `done` item with neither `completedAt` nor status history is done throughout,
 *   not "todo before a completedAt that never comes" (impl).
 * - A15 (§6) a sprint counts every item that is a member, whatever the item's team, weighed
 *   with the sprint's team's unit and unestimatedWeight; the delivery tie-break runs over the
 *   sprints of all teams (impl; the SPEC does not restrict "items" to the sprint's team).
 * - A16 (§9) NO_TARGET: "no target in force for the current quarter" is the quarter's target of
 *   §8, so a target dated later inside the current quarter prevents it.
 * - A17 (§7) days for requiredShare are 24-hour spans of elapsed time (DST days included).
 * - A18 (§10) items are sorted by id in UTF-16 code-unit order ("PAY-10" before "PAY-9").
 * - A19 (§6a) spent: rates only change at an item's creation and at status or assignee events,
 *   so each span between two consecutive such instants of the whole workspace has one rate per
 *   item, read at its start; a window's spent is the sum over those spans clipped to the window.
 * - A20 (§9) LOW_CONFIDENCE of a sprint judged on spent: "no actual weight yet" is a spent total
 *   of 0, or no spent at all (future sprints).
 * - A21 (§7) requiredShare and requiredToBand need a target (t), so they are null without one;
 *   QUARTER_AT_RISK needs a requiredToBand.
 * - A22 (§7) the org lists quarters from the UTC quarter holding the start of the earliest
 *   quarter of any reported team; with no team, the quarter holding `now`.
 * - Threshold comparisons of §9 are real-number comparisons (see `lt`/`gt`): this is not an
 *   ambiguity but the source of the one bug found (reference-regressions.test.ts).
 */
import type {
  Category,
  Classification,
  Flag,
  FlagRef,
  HistoryEvent,
  Item,
  ItemCategory,
  ItemReport,
  OrgQuarterReport,
  QuarterReport,
  QuarterState,
  Report,
  Rule,
  RuleCondition,
  Severity,
  Split,
  Sprint,
  SprintReport,
  SprintState,
  Target,
  TargetRef,
  Team,
  TeamReport,
  Workspace,
} from "../../src/domain/types";

const DAY = 86_400_000;

/**
 * A5: whether the first quarter listed may also be the one holding an item's completion time
 * ("the team's earliest sprint start or completion": sprint completion, or item completion).
 */
export const QUARTERS_FROM_ITEM_COMPLETIONS = true;

/** A4: whether `unestimated` is tallied for teams with unit `issues` too. */
export const UNESTIMATED_FOR_ISSUES = false;

export const REFERENCE_DEFAULT_RULES: readonly Rule[] = [
  {
    if: {
      labels: [
        "tech-debt",
        "techdebt",
        "refactor",
        "refactoring",
        "infra",
        "infrastructure",
        "reliability",
        "security",
        "performance",
        "platform",
        "devex",
        "chore",
        "maintenance",
      ],
    },
    then: "investment",
  },
  { if: { type: ["Tech Debt", "Technical Debt", "Chore", "Maintenance"] }, then: "investment" },
  { if: { type: ["Story", "Feature", "New Feature"] }, then: "roadmap" },
];

// ---------------------------------------------------------------------------------------------
// Time zones (Intl only)

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The calendar date of an instant in a time zone: `{ y, m (1-12), d }`. */
export function refLocalParts(ms: number, timeZone: string): { y: number; m: number; d: number } {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => {
    const part = parts.find((p) => p.type === type);
    if (part === undefined) throw new Error(`no ${type} part`);
    return Number(part.value);
  };
  return { y: get("year"), m: get("month"), d: get("day") };
}

function dateString(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function refLocalDate(ms: number, timeZone: string): string {
  const { y, m, d } = refLocalParts(ms, timeZone);
  return dateString(y, m, d);
}

const dayStartCache = new Map<string, number>();

/** The first instant whose local date in `timeZone` is on or after y-m-d (binary search). */
function startOfLocalDay(y: number, m: number, d: number, timeZone: string): number {
  const key = `${timeZone}|${y}|${m}|${d}`;
  const cached = dayStartCache.get(key);
  if (cached !== undefined) return cached;
  const target = dateString(y, m, d);
  let lo = Date.UTC(y, m - 1, d) - 2 * DAY; // local date < target
  let hi = Date.UTC(y, m - 1, d) + 2 * DAY; // local date >= target
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (refLocalDate(mid, timeZone) >= target) hi = mid;
    else lo = mid;
  }
  dayStartCache.set(key, hi);
  return hi;
}

// ---------------------------------------------------------------------------------------------
// Quarters (§7)

export interface RefQuarter {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

/** The quarter (in the team's time zone and the fiscal calendar) holding instant `ms`. */
export function refQuarterOf(ms: number, timeZone: string, fsm: number): RefQuarter {
  const { y, m } = refLocalParts(ms, timeZone);
  const monthAbs = y * 12 + (m - 1);
  const offset = (m - fsm + 12) % 12; // months since the fiscal year started
  const q = Math.floor(offset / 3) + 1;
  const startAbs = monthAbs - (offset % 3);
  const endAbs = startAbs + 3;
  const fyStartAbs = monthAbs - offset;
  const fyStartYear = Math.floor(fyStartAbs / 12);
  const id = fsm === 1 ? `${fyStartYear}-Q${q}` : `FY${fyStartYear + 1}-Q${q}`;
  const start = startOfLocalDay(Math.floor(startAbs / 12), (startAbs % 12) + 1, 1, timeZone);
  const end = startOfLocalDay(Math.floor(endAbs / 12), (endAbs % 12) + 1, 1, timeZone);
  return { id, start, end };
}

// ---------------------------------------------------------------------------------------------
// Values at a time (§5)

type FieldName = HistoryEvent["field"];

function eventsOf(item: Item, field: FieldName): HistoryEvent[] {
  return item.history.filter((e) => e.field === field);
}

/**
 * §5: "the `from` of the earliest event of that field with at > T, or the current value if there
 * is none". With `strict`, the value just before T: events with at < T applied.
 */
function rawValueAt(item: Item, field: FieldName, t: number, strict: boolean): unknown {
  let earliest: HistoryEvent | null = null;
  for (const e of item.history) {
    if (e.field !== field) continue;
    const after = strict ? e.at >= t : e.at > t;
    if (!after) continue;
    if (earliest === null || e.at < earliest.at) earliest = e; // A1: first in array on ties
  }
  if (earliest !== null) return earliest.from;
  if (field === "sprint") return item.sprintIds;
  if (field === "estimate") return item.estimate;
  if (field === "assignee") return item.assignee ?? null;
  return item.status;
}

function exists(item: Item, t: number): boolean {
  return t >= item.createdAt;
}

function sprintsAt(item: Item, t: number): readonly string[] {
  if (!exists(item, t)) return [];
  if (eventsOf(item, "sprint").length === 0) return item.sprintIds;
  return rawValueAt(item, "sprint", t, false) as readonly string[];
}

/** Membership just before T: events with at < T applied; the item must exist before T. */
function sprintsJustBefore(item: Item, t: number): readonly string[] {
  if (!(item.createdAt < t)) return [];
  if (eventsOf(item, "sprint").length === 0) return item.sprintIds;
  return rawValueAt(item, "sprint", t, true) as readonly string[];
}

function memberAt(item: Item, sprintId: string, t: number): boolean {
  return sprintsAt(item, t).includes(sprintId);
}

function memberJustBefore(item: Item, sprintId: string, t: number): boolean {
  return sprintsJustBefore(item, t).includes(sprintId);
}

function statusAt(item: Item, t: number): string | null {
  if (!exists(item, t)) return null;
  if (eventsOf(item, "status").length === 0) {
    if (item.status === "done") {
      if (item.completedAt === null) return "done"; // A14
      return t >= item.completedAt ? "done" : "todo";
    }
    return item.status;
  }
  return rawValueAt(item, "status", t, false) as string;
}

function doneAt(item: Item, t: number): boolean {
  return statusAt(item, t) === "done";
}

function estimateAt(item: Item, t: number): number | null {
  return rawValueAt(item, "estimate", t, false) as number | null;
}

/** §5: assignee follows the estimate's rule; §6a: the person, or null. */
function assigneeAt(item: Item, t: number): string | null {
  return rawValueAt(item, "assignee", t, false) as string | null;
}

/** §6a: in progress at τ when its status at τ (§5) is inProgress; it must exist then. */
function inProgressAt(item: Item, t: number): boolean {
  return statusAt(item, t) === "inProgress";
}

/** §5 completion time. */
function completionTime(item: Item): number | null {
  if (item.status !== "done") return null;
  let last: number | null = null;
  for (const e of item.history) {
    if (e.field === "status" && e.to === "done") {
      if (last === null || e.at > last) last = e.at;
    }
  }
  return last ?? item.completedAt;
}

// ---------------------------------------------------------------------------------------------
// Classification (§3)

function lower(s: string): string {
  return s.toLowerCase();
}

function hasLabel(item: Item, label: string): boolean {
  return item.labels.some((l) => lower(l) === lower(label));
}

/** Step 1 for one item with its own team's labels: a category, "conflict" or null. */
function explicitOf(item: Item, teams: readonly Team[]): Category | "conflict" | null {
  const team = teams.find((t) => t.id === item.teamId);
  if (team === undefined) return null;
  const r = hasLabel(item, team.labels.roadmap);
  const i = hasLabel(item, team.labels.investment);
  if (r && i) return "conflict";
  if (r) return "roadmap";
  if (i) return "investment";
  return null;
}

function anyMatches(values: readonly string[] | undefined, actual: readonly string[]): boolean {
  if (values === undefined) return true;
  return values.some((v) => actual.some((a) => lower(a) === lower(v)));
}

function conditionHolds(cond: RuleCondition, item: Item): boolean {
  if (!anyMatches(cond.type, [item.type])) return false;
  if (!anyMatches(cond.labels, item.labels)) return false;
  if (!anyMatches(cond.components, item.components)) return false;
  if (!anyMatches(cond.project, item.project === null ? [] : [item.project])) return false;
  if (cond.titleMatches !== undefined && !new RegExp(cond.titleMatches, "i").test(item.title)) {
    return false;
  }
  return true;
}

export function refClassify(item: Item, ws: Workspace): Classification {
  const own = explicitOf(item, ws.teams);
  if (own === "conflict") return { category: "unclassified", source: "conflict", via: null };
  if (own !== null) return { category: own, source: "explicit", via: null };

  const seen = new Set<string>([item.id]);
  let current = item;
  for (let level = 1; level <= 10; level++) {
    if (current.parentId === null) break;
    const parent = ws.items.find((x) => x.id === current.parentId);
    if (parent === undefined || seen.has(parent.id)) break;
    seen.add(parent.id);
    const e = explicitOf(parent, ws.teams);
    if (e === "roadmap" || e === "investment") {
      return { category: e, source: "inherited", via: parent.id };
    }
    current = parent;
  }

  const team = ws.teams.find((t) => t.id === item.teamId);
  const rules =
    team === undefined || team.rules.length === 0 ? REFERENCE_DEFAULT_RULES : team.rules;
  for (let n = 0; n < rules.length; n++) {
    const rule = rules[n]!;
    if (conditionHolds(rule.if, item)) {
      return { category: rule.then, source: "rule", via: `rule:${n + 1}` };
    }
  }
  return { category: "unclassified", source: "none", via: null };
}

// ---------------------------------------------------------------------------------------------
// Splits

class SplitAcc {
  roadmap = 0;
  investment = 0;
  unclassified = 0;
  add(category: ItemCategory, w: number): void {
    this[category] += w;
  }
  get(): Split {
    return { roadmap: this.roadmap, investment: this.investment, unclassified: this.unclassified };
  }
}

function investmentShare(s: Split): number | null {
  const sum = s.roadmap + s.investment;
  return sum === 0 ? null : s.investment / sum;
}

function unclassifiedShare(s: Split): number | null {
  const sum = s.roadmap + s.investment + s.unclassified;
  return sum === 0 ? null : s.unclassified / sum;
}

// ---------------------------------------------------------------------------------------------
// Spent (§6a)

/**
 * §6a literally: at the start of every span between consecutive change instants of the
 * workspace (A19), each item's rate is 0 when not in progress, 1 / n with an assignee (n: every
 * item of the workspace, canceled included, in progress and assigned to that person then), else
 * 1. Returns the spent split of a team over [from, to), in days.
 */
function spentCalculator(
  ws: Workspace,
  now: number,
  categoryOf: (item: Item) => ItemCategory,
): (teamId: string, from: number, to: number) => Split {
  const instants = new Set<number>();
  for (const item of ws.items) {
    instants.add(item.createdAt);
    for (const e of item.history) {
      if (e.field === "status" || e.field === "assignee") instants.add(e.at);
    }
  }
  const points = [...instants].filter((t) => t < now).sort((a, b) => a - b);
  // rates[k]: per team, per category, the summed rate on [points[k], points[k + 1] or now).
  const categories = new Map(ws.items.map((item) => [item, categoryOf(item)]));
  const rates: Map<string, SplitAcc>[] = points.map((t) => {
    const busy = ws.items
      .filter((i) => inProgressAt(i, t))
      .map((item) => ({ item, person: assigneeAt(item, t) }));
    const n = new Map<string, number>();
    for (const { person } of busy) {
      if (person !== null) n.set(person, (n.get(person) ?? 0) + 1);
    }
    const perTeam = new Map<string, SplitAcc>();
    for (const { item, person } of busy) {
      let acc = perTeam.get(item.teamId);
      if (acc === undefined) perTeam.set(item.teamId, (acc = new SplitAcc()));
      acc.add(categories.get(item)!, person === null ? 1 : 1 / n.get(person)!);
    }
    return perTeam;
  });
  return (teamId, from, to) => {
    const total = new SplitAcc();
    points.forEach((start, k) => {
      const end = k + 1 < points.length ? points[k + 1]! : now;
      const overlap = Math.min(end, to) - Math.max(start, from);
      const rate = rates[k]!.get(teamId);
      if (overlap <= 0 || rate === undefined) return;
      for (const c of ["roadmap", "investment", "unclassified"] as const) {
        total.add(c, (rate[c] * overlap) / DAY);
      }
    });
    return total.get();
  };
}

// ---------------------------------------------------------------------------------------------
// Targets (§8)

function pickTarget(
  teamTargets: readonly Target[],
  firstDay: string,
  lastDay: string,
): TargetRef | null {
  let best: Target | null = null;
  for (const t of teamTargets) {
    if (t.effectiveFrom <= firstDay && (best === null || t.effectiveFrom >= best.effectiveFrom)) {
      best = t; // later entries win ties
    }
  }
  if (best === null) {
    for (const t of teamTargets) {
      if (t.effectiveFrom > firstDay && t.effectiveFrom <= lastDay) {
        if (best === null || t.effectiveFrom <= best.effectiveFrom) best = t;
      }
    }
  }
  return best === null
    ? null
    : { investmentShare: best.investmentShare, tolerance: best.tolerance };
}

// ---------------------------------------------------------------------------------------------
// The report

export interface ReferenceOptions {
  readonly now: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sprintState(s: Sprint, now: number): SprintState {
  if (s.startAt > now) return "future";
  if (s.completeAt !== null && s.completeAt <= now) return "closed";
  return "active";
}

/**
 * Threshold comparisons of the SPEC are comparisons of real numbers: a share that equals
 * t − tol mathematically is not below it, whatever floating point makes of t − tol.
 */
const CMP_EPS = 1e-9;
const lt = (a: number, b: number): boolean => a < b - CMP_EPS;
const gt = (a: number, b: number): boolean => a > b + CMP_EPS;

function belowSeverity(share: number, t: TargetRef): Severity {
  return lt(share, t.investmentShare - 2 * t.tolerance) ? "critical" : "warning";
}

interface Counted {
  readonly item: Item;
  readonly weight: number;
}

export function referenceReport(ws: Workspace, options: ReferenceOptions): Report {
  const { now } = options;
  const fsm = ws.settings.fiscalYearStartMonth;
  const live = ws.items.filter((i) => i.status !== "canceled");
  const categoryOf = (item: Item): ItemCategory => refClassify(item, ws).category;
  const spentOf = spentCalculator(ws, now, categoryOf);

  /** Delivery sprint of an item per §6 (latest startAt among qualifying non-future sprints). */
  const deliverySprint = (item: Item): string | null => {
    const c = completionTime(item);
    if (c === null) return null;
    let best: Sprint | null = null;
    for (const s of ws.sprints) {
      if (sprintState(s, now) === "future") continue;
      const t1 = sprintState(s, now) === "closed" ? s.completeAt! : now;
      if (!(c > s.startAt && c <= t1)) continue;
      if (!memberAt(item, s.id, c)) continue;
      if (best === null || s.startAt >= best.startAt) best = s; // A3
    }
    return best === null ? null : best.id;
  };

  const teams: TeamReport[] = ws.teams.map((team) => {
    const tz = team.timezone;
    const measure = team.actual ?? "delivered";
    const teamTargets = ws.targets.filter((t) => t.teamId === team.id);
    const teamSprints = ws.sprints.filter((s) => s.teamId === team.id);
    const teamItems = live.filter((i) => i.teamId === team.id);
    const flags: Flag[] = [];

    const weightAt = (item: Item, t: number): { w: number; unestimated: boolean } => {
      const est = estimateAt(item, t);
      const unestimated = est === null && (team.unit === "points" || UNESTIMATED_FOR_ISSUES);
      if (team.unit === "issues") return { w: 1, unestimated };
      return { w: est === null ? team.unestimatedWeight : est, unestimated };
    };

    // ----- sprints
    const sprintResults = new Map<string, { report: SprintReport; state: SprintState }>();
    for (const s of teamSprints) {
      const state = sprintState(s, now);
      const t0 = s.startAt;
      const t1 = state === "closed" ? s.completeAt! : now;
      const committed = new SplitAcc();
      const added = new SplitAcc();
      const removed = new SplitAcc();
      const delivered = new SplitAcc();
      const carried = new SplitAcc();
      const unestimated = new Set<string>();
      const counted: Counted[] = [];

      for (const item of live) {
        // A15: every member counts, whatever its team
        const cat = categoryOf(item);
        if (state === "future") {
          if (exists(item, now) && memberAt(item, s.id, now) && !doneAt(item, now)) {
            const { w, unestimated: u } = weightAt(item, now);
            committed.add(cat, w);
            if (u) unestimated.add(item.id);
          }
          continue;
        }
        // committed
        if (exists(item, t0) && memberAt(item, s.id, t0) && !doneAt(item, t0)) {
          const { w, unestimated: u } = weightAt(item, t0);
          committed.add(cat, w);
          if (u) unestimated.add(item.id);
          counted.push({ item, weight: w });
        } else if (!memberAt(item, s.id, t0)) {
          // added: the first time a in (T0, T1) at which the item is a member
          const candidates = [item.createdAt, ...eventsOf(item, "sprint").map((e) => e.at)]
            .filter((a) => a > t0 && a < t1)
            .sort((x, y) => x - y);
          const a = candidates.find((x) => memberAt(item, s.id, x));
          if (a !== undefined && !doneAt(item, a)) {
            const { w, unestimated: u } = weightAt(item, a);
            added.add(cat, w);
            if (u) unestimated.add(item.id);
            counted.push({ item, weight: w });
          }
        }
        // delivered
        const c = completionTime(item);
        const deliveredHere = c !== null && deliverySprint(item) === s.id;
        if (deliveredHere) {
          const { w, unestimated: u } = weightAt(item, c);
          delivered.add(cat, w);
          if (u) unestimated.add(item.id);
        }
      }
      for (const { item, weight } of counted) {
        const cat = categoryOf(item);
        const deliveredHere = deliverySprint(item) === s.id;
        if (deliveredHere) continue;
        if (!memberJustBefore(item, s.id, t1)) {
          removed.add(cat, weight);
        } else if (state === "closed") {
          const { w, unestimated: u } = weightAt(item, t1);
          carried.add(cat, w);
          if (u) unestimated.add(item.id);
        }
      }

      const target = pickTarget(
        teamTargets,
        refLocalDate(s.startAt, tz),
        refLocalDate(s.endAt, tz),
      );
      const c = committed.get();
      const d = delivered.get();
      const sp = state === "future" ? null : spentOf(team.id, t0, t1);
      const report: SprintReport = {
        id: s.id,
        name: s.name,
        state,
        startAt: iso(s.startAt),
        endAt: iso(s.endAt),
        completeAt: s.completeAt === null ? null : iso(s.completeAt),
        target,
        committed: c,
        added: added.get(),
        removed: removed.get(),
        delivered: d,
        ...(state === "closed" ? { carriedOver: carried.get() } : {}),
        ...(sp === null ? {} : { spent: sp }),
        investmentShare: {
          committed: investmentShare(c),
          delivered: investmentShare(d),
          spent: sp === null ? null : investmentShare(sp),
        },
        unclassifiedShare: {
          committed: unclassifiedShare(c),
          delivered: unclassifiedShare(d),
          spent: sp === null ? null : unclassifiedShare(sp),
        },
        unestimated: unestimated.size,
        flags: [],
      };
      sprintResults.set(s.id, { report, state });
    }

    // sprint flags
    const closedByStart = teamSprints
      .filter((s) => sprintState(s, now) === "closed")
      .sort((a, b) => a.startAt - b.startAt);
    /** §9: the sprint's split on the team's actual measure, null when it has none (future). */
    const actualOf = (r: SprintReport): Split | null =>
      measure === "spent" ? (r.spent ?? null) : r.delivered;
    const actualBelow = (id: string): boolean => {
      const r = sprintResults.get(id)!.report;
      const a = actualOf(r);
      const ds = a === null ? null : investmentShare(a);
      return (
        r.target !== null && ds !== null && lt(ds, r.target.investmentShare - r.target.tolerance)
      );
    };
    for (const s of teamSprints) {
      const { report, state } = sprintResults.get(s.id)!;
      const own: FlagRef[] = [];
      const t = report.target;
      const cs = report.investmentShare.committed;
      const actual = actualOf(report);
      const ds = actual === null ? null : investmentShare(actual);
      if (t !== null) {
        const tt = t.investmentShare;
        const tol = t.tolerance;
        if (state !== "future" && cs !== null && lt(cs, tt - tol)) {
          own.push({ code: "SPRINT_COMMITTED_BELOW_TARGET", severity: belowSeverity(cs, t) });
        }
        if (state === "closed") {
          if (ds !== null && lt(ds, tt - tol)) {
            own.push({ code: "SPRINT_BELOW_TARGET", severity: belowSeverity(ds, t) });
          }
          if (ds !== null && cs !== null && lt(ds, cs - tol)) {
            own.push({ code: "SPRINT_SQUEEZED", severity: "warning" });
          }
          if (actual !== null && actual.roadmap > 0 && actual.investment === 0 && tt > 0) {
            own.push({ code: "INVESTMENT_ZEROED", severity: "critical" });
          }
          const idx = closedByStart.findIndex((x) => x.id === s.id);
          if (
            idx >= 2 &&
            actualBelow(s.id) &&
            actualBelow(closedByStart[idx - 1]!.id) &&
            actualBelow(closedByStart[idx - 2]!.id)
          ) {
            own.push({ code: "SUSTAINED_EROSION", severity: "critical" });
          }
          if (ds !== null && gt(ds, tt + 2 * tol)) {
            own.push({ code: "ROADMAP_STARVED", severity: "warning" });
          }
        }
      }
      // A20: "no actual weight yet" is an actual total of 0, or none at all.
      const nothingActual =
        actual === null || actual.roadmap + actual.investment + actual.unclassified === 0;
      const us = nothingActual ? report.unclassifiedShare.committed : unclassifiedShare(actual);
      if (us !== null && gt(us, 0.2)) own.push({ code: "LOW_CONFIDENCE", severity: "info" });
      sprintResults.set(s.id, { report: { ...report, flags: own }, state });
      for (const f of own) {
        flags.push({
          ...f,
          period: { kind: "sprint", id: s.id },
          message: "",
          evidence: {},
        });
      }
    }

    // ----- quarters
    const nowQuarter = refQuarterOf(now, tz, fsm);
    let earliest: number | null = null;
    for (const s of teamSprints) {
      for (const t of [s.startAt, s.completeAt]) {
        if (t !== null && (earliest === null || t < earliest)) earliest = t;
      }
    }
    if (QUARTERS_FROM_ITEM_COMPLETIONS) {
      for (const item of teamItems) {
        const c = completionTime(item);
        if (c !== null && (earliest === null || c < earliest)) earliest = c;
      }
    }
    const quarters: RefQuarter[] = [];
    let q = earliest === null ? nowQuarter : refQuarterOf(earliest, tz, fsm);
    if (q.start > nowQuarter.start) q = nowQuarter; // A13
    for (;;) {
      quarters.push(q);
      if (q.start >= nowQuarter.start) break;
      q = refQuarterOf(q.end, tz, fsm);
    }

    const quarterReports: QuarterReport[] = quarters.map((qq) => {
      const state: QuarterState = qq.end <= now ? "closed" : "current";
      const acc = new SplitAcc();
      for (const item of teamItems) {
        const c = completionTime(item);
        if (c === null || c < qq.start || c >= qq.end) continue;
        acc.add(categoryOf(item), weightAt(item, c).w);
      }
      const delivered = acc.get();
      const spent = spentOf(team.id, qq.start, Math.min(qq.end, now));
      const target = pickTarget(
        teamTargets,
        refLocalDate(qq.start, tz),
        refLocalDate(qq.end - 1, tz),
      );
      const judged = judgeQuarter(measure === "spent" ? spent : delivered, target, qq, state, now);
      for (const f of judged.flags) {
        flags.push({ ...f, period: { kind: "quarter", id: qq.id }, message: "", evidence: {} });
      }
      return {
        id: qq.id,
        start: iso(qq.start),
        end: iso(qq.end),
        state,
        target,
        delivered,
        spent,
        investmentShare: { delivered: investmentShare(delivered), spent: investmentShare(spent) },
        unclassifiedShare: {
          delivered: unclassifiedShare(delivered),
          spent: unclassifiedShare(spent),
        },
        requiredShare: judged.requiredShare,
        requiredToBand: judged.requiredToBand,
        flags: judged.flags,
      };
    });

    // ----- team flags
    const currentQuarter = quarterReports[quarterReports.length - 1]!;
    if (currentQuarter.target === null) {
      flags.push({
        code: "NO_TARGET",
        severity: "warning",
        period: { kind: "team", id: team.id },
        message: "",
        evidence: {},
      });
    }
    if (teamTargets.length > 0) {
      const newest = teamTargets.map((t) => t.effectiveFrom).sort()[teamTargets.length - 1]!;
      if (newest < refLocalDate(Date.parse(currentQuarter.start), tz)) {
        flags.push({
          code: "TARGET_REVIEW_DUE",
          severity: "info",
          period: { kind: "team", id: team.id },
          message: "",
          evidence: {},
        });
      }
    }

    const items: ItemReport[] = ws.items
      .filter((i) => i.teamId === team.id)
      .map((i) => ({ id: i.id, ...refClassify(i, ws) }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    const sprints = [...teamSprints]
      .sort((a, b) => a.startAt - b.startAt)
      .map((s) => sprintResults.get(s.id)!.report);

    return {
      id: team.id,
      name: team.name,
      unit: team.unit,
      actual: measure,
      sprints,
      quarters: quarterReports,
      flags,
      items,
    };
  });

  // ----- org (§7, §9): UTC quarters on the workspace's fiscal year, summed spent, org target
  const orgTargets = ws.targets.filter((t) => t.teamId === null);
  const nowQuarter = refQuarterOf(now, "UTC", fsm);
  const firstStarts = teams.map((t) => Date.parse(t.quarters[0]!.start));
  let oq =
    firstStarts.length === 0 ? nowQuarter : refQuarterOf(Math.min(...firstStarts), "UTC", fsm);
  if (oq.start > nowQuarter.start) oq = nowQuarter;
  const orgQuarters: OrgQuarterReport[] = [];
  const orgFlags: Flag[] = [];
  for (;;) {
    const state: QuarterState = oq.end <= now ? "closed" : "current";
    const acc = new SplitAcc();
    for (const team of ws.teams) {
      const split = spentOf(team.id, oq.start, Math.min(oq.end, now));
      for (const c of ["roadmap", "investment", "unclassified"] as const) acc.add(c, split[c]);
    }
    const spent = acc.get();
    const target = pickTarget(
      orgTargets,
      refLocalDate(oq.start, "UTC"),
      refLocalDate(oq.end - 1, "UTC"),
    );
    const judged = judgeQuarter(spent, target, oq, state, now);
    for (const f of judged.flags) {
      orgFlags.push({
        ...f,
        period: { kind: "org-quarter", id: oq.id },
        message: "",
        evidence: {},
      });
    }
    orgQuarters.push({
      id: oq.id,
      start: iso(oq.start),
      end: iso(oq.end),
      state,
      target,
      spent,
      investmentShare: investmentShare(spent),
      unclassifiedShare: unclassifiedShare(spent),
      requiredShare: judged.requiredShare,
      requiredToBand: judged.requiredToBand,
      flags: judged.flags,
    });
    if (oq.start >= nowQuarter.start) break;
    oq = refQuarterOf(oq.end, "UTC", fsm);
  }

  return { version: 2, now: iso(now), teams, org: { quarters: orgQuarters, flags: orgFlags } };
}

/**
 * §7 and §9 for one quarter judged on `actual` (a team's actual measure, or the org's spent):
 * requiredShare, requiredToBand and the quarter's flags.
 */
function judgeQuarter(
  actual: Split,
  target: TargetRef | null,
  q: RefQuarter,
  state: QuarterState,
  now: number,
): { requiredShare: number | null; requiredToBand: number | null; flags: FlagRef[] } {
  const D = actual.roadmap + actual.investment;
  const I = actual.investment;
  const E = (now - q.start) / DAY;
  const Rd = (q.end - now) / DAY;
  const required = (share: number): number | null => {
    if (state !== "current" || E < 14 || D <= 0) return null;
    const R = (D * Rd) / E;
    return (share * (D + R) - I) / R;
  };
  const requiredShare = target === null ? null : required(target.investmentShare);
  const requiredToBand =
    target === null ? null : required(target.investmentShare - target.tolerance);
  const share = investmentShare(actual);
  const us = unclassifiedShare(actual);
  const own: FlagRef[] = [];
  if (target !== null) {
    const tt = target.investmentShare;
    const tol = target.tolerance;
    if (state === "closed" && share !== null && lt(share, tt - tol)) {
      own.push({ code: "QUARTER_BELOW_TARGET", severity: belowSeverity(share, target) });
    }
    if (state === "closed" && share !== null && gt(share, tt + 2 * tol)) {
      own.push({ code: "QUARTER_ROADMAP_STARVED", severity: "warning" });
    }
    if (state === "current" && requiredToBand !== null && gt(requiredToBand, tt + tol)) {
      own.push({
        code: "QUARTER_AT_RISK",
        severity: gt(requiredToBand, 1) ? "critical" : "warning",
      });
    }
  }
  if (us !== null && gt(us, 0.2)) own.push({ code: "LOW_CONFIDENCE", severity: "info" });
  return { requiredShare, requiredToBand, flags: own };
}
