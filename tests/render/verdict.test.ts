import { describe, expect, it } from "vitest";
import type { Flag, Period } from "../../src/domain/types";
import {
  describeRequired,
  describeTrend,
  describeUnflaggedBelow,
  judge,
  quarterNotes,
  statusOfQuarter,
  verdictOf,
} from "../../src/render/index";
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
    expect(status).toMatchObject({ label, tone });
    const company = judge(share, quarter.target, quarter.flags);
    const severityTone = { critical: "danger", warning: "warning", info: "information" } as const;
    if (company.status !== "on-target") {
      expect(company.severity && severityTone[company.severity]).toBe(tone);
    }
  });
});

/**
 * SPEC §7 on a quarter with D delivered so far (I of it investment) and R expected for the rest:
 * requiredShare and requiredToBand as the report computes them.
 */
function currentQuarter(d: number, i: number, r: number, t = 0.35, tol = 0.05) {
  return makeQuarter({
    state: "current",
    target: { investmentShare: t, tolerance: tol },
    investmentShare: { delivered: i / d, spent: null },
    requiredShare: (t * (d + r) - i) / r,
    requiredToBand: ((t - tol) * (d + r) - i) / r,
  });
}

describe("describeRequired: settled only when both edges of the band hold", () => {
  it.each([
    {
      // PLAT on the demo: ~59% so far; 0% for the rest ends at 37.5%, all of it at 75%.
      name: "above the lower edge whatever the rest does, but not under the upper one",
      quarter: currentQuarter(60, 36, 36),
      words:
        "Stays at or above the band's lower edge of 30% whatever the rest of the quarter does; to end inside the band the rest must be at most 6.7% investment.",
    },
    {
      // GRO: the lower edge holds whatever happens, and 20% of the rest ends on target.
      name: "lower edge held, target still reachable",
      quarter: currentQuarter(50, 10, 30, 0.2, 0.1),
      words:
        "Stays at or above the band's lower edge of 10% whatever the rest of the quarter does; to end inside the band the rest must be at most 46.7% investment (20% to end on target).",
    },
    {
      name: "both edges hold whatever the rest does",
      quarter: currentQuarter(90, 32, 5),
      words: "Settled: it ends inside the 35% ± 5% band whatever the rest of the quarter does.",
    },
    {
      name: "over the band even with no more investment",
      quarter: currentQuarter(60, 48, 20),
      words:
        "Cannot end inside the band any more: even 0% investment for the rest of the quarter ends at 60%, above the band's upper edge of 40%.",
    },
    {
      name: "under the band even with all investment",
      quarter: currentQuarter(60, 0, 20),
      words:
        "Cannot end inside the band any more: even all investment for the rest of the quarter ends at 25%, below the band's lower edge of 30%.",
    },
    {
      name: "reachable: the share for the target and the range for the band",
      quarter: currentQuarter(50, 10, 50),
      words:
        "Needs 50% of the rest of the quarter on investment to end on its 35% ± 5% target (between 40% and 60% to end inside the band).",
    },
  ])("$name", ({ quarter, words }) => {
    expect(describeRequired(quarter, "delivered")).toBe(words);
  });

  it("never calls a quarter on target whose rest can still push it out of the band", () => {
    for (let d = 10; d <= 100; d += 10) {
      for (let i = 0; i <= d; i += 5) {
        const r = 30;
        const words = describeRequired(currentQuarter(d, i, r), "delivered") ?? "";
        const endsLow = i / (d + r);
        const endsHigh = (i + r) / (d + r);
        const settled = endsLow >= 0.3 - 1e-9 && endsHigh <= 0.4 + 1e-9;
        expect(words.startsWith("Settled"), `D ${d}, I ${i}: ${words}`).toBe(settled);
        expect(words).not.toMatch(/on target whatever/i);
      }
    }
  });
});

describe("describeTrend: what the six numbers are, against the band", () => {
  const sprint = (id: string, share: number) =>
    makeSprint({
      id,
      name: id,
      investmentShare: { committed: null, delivered: share, spent: null },
    });
  it.each([
    {
      name: "one value in every sprint, all below the band",
      shares: [0, 0, 0, 0, 0, 0],
      words:
        "0% investment delivered in each of the last 6 closed sprints; all 6 below the 30% ± 5% band.",
    },
    {
      name: "a spread: its range, first and last, and where each sat",
      shares: [0.2, 0.25, 0.167, 0.3, 0.4, 0.2],
      words:
        "Between 16.7% and 40% investment delivered over the last 6 closed sprints, about level from the first (20%) to the last (20%); 3 below the 30% ± 5% band, 2 inside it, 1 above it.",
    },
    {
      name: "a fall",
      shares: [0.32, 0.3, 0.1],
      words:
        "Between 10% and 32% investment delivered over the last 3 closed sprints, falling from 32% in the first to 10% in the last; 1 below the 30% ± 5% band, 2 inside it.",
    },
  ])("$name", ({ shares, words }) => {
    const sprints = shares.map((share, index) => sprint(`S${index}`, share));
    expect(describeTrend(sprints, "delivered").words).toBe(words);
  });
});

describe("a share exactly on a band edge is inside the band, as the flags judge it", () => {
  // 0.35 + 0.05 is 0.39999999999999997 in floating point: 40% must still count as inside.
  const edge = { investmentShare: 0.35, tolerance: 0.05 };
  it("the trend counts sprints at 40% against 35% ± 5% as inside", () => {
    const sprints = [0.4, 2 / 5, 0.35, 0.3].map((share, index) =>
      makeSprint({
        id: `S${index}`,
        name: `S${index}`,
        target: edge,
        investmentShare: { committed: null, delivered: share, spent: null },
      }),
    );
    expect(describeTrend(sprints, "delivered").words).toMatch(/all 4 inside the 35% ± 5% band\.$/);
  });

  it("a quarter at the upper edge is on target, at the lower edge is not below it", () => {
    expect(judge(0.4, edge, []).status).toBe("on-target");
    expect(judge(0.3, edge, []).status).toBe("on-target");
    expect(judge(0.2999, edge, []).status).toBe("below-target");
    expect(
      statusOfQuarter(
        makeQuarter({ target: edge, investmentShare: { delivered: 0.4, spent: null } }),
        "delivered",
      ).label,
    ).toBe("On target");
  });
});

describe("a quarter card's status says why an unflagged share outside the band is not flagged", () => {
  it("a closed quarter above the band but within twice the tolerance: no warning colour, and why", () => {
    // CHK's 2026-Q3 on the demo: 31.4% against 25% ± 5%, no flag in `check`.
    const quarter = makeQuarter({
      target: { investmentShare: 0.25, tolerance: 0.05 },
      investmentShare: { delivered: 0.314, spent: null },
    });
    expect(statusOfQuarter(quarter, "delivered")).toEqual({
      tone: "neutral",
      label: "Above band, no flag",
      why: "Above 30% but not flagged: a roadmap counts as starved only above 35%, twice the tolerance over the target.",
    });
  });

  it("a quarter's LOW_CONFIDENCE note is on its card, with the unclassified share", () => {
    const quarter = makeQuarter({
      investmentShare: { delivered: 0.3, spent: null },
      unclassifiedShare: { delivered: 0.368, spent: null },
      flags: [{ code: "LOW_CONFIDENCE", severity: "info" }],
    });
    expect(quarterNotes(quarter, "delivered")).toEqual([
      "Low confidence: 36.8% of the work delivered is unclassified.",
    ]);
    expect(quarterNotes(makeQuarter(), "delivered")).toEqual([]);
  });
});

describe("a current quarter below its band with no flag", () => {
  const target = { investmentShare: 0.45, tolerance: 0.05 };
  it("says what ending inside the band needs and when it would be flagged", () => {
    expect(describeUnflaggedBelow({ investmentShare: 0.353, requiredToBand: 0.479, target })).toBe(
      "No flag yet: ending inside the band needs 47.9% investment for the rest of the quarter, which is still possible; the quarter is flagged at risk only once that passes the band's upper edge of 50%.",
    );
    // Exactly the upper edge is still possible (SPEC §9 needs more than t + tol).
    expect(
      describeUnflaggedBelow({ investmentShare: 0.3, requiredToBand: 0.45 + 0.05, target }),
    ).toContain("needs 50% investment");
  });
  it("says nothing inside the band, past the upper edge (at risk), or without the numbers", () => {
    expect(describeUnflaggedBelow({ investmentShare: 0.42, requiredToBand: 0.3, target })).toBe(
      null,
    );
    expect(describeUnflaggedBelow({ investmentShare: 0.2, requiredToBand: 0.6, target })).toBe(
      null,
    );
    expect(describeUnflaggedBelow({ investmentShare: 0.2, requiredToBand: null, target })).toBe(
      null,
    );
    expect(
      describeUnflaggedBelow({ investmentShare: 0.2, requiredToBand: 0.3, target: null }),
    ).toBe(null);
  });
});
