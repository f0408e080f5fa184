import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import { computeSpent, spentOfItemsBetween } from "../../src/domain/spent";
import { buildTimeline } from "../../src/domain/timeline";
import type { Item, Split } from "../../src/domain/types";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import type { WorkspaceFile } from "../../src/workspace/schema";
import {
  at,
  makeItem,
  makeSprint,
  makeTarget,
  makeTeam,
  makeWorkspace,
} from "../helpers/factories";

type FileItem = NonNullable<WorkspaceFile["items"]>[number];

const DAY = 86_400_000;
const D0 = at("2026-07-01T00:00:00Z");
const day = (n: number) => new Date(D0 + n * DAY).toISOString();
const R = ["capacity-roadmap"];
const I = ["capacity-investment"];

/** The spent split of team PAY over [from, to) (days after D0), every item booked on its team. */
function spentOf(items: FileItem[], from: number, to: number, now = 60): Split {
  const workspace = makeWorkspace({ teams: [makeTeam(), makeTeam({ id: "GRO" })], items });
  const report = computeReport(workspace, { now: D0 + now * DAY });
  const category = new Map(
    report.teams.flatMap((team) => team.items.map((item) => [item.id, item.category])),
  );
  const ledger = computeSpent(
    workspace.items.map((item) => ({
      timeline: buildTimeline(item),
      book: { teamId: item.teamId, category: category.get(item.id) ?? "unclassified" },
    })),
    D0 + now * DAY,
  );
  return ledger.spentBetween("PAY", D0 + from * DAY, D0 + to * DAY);
}

/** An item started on `start` and done on `end` (days after D0), assigned throughout. */
function worked(
  id: string,
  start: number,
  end: number | null,
  assignee: string | null,
  overrides: Partial<FileItem> = {},
): FileItem {
  const history: NonNullable<FileItem["history"]> = [
    { at: day(start), field: "status", from: "todo", to: "inProgress" },
  ];
  if (end !== null) history.push({ at: day(end), field: "status", from: "inProgress", to: "done" });
  return makeItem({
    id,
    labels: R,
    createdAt: day(-10),
    status: end === null ? "inProgress" : "done",
    completedAt: end === null ? null : day(end),
    assignee,
    history,
    ...overrides,
  });
}

const s = (roadmap: number, investment: number, unclassified = 0): Split => ({
  roadmap,
  investment,
  unclassified,
});

describe("spent effort (SPEC §6a)", () => {
  it.each<[string, FileItem[], [number, number], Split]>([
    ["one person, one item: its days", [worked("PAY-1", 0, 4, "ann")], [0, 10], s(4, 0)],
    [
      "a person's time is split equally over their items in progress",
      [worked("PAY-1", 0, 4, "ann"), worked("PAY-2", 0, 4, "ann", { labels: I })],
      [0, 10],
      s(2, 2),
    ],
    [
      "n counts the person's items in other teams, which take their share",
      [worked("PAY-1", 0, 4, "ann"), worked("GRO-1", 0, 4, "ann", { teamId: "GRO" })],
      [0, 10],
      s(2, 0),
    ],
    [
      "n counts canceled items, and a canceled item's time counts",
      [
        worked("PAY-1", 0, 4, "ann"),
        worked("PAY-2", 0, null, "ann", {
          labels: I,
          status: "canceled",
          history: [
            { at: day(0), field: "status", from: "todo", to: "inProgress" },
            { at: day(2), field: "status", from: "inProgress", to: "canceled" },
          ],
        }),
      ],
      [0, 10],
      s(3, 1),
    ],
    [
      "an unassigned item runs at rate 1, whatever else is in progress",
      [worked("PAY-1", 0, 4, null), worked("PAY-2", 0, 4, null, { labels: I })],
      [0, 10],
      s(4, 4),
    ],
    [
      "reassignment moves the item to the other person's n",
      [
        worked("PAY-1", 0, 4, "bob", {
          history: [
            { at: day(0), field: "status", from: "todo", to: "inProgress" },
            { at: day(2), field: "assignee", from: "ann", to: "bob" },
            { at: day(4), field: "status", from: "inProgress", to: "done" },
          ],
        }),
        worked("PAY-2", 0, 4, "ann", { labels: I }),
      ],
      [0, 10],
      s(1 + 2, 1 + 2),
    ],
    [
      "a reopened item counts again while it is back in progress",
      [
        worked("PAY-1", 0, 6, "ann", {
          history: [
            { at: day(0), field: "status", from: "todo", to: "inProgress" },
            { at: day(1), field: "status", from: "inProgress", to: "done" },
            { at: day(3), field: "status", from: "done", to: "inProgress" },
            { at: day(6), field: "status", from: "inProgress", to: "done" },
          ],
        }),
      ],
      [0, 10],
      s(4, 0),
    ],
    [
      "no status history, in progress now: in progress from createdAt",
      [makeItem({ id: "PAY-1", labels: R, status: "inProgress", createdAt: day(2), history: [] })],
      [0, 10],
      s(8, 0),
    ],
    [
      "no status history, done: no spent",
      [
        makeItem({
          id: "PAY-1",
          labels: R,
          status: "done",
          createdAt: day(0),
          completedAt: day(5),
          history: [],
        }),
      ],
      [0, 10],
      s(0, 0),
    ],
    [
      "no status history, canceled: never in progress",
      [makeItem({ id: "PAY-1", labels: R, status: "canceled", createdAt: day(0), history: [] })],
      [0, 10],
      s(0, 0),
    ],
    ["a window takes only its part: [A, B)", [worked("PAY-1", 0, 10, "ann")], [3, 5], s(2, 0)],
    [
      "an item counts for its team whether or not it is in a sprint, unclassified too",
      [worked("PAY-1", 0, 2, "ann", { labels: [] })],
      [0, 10],
      s(0, 0, 2),
    ],
    [
      "nothing before createdAt, even with history that says otherwise",
      [
        worked("PAY-1", 0, 4, "ann", {
          createdAt: day(3),
          history: [
            { at: day(0), field: "status", from: "todo", to: "inProgress" },
            { at: day(4), field: "status", from: "inProgress", to: "done" },
          ],
        }),
      ],
      [0, 10],
      s(1, 0),
    ],
  ])("%s", (_name, items, [from, to], expected) => {
    const spent = spentOf(items, from, to);
    expect(spent.roadmap).toBeCloseTo(expected.roadmap, 9);
    expect(spent.investment).toBeCloseTo(expected.investment, 9);
    expect(spent.unclassified).toBeCloseTo(expected.unclassified, 9);
  });
});

describe("spent in the report (SPEC §6a, §7, §9, §10)", () => {
  const now = at("2026-08-20T00:00:00Z");
  const sprint = makeSprint({ startAt: day(0), endAt: day(14), completeAt: day(14) });

  it("sprints and quarters carry spent, windows end at now, future sprints have none", () => {
    const workspace = makeWorkspace({
      sprints: [
        sprint,
        makeSprint({ id: "S2", startAt: day(60), endAt: day(74), completeAt: null }),
      ],
      items: [worked("PAY-1", 0, null, "ann", { labels: I }), worked("PAY-2", 0, 7, "ann")],
    });
    const team = computeReport(workspace, { now }).teams[0];
    expect(team?.sprints[0]?.spent).toEqual(s(3.5, 10.5));
    expect(team?.sprints[0]?.investmentShare.spent).toBe(0.75);
    expect(team?.sprints[1]?.spent).toBeUndefined();
    expect(team?.sprints[1]?.investmentShare.spent).toBeNull();
    const q3 = team?.quarters.find((q) => q.id === "2026-Q3");
    // [2026-07-01, now = 2026-08-20): 50 days, PAY-1 alone after day 7.
    expect(q3?.spent).toEqual(s(3.5, 46.5));
  });

  it("a team judged on spent: its long investment work keeps it on target", () => {
    const inSprint = { sprintIds: ["S1"] };
    const items = [
      worked("PAY-1", 0, null, "ann", { labels: I, estimate: 2, ...inSprint }),
      worked("PAY-2", 0, 3, "bob", inSprint),
      worked("PAY-3", 3, 7, "bob", inSprint),
      worked("PAY-4", 7, 14, "bob", inSprint),
      worked("PAY-5", 0, 14, "cy", inSprint),
    ];
    const report = (actual: "delivered" | "spent") =>
      computeReport(
        makeWorkspace({
          teams: [makeTeam({ actual })],
          targets: [makeTarget({ investmentShare: 0.33, tolerance: 0.05 })],
          sprints: [sprint],
          items,
        }),
        { now },
      ).teams[0];
    const delivered = report("delivered");
    expect(delivered?.actual).toBe("delivered");
    expect(delivered?.sprints[0]?.flags.map((f) => f.code)).toEqual([
      "SPRINT_BELOW_TARGET",
      "SPRINT_SQUEEZED",
      "INVESTMENT_ZEROED",
    ]);
    const spent = report("spent");
    expect(spent?.actual).toBe("spent");
    expect(spent?.sprints[0]?.investmentShare.spent).toBeCloseTo(1 / 3, 9);
    expect(spent?.sprints[0]?.flags).toEqual([]);
  });

  it("the org sums the teams' spent in UTC quarters and is judged against the org target", () => {
    const workspace = makeWorkspace({
      teams: [makeTeam(), makeTeam({ id: "GRO", timezone: "Pacific/Auckland" })],
      targets: [makeTarget({ teamId: null, investmentShare: 0.5, tolerance: 0.05 })],
      items: [
        worked("PAY-1", 0, 10, "ann", { labels: I }),
        worked("GRO-1", 0, 30, "bob", { teamId: "GRO" }),
      ],
    });
    const report = computeReport(workspace, { now: at("2026-10-02T00:00:00Z") });
    const q3 = report.org.quarters.find((q) => q.id === "2026-Q3");
    expect(q3?.start).toBe("2026-07-01T00:00:00.000Z");
    expect(q3?.spent).toEqual(s(30, 10));
    expect(q3?.investmentShare).toBe(0.25);
    expect(q3?.flags).toEqual([{ code: "QUARTER_BELOW_TARGET", severity: "critical" }]);
    expect(report.org.flags.map((f) => f.period)).toEqual([{ kind: "org-quarter", id: "2026-Q3" }]);
    expect(report.org.flags.map((f) => f.code)).not.toContain("NO_TARGET");
    // With --team, only the selected teams are summed.
    const pay = computeReport(workspace, { now: at("2026-10-02T00:00:00Z"), teamIds: ["PAY"] });
    expect(pay.org.quarters.find((q) => q.id === "2026-Q3")?.spent).toEqual(s(0, 10));
  });

  it("requiredToBand asks for the bottom of the band; QUARTER_AT_RISK fires on it", () => {
    // 46 days into 2026-Q3 with 10 % investment spent, target 30 % ± 5 %.
    const workspace = makeWorkspace({
      teams: [makeTeam({ actual: "spent" })],
      targets: [makeTarget()],
      items: [
        worked("PAY-1", 0, null, "ann", { labels: I, createdAt: day(0) }),
        ...Array.from({ length: 9 }, (_, i) =>
          worked(`PAY-${i + 2}`, 0, null, `p${i}`, { createdAt: day(0) }),
        ),
      ],
    });
    const now46 = D0 + 46 * DAY;
    const quarter = computeReport(workspace, { now: now46 }).teams[0]?.quarters.at(-1);
    const d = 10 * 46;
    const r = (d * (92 - 46)) / 46;
    expect(quarter?.requiredShare).toBeCloseTo((0.3 * (d + r) - 46) / r, 9);
    expect(quarter?.requiredToBand).toBeCloseTo((0.25 * (d + r) - 46) / r, 9);
    expect(quarter?.flags).toEqual([{ code: "QUARTER_AT_RISK", severity: "warning" }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const HOUR = 3_600_000;
const PEOPLE = ["ann", "bob", "cy"];

/** Random in-progress spells of a few people's items, in hours after D0. */
const spellsArb = fc.array(
  fc.record({
    start: fc.integer({ min: 0, max: 200 }),
    length: fc.integer({ min: 1, max: 100 }),
    person: fc.option(fc.constantFrom(...PEOPLE), { freq: 5 }),
    team: fc.constantFrom("PAY", "GRO"),
    investment: fc.boolean(),
    reassignAfter: fc.option(fc.integer({ min: 1, max: 99 })),
    reassignTo: fc.option(fc.constantFrom(...PEOPLE), { freq: 4 }),
  }),
  { maxLength: 12 },
);

type Spell = typeof spellsArb extends fc.Arbitrary<(infer T)[]> ? T : never;

function spellItems(spells: readonly Spell[]): readonly Item[] {
  return makeWorkspace({
    teams: [makeTeam(), makeTeam({ id: "GRO" })],
    items: spells.map((spell, i) => {
      const start = D0 + spell.start * HOUR;
      const end = start + spell.length * HOUR;
      const history: NonNullable<FileItem["history"]> = [
        { at: new Date(start).toISOString(), field: "status", from: "todo", to: "inProgress" },
        { at: new Date(end).toISOString(), field: "status", from: "inProgress", to: "done" },
      ];
      let assignee = spell.person;
      if (spell.reassignAfter !== null && spell.reassignAfter < spell.length) {
        history.push({
          at: new Date(start + spell.reassignAfter * HOUR).toISOString(),
          field: "assignee",
          from: spell.person,
          to: spell.reassignTo,
        });
        assignee = spell.reassignTo;
      }
      return makeItem({
        id: `${spell.team}-${i}`,
        teamId: spell.team,
        labels: spell.investment ? I : R,
        createdAt: day(-1),
        status: "done",
        completedAt: new Date(end).toISOString(),
        assignee,
        history,
      });
    }),
  }).items;
}

/** Spent per team over [from, to) with one ledger for the whole workspace. */
function ledgerOf(items: readonly Item[]) {
  return computeSpent(
    items.map((item) => ({
      timeline: buildTimeline(item),
      book: { teamId: item.teamId, category: item.labels === I ? "investment" : "roadmap" },
    })),
    D0 + 1000 * HOUR,
  );
}

const total = (split: Split) => split.roadmap + split.investment + split.unclassified;

/** Who holds each item at t, and whether it is in progress then, read from the generated spells. */
function busyAt(items: readonly Item[], t: number) {
  return items
    .map((item) => ({ item, timeline: buildTimeline(item) }))
    .filter(({ timeline }) => timeline.statusAt(t) === "inProgress" && timeline.existsAt(t))
    .map(({ item, timeline }) => ({ item, person: timeline.assigneeAt(t) }));
}

describe("spent properties (SPEC §6a)", () => {
  it("a busy person's rates sum to 1 at every moment: over each hour, their items of every team add up to the hour", () => {
    fc.assert(
      fc.property(spellsArb, fc.integer({ min: 0, max: 300 }), (spells, hour) => {
        // Only one person's items, so the whole workspace's spent is theirs.
        const own = spells.map((spell) => ({ ...spell, person: "ann", reassignTo: "ann" }));
        const items = spellItems(own);
        const ledger = ledgerOf(items);
        const from = D0 + hour * HOUR;
        const to = from + HOUR;
        const spent =
          total(ledger.spentBetween("PAY", from, to)) + total(ledger.spentBetween("GRO", from, to));
        // Spells start and end on whole hours, so being busy is constant within the hour.
        const busy = busyAt(items, from).length > 0;
        expect(spent).toBeCloseTo(busy ? 1 / 24 : 0, 12);
      }),
      { numRuns: 300 },
    );
  });

  it("a team's spent over a window ≤ people × days + unassigned item-days", () => {
    fc.assert(
      fc.property(
        spellsArb,
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (spells, start, length) => {
          const items = spellItems(spells);
          const ledger = ledgerOf(items);
          const from = D0 + start * HOUR;
          const to = from + length * HOUR;
          let bound = 0;
          // Hour by hour (everything changes on whole hours): each busy person adds at most one
          // hour, each unassigned PAY item exactly one.
          for (let t = from; t < to; t += HOUR) {
            const busy = busyAt(items, t);
            const people = new Set(busy.filter((b) => b.person !== null).map((b) => b.person));
            const unassigned = busy.filter((b) => b.person === null && b.item.teamId === "PAY");
            bound += (people.size + unassigned.length) / 24;
          }
          expect(total(ledger.spentBetween("PAY", from, to))).toBeLessThanOrEqual(bound + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("one person whose items are each in progress for exactly one day, one after the other: spent equals the number of items, in days", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 48 }), { maxLength: 10 }),
        fc.boolean(),
        (gaps, investment) => {
          let start = 0;
          const spells: Spell[] = gaps.map((gap) => {
            start += gap;
            const spell = {
              start,
              length: 24,
              person: "ann",
              team: "PAY" as const,
              investment,
              reassignAfter: null,
              reassignTo: null,
            };
            start += 24;
            return spell;
          });
          const ledger = ledgerOf(spellItems(spells));
          expect(total(ledger.spentBetween("PAY", D0, D0 + 1000 * HOUR))).toBeCloseTo(
            spells.length,
            9,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("one person's overlapping items spend exactly the hours in which any of them is in progress", () => {
    fc.assert(
      fc.property(spellsArb, (spells) => {
        const own = spells.map((spell) => ({ ...spell, person: "ann", reassignTo: "ann" }));
        const items = spellItems(own);
        const ledger = ledgerOf(items);
        let busyHours = 0;
        for (let h = 0; h < 400; h++) if (busyAt(items, D0 + h * HOUR).length > 0) busyHours++;
        const spent =
          total(ledger.spentBetween("PAY", D0, D0 + 400 * HOUR)) +
          total(ledger.spentBetween("GRO", D0, D0 + 400 * HOUR));
        expect(spent).toBeCloseTo(busyHours / 24, 9);
      }),
      { numRuns: 200 },
    );
  });
});

describe("spent does not depend on the order of the workspace's lists", () => {
  it("gives the demo's report to the last bit with its items listed backwards", () => {
    const now = at("2026-11-24T00:00:00Z");
    const file = generateDemoWorkspace(now);
    const load = (items: WorkspaceFile["items"]) => {
      const result = parseWorkspace({ ...file, items });
      if (!result.ok) throw new Error(result.problems.join("\n"));
      return result.workspace;
    };
    const forwards = computeReport(load(file.items), { now });
    const backwards = computeReport(load([...(file.items ?? [])].reverse()), { now });
    expect(backwards).toEqual(forwards);
  });
});

describe("spent of items over one window (the drill's SPEC §6a rows)", () => {
  it("equals the ledger with every own item booked under its own key, on random spells, windows and own items", () => {
    fc.assert(
      fc.property(
        spellsArb,
        fc.integer({ min: -50, max: 300 }),
        fc.integer({ min: 0, max: 150 }),
        fc.constantFrom("PAY", "GRO"),
        (spells, start, length, team) => {
          const items = spellItems(spells);
          const until = D0 + 250 * HOUR;
          const from = D0 + start * HOUR;
          const to = from + length * HOUR;
          const timelines = items.map((item) => buildTimeline(item));
          const own = (t: (typeof timelines)[number]) => t.item.teamId === team;
          // The oracle: the whole-workspace ledger, each own item a team of its own.
          const ledger = computeSpent(
            timelines.map((timeline) => ({
              timeline,
              book: own(timeline) ? { teamId: timeline.item.id, category: "roadmap" } : null,
            })),
            until,
          );
          const expected = new Map<string, number>();
          for (const timeline of timelines.filter(own)) {
            const days = ledger.spentBetween(timeline.item.id, from, to).roadmap;
            if (days > 0) expected.set(timeline.item.id, days);
          }
          const actual = spentOfItemsBetween(
            timelines.map((timeline) => ({ timeline, own: own(timeline) })),
            until,
            from,
            to,
          );
          expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
          for (const [id, days] of expected) expect(actual.get(id)).toBeCloseTo(days, 9);
        },
      ),
      { numRuns: 400 },
    );
  });
});
