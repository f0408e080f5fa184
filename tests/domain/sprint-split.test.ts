import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import type { SprintReport, Split } from "../../src/domain/types";
import { parseWorkspaceText } from "../../src/workspace/load-workspace";
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
const NOW = "2026-11-24T00:00:00Z";
const R = ["capacity-roadmap"];
const I = ["capacity-investment"];

const split = (roadmap: number, investment: number, unclassified = 0): Split => ({
  roadmap,
  investment,
  unclassified,
});
const zero = split(0, 0);

function sprintOf(
  items: FileItem[],
  options: {
    now?: string;
    sprint?: Parameters<typeof makeSprint>[0];
    unit?: "points" | "issues";
    pick?: string;
    extraSprints?: Parameters<typeof makeSprint>[0][];
  } = {},
): SprintReport {
  const workspace = makeWorkspace({
    teams: [makeTeam({ unit: options.unit ?? "points" })],
    targets: [makeTarget()],
    sprints: [makeSprint(options.sprint), ...(options.extraSprints ?? []).map(makeSprint)],
    items,
  });
  const report = computeReport(workspace, { now: at(options.now ?? NOW) });
  const sprint = report.teams[0]?.sprints.find((s) => s.id === (options.pick ?? "S1"));
  if (!sprint) throw new Error("no sprint");
  return sprint;
}

describe("the worked example of SPEC §12", () => {
  const text = readFileSync(new URL("../fixtures/worked-example.json", import.meta.url), "utf8");
  const loaded = parseWorkspaceText(text);
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  const report = computeReport(loaded.workspace, { now: at(NOW) });
  const s1 = report.teams[0]?.sprints[0];

  it("has the committed, added, removed and delivered splits of the text", () => {
    expect(s1?.committed).toEqual(split(13, 5));
    expect(s1?.added).toEqual(split(3, 0));
    expect(s1?.removed).toEqual(split(0, 5));
    expect(s1?.delivered).toEqual(split(16, 0));
    expect(s1?.carriedOver).toEqual(zero);
    expect(s1?.investmentShare.committed).toBeCloseTo(5 / 18, 12);
    expect(s1?.investmentShare.delivered).toBe(0);
  });

  it("raises exactly the three flags of the text", () => {
    expect(s1?.flags).toEqual([
      { code: "SPRINT_BELOW_TARGET", severity: "critical" },
      { code: "SPRINT_SQUEEZED", severity: "warning" },
      { code: "INVESTMENT_ZEROED", severity: "critical" },
    ]);
  });
});

describe("sprint split (SPEC §6)", () => {
  it.each<
    [
      string,
      FileItem[],
      Partial<Record<"committed" | "added" | "removed" | "delivered" | "carriedOver", Split>> & {
        unestimated?: number;
      },
    ]
  >([
    [
      "an item done before the start is not committed",
      [
        makeItem({
          labels: R,
          sprintIds: ["S1"],
          status: "done",
          completedAt: "2026-06-30T00:00:00Z",
        }),
      ],
      { committed: zero, delivered: zero },
    ],
    [
      "an item created after the start already in the sprint is added at createdAt, weighed then",
      [
        makeItem({
          labels: I,
          sprintIds: ["S1"],
          createdAt: "2026-07-03T00:00:00Z",
          estimate: 8,
          history: [{ at: "2026-07-05T00:00:00Z", field: "estimate", from: 2, to: 8 }],
        }),
      ],
      { committed: zero, added: split(0, 2), carriedOver: split(0, 8) },
    ],
    [
      "an item moved in while already done is not added",
      [
        makeItem({
          labels: R,
          status: "done",
          sprintIds: ["S1"],
          history: [
            { at: "2026-07-02T00:00:00Z", field: "status", from: "todo", to: "done" },
            { at: "2026-07-03T00:00:00Z", field: "sprint", from: [], to: ["S1"] },
          ],
        }),
      ],
      { added: zero, delivered: zero },
    ],
    [
      "only the first join counts, at its weight then",
      [
        makeItem({
          labels: R,
          sprintIds: ["S1"],
          estimate: 5,
          history: [
            { at: "2026-07-02T00:00:00Z", field: "sprint", from: [], to: ["S1"] },
            { at: "2026-07-03T00:00:00Z", field: "sprint", from: ["S1"], to: [] },
            { at: "2026-07-04T00:00:00Z", field: "estimate", from: 3, to: 5 },
            { at: "2026-07-06T00:00:00Z", field: "sprint", from: [], to: ["S1"] },
          ],
        }),
      ],
      { added: split(3, 0), removed: zero, carriedOver: split(5, 0) },
    ],
    [
      "an event at exactly startAt counts as committed",
      [
        makeItem({
          labels: I,
          sprintIds: ["S1"],
          history: [{ at: "2026-07-01T00:00:00Z", field: "sprint", from: [], to: ["S1"] }],
        }),
      ],
      { committed: split(0, 1), added: zero },
    ],
    [
      "removed keeps the weight it was committed with",
      [
        makeItem({
          labels: I,
          estimate: 13,
          sprintIds: [],
          history: [
            { at: "2026-06-20T00:00:00Z", field: "sprint", from: [], to: ["S1"] },
            { at: "2026-07-05T00:00:00Z", field: "estimate", from: 5, to: 13 },
            { at: "2026-07-08T00:00:00Z", field: "sprint", from: ["S1"], to: [] },
          ],
        }),
      ],
      { committed: split(0, 5), removed: split(0, 5), carriedOver: zero },
    ],
    [
      "a move out at exactly the close still counts as carried over, not removed",
      [
        makeItem({
          labels: R,
          sprintIds: ["S2"],
          history: [{ at: "2026-07-15T00:00:00Z", field: "sprint", from: ["S1"], to: ["S2"] }],
        }),
      ],
      { committed: split(1, 0), removed: zero, carriedOver: split(1, 0) },
    ],
    [
      "delivered needs membership at completion",
      [
        makeItem({
          labels: R,
          status: "done",
          completedAt: "2026-07-10T00:00:00Z",
          sprintIds: [],
          history: [
            { at: "2026-06-20T00:00:00Z", field: "sprint", from: [], to: ["S1"] },
            { at: "2026-07-09T00:00:00Z", field: "sprint", from: ["S1"], to: [] },
          ],
        }),
      ],
      { committed: split(1, 0), removed: split(1, 0), delivered: zero },
    ],
    [
      "completion at exactly the close is delivered; just after is carried over",
      [
        makeItem({
          id: "A",
          labels: R,
          status: "done",
          completedAt: "2026-07-15T00:00:00Z",
          sprintIds: ["S1"],
        }),
        makeItem({
          id: "B",
          labels: I,
          status: "done",
          completedAt: "2026-07-15T00:00:01Z",
          sprintIds: ["S1"],
        }),
      ],
      { committed: split(1, 1), delivered: split(1, 0), carriedOver: split(0, 1) },
    ],
    [
      "delivered is weighed at completion; carried over at the close",
      [
        makeItem({
          id: "A",
          labels: R,
          status: "done",
          estimate: 8,
          completedAt: "2026-07-10T00:00:00Z",
          sprintIds: ["S1"],
          history: [{ at: "2026-07-12T00:00:00Z", field: "estimate", from: 3, to: 8 }],
        }),
        makeItem({
          id: "B",
          labels: I,
          estimate: 2,
          sprintIds: ["S1"],
          history: [{ at: "2026-07-20T00:00:00Z", field: "estimate", from: 5, to: 2 }],
        }),
      ],
      { committed: split(3, 5), delivered: split(3, 0), carriedOver: split(0, 5) },
    ],
    [
      "status history decides the completion time",
      [
        makeItem({
          labels: R,
          status: "done",
          completedAt: "2026-08-01T00:00:00Z",
          sprintIds: ["S1"],
          history: [
            { at: "2026-07-04T00:00:00Z", field: "status", from: "todo", to: "done" },
            { at: "2026-07-05T00:00:00Z", field: "status", from: "done", to: "inProgress" },
            { at: "2026-07-09T00:00:00Z", field: "status", from: "inProgress", to: "done" },
          ],
        }),
      ],
      { committed: split(1, 0), delivered: split(1, 0), carriedOver: zero },
    ],
    [
      "a reopened item is not delivered",
      [
        makeItem({
          labels: R,
          status: "inProgress",
          completedAt: null,
          sprintIds: ["S1"],
          history: [
            { at: "2026-07-04T00:00:00Z", field: "status", from: "todo", to: "done" },
            { at: "2026-07-05T00:00:00Z", field: "status", from: "done", to: "inProgress" },
          ],
        }),
      ],
      { committed: split(1, 0), delivered: zero, carriedOver: split(1, 0) },
    ],
    [
      "canceled items are left out",
      [makeItem({ labels: R, status: "canceled", sprintIds: ["S1"] })],
      { committed: zero, removed: zero, carriedOver: zero },
    ],
    [
      "unestimated items weigh 1 and are tallied once",
      [
        makeItem({
          id: "A",
          labels: R,
          estimate: null,
          sprintIds: ["S1"],
          status: "done",
          completedAt: "2026-07-05T00:00:00Z",
        }),
        makeItem({ id: "B", labels: I, estimate: null, sprintIds: ["S1"] }),
        makeItem({ id: "C", labels: I, estimate: 3, sprintIds: ["S1"] }),
      ],
      { committed: split(1, 4), delivered: split(1, 0), carriedOver: split(0, 4), unestimated: 2 },
    ],
    [
      "unclassified work is its own column",
      [makeItem({ type: "Bug", estimate: 2, sprintIds: ["S1"] })],
      { committed: split(0, 0, 2) },
    ],
    [
      "an item that did not exist at the start is not committed",
      [makeItem({ labels: R, createdAt: "2026-07-20T00:00:00Z", sprintIds: ["S1"] })],
      { committed: zero, added: zero, carriedOver: zero },
    ],
  ])("%s", (_name, items, expected) => {
    const sprint = sprintOf(items, {
      extraSprints: [
        {
          id: "S2",
          name: "PAY 2",
          startAt: "2026-07-15T00:00:00Z",
          endAt: "2026-07-29T00:00:00Z",
          completeAt: "2026-07-29T00:00:00Z",
        },
      ],
    });
    const { unestimated, ...splits } = expected;
    for (const [key, value] of Object.entries(splits)) {
      expect(sprint[key as keyof typeof splits], key).toEqual(value);
    }
    if (unestimated !== undefined) expect(sprint.unestimated).toBe(unestimated);
  });

  it("counts every item as 1 with unit issues, and tallies nothing as unestimated", () => {
    const sprint = sprintOf(
      [
        makeItem({ id: "A", labels: R, estimate: 8, sprintIds: ["S1"] }),
        makeItem({ id: "B", labels: I, estimate: null, sprintIds: ["S1"] }),
      ],
      { unit: "issues" },
    );
    expect(sprint.committed).toEqual(split(1, 1));
    expect(sprint.unestimated).toBe(0);
  });

  it("gives an overlapping delivery to the sprint that started last", () => {
    const items = [
      makeItem({
        labels: R,
        status: "done",
        completedAt: "2026-07-12T00:00:00Z",
        sprintIds: ["S1", "S2"],
      }),
    ];
    const extra = [
      {
        id: "S2",
        name: "PAY 2",
        startAt: "2026-07-08T00:00:00Z",
        endAt: "2026-07-22T00:00:00Z",
        completeAt: "2026-07-22T00:00:00Z",
      },
    ];
    const s1 = sprintOf(items, { extraSprints: extra });
    const s2 = sprintOf(items, { extraSprints: extra, pick: "S2" });
    expect(s1.delivered).toEqual(zero);
    expect(s1.carriedOver).toEqual(split(1, 0));
    expect(s2.delivered).toEqual(split(1, 0));
  });

  it("an active sprint runs to now, with no carried over yet", () => {
    const sprint = sprintOf(
      [
        makeItem({
          id: "A",
          labels: R,
          sprintIds: ["S1"],
          status: "done",
          completedAt: "2026-07-05T00:00:00Z",
        }),
        makeItem({
          id: "B",
          labels: I,
          sprintIds: ["S1"],
          status: "done",
          completedAt: "2026-07-09T00:00:00Z",
        }),
        makeItem({
          id: "C",
          labels: I,
          sprintIds: [],
          history: [
            { at: "2026-06-20T00:00:00Z", field: "sprint", from: [], to: ["S1"] },
            { at: "2026-07-06T00:00:00Z", field: "sprint", from: ["S1"], to: [] },
          ],
        }),
      ],
      { now: "2026-07-07T00:00:00Z", sprint: { completeAt: null } },
    );
    expect(sprint.state).toBe("active");
    expect(sprint.committed).toEqual(split(1, 2));
    expect(sprint.delivered).toEqual(split(1, 0));
    expect(sprint.removed).toEqual(split(0, 1));
    expect(sprint.carriedOver).toBeUndefined();
  });

  it("a future sprint shows the plan so far and nothing else", () => {
    const sprint = sprintOf(
      [
        makeItem({ id: "A", labels: R, estimate: 3, sprintIds: ["S1"] }),
        makeItem({
          id: "B",
          labels: I,
          estimate: 2,
          sprintIds: ["S1"],
          createdAt: "2026-06-25T00:00:00Z",
        }),
      ],
      { now: "2026-06-28T00:00:00Z", sprint: { completeAt: null } },
    );
    expect(sprint.state).toBe("future");
    expect(sprint.committed).toEqual(split(3, 2));
    expect([sprint.added, sprint.removed, sprint.delivered]).toEqual([zero, zero, zero]);
    expect(sprint.investmentShare).toEqual({ committed: 0.4, delivered: null, spent: null });
    expect(sprint.spent).toBeUndefined();
    expect(sprint.flags).toEqual([]);
  });

  it("a sprint whose completeAt is after now is still active", () => {
    const sprint = sprintOf([], { now: "2026-07-10T00:00:00Z" });
    expect(sprint.state).toBe("active");
  });
});
