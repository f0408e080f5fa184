import { describe, expect, it } from "vitest";
import { computeRequiredShare } from "../../src/domain/quarter-split";
import { computeReport } from "../../src/domain/report";
import {
  at,
  makeItem,
  makeSprint,
  makeTarget,
  makeTeam,
  makeWorkspace,
} from "../helpers/factories";

const R = ["capacity-roadmap"];
const I = ["capacity-investment"];

describe("quarter split (SPEC §7)", () => {
  it("counts completions in [start, end) in the team's timezone, sprint or not", () => {
    const workspace = makeWorkspace({
      teams: [makeTeam({ timezone: "America/New_York" })],
      targets: [makeTarget()],
      items: [
        // 03:59Z on 1 July is still Q2 in New York.
        makeItem({
          id: "A",
          labels: R,
          estimate: 5,
          status: "done",
          completedAt: "2026-07-01T03:59:00Z",
        }),
        makeItem({
          id: "B",
          labels: I,
          estimate: 3,
          status: "done",
          completedAt: "2026-07-01T04:00:00Z",
        }),
        makeItem({
          id: "C",
          labels: I,
          estimate: 2,
          status: "canceled",
          completedAt: "2026-07-02T00:00:00Z",
        }),
        makeItem({
          id: "D",
          type: "Bug",
          estimate: 1,
          status: "done",
          completedAt: "2026-08-02T00:00:00Z",
        }),
      ],
    });
    const quarters = computeReport(workspace, { now: at("2026-11-24T00:00:00Z") }).teams[0]
      ?.quarters;
    expect(quarters?.map((q) => [q.id, q.state, q.delivered])).toEqual([
      ["2026-Q2", "closed", { roadmap: 5, investment: 0, unclassified: 0 }],
      ["2026-Q3", "closed", { roadmap: 0, investment: 3, unclassified: 1 }],
      ["2026-Q4", "current", { roadmap: 0, investment: 0, unclassified: 0 }],
    ]);
    expect(quarters?.[1]?.start).toBe("2026-07-01T04:00:00.000Z");
    expect(quarters?.[1]?.investmentShare.delivered).toBe(1);
    expect(quarters?.[1]?.unclassifiedShare.delivered).toBe(0.25);
  });

  it("starts at the quarter of the earliest sprint start and lists only the current one without history", () => {
    const withSprint = makeWorkspace({
      sprints: [
        makeSprint({
          startAt: "2026-03-25T00:00:00Z",
          endAt: "2026-04-08T00:00:00Z",
          completeAt: "2026-04-08T00:00:00Z",
        }),
      ],
    });
    expect(
      computeReport(withSprint, { now: at("2026-07-02T00:00:00Z") }).teams[0]?.quarters.map(
        (q) => q.id,
      ),
    ).toEqual(["2026-Q1", "2026-Q2", "2026-Q3"]);
    const empty = makeWorkspace({});
    expect(
      computeReport(empty, { now: at("2026-07-02T00:00:00Z") }).teams[0]?.quarters.map((q) => q.id),
    ).toEqual(["2026-Q3"]);
  });

  it("names fiscal quarters", () => {
    const workspace = makeWorkspace({
      settings: { fiscalYearStartMonth: 10 },
      items: [makeItem({ labels: R, status: "done", completedAt: "2026-09-15T00:00:00Z" })],
    });
    const quarters = computeReport(workspace, { now: at("2026-11-24T00:00:00Z") }).teams[0]
      ?.quarters;
    expect(quarters?.map((q) => q.id)).toEqual(["FY2026-Q4", "FY2027-Q1"]);
  });
});

describe("requiredShare (SPEC §7)", () => {
  const start = at("2026-10-01T00:00:00Z");
  const end = at("2027-01-01T00:00:00Z");
  it("is what the rest of the quarter needs to end on target", () => {
    // 46 of 92 days elapsed: R = D, so requiredShare = (0.3 × 2D − I) / D.
    const now = at("2026-11-16T00:00:00Z");
    const required = computeRequiredShare(
      { roadmap: 90, investment: 10, unclassified: 50 },
      0.3,
      start,
      end,
      now,
    );
    expect(required).toBeCloseTo((0.3 * 200 - 10) / 100, 12);
  });
  it("is null before 14 days have elapsed or when nothing classified was delivered", () => {
    const delivered = { roadmap: 9, investment: 1, unclassified: 0 };
    expect(
      computeRequiredShare(delivered, 0.3, start, end, start + 14 * 86_400_000 - 1),
    ).toBeNull();
    expect(
      computeRequiredShare(delivered, 0.3, start, end, start + 14 * 86_400_000),
    ).not.toBeNull();
    expect(
      computeRequiredShare(
        { roadmap: 0, investment: 0, unclassified: 7 },
        0.3,
        start,
        end,
        at("2026-12-01T00:00:00Z"),
      ),
    ).toBeNull();
  });
  it("appears on the current quarter only, with a target", () => {
    const workspace = (targets: ReturnType<typeof makeTarget>[]) =>
      makeWorkspace({
        targets,
        items: [
          makeItem({
            id: "A",
            labels: R,
            estimate: 9,
            status: "done",
            completedAt: "2026-10-10T00:00:00Z",
          }),
          makeItem({
            id: "B",
            labels: I,
            estimate: 1,
            status: "done",
            completedAt: "2026-09-10T00:00:00Z",
          }),
        ],
      });
    const now = at("2026-11-16T00:00:00Z");
    const withTarget = computeReport(workspace([makeTarget()]), { now }).teams[0]?.quarters;
    expect(withTarget?.map((q) => q.requiredShare)).toEqual([null, (0.3 * (9 + 9)) / 9]);
    const without = computeReport(workspace([]), { now }).teams[0]?.quarters;
    expect(without?.map((q) => q.requiredShare)).toEqual([null, null]);
  });
});
