import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import { totalOf } from "../../src/domain/split";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { makeTarget, makeTeam, makeWorkspace } from "../helpers/factories";

type FileItem = NonNullable<WorkspaceFile["items"]>[number];
type FileSprint = NonNullable<WorkspaceFile["sprints"]>[number];

const BASE = Date.parse("2026-01-01T00:00:00Z");
const DAY = 86_400_000;
const day = (n: number) => new Date(BASE + n * DAY).toISOString();
const NOW_DAY = 120;

const sprintArb = (index: number) =>
  fc
    .record({
      start: fc.integer({ min: 0, max: 130 }),
      length: fc.integer({ min: 1, max: 21 }),
      closes: fc.boolean(),
    })
    .map(({ start, length, closes }): FileSprint => ({
      id: `S${index}`,
      teamId: "PAY",
      name: `PAY ${index}`,
      startAt: day(start),
      endAt: day(start + length),
      completeAt: closes ? day(start + length) : null,
    }));

/** An item whose history is consistent and whose status only moves forward (no reopening). */
const itemArb = (index: number, sprintCount: number) =>
  fc
    .record({
      created: fc.integer({ min: 0, max: 110 }),
      label: fc.constantFrom<string[]>(["capacity-roadmap"], ["capacity-investment"], []),
      moves: fc.array(
        fc.record({
          gap: fc.integer({ min: 0, max: 9 }),
          sprints: fc.subarray(Array.from({ length: sprintCount }, (_, i) => `S${i}`)),
        }),
        { maxLength: 4 },
      ),
      estimates: fc.array(
        fc.record({
          gap: fc.integer({ min: 0, max: 9 }),
          value: fc.option(fc.integer({ min: 1, max: 13 })),
        }),
        { maxLength: 2 },
      ),
      done: fc.option(fc.integer({ min: 0, max: 40 })),
      canceled: fc.boolean(),
      initial: fc.subarray(Array.from({ length: sprintCount }, (_, i) => `S${i}`)),
    })
    .map(({ created, label, moves, estimates, done, canceled, initial }): FileItem => {
      const history: FileItem["history"] = [];
      let sprints = initial;
      let t = created;
      for (const move of moves) {
        t += move.gap;
        history.push({ at: day(t), field: "sprint", from: sprints, to: move.sprints });
        sprints = move.sprints;
      }
      let estimate: number | null = 3;
      t = created;
      for (const change of estimates) {
        t += change.gap;
        history.push({ at: day(t), field: "estimate", from: estimate, to: change.value });
        estimate = change.value;
      }
      const completedAt = done === null ? null : day(created + done);
      if (completedAt !== null && index % 2 === 0) {
        history.push({ at: completedAt, field: "status", from: "todo", to: "done" });
      }
      return {
        id: `PAY-${index}`,
        teamId: "PAY",
        title: `Item ${index}`,
        labels: label,
        estimate,
        status: canceled && index % 5 === 0 ? "canceled" : completedAt === null ? "todo" : "done",
        createdAt: day(created),
        completedAt,
        sprintIds: sprints,
        history,
      };
    });

const workspaceArb = fc.integer({ min: 1, max: 4 }).chain((sprintCount) =>
  fc.record({
    sprints: fc.tuple(...Array.from({ length: sprintCount }, (_, i) => sprintArb(i))),
    items: fc
      .integer({ min: 0, max: 8 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => itemArb(i, sprintCount)))),
    unit: fc.constantFrom("points" as const, "issues" as const),
  }),
);

const inUnit = (x: number | null) => x === null || (x >= 0 && x <= 1);

describe("report invariants", () => {
  it("every share is in [0, 1] or null", () => {
    fc.assert(
      fc.property(workspaceArb, ({ sprints, items, unit }) => {
        const workspace = makeWorkspace({
          teams: [makeTeam({ unit })],
          targets: [makeTarget()],
          sprints,
          items,
        });
        const report = computeReport(workspace, { now: BASE + NOW_DAY * DAY });
        for (const sprint of report.teams[0]?.sprints ?? []) {
          expect(inUnit(sprint.investmentShare.committed)).toBe(true);
          expect(inUnit(sprint.investmentShare.delivered)).toBe(true);
          expect(inUnit(sprint.unclassifiedShare.committed)).toBe(true);
          expect(inUnit(sprint.unclassifiedShare.delivered)).toBe(true);
          expect(inUnit(sprint.investmentShare.spent)).toBe(true);
          expect(inUnit(sprint.unclassifiedShare.spent)).toBe(true);
        }
        for (const quarter of report.teams[0]?.quarters ?? []) {
          for (const measure of ["delivered", "spent"] as const) {
            expect(inUnit(quarter.investmentShare[measure])).toBe(true);
            expect(inUnit(quarter.unclassifiedShare[measure])).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("with unit issues and no reopening, a committed or added item ends exactly once: delivered, removed or carried over", () => {
    fc.assert(
      fc.property(workspaceArb, ({ sprints, items }) => {
        for (const item of items) {
          if (item.status === "canceled") continue;
          const workspace = makeWorkspace({
            teams: [makeTeam({ unit: "issues" })],
            sprints,
            items: [item],
          });
          for (const sprint of computeReport(workspace, { now: BASE + NOW_DAY * DAY }).teams[0]
            ?.sprints ?? []) {
            if (sprint.state !== "closed") continue;
            const entered = totalOf(sprint.committed) + totalOf(sprint.added);
            expect(entered).toBeLessThanOrEqual(1);
            if (entered === 0) continue;
            const outcomes =
              totalOf(sprint.delivered) +
              totalOf(sprint.removed) +
              totalOf(sprint.carriedOver ?? { roadmap: 0, investment: 0, unclassified: 0 });
            expect(outcomes, `${item.id} in ${sprint.id}`).toBe(1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("an item's delivery is counted in at most one sprint", () => {
    fc.assert(
      fc.property(workspaceArb, ({ sprints, items }) => {
        for (const item of items) {
          const workspace = makeWorkspace({
            teams: [makeTeam({ unit: "issues" })],
            sprints,
            items: [item],
          });
          const report = computeReport(workspace, { now: BASE + NOW_DAY * DAY });
          const deliveries = (report.teams[0]?.sprints ?? []).reduce(
            (sum, s) => sum + totalOf(s.delivered),
            0,
          );
          expect(deliveries).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
