import { describe, expect, it } from "vitest";
import {
  DEFAULT_DROPPED_RESOLUTIONS,
  mapBoard,
  mapStatus,
  toWorkspaceFile,
  type BoardSnapshot,
  type ChangeHistory,
  type JiraIssue,
  type JiraSprint,
} from "../../src/jira/index";
import { parseWorkspace } from "../../src/workspace/load-workspace";

const STATUSES = [
  { id: "1", name: "To Do", statusCategory: { key: "new" } },
  { id: "2", name: "In Progress", statusCategory: { key: "indeterminate" } },
  { id: "3", name: "Done", statusCategory: { key: "done" } },
];

function makeIssue(overrides: Partial<JiraIssue> = {}): JiraIssue {
  return {
    id: "10001",
    key: "PAY-1",
    summary: "Retire v1 queue",
    issueType: "Task",
    labels: [],
    components: [],
    projectKey: "PAY",
    parentKey: null,
    statusId: "1",
    statusName: "To Do",
    statusCategory: "new",
    resolution: null,
    created: "2026-06-01T00:00:00.000Z",
    resolutionDate: null,
    sprints: [],
    estimate: null,
    assignee: null,
    properties: {},
    ...overrides,
  };
}

function makeSprint(overrides: Partial<JiraSprint> = {}): JiraSprint {
  return {
    id: 101,
    name: "PAY 1",
    state: "closed",
    startDate: "2026-07-01T00:00:00.000Z",
    endDate: "2026-07-15T00:00:00.000Z",
    completeDate: "2026-07-15T01:00:00.000Z",
    ...overrides,
  };
}

const change = (
  created: string,
  ...items: Partial<ChangeHistory["items"][number]>[]
): ChangeHistory => ({
  id: String(Date.parse(created)),
  created,
  items: items.map((item) => ({
    fieldId: "status",
    from: null,
    fromText: null,
    to: null,
    toText: null,
    ...item,
  })),
});

function snapshot(
  parts: Partial<BoardSnapshot> & { histories?: Record<string, ChangeHistory[]> },
): BoardSnapshot {
  return {
    board: { id: 12, name: "PAY board" },
    unit: "points",
    sprintFieldId: "customfield_12345",
    estimateFieldId: "customfield_13579",
    statuses: STATUSES,
    sprints: [makeSprint()],
    issues: [makeIssue()],
    changelogs: new Map(Object.entries(parts.histories ?? {})),
    ...parts,
  };
}

const dropped = new Set(DEFAULT_DROPPED_RESOLUTIONS.map((r) => r.toLowerCase()));

describe("mapStatus (SPEC §2)", () => {
  it.each([
    ["new", null, "todo"],
    ["undefined", null, "todo"],
    ["indeterminate", null, "inProgress"],
    ["done", "Done", "done"],
    ["done", null, "done"],
    ["done", "Won't Do", "canceled"],
    ["done", "won’t do", "canceled"],
    ["done", "Duplicate", "canceled"],
    ["done", "Cannot Reproduce", "canceled"],
    ["done", "Declined", "canceled"],
    ["indeterminate", "Won't Do", "inProgress"],
  ])("category %s with resolution %s → %s", (category, resolution, expected) => {
    expect(mapStatus(category, resolution, dropped)).toBe(expected);
  });

  it("takes the dropped resolutions as a setting", () => {
    const mapped = mapBoard(
      snapshot({
        issues: [
          makeIssue({
            statusCategory: "done",
            resolution: "Obsolete",
            resolutionDate: "2026-07-02T00:00:00.000Z",
          }),
        ],
      }),
      { droppedResolutions: ["Obsolete"] },
    );
    expect(mapped.items[0]).toMatchObject({
      status: "canceled",
      completedAt: "2026-07-02T00:00:00.000Z",
    });
  });
});

describe("mapBoard", () => {
  it("makes one team per board with the caller's timezone and the Jira default labels", () => {
    const { team } = mapBoard(snapshot({}), { timezone: "Europe/Zurich" });
    expect(team).toEqual({
      id: "12",
      name: "PAY board",
      source: "jira",
      unit: "points",
      unestimatedWeight: 1,
      timezone: "Europe/Zurich",
      labels: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
      rules: [],
    });
  });

  it("maps sprints: ids as strings, completion only when closed, dateless future ones left out with a note", () => {
    const mapped = mapBoard(
      snapshot({
        sprints: [
          makeSprint({
            id: 103,
            name: "PAY 3",
            state: "future",
            startDate: undefined,
            endDate: undefined,
            completeDate: undefined,
          }),
          makeSprint({
            id: 102,
            name: "PAY 2",
            state: "active",
            startDate: "2026-07-15T00:00:00.000Z",
            endDate: "2026-07-29T00:00:00.000Z",
            completeDate: undefined,
          }),
          makeSprint(),
          makeSprint({
            id: 104,
            name: "PAY 4",
            state: "closed",
            startDate: "2026-06-01T00:00:00.000Z",
            endDate: "2026-06-15T00:00:00.000Z",
            completeDate: undefined,
          }),
        ],
        issues: [
          makeIssue({
            sprints: [
              { id: 103, name: "PAY 3", state: "future" },
              { id: 999, name: "Other board", state: "closed" },
              { id: 102, name: "PAY 2", state: "active" },
            ],
          }),
        ],
      }),
    );
    expect(mapped.sprints).toEqual([
      {
        id: "104",
        teamId: "12",
        name: "PAY 4",
        startAt: "2026-06-01T00:00:00.000Z",
        endAt: "2026-06-15T00:00:00.000Z",
        completeAt: "2026-06-15T00:00:00.000Z",
      },
      {
        id: "101",
        teamId: "12",
        name: "PAY 1",
        startAt: "2026-07-01T00:00:00.000Z",
        endAt: "2026-07-15T00:00:00.000Z",
        completeAt: "2026-07-15T01:00:00.000Z",
      },
      {
        id: "102",
        teamId: "12",
        name: "PAY 2",
        startAt: "2026-07-15T00:00:00.000Z",
        endAt: "2026-07-29T00:00:00.000Z",
        completeAt: null,
      },
    ]);
    expect(mapped.items[0]?.sprintIds).toEqual(["102"]);
    expect(mapped.notes).toEqual([
      'Closed sprint "PAY 4" has no completion date; its end date is used.',
      "1 sprint without start and end dates is left out: PAY 3. Set their dates in Jira to plan against them.",
    ]);
  });

  it("rebuilds sprint, estimate and status history from the changelog", () => {
    const mapped = mapBoard(
      snapshot({
        sprints: [
          makeSprint(),
          makeSprint({
            id: 102,
            name: "PAY 2",
            startDate: "2026-07-15T00:00:00.000Z",
            endDate: "2026-07-29T00:00:00.000Z",
            completeDate: "2026-07-29T00:00:00.000Z",
          }),
        ],
        issues: [
          makeIssue({
            statusId: "3",
            statusCategory: "done",
            resolution: "Done",
            resolutionDate: "2026-07-20T00:00:00.000Z",
            sprints: [
              { id: 101, name: "PAY 1", state: "closed" },
              { id: 102, name: "PAY 2", state: "closed" },
            ],
            estimate: 5,
          }),
        ],
        histories: {
          "10001": [
            change("2026-06-30T00:00:00.000+00:00".replace("+00:00", "Z"), {
              fieldId: "customfield_12345",
              from: null,
              to: "101",
              toText: "PAY 1",
            }),
            change(
              "2026-07-02T00:00:00.000Z",
              { fieldId: "customfield_13579", fromText: "3", toText: "5" },
              { fieldId: "status", from: "1", to: "2" },
            ),
            // A sprint of another board joins and leaves: not this board's business.
            change("2026-07-10T00:00:00.000Z", {
              fieldId: "customfield_12345",
              from: "101",
              to: "101, 999",
            }),
            change("2026-07-15T00:00:00.000Z", {
              fieldId: "customfield_12345",
              from: "101, 999",
              to: "101,102",
            }),
            change(
              "2026-07-20T00:00:00.000Z",
              { fieldId: "status", from: "2", to: "3" },
              { fieldId: "resolution", from: null, toText: "Done" },
            ),
          ],
        },
      }),
    );
    expect(mapped.items[0]?.history).toEqual([
      { at: "2026-06-30T00:00:00.000Z", field: "sprint", from: [], to: ["101"] },
      { at: "2026-07-02T00:00:00.000Z", field: "estimate", from: 3, to: 5 },
      { at: "2026-07-02T00:00:00.000Z", field: "status", from: "todo", to: "inProgress" },
      { at: "2026-07-15T00:00:00.000Z", field: "sprint", from: ["101"], to: ["101", "102"] },
      { at: "2026-07-20T00:00:00.000Z", field: "status", from: "inProgress", to: "done" },
    ]);
    expect(parseWorkspace(toWorkspaceFile([mapped])).ok).toBe(true);
  });

  it("leaves out a sprint completed before its start date with a note, so the file still loads", () => {
    const mapped = mapBoard(
      snapshot({
        sprints: [
          makeSprint({
            startDate: "2026-07-20T00:00:00.000Z",
            endDate: "2026-08-03T00:00:00.000Z",
          }),
        ],
        issues: [makeIssue({ sprints: [{ id: 101, name: "PAY 1", state: "closed" }] })],
      }),
    );
    expect(mapped.sprints).toEqual([]);
    expect(mapped.notes).toContain(
      'Sprint "PAY 1" was completed before its start date in Jira; it is left out.',
    );
    const loaded = parseWorkspace(toWorkspaceFile([mapped]));
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  });

  it("reads dropped work from the resolution, also when only the resolution changes", () => {
    const mapped = mapBoard(
      snapshot({
        issues: [
          makeIssue({
            statusId: "3",
            statusCategory: "done",
            resolution: "Won't Do",
            resolutionDate: "2026-07-09T00:00:00.000Z",
          }),
        ],
        histories: {
          "10001": [
            change(
              "2026-07-05T00:00:00.000Z",
              { fieldId: "status", from: "1", to: "3" },
              { fieldId: "resolution", toText: "Done" },
            ),
            change("2026-07-09T00:00:00.000Z", {
              fieldId: "resolution",
              fromText: "Done",
              toText: "Won't Do",
            }),
          ],
        },
      }),
    );
    expect(mapped.items[0]).toMatchObject({
      status: "canceled",
      completedAt: "2026-07-09T00:00:00.000Z",
      history: [
        { at: "2026-07-05T00:00:00.000Z", field: "status", from: "todo", to: "done" },
        { at: "2026-07-09T00:00:00.000Z", field: "status", from: "done", to: "canceled" },
      ],
    });
  });

  it("makes the history agree with the current fields when the changelog does not", () => {
    const mapped = mapBoard(
      snapshot({
        issues: [makeIssue({ estimate: 8, sprints: [] })],
        histories: {
          "10001": [
            change("2026-07-01T00:00:00.000Z", {
              fieldId: "customfield_13579",
              fromText: null,
              toText: "3",
            }),
            change("2026-07-03T00:00:00.000Z", {
              fieldId: "customfield_13579",
              fromText: "2",
              toText: "5",
            }),
            // The issue left the sprint without a history entry (the sprint was deleted).
            change("2026-07-04T00:00:00.000Z", {
              fieldId: "customfield_12345",
              from: null,
              to: "101",
            }),
          ],
        },
      }),
    );
    expect(mapped.items[0]?.history).toEqual([
      { at: "2026-07-01T00:00:00.000Z", field: "estimate", from: null, to: 3 },
      { at: "2026-07-03T00:00:00.000Z", field: "estimate", from: 3, to: 8 },
    ]);
  });

  it("reads the assignee and its history by accountId, ignoring display names", () => {
    const ana = "5b10ac8d82e05b22cc7d4ef5";
    const ben = "712020:2a4f6c1e-3b5d-4e7f-8a9b-0c1d2e3f4a5b";
    const mapped = mapBoard(
      snapshot({
        issues: [makeIssue({ assignee: ben })],
        histories: {
          "10001": [
            change("2026-07-01T00:00:00.000Z", {
              fieldId: "assignee",
              from: null,
              fromText: null,
              to: ana,
              toText: "Ana Ortiz",
            }),
            // A rename of the same person changes only the strings: no event.
            change("2026-07-02T00:00:00.000Z", {
              fieldId: "assignee",
              from: ana,
              fromText: "Ana Ortiz",
              to: ana,
              toText: "Ana Ortiz-Lee",
            }),
            change("2026-07-03T00:00:00.000Z", {
              fieldId: "assignee",
              from: ana,
              fromText: "Ana Ortiz-Lee",
              to: ben,
              toText: "<b>Ben</b>",
            }),
          ],
        },
      }),
    );
    expect(mapped.items[0]?.assignee).toBe(ben);
    expect(mapped.items[0]?.history).toEqual([
      { at: "2026-07-01T00:00:00.000Z", field: "assignee", from: null, to: ana },
      { at: "2026-07-03T00:00:00.000Z", field: "assignee", from: ana, to: ben },
    ]);
    // The current field wins over a changelog that ends elsewhere (an unlogged unassign).
    const unassigned = mapBoard(
      snapshot({
        issues: [makeIssue({ assignee: null })],
        histories: {
          "10001": [
            change("2026-07-01T00:00:00.000Z", { fieldId: "assignee", from: null, to: ana }),
          ],
        },
      }),
    );
    expect(unassigned.items[0]?.assignee).toBeNull();
    expect(unassigned.items[0]?.history).toEqual([]);
  });

  it("notes unknown statuses and unreadable estimates instead of guessing", () => {
    const mapped = mapBoard(
      snapshot({
        issues: [makeIssue({ statusId: "2", statusCategory: "indeterminate" })],
        histories: {
          "10001": [
            change("2026-07-01T00:00:00.000Z", {
              fieldId: "status",
              from: "1",
              to: "77",
              toText: "Archived",
            }),
            change("2026-07-02T00:00:00.000Z", {
              fieldId: "status",
              from: "77",
              fromText: "Archived",
              to: "2",
              toText: "In Progress",
            }),
            change("2026-07-03T00:00:00.000Z", {
              fieldId: "customfield_13579",
              fromText: "?",
              toText: "",
            }),
          ],
        },
      }),
    );
    expect(mapped.items[0]?.history).toEqual([
      { at: "2026-07-02T00:00:00.000Z", field: "status", from: "todo", to: "inProgress" },
    ]);
    expect(mapped.notes).toEqual([
      'PAY-1: estimate change "?" is not a number of at least 0; read as none.',
      'PAY-1: status "Archived" is unknown to this site; that change is ignored.',
    ]);
  });

  it("reads a negative estimate as none, with a note, so the board still loads", () => {
    const mapped = mapBoard(
      snapshot({
        issues: [makeIssue({ estimate: -2 })],
        histories: {
          "10001": [
            change("2026-07-03T00:00:00.000Z", {
              fieldId: "customfield_13579",
              fromText: "-1",
              toText: "-2",
            }),
          ],
        },
      }),
    );
    expect(mapped.items[0]?.estimate).toBeNull();
    expect(mapped.items[0]?.history).toEqual([]);
    expect(mapped.notes).toEqual([
      'PAY-1: estimate change "-1" is not a number of at least 0; read as none.',
      'PAY-1: estimate change "-2" is not a number of at least 0; read as none.',
      "PAY-1: estimate -2 is negative; read as none.",
    ]);
  });

  it("keeps parents on the board, drops the others with a note, and orders items by key", () => {
    const mapped = mapBoard(
      snapshot({
        issues: [
          makeIssue({ id: "3", key: "PAY-10", parentKey: "PAY-9" }),
          makeIssue({ id: "2", key: "PAY-9", parentKey: "OPS-1" }),
          makeIssue({ id: "1", key: "PAY-2" }),
        ],
      }),
    );
    expect(mapped.items.map((item) => [item.id, item.parentId])).toEqual([
      ["PAY-2", null],
      ["PAY-9", null],
      ["PAY-10", "PAY-9"],
    ]);
    expect(mapped.notes).toEqual([
      "1 issue has a parent outside this board; their parent is left out, so they inherit no category from it.",
    ]);
  });
});
