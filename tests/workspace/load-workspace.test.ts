import { describe, expect, it } from "vitest";
import { parseWorkspace, parseWorkspaceText } from "../../src/workspace/load-workspace";
import { makeItem, makeSprint, makeTarget, makeTeam } from "../helpers/factories";

const problemsOf = (input: unknown): readonly string[] => {
  const result = parseWorkspace(input);
  return result.ok ? [] : result.problems;
};

describe("workspace file (SPEC §11)", () => {
  it("applies the defaults of optional fields", () => {
    const result = parseWorkspace({
      version: 1,
      teams: [
        { id: "PAY", name: "Payments" },
        { id: "GRO", name: "Growth", source: "linear" },
      ],
      items: [
        {
          id: "PAY-1",
          teamId: "PAY",
          title: "x",
          status: "todo",
          createdAt: "2026-07-01T00:00:00Z",
        },
      ],
    });
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const [pay, gro] = result.workspace.teams;
    expect(pay).toEqual({
      id: "PAY",
      name: "Payments",
      source: "file",
      unit: "points",
      unestimatedWeight: 1,
      timezone: "UTC",
      labels: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
      rules: [],
    });
    expect(gro?.labels).toEqual({ roadmap: "Roadmap", investment: "Investment" });
    expect(result.workspace.settings.fiscalYearStartMonth).toBe(1);
    expect(result.workspace.items[0]).toMatchObject({
      estimate: null,
      parentId: null,
      sprintIds: [],
      history: [],
      labels: [],
      completedAt: null,
    });
  });

  it("says what is wrong where, one line per problem", () => {
    expect(
      problemsOf({
        version: 1,
        teams: [makeTeam({ timezone: "Mars/Olympus" })],
        items: [
          makeItem(),
          makeItem({ id: "PAY-2" }),
          makeItem({ id: "PAY-3" }),
          { ...makeItem({ id: "PAY-4" }), estimate: "5", colour: "red" },
        ],
        targets: [makeTarget({ investmentShare: 1.5, effectiveFrom: "July" })],
      }),
    ).toEqual([
      'teams[0].timezone: expected an IANA timezone such as "Europe/Zurich"',
      "targets[0].investmentShare: expected at most 1, got 1.5",
      'targets[0].effectiveFrom: expected a date such as "2026-07-01", got "July"',
      'items[3].estimate: expected number or null, got "5"',
      "items[3].colour: unknown field (not part of the workspace format)",
    ]);
  });

  it.each<[string, unknown, string]>([
    ["wrong version", { version: 2, teams: [] }, "version: expected 1, got 2"],
    ["missing teams", { version: 1 }, "teams: missing (expected array)"],
    [
      "bad status",
      { version: 1, teams: [makeTeam()], items: [makeItem({ status: "closed" as "done" })] },
      'items[0].status: expected "todo" or "inProgress" or "done" or "canceled", got "closed"',
    ],
    [
      "bad time",
      { version: 1, teams: [makeTeam()], items: [makeItem({ createdAt: "yesterday" })] },
      'items[0].createdAt: expected an ISO 8601 time such as "2026-07-01T00:00:00Z", got "yesterday"',
    ],
    [
      "bad history field",
      {
        version: 1,
        teams: [makeTeam()],
        items: [
          makeItem({
            history: [{ at: "2026-07-01T00:00:00Z", field: "title", from: "a", to: "b" } as never],
          }),
        ],
      },
      'items[0].history[0].field: expected "sprint" or "estimate" or "status" or "assignee", got "title"',
    ],
    [
      "bad regex",
      {
        version: 1,
        teams: [makeTeam({ rules: [{ if: { titleMatches: "(" }, then: "roadmap" }] })],
      },
      "teams[0].rules[0].if.titleMatches: not a valid pattern (RE2 syntax: no backreferences, lookahead or lookbehind): missing closing ): `(`",
    ],
    [
      "bad category",
      { version: 1, teams: [makeTeam({ rules: [{ if: {}, then: "platform" as "roadmap" }] })] },
      'teams[0].rules[0].then: expected "roadmap" or "investment", got "platform"',
    ],
    [
      "unknown top-level key",
      { version: 1, teams: [], sprint: [] },
      "sprint: unknown field (not part of the workspace format)",
    ],
  ])("%s", (_name, input, expected) => {
    expect(problemsOf(input)).toEqual([expected]);
  });

  it("checks references between the parts", () => {
    expect(
      problemsOf({
        version: 1,
        teams: [makeTeam(), makeTeam()],
        targets: [makeTarget({ teamId: "CHK" })],
        sprints: [makeSprint({ teamId: "MOB" })],
        items: [
          makeItem({ teamId: "GRO", sprintIds: ["S9"], parentId: "PAY-0" }),
          makeItem({
            id: "PAY-2",
            parentId: "PAY-2",
            history: [{ at: "2026-07-01T00:00:00Z", field: "sprint", from: ["S1"], to: ["S7"] }],
          }),
        ],
      }),
    ).toEqual([
      'teams[1].id: duplicate id "PAY"',
      'targets[0].teamId: unknown team "CHK"',
      'sprints[0].teamId: unknown team "MOB"',
      'items[0].teamId: unknown team "GRO"',
      'items[0].sprintIds[0]: unknown sprint "S9"',
      'items[0].parentId: unknown item "PAY-0"',
      "items[1].parentId: an item cannot be its own parent",
      'items[1].history[0].from[0]: sprint "S1" belongs to team "MOB", not to the item\'s team "PAY"',
      'items[1].history[0].to[0]: unknown sprint "S7"',
    ]);
  });

  it("reports text that is not JSON", () => {
    const result = parseWorkspaceText("{ version: 1");
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problems[0]).toMatch(/^\(file\): not valid JSON: /);
  });
});
