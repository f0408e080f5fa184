import { describe, expect, it } from "vitest";
import type { Flag, Period } from "../../src/domain/types";
import { judge, statusOfQuarter, verdictOf } from "../../src/render/index";
import { makeQuarter, makeSprint, makeTeam } from "./fixture";

const closed = makeSprint({ id: "S1", name: "PAY 1", state: "closed" });
const older = makeSprint({ id: "S0", name: "PAY 0", state: "closed" });
const current = makeQuarter({
  id: "2026-Q4",
  state: "current",
  investmentShare: { delivered: 0.31, spent: 0.12 },
});

function flag(code: Flag["code"], severity: Flag["severity"], period: Period): Flag {
  return { code, severity, period, message: `${code} on ${period.id}`, evidence: {} };
}

describe("verdictOf(team).headline", () => {
  it.each([
    {
      name: "the worst open flag, whatever the report lists first",
      flags: [
        flag("LOW_CONFIDENCE", "info", { kind: "quarter", id: "2026-Q4" }),
        flag("ROADMAP_STARVED", "warning", { kind: "sprint", id: "S1" }),
      ],
      headline: { tone: "warning", label: "ROADMAP_STARVED on S1" },
    },
    {
      name: "among equals, a run of sprints before one sprint",
      flags: [
        flag("SPRINT_BELOW_TARGET", "critical", { kind: "sprint", id: "S1" }),
        flag("SUSTAINED_EROSION", "critical", { kind: "sprint", id: "S1" }),
      ],
      headline: { tone: "danger", label: "SUSTAINED_EROSION on S1" },
    },
    {
      name: "among equals, the quarter before a sprint and the team before a sprint",
      flags: [
        flag("LOW_CONFIDENCE", "info", { kind: "sprint", id: "S1" }),
        flag("TARGET_REVIEW_DUE", "info", { kind: "team", id: "PAY" }),
        flag("LOW_CONFIDENCE", "info", { kind: "quarter", id: "2026-Q4" }),
      ],
      headline: { tone: "information", label: "LOW_CONFIDENCE on 2026-Q4" },
    },
    {
      name: "a flag of a sprint no longer open does not lead",
      flags: [flag("SPRINT_BELOW_TARGET", "critical", { kind: "sprint", id: "S0" })],
      headline: {
        tone: "success",
        label:
          "On target so far: 31% of the work delivered in 2026-Q4 went to investment, against its 30% ± 5% target. On time spent alone it would read 12%, below the band.",
      },
    },
  ])("$name", ({ flags, headline }) => {
    const team = makeTeam({ sprints: [older, closed], quarters: [current], flags });
    expect(verdictOf(team).headline).toEqual(headline);
  });

  it("without a flag and with the other measure unflagged, says the quarter against target only", () => {
    const quarter = makeQuarter({
      id: "2026-Q4",
      state: "current",
      // Above the band but not by twice the tolerance: no flag on delivered work either.
      investmentShare: { delivered: 0.39, spent: 0.33 },
    });
    const team = makeTeam({ actual: "spent", quarters: [quarter] });
    expect(verdictOf(team).headline.label).toBe(
      "On target so far: 33% of the time spent in 2026-Q4 went to investment, against its 30% ± 5% target.",
    );
  });

  it("a team without any quarter says so", () => {
    expect(verdictOf(makeTeam()).headline).toEqual({
      tone: "neutral",
      label: "No quarter to judge yet.",
    });
  });
});

describe("statusOfQuarter on a current quarter", () => {
  const flags = [{ code: "QUARTER_AT_RISK" as const, severity: "critical" as const }];
  it.each([
    { share: 0.3, flags: [], label: "On target so far", tone: "success" },
    { share: 0.24, flags: [], label: "Below target so far", tone: "warning" },
    { share: 0.19, flags: [], label: "Below target so far", tone: "danger" },
    { share: 0.33, flags, label: "Off target", tone: "danger" },
    { share: 0.37, flags: [], label: "Above band so far", tone: "information" },
    { share: 0.41, flags: [], label: "Roadmap starved so far", tone: "warning" },
  ])("reads $share as the company page does: $label", ({ share, flags: open, label, tone }) => {
    const quarter = makeQuarter({
      state: "current",
      investmentShare: { delivered: share, spent: null },
      flags: open.map((f) => flag(f.code, f.severity, { kind: "quarter", id: "2026-Q3" })),
    });
    const status = statusOfQuarter(quarter, "delivered");
    expect(status).toEqual({ label, tone });
    const company = judge(share, quarter.target, quarter.flags);
    const severityTone = { critical: "danger", warning: "warning", info: "information" } as const;
    if (company.status !== "on-target") {
      expect(company.severity && severityTone[company.severity]).toBe(tone);
    }
  });
});
