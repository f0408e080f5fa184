import { readFileSync, writeFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import type { Report, Workspace } from "../../src/domain/types";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { referenceReport } from "./reference-report";

// ---------------------------------------------------------------------------------------------
// Comparison

const EPS = 1e-9;

function sameNumber(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return a === b || Math.abs(a - b) <= EPS * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** Deep comparison with a float tolerance; returns the paths that differ. */
function deepDiff(path: string, a: unknown, b: unknown, out: string[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(`${path}: length ${a.length} (impl) vs ${b.length} (ref)`);
      return;
    }
    a.forEach((x, i) => deepDiff(`${path}[${i}]`, x, b[i], out));
    return;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      deepDiff(
        `${path}.${k}`,
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        out,
      );
    }
    return;
  }
  if (!sameNumber(a, b))
    out.push(`${path}: ${JSON.stringify(a)} (impl) vs ${JSON.stringify(b)} (ref)`);
}

const flagKey = (f: { code: string; severity: string }): string => `${f.code}/${f.severity}`;

/** The parts of a report the SPEC fixes (flag messages and evidence are left out). */
function comparable(report: Report): unknown {
  return {
    version: report.version,
    now: report.now,
    teams: report.teams.map((team) => ({
      id: team.id,
      name: team.name,
      unit: team.unit,
      actual: team.actual,
      sprints: team.sprints.map((s) => ({
        ...s,
        flags: s.flags.map(flagKey).sort(),
      })),
      quarters: team.quarters.map((q) => ({ ...q, flags: q.flags.map(flagKey).sort() })),
      flags: team.flags.map((f) => `${flagKey(f)}@${f.period.kind}:${f.period.id}`).sort(),
      items: team.items.map((i) => ({
        id: i.id,
        category: i.category,
        source: i.source,
        via: i.via,
      })),
    })),
    org: {
      quarters: report.org.quarters.map((q) => ({ ...q, flags: q.flags.map(flagKey).sort() })),
      flags: report.org.flags.map((f) => `${flagKey(f)}@${f.period.kind}:${f.period.id}`).sort(),
    },
  };
}

export function reportDiff(ws: Workspace, now: number): string[] {
  const impl = computeReport(ws, { now });
  const ref = referenceReport(ws, { now });
  const out: string[] = [];
  deepDiff("report", comparable(impl), comparable(ref), out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generators

const BASE = Date.UTC(2025, 10, 1); // 2025-11-01T00:00Z
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * Hours that hit local midnights in UTC, New York (4/5), Zurich (22/23), Auckland (11/12) and
 * Kolkata (18:30).
 */
const HOURS = [0, 1, 4, 5, 11, 12, 18.5, 22, 23] as const;
const MAX_DAY = 330;

const isoAt = (ms: number): string => new Date(ms).toISOString();
const gridTime = (day: number, hour: number): number => BASE + day * DAY + hour * HOUR;

const dayArb = fc.integer({ min: 0, max: MAX_DAY });
const hourArb = fc.constantFrom(...HOURS);

const TYPES = ["Story", "bug", "Tech Debt", "task", "Feature", "CHORE", "Epic"];
const LABELS = [
  "capacity-roadmap",
  "Capacity-Investment",
  "CAPACITY-ROADMAP",
  "capacity-investment",
  "Roadmap",
  "investment",
  "tech-debt",
  "Refactor",
  "SECURITY",
  "bug",
  "ux",
  "rm",
  "INV",
];
const COMPONENTS = ["api", "UI", "db"];
const PROJECTS = ["Alpha", "beta"];
const TITLES = ["Fix login", "fix crash", "Migrate DB", "Add feature 2", "Polish"];
const REGEXES = ["^fix", "Migr", "[0-9]+", "^$"];
const TZS = ["UTC", "America/New_York", "Europe/Zurich", "Pacific/Auckland", "Asia/Kolkata"];
const SHARES = [0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.5, 0.7, 1];
const TOLERANCES = [0, 0.05, 0.1, 0.2];
/** 17 and 9 make the band-edge shares 3/20 and 9/10 reachable. */
const ESTIMATES: (number | null)[] = [null, 0, 0.5, 1, 2, 3, 5, 8, 9, 17];

const subsetOf = <T>(values: readonly T[], minLength = 0) =>
  fc.subarray([...values], { minLength });

/** A condition list: almost always non-empty; an empty one never holds (A12). */
const maybeEmpty = <T>(values: readonly T[]) =>
  fc.oneof(
    { weight: 9, arbitrary: subsetOf(values, 1) },
    { weight: 1, arbitrary: fc.constant<T[]>([]) },
  );

const ruleArb = fc.record(
  {
    type: maybeEmpty(TYPES),
    labels: maybeEmpty(LABELS),
    components: maybeEmpty(COMPONENTS),
    project: maybeEmpty(PROJECTS),
    titleMatches: fc.constantFrom(...REGEXES),
  },
  { requiredKeys: [] },
);

const PEOPLE = ["ann", "bob", "cy"];

const teamArb = fc.record({
  actual: fc.constantFrom("delivered" as const, "spent" as const),
  timezone: fc.constantFrom(...TZS),
  unit: fc.constantFrom("points" as const, "issues" as const),
  unestimatedWeight: fc.constantFrom(0, 1, 2),
  source: fc.constantFrom("file" as const, "jira" as const, "linear" as const),
  customLabels: fc.boolean(),
  rules: fc.array(
    fc.record({ if: ruleArb, then: fc.constantFrom("roadmap" as const, "investment" as const) }),
    { maxLength: 3 },
  ),
});

/** Days are relative to the workspace's anchor day, so sprints, items and `now` overlap. */
const sprintArb = fc.record({
  startDay: fc.integer({ min: -40, max: 50 }),
  startHour: hourArb,
  lengthDays: fc.integer({ min: 1, max: 21 }),
  close: fc.constantFrom("open", "atEnd", "atEnd", "shifted"),
  shiftHours: fc.integer({ min: -48, max: 72 }),
});

const targetArb = fc.record({
  investmentShare: fc.constantFrom(...SHARES),
  tolerance: fc.constantFrom(...TOLERANCES),
  date: fc.oneof(
    fc.constantFrom("2025-10-01", "2026-01-01", "2026-02-01", "2026-04-01", "2026-07-01"),
    dayArb.map((d) => isoAt(gridTime(d, 0)).slice(0, 10)),
  ),
});

/** A chain of values over time: `values[0]` before the first event, the last one current. */
const chainArb = <T>(valueArb: fc.Arbitrary<T>) =>
  fc.record({
    values: fc.array(valueArb, { minLength: 1, maxLength: 4 }),
    offsets: fc.array(fc.record({ day: fc.integer({ min: -3, max: 16 }), hour: hourArb }), {
      minLength: 3,
      maxLength: 3,
    }),
  });

const itemArb = fc.record({
  title: fc.constantFrom(...TITLES),
  type: fc.constantFrom(...TYPES),
  labels: fc.subarray(LABELS, { maxLength: 2 }),
  components: subsetOf(COMPONENTS),
  project: fc.option(fc.constantFrom(...PROJECTS)),
  parent: fc.option(fc.nat({ max: 30 }), { freq: 2 }),
  /** Most items live around a "home" sprint: created near its start, moved in and out of it. */
  home: fc.option(fc.nat({ max: 4 }), { freq: 5 }),
  createdDay: fc.integer({ min: -50, max: 50 }),
  createdHour: hourArb,
  canceled: fc.constantFrom(false, false, false, true),
  status: chainArb(
    fc.constantFrom(
      "todo" as const,
      "inProgress" as const,
      "inProgress" as const,
      "done" as const,
      "done" as const,
      "canceled" as const,
    ),
  ),
  estimate: chainArb(fc.constantFrom(...ESTIMATES)),
  /** Assigned, reassigned and unassigned over time (§6a: one person's items share their time). */
  assignee: chainArb(fc.option(fc.constantFrom(...PEOPLE), { freq: 4 })),
  sprints: chainArb(
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<number[]>([0]) },
      { weight: 1, arbitrary: fc.constant<number[]>([]) },
      { weight: 2, arbitrary: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 2 }) },
    ),
  ),
  completedMode: fc.constantFrom("event", "event", "other", "none"),
  completedOffset: fc.record({ day: fc.integer({ min: 0, max: 30 }), hour: hourArb }),
  shuffle: fc.boolean(),
  ties: fc.boolean(),
  /**
   * Histories as real sources produce them, not always consistent: `lastTo` makes the last
   * event's `to` differ from the current value, `firstFrom` the first event's `from` differ
   * from the value before it (§5 defines values by `from` and the current value only).
   */
  glitch: fc.constantFrom("none", "none", "none", "none", "lastTo", "firstFrom"),
  glitchField: fc.constantFrom(
    "status" as const,
    "estimate" as const,
    "sprint" as const,
    "assignee" as const,
  ),
});

const teamBundleArb = fc.record({
  team: teamArb,
  cadence: fc.constant(false),
  sprints: fc.array(sprintArb, { maxLength: 5, size: "max" }),
  items: fc.array(itemArb, { maxLength: 10, size: "max" }),
  targets: fc.array(targetArb, { maxLength: 3, size: "max" }),
});

/** Back-to-back two-week sprints, most of them closed, busy, with a target: sprint flags fire. */
const cadenceBundleArb = fc.record({
  team: teamArb,
  cadence: fc.constant(true),
  sprints: fc.array(sprintArb, { minLength: 3, maxLength: 6 }),
  items: fc.array(itemArb, { minLength: 6, maxLength: 18, size: "max" }),
  targets: fc.array(
    fc.record({
      investmentShare: fc.constantFrom(0.2, 0.3, 0.5, 0.7),
      tolerance: fc.constantFrom(...TOLERANCES),
      date: fc.constantFrom("2025-10-01", "2026-01-01"),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

const workspaceArb = fc.record({
  fiscalYearStartMonth: fc.constantFrom(1, 1, 2, 4, 7, 10, 12),
  orgTargets: fc.array(targetArb, { maxLength: 2 }),
  teams: fc.array(fc.oneof(teamBundleArb, cadenceBundleArb), { minLength: 1, maxLength: 3 }),
  /** `chain`: every item's parent is the next item (deep chains); `cycle`: and the last's the first. */
  parents: fc.constantFrom("random", "random", "chain", "cycle"),
  anchorDay: fc.integer({ min: 50, max: MAX_DAY - 60 }),
  nowDay: fc.integer({ min: -20, max: 60 }),
  nowHour: hourArb,
});

function sprintDay(cadence: boolean, s: { startDay: number }, index: number): number {
  return cadence ? -70 + 14 * index + (s.startDay % 2) : s.startDay;
}

type RawWorkspace = typeof workspaceArb extends fc.Arbitrary<infer T> ? T : never;
type FileItem = NonNullable<WorkspaceFile["items"]>[number];
type FileEvent = NonNullable<FileItem["history"]>[number];

/**
 * Times increasing, one per event of a chain. With `keepTies` events of the same field may share
 * an instant (A1: the first in the history array is "the earliest"); otherwise such duplicates
 * are dropped with a value.
 */
function chainEvents<T>(
  chain: { values: T[]; offsets: { day: number; hour: number }[] },
  createdDay: number,
  current: T,
  keepTies = false,
): { values: T[]; times: number[] } {
  const values = [...chain.values.slice(0, -1), current];
  const times = chain.offsets
    .slice(0, values.length - 1)
    .map((o) => gridTime(createdDay + o.day, o.hour))
    .sort((a, b) => a - b);
  const keptValues: T[] = [values[0]!];
  const keptTimes: number[] = [];
  times.forEach((t, i) => {
    if (!keepTies && keptTimes.length > 0 && keptTimes[keptTimes.length - 1] === t) return;
    keptTimes.push(t);
    keptValues.push(values[i + 1]!);
  });
  keptValues[keptValues.length - 1] = current;
  return { values: keptValues, times: keptTimes };
}

function buildWorkspace(raw: RawWorkspace): { file: WorkspaceFile; now: number } {
  const anchor = raw.anchorDay;
  const now = gridTime(anchor + raw.nowDay, raw.nowHour);
  const teams: WorkspaceFile["teams"] = [];
  const sprints: NonNullable<WorkspaceFile["sprints"]> = [];
  const targets: NonNullable<WorkspaceFile["targets"]> = [];
  const items: FileItem[] = [];
  const allItemIds: string[] = [];
  raw.teams.forEach((bundle, ti) => {
    bundle.items.forEach((_, ii) => allItemIds.push(`T${ti}-${ii}`));
  });

  raw.teams.forEach((bundle, ti) => {
    const teamId = `T${ti}`;
    const { team } = bundle;
    teams.push({
      id: teamId,
      name: `Team ${ti}`,
      source: team.source,
      unit: team.unit,
      unestimatedWeight: team.unestimatedWeight,
      timezone: team.timezone,
      ...(team.customLabels ? { labels: { roadmap: "RM", investment: "inv" } } : {}),
      rules: team.rules,
      actual: team.actual,
    });
    const sprintIds: string[] = [];
    bundle.sprints.forEach((s, si) => {
      const startAt = gridTime(anchor + sprintDay(bundle.cadence, s, si), s.startHour);

      const endAt = startAt + (bundle.cadence ? 14 : s.lengthDays) * DAY;
      let completeAt: number | null = null;
      if (s.close === "atEnd" || (bundle.cadence && si < bundle.sprints.length - 1)) {
        completeAt = endAt;
      }
      if (s.close === "shifted") completeAt = Math.max(startAt, endAt + s.shiftHours * HOUR);
      const id = `${teamId}-S${si}`;
      sprintIds.push(id);
      sprints.push({
        id,
        teamId,
        name: `Sprint ${si}`,
        startAt: isoAt(startAt),
        endAt: isoAt(endAt),
        completeAt: completeAt === null ? null : isoAt(completeAt),
      });
    });
    bundle.targets.forEach((t, k) => {
      targets.push({
        teamId,
        investmentShare: t.investmentShare,
        tolerance: t.tolerance,
        effectiveFrom: t.date,
        setBy: "cto@example.com",
        reason: `entry ${k}`,
      });
    });
    bundle.items.forEach((it, ii) => {
      const id = `${teamId}-${ii}`;
      const homeSprint =
        it.home === null || bundle.sprints.length === 0 ? null : it.home % bundle.sprints.length;
      const homeDay =
        homeSprint === null
          ? anchor
          : anchor + sprintDay(bundle.cadence, bundle.sprints[homeSprint]!, homeSprint);
      const createdDay =
        homeSprint === null ? anchor + it.createdDay : homeDay + Math.round(it.createdDay / 5);
      const createdAt = gridTime(createdDay, it.createdHour);
      const history: FileEvent[] = [];

      const chainStatus = it.status.values[it.status.values.length - 1]!;
      const status = it.canceled ? ("canceled" as const) : chainStatus;
      const st = chainEvents(it.status, createdDay, status, it.ties);
      st.times.forEach((at, k) => {
        history.push({
          at: isoAt(at),
          field: "status",
          from: st.values[k]!,
          to: st.values[k + 1]!,
        });
      });

      /** A chain of estimates or assignees: its events, and the current value. */
      const chainOf = <T extends number | string | null>(
        field: "estimate" | "assignee",
        chain: { values: T[]; offsets: { day: number; hour: number }[] },
      ): T => {
        const current = chain.values[chain.values.length - 1]!;
        const events = chainEvents(chain, createdDay, current, it.ties);
        events.times.forEach((at, k) => {
          const [from, to] = [events.values[k]!, events.values[k + 1]!];
          history.push({ at: isoAt(at), field, from, to } as FileEvent);
        });
        return current;
      };
      const currentEstimate = chainOf("estimate", it.estimate);
      const currentAssignee = chainOf("assignee", it.assignee);

      // Only the team's own sprints: SPEC §11 refuses an item in another team's sprint.
      const pool = sprintIds;
      const toIds = (idx: number[]): string[] =>
        pool.length === 0
          ? []
          : [...new Set(idx.map((i) => pool[(i + (homeSprint ?? 0)) % pool.length]!))];
      const sprintValues = it.sprints.values.map(toIds);
      const currentSprints = sprintValues[sprintValues.length - 1]!;
      const sp = chainEvents(
        { values: sprintValues, offsets: it.sprints.offsets },
        createdDay,
        currentSprints,
        it.ties,
      );
      sp.times.forEach((at, k) => {
        history.push({
          at: isoAt(at),
          field: "sprint",
          from: sp.values[k]!,
          to: sp.values[k + 1]!,
        });
      });

      let completedAt: number | null = null;
      const lastDone = st.times.filter((_, k) => st.values[k + 1] === "done").pop();
      const other = gridTime(createdDay + it.completedOffset.day, it.completedOffset.hour);
      if (status === "done" && it.completedMode === "none") {
        completedAt = null; // a done item without a completion time (A14)
      } else if (status === "done") {
        completedAt = it.completedMode === "other" || lastDone === undefined ? other : lastDone;
      } else if (it.completedMode === "other") {
        completedAt = other; // a stale completion time on a reopened item
      }

      const glitched = history.filter((e) => e.field === it.glitchField);
      if (glitched.length > 0 && it.glitch !== "none") {
        const first = glitched[0]!;
        const last = glitched[glitched.length - 1]!;
        if (it.glitch === "lastTo") (last as { to: unknown }).to = first.from;
        else (first as { from: unknown }).from = last.to;
      }
      if (it.shuffle) history.reverse();
      let parentId: string | null = null;
      const globalIndex = allItemIds.indexOf(id);
      if (raw.parents !== "random") {
        const next =
          allItemIds[globalIndex + 1] ?? (raw.parents === "cycle" ? allItemIds[0] : null);
        parentId = next === undefined || next === id ? null : next;
      } else if (it.parent !== null && allItemIds.length > 0) {
        const candidate = allItemIds[it.parent % allItemIds.length]!;
        parentId = candidate === id ? null : candidate;
      }
      // Deep chains need unlabelled links: only every twelfth item is labelled, so the chain
      // crosses the 10-level limit of §3.
      const teamLabels = team.customLabels
        ? { roadmap: "RM", investment: "inv" }
        : team.source === "linear"
          ? { roadmap: "Roadmap", investment: "Investment" }
          : { roadmap: "capacity-roadmap", investment: "capacity-investment" };
      const labels =
        raw.parents === "random"
          ? it.labels
          : globalIndex % 12 === 11
            ? [
                (Math.floor(globalIndex / 12) % 2 === 0
                  ? teamLabels.roadmap
                  : teamLabels.investment
                ).toUpperCase(),
              ]
            : [];
      items.push({
        id,
        teamId,
        title: it.title,
        type: it.type,
        labels,
        components: it.components,
        project: it.project,
        parentId,
        estimate: currentEstimate,
        status,
        assignee: currentAssignee,
        createdAt: isoAt(createdAt),
        completedAt: completedAt === null ? null : isoAt(completedAt),
        sprintIds: currentSprints,
        history,
      });
    });
  });
  raw.orgTargets.forEach((t, k) => {
    targets.push({
      teamId: null,
      investmentShare: t.investmentShare,
      tolerance: t.tolerance,
      effectiveFrom: t.date,
      setBy: "cpo@example.com",
      reason: `org entry ${k}`,
    });
  });
  return {
    file: {
      version: 1,
      settings: { fiscalYearStartMonth: raw.fiscalYearStartMonth },
      teams,
      targets,
      sprints,
      items,
    },
    now,
  };
}

function parse(file: WorkspaceFile): Workspace {
  const result = parseWorkspace(file);
  if (!result.ok) throw new Error(`invalid generated workspace:\n${result.problems.join("\n")}`);
  return result.workspace;
}

// ---------------------------------------------------------------------------------------------
// Tests

describe("reference report (SPEC §12 worked example)", () => {
  it("reproduces the worked example", () => {
    const file = JSON.parse(
      readFileSync(new URL("../fixtures/worked-example.json", import.meta.url), "utf8"),
    ) as WorkspaceFile;
    const report = referenceReport(parse(file), { now: Date.parse("2026-07-20T00:00:00Z") });
    const s1 = report.teams[0]!.sprints[0]!;
    expect(s1.committed).toEqual({ roadmap: 13, investment: 5, unclassified: 0 });
    expect(s1.added).toEqual({ roadmap: 3, investment: 0, unclassified: 0 });
    expect(s1.removed).toEqual({ roadmap: 0, investment: 5, unclassified: 0 });
    expect(s1.delivered).toEqual({ roadmap: 16, investment: 0, unclassified: 0 });
    expect(s1.flags.map((f) => `${f.code}/${f.severity}`).sort()).toEqual([
      "INVESTMENT_ZEROED/critical",
      "SPRINT_BELOW_TARGET/critical",
      "SPRINT_SQUEEZED/warning",
    ]);
  });
});

const RUNS = Number(process.env.REFERENCE_RUNS ?? 2000);

/** With REFERENCE_STATS=1: how often each interesting outcome occurs (generator coverage). */
function collectStats(report: Report, stats: Map<string, number>): void {
  const bump = (k: string) => stats.set(k, (stats.get(k) ?? 0) + 1);
  for (const team of report.teams) {
    for (const s of team.sprints) {
      bump(`sprint:${s.state}`);
      for (const k of ["committed", "added", "removed", "delivered", "carriedOver"] as const) {
        const v = s[k];
        if (v !== undefined && v.roadmap + v.investment + v.unclassified > 0) bump(`nonzero:${k}`);
      }
      if (s.unestimated > 0) bump("unestimated>0");
      if (s.spent && s.spent.roadmap + s.spent.investment + s.spent.unclassified > 0) {
        bump(`nonzero:spent:${team.actual}`);
      }
      if (s.target !== null) bump("sprint-target");
    }
    for (const q of team.quarters) {
      bump(`quarter:${q.state}`);
      if (q.requiredShare !== null) bump("requiredShare");
      if (q.id.startsWith("FY")) bump("fiscal-quarter");
    }
    for (const f of team.flags) bump(`flag:${f.code}/${f.severity}`);
    for (const i of team.items) bump(`item:${i.source}`);
  }
  for (const q of report.org.quarters) {
    if (q.spent.investment > 0 && q.spent.roadmap > 0) bump("org:mixed-spent");
    if (q.target !== null) bump("org:target");
  }
  for (const f of report.org.flags) bump(`org-flag:${f.code}/${f.severity}`);
}

describe("computeReport with teamIds", () => {
  it("reports each team exactly as the full report does", () => {
    fc.assert(
      fc.property(workspaceArb, (raw) => {
        const { file, now } = buildWorkspace(raw);
        const ws = parse(file);
        const full = computeReport(ws, { now });
        for (const team of full.teams) {
          const one = computeReport(ws, { now, teamIds: [team.id] });
          const out: string[] = [];
          deepDiff(`team ${team.id}`, one.teams, [team], out);
          if (out.length > 0) throw new Error(out.slice(0, 12).join("\n"));
        }
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});

describe("computeReport agrees with the reference implementation", () => {
  if (process.env.REFERENCE_STATS === "1") {
    it("generator coverage", () => {
      const stats = new Map<string, number>();
      fc.assert(
        fc.property(workspaceArb, (raw) => {
          const { file, now } = buildWorkspace(raw);
          collectStats(referenceReport(parse(file), { now }), stats);
        }),
        { numRuns: RUNS },
      );
      console.log(
        [...stats]
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join("\n"),
      );
    });
  }

  it(
    "on random workspaces",
    () => {
      fc.assert(
        fc.property(workspaceArb, (raw) => {
          const { file, now } = buildWorkspace(raw);
          const diff = reportDiff(parse(file), now);
          if (diff.length > 0) {
            const dump = process.env.REFERENCE_DUMP;
            if (dump !== undefined) writeFileSync(dump, JSON.stringify([file, isoAt(now)]));
            throw new Error(
              `${diff.slice(0, 12).join("\n")}\nnow=${isoAt(now)}\n${JSON.stringify(file)}`,
            );
          }
        }),
        { numRuns: RUNS },
      );
    },
    // A bound on a hang, not a speed check: 2,000 random workspaces take seconds alone and far
    // longer on a machine busy with other test files.
    Math.max(120_000, RUNS * 60),
  );
});
