import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { renderTable } from "../../src/render/index";
import { stripVTControlCharacters as stripAnsi } from "node:util";
import { visibleWidth } from "../../src/render/text-width";
import type { Flag, Report, SprintReport } from "../../src/domain/types";
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
      ▓ investment  ░ unclassified  █ roadmap  [=] target band  plan = committed
      Sprint         State   Split of weight, 0–100%   Delivered* Spent   Flag
            target 30% ± 5%  ······[=]···············
      PAY 1          closed  ▓▓▓▓▓▓▓█████████████████  30%        28.6%   none
      PAY 2          closed  ▓▓▓▓▓░░░░░██████████████  25%        30.9%   warning
      PAY 3 Checkou… closed  ████████████████████████  0%         21.7%   critical
            target 25% ± 5%  ····[==]················
      PAY 4          active  ▓▓▓▓▓░░░████████████████  25% plan   23.1%   none
      PAY 5          future  ▓▓▓▓▓▓██████████████████  25% plan   —       none

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
      ▓ investment  ░ unclassified  █ roadmap  [=] target band  plan = committed
      Sprint         State   Split of weight, 0–100%   Delivered  Spent*  Flag
                  no target  ························
      Cycle 1        closed  ░░░░░░░░░░░░░░░░░░░░░░░░  —          —       info
      Cycle 2        active  (no work)                 — plan     —       none

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
    // 2 + 2 + 5 columns, padded to the 14 of the name column.
    expect(
      lines.some((line) => line.startsWith(`${family}${family} team${" ".repeat(5)} closed`)),
    ).toBe(true);
    // Nine flags are 18 columns: six and an ellipsis take 13 of the 14.
    expect(lines.some((line) => line.startsWith(`${flag.repeat(6)}…  closed`))).toBe(true);
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
    expect(Array.from(bar)).toHaveLength(24);
    expect(bar).toBe(`▓░${"█".repeat(22)}`);
  });

  it("marks the target band on a ruler on the bars' scale", () => {
    const text = renderTable(single([makeSprint({ delivered: split(7, 3) })]), { color: false });
    // 25%..35% of 24 cells: cells 6 to 8.
    expect(text).toContain(`target 30% ± 5%  ${"·".repeat(6)}[=]${"·".repeat(15)}`);
  });

  it("labels the committed share of active and future sprints", () => {
    const text = renderTable(report, { color: false });
    expect(text).toMatch(/^PAY 4 +active .* 25% plan +23\.1% +none$/m);
    expect(text).toMatch(/^PAY 5 +future .* 25% plan +— +none$/m);
    expect(text).toMatch(/^Cycle 1 +closed .* — +— +info$/m);
  });

  it("shows the delivered and the spent share of every sprint, and marks the judged one", () => {
    const text = renderTable(report, { color: false });
    expect(text).toMatch(/^PAY 3 Checkou… closed .* 0% +21\.7% +critical$/m);
    expect(text).toMatch(/^Sprint +State +Split of weight, 0–100% +Delivered\* Spent +Flag$/m);
    expect(text).toMatch(/^Sprint +State +Split of weight, 0–100% +Delivered +Spent\* +Flag$/m);
  });
});
