import { describe, expect, it } from "vitest";
import { previewRules } from "../../src/app/rules-preview";
import { classifyItem } from "../../src/domain/classify";
import { computeReport, createContext } from "../../src/domain/report";
import { compileTitlePattern, findTitlePatternProblem } from "../../src/domain/title-pattern";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import { makeItem, makeSprint, makeTeam, makeWorkspace } from "../helpers/factories";

/** Exponential on a backtracking engine: every split of the a's into words is tried before "!". */
const CATASTROPHIC = "^(\\w+\\s?)*$";
const HOSTILE_TITLE = `${"a".repeat(59)}!`;

describe("title patterns run on RE2 (SPEC §3, §11)", () => {
  it.each<[string, string, string, boolean]>([
    ["matches anywhere in the title", "ledger", "Migrate ledger to Postgres", true],
    ["case-insensitively", "^spike:", "SPIKE: try Kafka", true],
    ["case-insensitively beyond ASCII", "étude", "ÉTUDE des coûts", true],
    ["anchors hold", "^ledger", "Migrate ledger", false],
    ["RE2's named groups", "(?P<verb>retire|migrate) ", "Retire v1 queue", true],
    ["RE2's Unicode classes", "^\\p{Lu}{3}-", "ABC-12 rollout", true],
    ["the catastrophic pattern, on a title it cannot match", CATASTROPHIC, HOSTILE_TITLE, false],
    ["the catastrophic pattern, on a title it matches", CATASTROPHIC, "retire the v1 queue", true],
  ])("%s", (_name, pattern, title, expected) => {
    expect(compileTitlePattern(pattern).test(title)).toBe(expected);
  });

  it.each<[string, string, string]>([
    ["a backreference", "(a)\\1", "invalid escape sequence: `\\1`"],
    ["lookahead", "fix(?=ed)", "invalid or unsupported Perl syntax: `(?=`"],
    ["negative lookahead", "^(?!WIP)", "invalid or unsupported Perl syntax: `(?!`"],
    ["lookbehind", "(?<=v)1", "invalid named capture"],
    ["an unclosed group", "(payment", "missing closing ): `(payment`"],
    ["a repeat beyond RE2's limit", "a{1001}", "invalid repeat count: `{1001}`"],
  ])("refuses %s with RE2's reason", (_name, pattern, reason) => {
    const problem = findTitlePatternProblem(pattern);
    expect(problem).toContain("not a valid pattern (RE2 syntax");
    expect(problem).toContain(reason);
    expect(() => compileTitlePattern(pattern)).toThrow(
      `Title pattern ${JSON.stringify(pattern)} is not a valid pattern`,
    );
  });

  it("accepts every pattern it can compile", () => {
    expect(findTitlePatternProblem(CATASTROPHIC)).toBeNull();
    expect(findTitlePatternProblem("")).toBeNull();
  });

  // Nothing here measures time: with a backtracking engine this test would not finish, and
  // vitest's timeout would fail it.
  it("a report over the catastrophic pattern and a hostile title finishes", () => {
    const workspace = makeWorkspace({
      teams: [
        makeTeam({
          rules: [
            { if: { titleMatches: CATASTROPHIC }, then: "investment" },
            { if: { titleMatches: "a+!$" }, then: "roadmap" },
          ],
        }),
      ],
      sprints: [makeSprint()],
      items: [
        makeItem({ id: "PAY-1", title: HOSTILE_TITLE, sprintIds: ["S1"], estimate: 5 }),
        makeItem({ id: "PAY-2", title: "retire the queue", sprintIds: ["S1"], estimate: 3 }),
      ],
    });
    const context = createContext(workspace);
    const classify = (id: string) => classifyItem(context.itemById.get(id) as never, context);
    expect(classify("PAY-1")).toEqual({ category: "roadmap", source: "rule", via: "rule:2" });
    expect(classify("PAY-2")).toEqual({ category: "investment", source: "rule", via: "rule:1" });
    const report = computeReport(workspace, { now: Date.parse("2026-07-20T00:00:00Z") });
    const sprint = report.teams[0]?.sprints[0];
    expect(sprint?.committed).toMatchObject({ roadmap: 5, investment: 3 });
  });

  it("the rules preview over the catastrophic pattern and a hostile title finishes", () => {
    const board = makeWorkspace({
      items: [makeItem({ title: HOSTILE_TITLE }), makeItem({ id: "PAY-2", title: "retire v1" })],
    });
    const preview = previewRules(board, [
      { if: { titleMatches: CATASTROPHIC }, then: "investment" },
    ]);
    expect(preview.rules.map((rule) => rule.items)).toEqual([1]);
    expect(preview.examples.map((example) => example.id)).toEqual(["PAY-2"]);
  });

  it("a workspace file with an invalid pattern is refused with the path and the reason", () => {
    const result = parseWorkspace({
      version: 1,
      teams: [makeTeam({ rules: [{ if: { titleMatches: "^(?!WIP)" }, then: "roadmap" }] })],
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        "teams[0].rules[0].if.titleMatches: not a valid pattern (RE2 syntax: no backreferences, lookahead or lookbehind): invalid or unsupported Perl syntax: `(?!`",
      ],
    });
  });
});
