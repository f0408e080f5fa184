import { describe, expect, it } from "vitest";
import {
  detectQuarterFlags,
  detectSprintFlags,
  type QuarterFlagInput,
  type SprintFlagInput,
} from "../../src/domain/flags";
import { computeReport } from "../../src/domain/report";
import { investmentShareOf, unclassifiedShareOf } from "../../src/domain/split";
import type { FlagRef, Split } from "../../src/domain/types";
import {
  at,
  makeItem,
  makeSprint,
  makeTarget,
  makeTeam,
  makeWorkspace,
} from "../helpers/factories";

const target = { investmentShare: 0.3, tolerance: 0.05 };

/** A sprint judged on `actual`, measured as `measure` (delivered unless overridden). */
function sprint(
  committed: Split,
  actual: Split,
  overrides: Partial<SprintFlagInput> = {},
): SprintFlagInput {
  return {
    id: "S1",
    name: "PAY 1",
    state: "closed",
    target,
    committed,
    committedShare: investmentShareOf(committed),
    committedUnclassifiedShare: unclassifiedShareOf(committed),
    measure: "delivered",
    actual,
    actualShare: investmentShareOf(actual),
    actualUnclassifiedShare: unclassifiedShareOf(actual),
    ...overrides,
  };
}
const s = (roadmap: number, investment: number, unclassified = 0): Split => ({
  roadmap,
  investment,
  unclassified,
});
const refs = (flags: readonly FlagRef[]) =>
  flags.map(({ code, severity }) => `${code}:${severity}`);

describe("sprint flags (SPEC §9)", () => {
  it.each<[string, SprintFlagInput, string[]]>([
    ["on target: nothing", sprint(s(70, 30), s(70, 30)), []],
    ["committed inside the band: nothing", sprint(s(74, 26), s(72, 28)), []],
    [
      "committed below the band: warning",
      sprint(s(78, 22), s(72, 28)),
      ["SPRINT_COMMITTED_BELOW_TARGET:warning"],
    ],
    [
      "committed below twice the tolerance: critical",
      sprint(s(82, 18), s(72, 28)),
      ["SPRINT_COMMITTED_BELOW_TARGET:critical"],
    ],
    [
      "delivered below the band: warning",
      sprint(s(74, 26), s(78, 22)),
      ["SPRINT_BELOW_TARGET:warning"],
    ],
    [
      "delivered below twice the tolerance, squeezed from the plan",
      sprint(s(70, 30), s(85, 15)),
      ["SPRINT_BELOW_TARGET:critical", "SPRINT_SQUEEZED:warning"],
    ],
    [
      "investment zeroed",
      sprint(s(70, 30), s(16, 0)),
      ["SPRINT_BELOW_TARGET:critical", "SPRINT_SQUEEZED:warning", "INVESTMENT_ZEROED:critical"],
    ],
    [
      "zero investment against a zero target is fine",
      sprint(s(10, 0), s(16, 0), { target: { investmentShare: 0, tolerance: 0 } }),
      [],
    ],
    [
      "above target + 2·tol: roadmap starved",
      sprint(s(60, 40), s(55, 45)),
      ["ROADMAP_STARVED:warning"],
    ],
    ["above target + tol only: nothing", sprint(s(62, 38), s(62, 38)), []],
    [
      "an active sprint has only committed flags",
      sprint(s(82, 18), s(16, 0), { state: "active" }),
      ["SPRINT_COMMITTED_BELOW_TARGET:critical"],
    ],
    ["a future sprint raises no target flag", sprint(s(90, 0), s(0, 0), { state: "future" }), []],
    [
      "no target: only low confidence",
      sprint(s(10, 0, 5), s(16, 0, 10), { target: null }),
      ["LOW_CONFIDENCE:info"],
    ],
    ["low confidence on delivered", sprint(s(7, 3, 0), s(7, 3, 3)), ["LOW_CONFIDENCE:info"]],
    [
      "low confidence on committed when nothing delivered yet",
      sprint(s(7, 3, 3), s(0, 0), { state: "active" }),
      ["LOW_CONFIDENCE:info"],
    ],
    ["exactly 20% unclassified is not low confidence", sprint(s(7, 3, 0), s(5.6, 2.4, 2)), []],
    ["null shares fire nothing", sprint(s(0, 0, 4), s(0, 0, 0)), ["LOW_CONFIDENCE:info"]],
  ])("%s", (_name, input, expected) => {
    expect(refs(detectSprintFlags(input, [], "points"))).toEqual(expected);
  });

  it("puts the numbers in one sentence", () => {
    const [flag] = detectSprintFlags(sprint(s(70, 30), s(72, 18)), [], "points");
    expect(flag?.message).toBe("PAY 1 delivered 20% investment, below its 30% ± 5% target.");
    expect(flag?.evidence).toEqual({
      deliveredShare: 0.2,
      measure: "delivered",
      targetShare: 0.3,
      tolerance: 0.05,
    });
    const zeroed = detectSprintFlags(sprint(s(13, 5), s(16, 0)), [], "points").find(
      (f) => f.code === "INVESTMENT_ZEROED",
    );
    expect(zeroed?.message).toBe(
      "PAY 1 delivered 16 points of roadmap work and no investment against a 30% target.",
    );
  });

  it("sees sustained erosion in three closed sprints in a row below the band", () => {
    const low = (id: string) => sprint(s(80, 20), s(80, 20), { id, name: id });
    const ok = (id: string) => sprint(s(70, 30), s(70, 30), { id, name: id });
    const erosion = (previous: SprintFlagInput[], current: SprintFlagInput) =>
      detectSprintFlags(current, previous, "points").some((f) => f.code === "SUSTAINED_EROSION");
    expect(erosion([low("A"), low("B")], low("C"))).toBe(true);
    expect(erosion([low("A"), ok("B")], low("C"))).toBe(false);
    expect(erosion([low("B")], low("C"))).toBe(false);
    expect(erosion([ok("Z"), low("A"), low("B")], low("C"))).toBe(true);
    expect(
      erosion([low("A"), sprint(s(80, 20), s(80, 20), { id: "B", target: null })], low("C")),
    ).toBe(false);
  });
});

describe("quarter flags (SPEC §9)", () => {
  const quarter = (overrides: Partial<QuarterFlagInput>): QuarterFlagInput => ({
    kind: "quarter",
    id: "2026-Q3",
    state: "closed",
    target,
    measure: "delivered",
    share: 0.3,
    unclassifiedShare: 0,
    requiredToBand: null,
    ...overrides,
  });
  it.each<[string, QuarterFlagInput, string[]]>([
    ["closed on target", quarter({}), []],
    ["closed below the band", quarter({ share: 0.22 }), ["QUARTER_BELOW_TARGET:warning"]],
    ["closed far below", quarter({ share: 0.1 }), ["QUARTER_BELOW_TARGET:critical"]],
    ["current below the band is not judged yet", quarter({ state: "current", share: 0.1 }), []],
    [
      "current, required share inside the band",
      quarter({ state: "current", requiredToBand: 0.34 }),
      [],
    ],
    [
      "current, required above the band: at risk",
      quarter({ state: "current", requiredToBand: 0.6 }),
      ["QUARTER_AT_RISK:warning"],
    ],
    [
      "current, required above 1: lost",
      quarter({ state: "current", requiredToBand: 1.2 }),
      ["QUARTER_AT_RISK:critical"],
    ],
    [
      "current, requiredToBand exactly at the top of the band",
      quarter({ state: "current", requiredToBand: 0.35 }),
      [],
    ],
    ["unclassified above 20%", quarter({ unclassifiedShare: 0.21 }), ["LOW_CONFIDENCE:info"]],
    [
      "closed above target + 2·tol: roadmap starved",
      quarter({ share: 0.41 }),
      ["QUARTER_ROADMAP_STARVED:warning"],
    ],
    ["closed at target + 2·tol exactly: nothing", quarter({ share: 0.4 }), []],
    [
      "current above target + 2·tol is not judged yet",
      quarter({ state: "current", share: 0.9 }),
      [],
    ],
    [
      "an org quarter on spent, below the band",
      quarter({ kind: "org-quarter", measure: "spent", share: 0.15 }),
      ["QUARTER_BELOW_TARGET:critical"],
    ],
    [
      "no target",
      quarter({ target: null, share: 0, unclassifiedShare: 0.5 }),
      ["LOW_CONFIDENCE:info"],
    ],
  ])("%s", (_name, input, expected) => {
    expect(refs(detectQuarterFlags(input))).toEqual(expected);
  });

  it("names its measure and its period in the message", () => {
    const [spent] = detectQuarterFlags(
      quarter({ kind: "org-quarter", measure: "spent", share: 0.22 }),
    );
    expect(spent?.period).toEqual({ kind: "org-quarter", id: "2026-Q3" });
    expect(spent?.message).toBe(
      "The org's 2026-Q3 spent 22% of its time on investment, below its 30% ± 5% target.",
    );
    expect(spent?.evidence).toEqual({
      spentShare: 0.22,
      measure: "spent",
      targetShare: 0.3,
      tolerance: 0.05,
    });
    const [risk] = detectQuarterFlags(
      quarter({ state: "current", share: 0.2, requiredToBand: 0.5 }),
    );
    expect(risk?.message).toBe(
      "To end 2026-Q3 inside its 30% ± 5% target, the rest of the quarter needs 50% investment, above the top of the band (delivered 20% investment so far).",
    );
  });
});

describe("sprint flags on spent (SPEC §9)", () => {
  const spent = (committed: Split, actual: Split, overrides: Partial<SprintFlagInput> = {}) =>
    sprint(committed, actual, { measure: "spent", ...overrides });
  it.each<[string, SprintFlagInput, string[]]>([
    ["on target", spent(s(7, 3), s(7, 3)), []],
    ["below the band", spent(s(7.5, 2.5), s(7.8, 2.2)), ["SPRINT_BELOW_TARGET:warning"]],
    [
      "no time on investment",
      spent(s(7, 3), s(9, 0)),
      ["SPRINT_BELOW_TARGET:critical", "SPRINT_SQUEEZED:warning", "INVESTMENT_ZEROED:critical"],
    ],
    ["above the band twice over", spent(s(7, 3), s(5, 5)), ["ROADMAP_STARVED:warning"]],
    ["an active sprint has no actual flags", spent(s(7, 3), s(9, 0), { state: "active" }), []],
    [
      "a future sprint has no spent: low confidence falls back to committed",
      spent(s(7, 3, 5), s(0, 0), {
        state: "future",
        actual: null,
        actualShare: null,
        actualUnclassifiedShare: null,
      }),
      ["LOW_CONFIDENCE:info"],
    ],
    ["low confidence on spent", spent(s(7, 3), s(6, 3, 3)), ["LOW_CONFIDENCE:info"]],
  ])("%s", (_name, input, expected) => {
    expect(refs(detectSprintFlags(input, [], "points"))).toEqual(expected);
  });

  it("says where the time went", () => {
    const flags = detectSprintFlags(spent(s(7, 3), s(9.5, 0)), [], "points");
    expect(flags.map((f) => f.message)).toEqual([
      "PAY 1 spent 0% of its time on investment, below its 30% ± 5% target.",
      "PAY 1 committed 30% investment but spent 0% of its time on investment, more than the 5% tolerance below its plan.",
      "PAY 1 spent 9.5 days on roadmap work and none on investment against a 30% target.",
    ]);
    const low = (id: string) => spent(s(8, 2), s(8, 2), { id, name: id });
    const [erosion] = detectSprintFlags(low("C"), [low("A"), low("B")], "points").filter(
      (f) => f.code === "SUSTAINED_EROSION",
    );
    expect(erosion?.message).toBe(
      "A, B, C all spent less time on investment than target: 20%, 20% and 20% against 30% ± 5%.",
    );
  });
});

describe("team flags (SPEC §9)", () => {
  const now = at("2026-11-24T00:00:00Z");
  const teamFlags = (targets: ReturnType<typeof makeTarget>[]) =>
    computeReport(makeWorkspace({ targets }), { now }).teams[0]?.flags.filter(
      (f) => f.period.kind === "team",
    );

  it("flags a team with no target for the current quarter", () => {
    expect(teamFlags([])?.map((f) => [f.code, f.severity, f.message])).toEqual([
      [
        "NO_TARGET",
        "warning",
        "Payments has no investment target declared for 2026-Q4, so its split cannot be checked.",
      ],
    ]);
    expect(teamFlags([makeTarget({ effectiveFrom: "2027-01-01" })])?.map((f) => f.code)).toEqual([
      "NO_TARGET",
    ]);
  });
  it("asks for a review when the latest target predates the current quarter", () => {
    expect(
      teamFlags([makeTarget({ effectiveFrom: "2026-09-30" })])?.map(
        (f) => `${f.code}:${f.severity}`,
      ),
    ).toEqual(["TARGET_REVIEW_DUE:info"]);
    expect(teamFlags([makeTarget({ effectiveFrom: "2026-10-01" })])).toEqual([]);
    // A target dated within the quarter is in force for it (SPEC §8) and recent enough.
    expect(teamFlags([makeTarget({ effectiveFrom: "2026-11-01" })])).toEqual([]);
  });

  it("gathers every period's flags on the team with its period", () => {
    const workspace = makeWorkspace({
      teams: [makeTeam()],
      targets: [makeTarget({ effectiveFrom: "2026-10-01" })],
      sprints: [
        makeSprint({
          startAt: "2026-10-05T00:00:00Z",
          endAt: "2026-10-19T00:00:00Z",
          completeAt: "2026-10-19T00:00:00Z",
        }),
      ],
      items: [
        makeItem({
          labels: ["capacity-roadmap"],
          sprintIds: ["S1"],
          status: "done",
          completedAt: "2026-10-10T00:00:00Z",
        }),
      ],
    });
    const team = computeReport(workspace, { now }).teams[0];
    expect(team?.flags.map((f) => `${f.period.kind}:${f.period.id}:${f.code}`)).toEqual([
      "sprint:S1:SPRINT_COMMITTED_BELOW_TARGET",
      "sprint:S1:SPRINT_BELOW_TARGET",
      "sprint:S1:INVESTMENT_ZEROED",
      "quarter:2026-Q4:QUARTER_AT_RISK",
    ]);
    expect(team?.sprints[0]?.flags.map((f) => f.code)).toEqual([
      "SPRINT_COMMITTED_BELOW_TARGET",
      "SPRINT_BELOW_TARGET",
      "INVESTMENT_ZEROED",
    ]);
  });
});
