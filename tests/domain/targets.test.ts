import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import { resolveTarget } from "../../src/domain/targets";
import type { Target } from "../../src/domain/types";
import { at, makeSprint, makeTarget, makeTeam, makeWorkspace } from "../helpers/factories";

const entry = (effectiveFrom: string, investmentShare: number): Target => ({
  teamId: "PAY",
  investmentShare,
  tolerance: 0.05,
  effectiveFrom,
  setBy: "cto@example.com",
  reason: "",
});

describe("resolveTarget (SPEC §8)", () => {
  it.each<[string, Target[], string, string, number | null]>([
    ["none declared", [], "2026-07-01", "2026-07-14", null],
    [
      "the latest in force at the start",
      [entry("2026-01-01", 0.2), entry("2026-06-01", 0.3), entry("2026-07-05", 0.4)],
      "2026-07-01",
      "2026-07-14",
      0.3,
    ],
    [
      "in force on the first day itself",
      [entry("2026-07-01", 0.25)],
      "2026-07-01",
      "2026-07-14",
      0.25,
    ],
    [
      "declared order does not matter, dates do",
      [entry("2026-06-01", 0.3), entry("2026-01-01", 0.2)],
      "2026-07-01",
      "2026-07-14",
      0.3,
    ],
    [
      "same date: the later entry wins",
      [entry("2026-06-01", 0.3), entry("2026-06-01", 0.35)],
      "2026-07-01",
      "2026-07-14",
      0.35,
    ],
    [
      "none at the start: the earliest within the period",
      [entry("2026-07-10", 0.4), entry("2026-07-05", 0.3)],
      "2026-07-01",
      "2026-07-14",
      0.3,
    ],
    [
      "within the period, same date: the later entry wins",
      [entry("2026-07-05", 0.3), entry("2026-07-05", 0.33)],
      "2026-07-01",
      "2026-07-14",
      0.33,
    ],
    ["the last day counts as within", [entry("2026-07-14", 0.3)], "2026-07-01", "2026-07-14", 0.3],
    ["after the period: none", [entry("2026-07-15", 0.3)], "2026-07-01", "2026-07-14", null],
  ])("%s", (_name, targets, first, last, expected) => {
    expect(resolveTarget(targets, first, last)?.investmentShare ?? null).toBe(expected);
  });

  it("compares dates in the team's timezone", () => {
    // 02:00Z on 1 July is still 30 June in New York, so a target from 1 July is not in force at
    // the start; it is the earliest one within the sprint, so it applies all the same, while an
    // earlier one dated 30 June wins over it.
    const sprint = makeSprint({ startAt: "2026-07-01T02:00:00Z", endAt: "2026-07-15T02:00:00Z" });
    const report = (targets: ReturnType<typeof makeTarget>[], timezone: string) =>
      computeReport(
        makeWorkspace({ teams: [makeTeam({ timezone })], sprints: [sprint], targets }),
        { now: at("2026-07-20T00:00:00Z") },
      ).teams[0]?.sprints[0]?.target?.investmentShare;
    const both = [
      makeTarget({ effectiveFrom: "2026-06-30", investmentShare: 0.2 }),
      makeTarget({ effectiveFrom: "2026-07-01", investmentShare: 0.3 }),
    ];
    expect(report(both, "UTC")).toBe(0.3);
    expect(report(both, "America/New_York")).toBe(0.2);
    expect(
      report(
        [makeTarget({ effectiveFrom: "2026-07-01", investmentShare: 0.3 })],
        "America/New_York",
      ),
    ).toBe(0.3);
  });
});
