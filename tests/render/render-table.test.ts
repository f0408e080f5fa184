import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { renderTable } from "../../src/render/index";
import { stripVTControlCharacters as stripAnsi } from "node:util";
import { visibleWidth } from "../../src/render/text-width";
import type { Flag, Report, SprintReport } from "../../src/domain/types";
import { computeReport } from "../../src/domain/report";
import { formatPercent } from "../../src/domain/index";
import { generateDemoWorkspace } from "../../src/workspace/index";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import { makeQuarter, makeSprint, makeTeam, report, split } from "./fixture";

const ESC = String.fromCharCode(27);

function widestLine(text: string): number {
  return Math.max(...text.split("\n").map(visibleWidth));
}

function single(sprints: SprintReport[], flags: Flag[] = []): Report {
  return {
    version: 2,
    org: { quarters: [], flags: [] },
    now: report.now,
    teams: [makeTeam({ sprints, flags })],
  };
}

function tenSprints(): SprintReport[] {
  return Array.from({ length: 10 }, (_, i) =>
    makeSprint({
      id: `S${i + 1}`,
      name: `Sprint ${i + 1}`,
      startAt: `2026-0${Math.floor(i / 2) + 1}-${i % 2 === 0 ? "01" : "15"}T00:00:00.000Z`,
      delivered: split(10, 3),
      investmentShare: { committed: null, delivered: 3 / 13, spent: null },
    }),
  );
}

describe("renderTable", () => {
  it("renders the fixture report without colour", () => {
    expect(renderTable(report, { color: false })).toMatchInlineSnapshot(`
      "Capacity split · as of 2026-11-24 00:00 UTC

      Payments | <script>alert("x")</script>, EU (PAY) · points · target 25% ± 5%
      ───────────────────────────────────────────────────────────────────────────

      Sprints (investment share; * judged on delivered)
      ▓ investment  ░ unclassified  █ roadmap  [=] target band
      Bars: delivered weight, or the plan (committed) of an active or future sprint.
      An active sprint's Delivered and Spent are so far, up to now.
      Sprint                State   Split 0–100%  Committed Delivered* Spent  Flag
                   target 30% ± 5%  ···[]·······
      PAY 1                 closed  ▓▓▓▓████████  27.8%     30%        28.6%  none
      PAY 2                 closed  ▓▓▓░░███████  33.3%     25%        30.9%  warning
      PAY 3 Checkout harde… closed  ████████████  27.8%     0%         21.7%  critical
                   target 25% ± 5%  ··[]········
      PAY 4                 active  ▓▓▓░████████  25%       0%         23.1%  none
      PAY 5                 future  ▓▓▓█████████  25%       —          —      none

      Quarters (investment share; * judged on delivered)
      Quarter    State    Delivered* Spent      Target         Required  Flag
      2026-Q3    closed   27.8%      30%        30% ± 5%       —         none
      2026-Q4    current  0%         25%        30% ± 5%       41.4%     warning

      Open flags (4)
      [critical] PAY 3 Checkout hardening: PAY 3 delivered 16 points of roadmap work
                 and no investment at all, although the declared target is 30% ± 5%;
                 this is the failure the target exists to prevent, and it should be
                 discussed at the next review.
      [critical] PAY 3 Checkout hardening: PAY 3 delivered 0% investment, below the
                 critical floor of 20%.
      [warning]  2026-Q4 needs 41% investment for the rest of the quarter to end on
                 the 30% target.
      [info]     The target was last declared on 2026-07-01, before this quarter
                 started.
      1 more flag on earlier periods (--format md lists all).


      Platform (PLT) · issues · no target
      ───────────────────────────────────

      Sprints (investment share; * judged on spent)
      ▓ investment  ░ unclassified  █ roadmap  [=] target band
      Bars: delivered weight, or the plan (committed) of an active or future sprint.
      An active sprint's Delivered and Spent are so far, up to now.
      Sprint                State   Split 0–100%  Committed Delivered  Spent* Flag
                         no target  ············
      Cycle 1               closed  ░░░░░░░░░░░░  —         —          —      info
      Cycle 2               active  (no work)     —         —          —      none

      Quarters (investment share; * judged on spent)
      Quarter    State    Delivered  Spent*     Target         Required  Flag
      2026-Q4    current  —          —          no target      —         warning

      Open flags (2)
      [warning]  Platform has no investment target for 2026-Q4.
      [info]     Cycle 1: 100% of delivered weight is unclassified.


      Org, all teams (investment share of spent time)
      ───────────────────────────────────────────────

      Quarter    State    Spent      Target         Required  Flag
      2026-Q3    closed   25%        30% ± 5%       —         none
      2026-Q4    current  13.3%      30% ± 5%       52%       critical

      Open org flags (1)
      [critical] The org's 2026-Q4 can no longer end inside its 30% ± 5% target: the
                 rest of the quarter would need 45% investment (spent 13.3% of its
                 time on investment so far) <b>.
      "
    `);
  });

  it("keeps every line within 80 columns", () => {
    expect(widestLine(renderTable(report, { color: false }))).toBeLessThanOrEqual(80);
    expect(widestLine(renderTable(report, { color: true }))).toBeLessThanOrEqual(80);
  });

  it("keeps 80 columns with wide names, extreme targets and unbreakable messages", () => {
    const wide: Report = {
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [
        makeTeam({
          id: "決済チーム-with-a-very-long-identifier",
          name: "決済プラットフォーム 🚀 and an improbably long team name that goes on and on",
          sprints: [
            makeSprint({ name: "スプリント 十二 — 決済の信頼性", target: null }),
            makeSprint({
              id: "S2",
              name: "x".repeat(200),
              target: { investmentShare: 1, tolerance: 0.5 },
              delivered: split(1, 1000, 1),
            }),
            makeSprint({
              id: "S3",
              target: { investmentShare: 0.275, tolerance: 0.025 },
              delivered: split(0.5, 0.25, 0.25),
            }),
          ],
          quarters: [makeQuarter({ id: "FY2027-Q1", requiredShare: 1.37 })],
          flags: [
            {
              code: "LOW_CONFIDENCE",
              severity: "info",
              period: { kind: "sprint", id: "S2" },
              message: `See https://example.com/${"a".repeat(150)} for the details.`,
              evidence: {},
            },
          ],
        }),
      ],
    };
    const text = renderTable(wide, { color: true });
    expect(widestLine(text)).toBeLessThanOrEqual(80);
    expect(text).toContain("target 27.5% ± 2.5%");
  });

  it("counts an emoji family and a flag as two columns each, and keeps 80 columns", () => {
    const family = "👨‍👩‍👧";
    const flag = "🇨🇭";
    const text = renderTable(
      single([
        makeSprint({ name: `${family}${family} team` }),
        makeSprint({ id: "S2", name: flag.repeat(9), startAt: "2026-09-15T00:00:00.000Z" }),
      ]),
      { color: false },
    );
    const lines = text.split("\n");
    // Nine flags are 18 columns, which fit: the family name (2 + 2 + 5) is padded to them.
    expect(
      lines.some((line) => line.startsWith(`${family}${family} team${" ".repeat(9)} closed`)),
    ).toBe(true);
    expect(lines.some((line) => line.startsWith(`${flag.repeat(9)} closed`))).toBe(true);
    // Fifteen flags are 30 columns, more than the 21 left beside the narrowest bar: ten and an
    // ellipsis take all 21, and no flag is split.
    const cut = renderTable(
      single([makeSprint({ name: flag.repeat(15) }), makeSprint({ id: "S2", name: "PAY 2" })]),
      { color: false },
    ).split("\n");
    expect(cut.some((line) => line.startsWith(`${flag.repeat(10)}… closed`))).toBe(true);
    expect(cut.some((line) => line.startsWith(`PAY 2${" ".repeat(16)} closed`))).toBe(true);
    const crowded: Report = {
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [
        makeTeam({
          name: `${family} ${flag} `.repeat(20),
          sprints: [makeSprint({ name: `${flag}${family}`.repeat(20) })],
        }),
      ],
    };
    expect(widestLine(renderTable(crowded, { color: true }))).toBeLessThanOrEqual(80);
  });

  it("keeps 80 columns for any names, splits and targets", () => {
    const share = fc.double({ min: 0, max: 1, noNaN: true });
    const weight = fc.double({ min: 0, max: 1e6, noNaN: true });
    const sprint = fc.record({
      name: fc.string({ unit: "grapheme", maxLength: 60 }),
      target: fc.option(
        fc.record({
          investmentShare: share,
          tolerance: fc.double({ min: 0, max: 0.5, noNaN: true }),
        }),
      ),
      delivered: fc.record({ roadmap: weight, investment: weight, unclassified: weight }),
      share: fc.option(share),
    });
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 120 }),
        fc.array(sprint, { maxLength: 10 }),
        fc.string({ unit: "grapheme", maxLength: 400 }),
        (teamName, sprints, message) => {
          const team = makeTeam({
            name: teamName,
            sprints: sprints.map((s, i) =>
              makeSprint({
                id: `S${i}`,
                name: s.name,
                target: s.target,
                delivered: s.delivered,
                investmentShare: { committed: null, delivered: s.share, spent: null },
              }),
            ),
            flags: [
              {
                code: "NO_TARGET",
                severity: "warning",
                period: { kind: "team", id: "PAY" },
                message,
                evidence: {},
              },
            ],
          });
          const text = renderTable(
            { version: 2, org: { quarters: [], flags: [] }, now: report.now, teams: [team] },
            { color: true },
          );
          expect(widestLine(text)).toBeLessThanOrEqual(80);
        },
      ),
    );
  });

  it("uses colour codes only when asked, and says the same without them", () => {
    const plain = renderTable(report, { color: false });
    const coloured = renderTable(report, { color: true });
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(`${ESC}[35m▓`);
    expect(coloured).toContain(`${ESC}[1;31mcritical`);
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it("never passes control characters from names to the terminal", () => {
    const text = renderTable(single([makeSprint({ name: `evil${ESC}[2Jname\nnext` })]), {
      color: false,
    });
    expect(text).not.toContain(ESC);
    expect(text).toContain("evil\uFFFD[2Jname");
  });

  it("shows the last 8 sprints and the flags open now, and counts the others", () => {
    const flags: Flag[] = ["S1", "S9", "S10"].map((id) => ({
      code: "SPRINT_SQUEEZED",
      severity: "warning",
      period: { kind: "sprint", id },
      message: `Squeezed in ${id}.`,
      evidence: {},
    }));
    const text = renderTable(single(tenSprints(), flags), { color: false });
    expect(text).toContain("Sprints, last 8 of 10 (investment share; * judged on delivered)");
    expect(text).not.toMatch(/^Sprint 1 /m);
    expect(text).not.toMatch(/^Sprint 2 /m);
    expect(text).toMatch(/^Sprint 10 /m);
    expect(text).toContain("Squeezed in S10.");
    expect(text).not.toContain("Squeezed in S9.");
    expect(text).not.toContain("Squeezed in S1.");
    expect(text).toContain("2 more flags on earlier periods (--format md lists all).");
  });

  it("fills the bar exactly and keeps a sliver of weight visible", () => {
    const text = renderTable(
      single([
        makeSprint({
          delivered: split(997, 1, 2),
          investmentShare: { committed: null, delivered: 0.001, spent: null },
        }),
      ]),
      { color: false },
    );
    const bar = /^PAY 1 +closed {2}(\S+)/m.exec(text)?.[1] ?? "";
    const ruler = /target 30% ± 5% {2}(\S+)/.exec(text)?.[1] ?? "";
    // The bar and its ruler span the same cells: 80 columns less the row's other columns.
    expect(Array.from(bar)).toHaveLength(Array.from(ruler).length);
    expect(bar).toBe(`▓░${"█".repeat(Array.from(ruler).length - 2)}`);
  });

  it("marks the target band on a ruler on the bars' scale", () => {
    const sprints = [makeSprint({ delivered: split(7, 3) })];
    // At 120 columns the bar is at its widest, 48 cells: 25%..35% is cells 12 to 16.
    expect(renderTable(single(sprints), { color: false, width: 120 })).toContain(
      `target 30% ± 5%  ${"·".repeat(12)}[===]${"·".repeat(31)}`,
    );
    // At 80 columns the bar gives way to the row's numbers: 25 cells, 25%..35% is 6 to 8.
    expect(renderTable(single(sprints), { color: false })).toContain(
      `target 30% ± 5%  ${"·".repeat(6)}[=]${"·".repeat(16)}`,
    );
  });

  it("shows the committed, delivered and spent share of every sprint under their headings", () => {
    const text = renderTable(report, { color: false });
    expect(text).toMatch(/^PAY 3 Checkout harde… closed .* 27\.8% +0% +21\.7% +critical$/m);
    expect(text).toMatch(/^PAY 4 +active .* 25% +0% +23\.1% +none$/m);
    expect(text).toMatch(/^PAY 5 +future .* 25% +— +— +none$/m);
    expect(text).toMatch(/^Cycle 1 +closed .* — +— +— +info$/m);
    expect(text).toMatch(/^Sprint +State +Split[^\n]* Committed Delivered\* Spent +Flag$/m);
    expect(text).toMatch(/^Sprint +State +Split[^\n]* Committed Delivered +Spent\* Flag$/m);
    expect(text).not.toMatch(/plan +[\d—]/);
    expect(text).toContain("An active sprint's Delivered and Spent are so far, up to now.");
  });

  it("says a bar is a plan, or a share so far, only when such a sprint is on show", () => {
    const text = renderTable(single([makeSprint()]), { color: false });
    expect(text).toContain("Bars: delivered weight.\n");
    expect(text).not.toContain("so far");
  });

  it("shortens a 200-character sprint name with an ellipsis and keeps the columns aligned", () => {
    const long = "Q".repeat(200);
    const text = renderTable(
      single([
        makeSprint({
          name: long,
          investmentShare: { committed: 0.25, delivered: 0.5, spent: 0.1 },
        }),
      ]),
      { color: false },
    );
    const lines = text.split("\n");
    expect(widestLine(text)).toBeLessThanOrEqual(80);
    const row = lines.find((line) => line.startsWith("QQ")) ?? "";
    // 80 columns less the row's fixed columns and the narrowest bar (12 cells) leave 21.
    expect(row).toMatch(/^Q{20}… closed {2}/);
    const heading = lines.find((line) => line.startsWith("Sprint ")) ?? "";
    expect(row.indexOf("25%")).toBe(heading.indexOf("Committed"));
    expect(row.indexOf("50%")).toBe(heading.indexOf("Delivered"));
    expect(row.indexOf("10%")).toBe(heading.indexOf("Spent"));
    expect(row.indexOf("none")).toBe(heading.indexOf("Flag"));
  });

  it("shows more on a wider terminal and keeps to any width between 80 and 120", () => {
    const long = "Reliability push and the checkout rewrite";
    const sprints = [makeSprint({ name: long })];
    expect(renderTable(single(sprints), { color: false })).not.toContain(long);
    const wide = renderTable(single(sprints), { color: false, width: 120 });
    expect(wide).toContain(`${long} closed`);
    expect(renderTable(report, { color: false, width: Number.NaN })).toBe(
      renderTable(report, { color: false }),
    );
    for (const width of [40, 80, 81, 99.5, 120, 500, Number.POSITIVE_INFINITY]) {
      const text = renderTable(report, { color: true, width });
      expect(widestLine(text)).toBeLessThanOrEqual(Math.min(120, Math.max(80, width)));
    }
  });
});

describe("renderTable on the demo", () => {
  const now = Date.parse("2026-11-24T00:00:00Z");
  const parsed = parseWorkspace(generateDemoWorkspace(now));
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  const demo = computeReport(parsed.workspace, { now });
  const text = renderTable(demo, { color: false });
  const lines = text.split("\n");

  /** The cell of a sprint's row from under a heading of its team's table to the next one. */
  function cellUnder(sprintName: string, heading: string, next: string): string {
    const row = lines.findIndex((line) => line.startsWith(`${sprintName} `));
    const head = lines.slice(0, row).findLast((line) => line.startsWith("Sprint "));
    if (row < 0 || head === undefined) throw new Error(`no row for ${sprintName}`);
    return (lines[row] ?? "").slice(head.indexOf(heading), head.indexOf(next)).trim();
  }

  it("shows each active sprint's delivered share so far under Delivered and its plan under Committed", () => {
    const active = demo.teams.flatMap((team) =>
      team.sprints.filter((sprint) => sprint.state === "active"),
    );
    expect(active).toHaveLength(demo.teams.length);
    // The two numbers differ somewhere, so a swap of the columns would show.
    expect(
      active.some(
        (s) =>
          formatPercent(s.investmentShare.committed) !== formatPercent(s.investmentShare.delivered),
      ),
    ).toBe(true);
    for (const sprint of active) {
      expect(cellUnder(sprint.name, "Committed", "Delivered")).toBe(
        formatPercent(sprint.investmentShare.committed),
      );
      expect(cellUnder(sprint.name, "Delivered", "Spent")).toBe(
        formatPercent(sprint.investmentShare.delivered),
      );
      expect(cellUnder(sprint.name, "Spent", "Flag")).toBe(
        formatPercent(sprint.investmentShare.spent),
      );
      expect(cellUnder(sprint.name, "State", "Split")).toBe("active");
    }
  });

  it("fits 80 columns and shows every sprint's name whole", () => {
    expect(widestLine(text)).toBeLessThanOrEqual(80);
    const shown = demo.teams.flatMap((team) =>
      [...team.sprints].sort((a, b) => a.startAt.localeCompare(b.startAt)).slice(-8),
    );
    expect(shown.length).toBeGreaterThan(0);
    for (const sprint of shown) {
      expect(lines.some((line) => line.startsWith(`${sprint.name} `))).toBe(true);
    }
    expect(
      lines.filter((line) => / (closed|active|future) {2}/.test(line) && line.includes("…")),
    ).toEqual([]);
  });
});
