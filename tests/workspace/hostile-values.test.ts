import { describe, expect, it } from "vitest";
import { parsePayload } from "../../src/app/parse-payload";
import { targetInputSchema } from "../../src/app/targets";
import { parseWorkspace, parseWorkspaceText } from "../../src/workspace/load-workspace";
import { makeItem, makeSprint, makeTarget, makeTeam } from "../helpers/factories";

const problemsOf = (input: unknown): readonly string[] => {
  const result = parseWorkspace(input);
  return result.ok ? [] : result.problems;
};

const textProblemsOf = (text: string): readonly string[] => {
  const result = parseWorkspaceText(text);
  return result.ok ? [] : result.problems;
};

const NO_OFFSET =
  'has no offset: add "Z" for UTC or an offset such as "+02:00" (a time is never read in the timezone of the machine)';

/** SPEC §11 (version 2): values the model cannot mean are refused, each with its JSON path. */
describe("values the model cannot mean", () => {
  it.each<[string, unknown, string]>([
    [
      "a negative estimate",
      { version: 1, teams: [makeTeam()], items: [makeItem({ estimate: -3 })] },
      "items[0].estimate: expected at least 0, got -3",
    ],
    [
      "a negative estimate in history",
      {
        version: 1,
        teams: [makeTeam()],
        items: [
          makeItem({
            history: [{ at: "2026-07-01T00:00:00Z", field: "estimate", from: -1, to: 3 }],
          }),
        ],
      },
      "items[0].history[0].from: expected at least 0, got -1",
    ],
    [
      "a negative weight of unestimated work",
      { version: 1, teams: [makeTeam({ unestimatedWeight: -1 })] },
      "teams[0].unestimatedWeight: expected at least 0, got -1",
    ],
    [
      "a negative share",
      { version: 1, teams: [makeTeam()], targets: [makeTarget({ investmentShare: -0.1 })] },
      "targets[0].investmentShare: expected at least 0, got -0.1",
    ],
    [
      "a negative tolerance",
      { version: 1, teams: [makeTeam()], targets: [makeTarget({ tolerance: -0.05 })] },
      "targets[0].tolerance: expected at least 0, got -0.05",
    ],
    [
      "an infinite weight",
      { version: 1, teams: [makeTeam({ unestimatedWeight: Infinity })] },
      "teams[0].unestimatedWeight: expected number, got a number too large to hold",
    ],
    [
      "a sprint that ends before it starts",
      {
        version: 1,
        teams: [makeTeam()],
        sprints: [makeSprint({ endAt: "2026-06-30T00:00:00Z", completeAt: null })],
      },
      "sprints[0].endAt: 2026-06-30T00:00:00Z is before the sprint's startAt 2026-07-01T00:00:00Z",
    ],
    [
      "a sprint completed before it starts",
      {
        version: 1,
        teams: [makeTeam()],
        sprints: [makeSprint({ completeAt: "2026-06-30T23:59:59+00:00" })],
      },
      "sprints[0].completeAt: 2026-06-30T23:59:59+00:00 is before the sprint's startAt 2026-07-01T00:00:00Z",
    ],
    [
      "a day that does not exist",
      { version: 1, teams: [makeTeam()], items: [makeItem({ createdAt: "2026-02-30T00:00:00Z" })] },
      'items[0].createdAt: "2026-02-30T00:00:00Z" is a day that does not exist: February 2026 has 28 days',
    ],
    [
      "the 29th of February outside a leap year",
      { version: 1, teams: [makeTeam()], targets: [makeTarget({ effectiveFrom: "2027-02-29" })] },
      'targets[0].effectiveFrom: "2027-02-29" is a day that does not exist: February 2027 has 28 days',
    ],
    [
      "a 31st of a 30-day month",
      { version: 1, teams: [makeTeam()], targets: [makeTarget({ effectiveFrom: "2026-04-31" })] },
      'targets[0].effectiveFrom: "2026-04-31" is a day that does not exist: April 2026 has 30 days',
    ],
    [
      "a month that does not exist",
      { version: 1, teams: [makeTeam()], items: [makeItem({ createdAt: "2026-13-01T00:00:00Z" })] },
      'items[0].createdAt: "2026-13-01T00:00:00Z" has no month 13: months run 01–12',
    ],
    [
      "a year before 1970",
      { version: 1, teams: [makeTeam()], targets: [makeTarget({ effectiveFrom: "1969-12-31" })] },
      'targets[0].effectiveFrom: "1969-12-31" is before 1970: years run from 1970 to 9999',
    ],
    [
      "a year beyond 9999",
      {
        version: 1,
        teams: [makeTeam()],
        items: [makeItem({ createdAt: "+010000-01-01T00:00:00Z" })],
      },
      'items[0].createdAt: expected an ISO 8601 time such as "2026-07-01T00:00:00Z", got "+010000-01-01T00:00:00Z"',
    ],
    [
      "an hour that does not exist",
      { version: 1, teams: [makeTeam()], items: [makeItem({ createdAt: "2026-07-01T24:00:00Z" })] },
      'items[0].createdAt: "2026-07-01T24:00:00Z" is not a time of day (00:00:00 to 23:59:59)',
    ],
    [
      "a time without an offset",
      {
        version: 1,
        teams: [makeTeam()],
        items: [makeItem({ status: "done", completedAt: "2026-07-02T10:00:00" })],
      },
      `items[0].completedAt: "2026-07-02T10:00:00" ${NO_OFFSET}`,
    ],
    [
      "a time without an offset in history",
      {
        version: 1,
        teams: [makeTeam()],
        items: [
          makeItem({
            history: [{ at: "2026-07-01T00:00", field: "status", from: "todo", to: "done" }],
          }),
        ],
      },
      `items[0].history[0].at: "2026-07-01T00:00" ${NO_OFFSET}`,
    ],
    [
      "an offset that does not exist",
      {
        version: 1,
        teams: [makeTeam()],
        items: [makeItem({ createdAt: "2026-07-01T00:00:00+24:00" })],
      },
      'items[0].createdAt: "2026-07-01T00:00:00+24:00" has an offset that does not exist (+24:00); offsets run from -23:59 to +23:59',
    ],
  ])("refuses %s", (_name, input, expected) => {
    expect(problemsOf(input)).toEqual([expected]);
  });

  it("a target declared in the app takes the same dates", () => {
    const target = {
      investmentShare: 0.3,
      tolerance: 0.05,
      reason: "plan",
      requestId: "req-00001",
    };
    expect(() =>
      parsePayload(targetInputSchema, { ...target, effectiveFrom: "2026-02-30" }),
    ).toThrow(
      'Invalid request: effective date: "2026-02-30" is a day that does not exist: February 2026 has 28 days.',
    );
    expect(
      parsePayload(targetInputSchema, { ...target, effectiveFrom: "2026-02-28" }),
    ).toMatchObject({
      effectiveFrom: "2026-02-28",
    });
  });

  it("refuses an item in a sprint of another team, current or past", () => {
    expect(
      problemsOf({
        version: 1,
        teams: [makeTeam(), makeTeam({ id: "MOB", name: "Mobile" })],
        sprints: [makeSprint(), makeSprint({ id: "M1", teamId: "MOB", name: "MOB 1" })],
        items: [
          makeItem({
            sprintIds: ["S1", "M1"],
            history: [{ at: "2026-07-02T00:00:00Z", field: "sprint", from: ["M1"], to: ["S1"] }],
          }),
        ],
      }),
    ).toEqual([
      `items[0].sprintIds[1]: sprint "M1" belongs to team "MOB", not to the item's team "PAY"`,
      `items[0].history[0].from[0]: sprint "M1" belongs to team "MOB", not to the item's team "PAY"`,
    ]);
  });

  it("accepts what is valid: offsets, fractions, minutes without seconds, a leap day", () => {
    const result = parseWorkspace({
      version: 1,
      teams: [makeTeam()],
      targets: [makeTarget({ effectiveFrom: "2028-02-29" })],
      sprints: [makeSprint({ startAt: "2026-07-01T02:00+02:00", completeAt: null })],
      items: [makeItem({ estimate: 0, createdAt: "2026-06-01T00:00:00.123456789-05:00" })],
    });
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(result.workspace.sprints[0]?.startAt).toBe(Date.parse("2026-07-01T00:00:00Z"));
    expect(result.workspace.items[0]?.createdAt).toBe(Date.parse("2026-06-01T05:00:00.123Z"));
  });

  it("names a number too large for JSON as it is written, not as null", () => {
    const text = JSON.stringify({
      version: 1,
      teams: [makeTeam({ unestimatedWeight: 0 })],
      items: [makeItem({ title: "costs 1e400 points", estimate: 0 })],
    })
      .replace('"unestimatedWeight":0', '"unestimatedWeight":1e400')
      .replace('"estimate":0', '"estimate":-2.5E+999');
    expect(textProblemsOf(text)).toEqual([
      "teams[0].unestimatedWeight: expected number, got 1e400, a number too large to hold",
      "items[0].estimate: expected number or null, got -2.5E+999, a number too large to hold",
    ]);
  });

  it("finds the literal however deep and whatever the keys around it", () => {
    const digits = "9".repeat(400);
    const text = `{"version":1,"teams":[{"id":"PAY","name":"a\\"b,{[1e999","rules":[]},
      {"id":"GRO","name":"Growth","unestimatedWeight":${digits}}],
      "items":[{"id":"PAY-1","teamId":"PAY","title":"x","status":"todo",
      "createdAt":"2026-07-01T00:00:00Z","history":[{"at":"2026-07-01T00:00:00Z",
      "field":"estimate","from":null,"to":1e309}]}]}`;
    expect(textProblemsOf(text)).toEqual([
      `teams[1].unestimatedWeight: expected number, got ${digits.slice(0, 57)}..., a number too large to hold`,
      "items[0].history[0].to: expected number or null, got 1e309, a number too large to hold",
    ]);
  });

  it("reports problems when a duplicate key replaces the object that held a huge number", () => {
    // JSON.parse keeps the last of duplicate keys, so the path to 1e400 no longer exists.
    for (const later of ["null", "5", '"x"']) {
      const text = `{"version":1,"teams":[],"items":[],"extra":{"a":{"b":{"c":1e400}}},"extra":${later}}`;
      expect(textProblemsOf(text)).toEqual([
        "extra: unknown field (not part of the workspace format)",
      ]);
    }
  });
});
