import { describe, expect, it } from "vitest";
import { renderCycleUpdate, renderMarkdown } from "../../src/render/index";
import type { ItemReport, Report } from "../../src/domain/types";
import { makeSprint, makeTeam, payments, report } from "./fixture";

/** Cells of a markdown table row, splitting on pipes that are not backslash-escaped. */
function cells(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

describe("renderMarkdown", () => {
  it("renders a small report", () => {
    const small: Report = {
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [
        makeTeam({
          name: "Pay | Core",
          sprints: [
            makeSprint({
              committed: { roadmap: 13, investment: 5, unclassified: 0 },
              delivered: { roadmap: 16, investment: 0, unclassified: 0 },
              investmentShare: { committed: 0.2777777777777778, delivered: 0, spent: null },
              flags: [
                { code: "SPRINT_SQUEEZED", severity: "warning" },
                { code: "INVESTMENT_ZEROED", severity: "critical" },
              ],
            }),
          ],
          flags: [
            {
              code: "INVESTMENT_ZEROED",
              severity: "critical",
              period: { kind: "sprint", id: "S1" },
              message: "PAY 1 delivered 16 points of roadmap work and none of investment.",
              evidence: {},
            },
          ],
          items: [{ id: "PAY-4", category: "unclassified", source: "none", via: null }],
        }),
      ],
    };
    expect(renderMarkdown(small)).toMatchInlineSnapshot(`
      "# Capacity split

      As of 2026-11-24 00:00 UTC. R = roadmap, I = investment, U = unclassified; investment share = I / (R + I). Delivered counts finished weight; spent counts the person-days of work in progress, per team, never per person.

      ## Pay \\| Core (PAY)

      Weights in points, spent in person-days · flags judge delivered weight · current target: **30% ± 5%**

      ### Sprints

      | Sprint | State | Committed R / I / U | Delivered R / I / U | Spent R / I / U | Investment share committed → delivered | Spent share | Target | Flags |
      | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |
      | PAY 1 | closed | 13 / 5 / 0 | 16 / 0 / 0 | — | 27.8% → 0% | — | 30% ± 5% | \`INVESTMENT_ZEROED\` **critical**, \`SPRINT_SQUEEZED\` warning |

      ### Quarters

      No quarters.

      ### Open flags

      - **critical** \`INVESTMENT_ZEROED\`: PAY 1 delivered 16 points of roadmap work and none of investment.

      ### To triage

      1 unclassified item: PAY-4.
      "
    `);
  });

  it("renders the fixture report", () => {
    expect(renderMarkdown(report)).toMatchInlineSnapshot(`
      "# Capacity split

      As of 2026-11-24 00:00 UTC. R = roadmap, I = investment, U = unclassified; investment share = I / (R + I). Delivered counts finished weight; spent counts the person-days of work in progress, per team, never per person.

      ## Payments \\| \\<script\\>alert("x")\\</script\\>, EU (PAY)

      Weights in points, spent in person-days · flags judge delivered weight · current target: **25% ± 5%**

      ### Sprints

      | Sprint | State | Committed R / I / U | Delivered R / I / U | Spent R / I / U | Investment share committed → delivered | Spent share | Target | Flags |
      | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |
      | PAY 1 | closed | 13 / 5 / 0 | 14 / 6 / 0 | 40 / 16 / 0 | 27.8% → 30% | 28.6% | 30% ± 5% |  |
      | PAY 2 | closed | 12 / 6 / 0 | 12 / 4 / 4 | 38 / 17 / 3 | 33.3% → 25% | 30.9% | 30% ± 5% | \`SPRINT_SQUEEZED\` warning |
      | PAY 3 Checkout hardening | closed | 13 / 5 / 0 | 16 / 0 / 0 | 45 / 12.5 / 0 | 27.8% → 0% | 21.7% | 30% ± 5% | \`INVESTMENT_ZEROED\` **critical**, \`SPRINT_BELOW_TARGET\` **critical** |
      | PAY 4 | active | 10.5 / 3.5 / 2 | 3 / 0 / 0 | 20 / 6 / 1.5 | 25% → 0% | 23.1% | 25% ± 5% |  |
      | PAY 5 | future | 6 / 2 / 0 | — | — | 25% → — | — | 25% ± 5% |  |

      ### Quarters

      | Quarter | State | Delivered R / I / U | Spent R / I / U | Investment share delivered / spent | Unclassified share delivered / spent | Target | Required share (delivered) | Flags |
      | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |
      | 2026-Q3 | closed | 26 / 10 / 4 | 50 / 22.5 / 2.5 | 27.8% / 30% | 10% / 3.3% | 30% ± 5% | — |  |
      | 2026-Q4 | current | 19 / 0 / 0 | 30 / 10 / 0 | 0% / 25% | 0% / 0% | 30% ± 5% | 41.4% | \`QUARTER_AT_RISK\` warning |

      ### Open flags

      - **critical** \`INVESTMENT_ZEROED\`: PAY 3 Checkout hardening: PAY 3 delivered 16 points of roadmap work and no investment at all, although the declared target is 30% ± 5%; this is the failure the target exists to prevent, and it should be discussed at the next review.
      - **critical** \`SPRINT_BELOW_TARGET\`: PAY 3 Checkout hardening: PAY 3 delivered 0% investment, below the critical floor of 20%.
      - **warning** \`QUARTER_AT_RISK\`: 2026-Q4 needs 41% investment for the rest of the quarter to end on the 30% target.
      - **info** \`TARGET_REVIEW_DUE\`: The target was last declared on 2026-07-01, before this quarter started.

      ### Flags on earlier periods (1)

      - **warning** \`SPRINT_SQUEEZED\`: PAY 2 delivered 25% investment against 33% committed, a squeeze of 8 points beyond the 5% tolerance.

      ### To triage

      2 unclassified items: PAY-3 (both labels), PAY-4.

      ## Platform (PLT)

      Weights in issues, spent in person-days · flags judge spent effort (person-days of work in progress) · current target: **no target**

      ### Sprints

      | Sprint | State | Committed R / I / U | Delivered R / I / U | Spent R / I / U | Investment share committed → delivered | Spent share | Target | Flags |
      | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |
      | Cycle 1 | closed | 0 / 0 / 3 | 0 / 0 / 2 | 0 / 0 / 12 | — → — | — | no target | \`LOW_CONFIDENCE\` info |
      | Cycle 2 | active | 0 / 0 / 0 | 0 / 0 / 0 | — | — → — | — | no target |  |

      ### Quarters

      | Quarter | State | Delivered R / I / U | Spent R / I / U | Investment share delivered / spent | Unclassified share delivered / spent | Target | Required share (spent) | Flags |
      | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |
      | 2026-Q4 | current | 0 / 0 / 2 | 0 / 0 / 0 | — / — | 100% / — | no target | — | \`NO_TARGET\` warning, \`LOW_CONFIDENCE\` info |

      ### Open flags

      - **warning** \`NO_TARGET\`: Platform has no investment target for 2026-Q4.
      - **info** \`LOW_CONFIDENCE\`: Cycle 1: 100% of delivered weight is unclassified.

      ### To triage

      2 unclassified items: PLT-1, PLT-2.

      ## Org, all teams

      Spent person-days summed over the teams; flags judge spent effort against the org target.

      | Quarter | State | Spent R / I / U | Investment share | Unclassified share | Target | Required share | Flags |
      | --- | --- | ---: | ---: | ---: | --- | ---: | --- |
      | 2026-Q3 | closed | 80 / 30 / 10 | 25% | 8.3% | 30% ± 5% | — |  |
      | 2026-Q4 | current | 60 / 10 / 5 | 13.3% | 6.7% | 30% ± 5% | 52% | \`QUARTER_AT_RISK\` **critical** |

      ### Open org flags

      - **critical** \`QUARTER_AT_RISK\`: The org's 2026-Q4 can no longer end inside its 30% ± 5% target: the rest of the quarter would need 45% investment (spent 13.3% of its time on investment so far) \\<b\\>.
      "
    `);
  });

  it("escapes user text so that it can neither split a cell nor become HTML", () => {
    const text = renderMarkdown(report);
    expect(text).not.toContain("<script>");
    expect(text).toContain("## Payments \\| \\<script\\>");
    for (const block of text.split("\n\n").filter((b) => b.startsWith("| "))) {
      const rows = block.split("\n");
      const width = cells(rows[0] ?? "").length;
      for (const row of rows) expect(cells(row)).toHaveLength(width);
    }
  });

  it("escapes a pipe inside a sprint name cell", () => {
    const text = renderMarkdown({
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [makeTeam({ sprints: [makeSprint({ name: "A | B *bold* `code`" })] })],
    });
    expect(text).toContain("| A \\| B \\*bold\\* \\`code\\` | closed |");
  });

  it("lists at most 50 items to triage", () => {
    const items: ItemReport[] = Array.from({ length: 62 }, (_, i) => ({
      id: `PAY-${String(i + 1).padStart(3, "0")}`,
      category: i % 2 === 0 ? "unclassified" : "roadmap",
      source: "none",
      via: null,
    }));
    const more: ItemReport[] = Array.from({ length: 30 }, (_, i) => ({
      id: `PAY-${i + 100}`,
      category: "unclassified",
      source: "none",
      via: null,
    }));
    const text = renderMarkdown({
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [makeTeam({ items: [...items, ...more] })],
    });
    const line = text.split("\n").find((l) => l.startsWith("61 unclassified items: ")) ?? "";
    expect(line.match(/PAY-\d+/g)).toHaveLength(50);
    expect(line).toContain("PAY-001, PAY-003");
    expect(line).not.toContain("PAY-002");
    expect(line.endsWith(" and 11 more.")).toBe(true);
  });

  it("writes a cycle update with delivered and spent, and the measure the flags judge", () => {
    const [, sprint] = payments.sprints;
    if (sprint === undefined) throw new Error("fixture has no second sprint");
    const flags = payments.flags.filter((flag) => flag.period.id === sprint.id);
    expect(renderCycleUpdate(payments, sprint, flags)).toMatchInlineSnapshot(`
      "**PAY 2** closed: delivered 12 roadmap, 4 investment, 4 unclassified (points).
      Time spent: 38 roadmap, 17 investment, 3 unclassified (person-days).
      Investment share: delivered 25%, spent 30.9%, against a target of 30% ± 5%; flags judge delivered weight.
      - warning: PAY 2 delivered 25% investment against 33% committed, a squeeze of 8 points beyond the 5% tolerance."
    `);
    const spentTeam = { ...payments, actual: "spent" as const };
    const future = makeSprint({
      spent: undefined,
      investmentShare: { committed: 0.3, delivered: null, spent: null },
      target: null,
    });
    expect(renderCycleUpdate(spentTeam, future, [])).toMatchInlineSnapshot(`
      "**PAY 1** closed: delivered 0 roadmap, 0 investment, 0 unclassified (points).
      Investment share: delivered not measurable (no classified work delivered), spent not measurable (no classified work in progress); no target declared; flags judge spent effort (person-days of work in progress)."
    `);
  });
});
