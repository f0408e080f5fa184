import type {
  Flag,
  ItemReport,
  QuarterReport,
  Report,
  Split,
  SprintReport,
  TeamReport,
} from "../../src/domain/types";

export const HOSTILE_NAME = 'Payments | <script>alert("x")</script>, EU';

const TARGET = { investmentShare: 0.3, tolerance: 0.05 } as const;

export function split(roadmap: number, investment: number, unclassified = 0): Split {
  return { roadmap, investment, unclassified };
}

const EMPTY = split(0, 0, 0);

export function makeSprint(overrides: Partial<SprintReport> = {}): SprintReport {
  return {
    id: "S1",
    name: "PAY 1",
    state: "closed",
    startAt: "2026-09-01T00:00:00.000Z",
    endAt: "2026-09-15T00:00:00.000Z",
    completeAt: "2026-09-15T00:00:00.000Z",
    target: TARGET,
    committed: EMPTY,
    added: EMPTY,
    removed: EMPTY,
    delivered: EMPTY,
    carriedOver: EMPTY,
    investmentShare: { committed: null, delivered: null, spent: null },
    unclassifiedShare: { committed: null, delivered: null, spent: null },
    unestimated: 0,
    flags: [],
    ...overrides,
  };
}

export function makeQuarter(overrides: Partial<QuarterReport> = {}): QuarterReport {
  return {
    id: "2026-Q3",
    start: "2026-07-01T00:00:00.000Z",
    end: "2026-10-01T00:00:00.000Z",
    state: "closed",
    target: TARGET,
    delivered: EMPTY,
    spent: EMPTY,
    investmentShare: { delivered: null, spent: null },
    unclassifiedShare: { delivered: null, spent: null },
    requiredShare: null,
    requiredToBand: null,
    flags: [],
    ...overrides,
  };
}

export function makeTeam(overrides: Partial<TeamReport> = {}): TeamReport {
  return {
    id: "PAY",
    name: "Payments",
    unit: "points",
    actual: "delivered",
    sprints: [],
    quarters: [],
    flags: [],
    items: [],
    ...overrides,
  };
}

function item(
  id: string,
  category: ItemReport["category"],
  source: ItemReport["source"] = "none",
): ItemReport {
  return { id, category, source, via: null };
}

const payFlags: Flag[] = [
  {
    code: "SPRINT_SQUEEZED",
    severity: "warning",
    period: { kind: "sprint", id: "S2" },
    message:
      "PAY 2 delivered 25% investment against 33% committed, a squeeze of 8 points beyond the 5% tolerance.",
    evidence: { committed: 0.33, delivered: 0.25, tolerance: 0.05 },
  },
  {
    code: "INVESTMENT_ZEROED",
    severity: "critical",
    period: { kind: "sprint", id: "S3" },
    message:
      "PAY 3 delivered 16 points of roadmap work and no investment at all, although the declared target is 30% ± 5%; this is the failure the target exists to prevent, and it should be discussed at the next review.",
    evidence: { roadmap: 16, investment: 0, target: 0.3 },
  },
  {
    code: "SPRINT_BELOW_TARGET",
    severity: "critical",
    period: { kind: "sprint", id: "S3" },
    message: "PAY 3 delivered 0% investment, below the critical floor of 20%.",
    evidence: { delivered: 0, target: 0.3, tolerance: 0.05 },
  },
  {
    code: "QUARTER_AT_RISK",
    severity: "warning",
    period: { kind: "quarter", id: "2026-Q4" },
    message: "2026-Q4 needs 41% investment for the rest of the quarter to end on the 30% target.",
    evidence: { requiredShare: 0.41, target: 0.3 },
  },
  {
    code: "TARGET_REVIEW_DUE",
    severity: "info",
    period: { kind: "team", id: "PAY" },
    message: "The target was last declared on 2026-07-01, before this quarter started.",
    evidence: { effectiveFrom: "2026-07-01" },
  },
];

export const payments: TeamReport = makeTeam({
  id: "PAY",
  name: HOSTILE_NAME,
  sprints: [
    makeSprint({
      id: "S1",
      name: "PAY 1",
      committed: split(13, 5),
      delivered: split(14, 6),
      spent: split(40, 16),
      investmentShare: { committed: 0.2777777777777778, delivered: 0.3, spent: 0.2857142857142857 },
      unclassifiedShare: { committed: 0, delivered: 0, spent: 0 },
    }),
    makeSprint({
      id: "S2",
      name: "PAY 2",
      startAt: "2026-09-15T00:00:00.000Z",
      endAt: "2026-09-29T00:00:00.000Z",
      completeAt: "2026-09-29T00:00:00.000Z",
      committed: split(12, 6),
      delivered: split(12, 4, 4),
      spent: split(38, 17, 3),
      investmentShare: {
        committed: 0.3333333333333333,
        delivered: 0.25,
        spent: 0.3090909090909091,
      },
      unclassifiedShare: { committed: 0, delivered: 0.2, spent: 0.05172413793103448 },
      flags: [{ code: "SPRINT_SQUEEZED", severity: "warning" }],
    }),
    makeSprint({
      id: "S3",
      name: "PAY 3 Checkout hardening",
      startAt: "2026-10-13T00:00:00.000Z",
      endAt: "2026-10-27T00:00:00.000Z",
      completeAt: "2026-10-27T00:00:00.000Z",
      committed: split(13, 5),
      delivered: split(16, 0),
      carriedOver: split(0, 5),
      spent: split(45, 12.5),
      investmentShare: { committed: 0.2777777777777778, delivered: 0, spent: 0.21739130434782608 },
      unclassifiedShare: { committed: 0, delivered: 0, spent: 0 },
      flags: [
        { code: "INVESTMENT_ZEROED", severity: "critical" },
        { code: "SPRINT_BELOW_TARGET", severity: "critical" },
      ],
    }),
    makeSprint({
      id: "S4",
      name: "PAY 4",
      state: "active",
      startAt: "2026-11-17T00:00:00.000Z",
      endAt: "2026-12-01T00:00:00.000Z",
      completeAt: null,
      target: { investmentShare: 0.25, tolerance: 0.05 },
      committed: split(10.5, 3.5, 2),
      delivered: split(3, 0),
      carriedOver: undefined,
      spent: split(20, 6, 1.5),
      investmentShare: { committed: 0.25, delivered: 0, spent: 0.23076923076923078 },
      unclassifiedShare: { committed: 0.125, delivered: 0, spent: 0.05454545454545454 },
    }),
    makeSprint({
      id: "S5",
      name: "PAY 5",
      state: "future",
      startAt: "2026-12-01T00:00:00.000Z",
      endAt: "2026-12-15T00:00:00.000Z",
      completeAt: null,
      target: { investmentShare: 0.25, tolerance: 0.05 },
      committed: split(6, 2),
      carriedOver: undefined,
      investmentShare: { committed: 0.25, delivered: null, spent: null },
      unclassifiedShare: { committed: 0, delivered: null, spent: null },
    }),
  ],
  quarters: [
    makeQuarter({
      delivered: split(26, 10, 4),
      spent: split(50, 22.5, 2.5),
      investmentShare: { delivered: 0.2777777777777778, spent: 0.3 },
      unclassifiedShare: { delivered: 0.1, spent: 0.03333333333333333 },
    }),
    makeQuarter({
      id: "2026-Q4",
      start: "2026-10-01T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
      state: "current",
      delivered: split(19, 0),
      spent: split(30, 10),
      investmentShare: { delivered: 0, spent: 0.25 },
      unclassifiedShare: { delivered: 0, spent: 0 },
      requiredShare: 0.4142857142857143,
      flags: [{ code: "QUARTER_AT_RISK", severity: "warning" }],
    }),
  ],
  flags: payFlags,
  items: [
    item("PAY-1", "roadmap", "explicit"),
    item("PAY-2", "investment", "explicit"),
    item("PAY-3", "unclassified", "conflict"),
    item("PAY-4", "unclassified"),
  ],
});

export const platform: TeamReport = makeTeam({
  id: "PLT",
  name: "Platform",
  unit: "issues",
  actual: "spent",
  sprints: [
    makeSprint({
      id: "P1",
      name: "Cycle 1",
      target: null,
      committed: split(0, 0, 3),
      delivered: split(0, 0, 2),
      spent: split(0, 0, 12),
      investmentShare: { committed: null, delivered: null, spent: null },
      unclassifiedShare: { committed: 1, delivered: 1, spent: 1 },
      flags: [{ code: "LOW_CONFIDENCE", severity: "info" }],
    }),
    makeSprint({
      id: "P2",
      name: "Cycle 2",
      state: "active",
      startAt: "2026-11-16T00:00:00.000Z",
      endAt: "2026-11-30T00:00:00.000Z",
      completeAt: null,
      target: null,
      carriedOver: undefined,
    }),
  ],
  quarters: [
    makeQuarter({
      id: "2026-Q4",
      start: "2026-10-01T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
      state: "current",
      target: null,
      delivered: split(0, 0, 2),
      unclassifiedShare: { delivered: 1, spent: null },
      flags: [
        { code: "NO_TARGET", severity: "warning" },
        { code: "LOW_CONFIDENCE", severity: "info" },
      ],
    }),
  ],
  flags: [
    {
      code: "NO_TARGET",
      severity: "warning",
      period: { kind: "team", id: "PLT" },
      message: "Platform has no investment target for 2026-Q4.",
      evidence: {},
    },
    {
      code: "LOW_CONFIDENCE",
      severity: "info",
      period: { kind: "sprint", id: "P1" },
      message: "Cycle 1: 100% of delivered weight is unclassified.",
      evidence: { unclassifiedShare: 1 },
    },
  ],
  items: [item("PLT-1", "unclassified"), item("PLT-2", "unclassified")],
});

export const report: Report = {
  version: 2,
  now: "2026-11-24T00:00:00.000Z",
  teams: [payments, platform],
  org: {
    quarters: [
      {
        id: "2026-Q3",
        start: "2026-07-01T00:00:00.000Z",
        end: "2026-10-01T00:00:00.000Z",
        state: "closed",
        target: { investmentShare: 0.3, tolerance: 0.05 },
        spent: split(80, 30, 10),
        investmentShare: 0.25,
        unclassifiedShare: 0.08333333333333333,
        requiredShare: null,
        requiredToBand: null,
        flags: [],
      },
      {
        id: "2026-Q4",
        start: "2026-10-01T00:00:00.000Z",
        end: "2027-01-01T00:00:00.000Z",
        state: "current",
        target: { investmentShare: 0.3, tolerance: 0.05 },
        spent: split(60, 10, 5),
        investmentShare: 0.13333333333333333,
        unclassifiedShare: 0.06666666666666667,
        requiredShare: 0.52,
        requiredToBand: 0.45,
        flags: [{ code: "QUARTER_AT_RISK", severity: "critical" }],
      },
    ],
    flags: [
      {
        code: "QUARTER_AT_RISK",
        severity: "critical",
        period: { kind: "org-quarter", id: "2026-Q4" },
        message:
          "The org's 2026-Q4 can no longer end inside its 30% ± 5% target: the rest of the quarter would need 45% investment (spent 13.3% of its time on investment so far) <b>.",
        evidence: { requiredToBand: 0.45, spentShare: 0.13333333333333333, measure: "spent" },
      },
    ],
  },
};
