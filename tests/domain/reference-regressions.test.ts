/**
 * Regression cases found by the differential test (reference.test.ts), each with the output SPEC
 * requires. Every case is checked against the reference implementation too, so a case that is
 * wrong about the SPEC fails on the reference side.
 *
 * Bug 1 (SPEC §9): threshold comparisons are real-number comparisons. "delivered share < t − tol"
 * is false for a share of exactly 0.15 against 0.2 ± 0.05, however floating point rounds
 * 0.2 − 0.05 (to 0.15000000000000002); likewise for t − 2·tol, committed share − tol, t + 2·tol,
 * t + tol and 1, and for requiredShare, whose formula produces noise of its own.
 */
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import type { Report } from "../../src/domain/types";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { at, makeItem, makeSprint, makeTarget, makeWorkspace } from "../helpers/factories";
import { referenceReport } from "./reference-report";

type FileItem = NonNullable<WorkspaceFile["items"]>[number];

interface Case {
  readonly name: string;
  /** The SPEC sentence the expected output follows. */
  readonly spec: string;
  readonly parts: Partial<WorkspaceFile>;
  readonly now: string;
  readonly period: { readonly kind: "sprint" | "quarter"; readonly id: string };
  /** The period's flags (code/severity), sorted. */
  readonly expected: readonly string[];
}

/** Done in sprint S1 (2026-07-01 → 07-15), created before it starts. */
const doneInS1 = (id: string, estimate: number, category: "roadmap" | "investment"): FileItem =>
  makeItem({
    id,
    estimate,
    labels: [category === "roadmap" ? "capacity-roadmap" : "capacity-investment"],
    status: "done",
    createdAt: "2026-06-01T00:00:00Z",
    completedAt: "2026-07-05T00:00:00Z",
    sprintIds: ["S1"],
  });

const openInS1 = (id: string, estimate: number, category: "roadmap" | "investment"): FileItem =>
  makeItem({ ...doneInS1(id, estimate, category), status: "todo", completedAt: null });

const cases: readonly Case[] = [
  {
    name: "sprint share exactly t − tol is not below target",
    spec: "§9 SPRINT_COMMITTED_BELOW_TARGET / SPRINT_BELOW_TARGET: share < t − tol",
    parts: {
      sprints: [makeSprint({ id: "S1" })],
      targets: [makeTarget({ investmentShare: 0.2, tolerance: 0.05 })],
      items: [doneInS1("R", 17, "roadmap"), doneInS1("I", 3, "investment")], // 3/20 = 0.15
    },
    now: "2026-08-01T00:00:00Z",
    period: { kind: "sprint", id: "S1" },
    expected: [],
  },
  {
    name: "sprint share exactly t − 2·tol is a warning, not critical",
    spec: "§9 SPRINT_*_BELOW_TARGET: critical below t − 2·tol, else warning",
    parts: {
      sprints: [makeSprint({ id: "S1" })],
      targets: [makeTarget({ investmentShare: 0.4, tolerance: 0.05 })],
      items: [doneInS1("R", 7, "roadmap"), doneInS1("I", 3, "investment")], // 3/10 = 0.3
    },
    now: "2026-08-01T00:00:00Z",
    period: { kind: "sprint", id: "S1" },
    expected: ["SPRINT_COMMITTED_BELOW_TARGET/warning", "SPRINT_BELOW_TARGET/warning"],
  },
  {
    name: "delivered share exactly committed share − tol is not squeezed",
    spec: "§9 SPRINT_SQUEEZED: closed sprint, delivered share < committed share − tol",
    parts: {
      sprints: [makeSprint({ id: "S1" })],
      targets: [makeTarget({ investmentShare: 0.1, tolerance: 0.05 })],
      items: [
        doneInS1("R", 17, "roadmap"), // delivered 3/20 = 0.15
        doneInS1("I", 3, "investment"),
        openInS1("R2", 3, "roadmap"), // committed 5/25 = 0.2
        openInS1("I2", 2, "investment"),
      ],
    },
    now: "2026-08-01T00:00:00Z",
    period: { kind: "sprint", id: "S1" },
    expected: [],
  },
  {
    name: "delivered share exactly t + 2·tol is not roadmap-starved",
    spec: "§9 ROADMAP_STARVED: closed sprint, delivered share > t + 2·tol",
    parts: {
      sprints: [makeSprint({ id: "S1" })],
      targets: [makeTarget({ investmentShare: 0.7, tolerance: 0.1 })],
      items: [doneInS1("R", 1, "roadmap"), doneInS1("I", 9, "investment")], // 0.9
    },
    now: "2026-08-01T00:00:00Z",
    period: { kind: "sprint", id: "S1" },
    expected: [],
  },
  {
    name: "closed quarter share exactly t − tol is not below target",
    spec: "§9 QUARTER_BELOW_TARGET: closed quarter, delivered share < t − tol",
    parts: {
      targets: [makeTarget({ investmentShare: 0.2, tolerance: 0.05 })],
      items: [
        makeItem({ ...doneInS1("R", 17, "roadmap"), sprintIds: [] }),
        makeItem({ ...doneInS1("I", 3, "investment"), sprintIds: [] }),
      ],
    },
    now: "2026-10-05T00:00:00Z",
    period: { kind: "quarter", id: "2026-Q3" },
    expected: [],
  },
  {
    name: "a quarter exactly on a 50% ± 0 target is not at risk",
    spec: "§9 QUARTER_AT_RISK: current quarter, requiredShare > t + tol (here exactly 0.5)",
    parts: {
      targets: [makeTarget({ investmentShare: 0.5, tolerance: 0, effectiveFrom: "2026-07-01" })],
      items: [
        makeItem({
          ...doneInS1("R", 1, "roadmap"),
          sprintIds: [],
          completedAt: "2026-07-10T00:00:00Z",
        }),
        makeItem({
          ...doneInS1("I", 1, "investment"),
          sprintIds: [],
          completedAt: "2026-07-10T00:00:00Z",
        }),
      ],
    },
    now: "2026-09-10T00:00:00Z",
    period: { kind: "quarter", id: "2026-Q3" },
    expected: [],
  },
  {
    name: "a quarter delivering 100% against a 100% target can still reach it",
    spec: "§9 QUARTER_AT_RISK: critical above 1 (the target can no longer be met); here exactly 1",
    parts: {
      targets: [makeTarget({ investmentShare: 1, tolerance: 0, effectiveFrom: "2025-11-01" })],
      items: [
        makeItem({
          id: "I",
          labels: ["tech-debt"],
          estimate: 8,
          status: "done",
          createdAt: "2026-04-19T00:00:00Z",
          completedAt: "2026-04-19T00:00:00Z",
        }),
      ],
    },
    now: "2026-05-28T00:00:00Z",
    period: { kind: "quarter", id: "2026-Q2" },
    expected: [],
  },
];

function periodFlags(report: Report, period: Case["period"]): string[] {
  const team = report.teams[0]!;
  const list = period.kind === "sprint" ? team.sprints : team.quarters;
  const found = list.find((p) => p.id === period.id);
  if (found === undefined) throw new Error(`no ${period.kind} ${period.id} in the report`);
  return found.flags.map((f) => `${f.code}/${f.severity}`).sort();
}

describe("regressions found by the reference implementation", () => {
  describe.each(cases)("$name", (c) => {
    const ws = makeWorkspace(c.parts);
    const now = at(c.now);

    it("reference follows the SPEC", () => {
      expect(periodFlags(referenceReport(ws, { now }), c.period)).toEqual([...c.expected].sort());
    });

    it(`computeReport follows the SPEC (${c.spec})`, () => {
      expect(periodFlags(computeReport(ws, { now }), c.period)).toEqual([...c.expected].sort());
    });
  });
});
