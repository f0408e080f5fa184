import { describe, expect, it } from "vitest";
import {
  describeDecidingRule,
  describeRuleCondition,
  explainClassification,
} from "../../src/domain/explain";
import { createContext } from "../../src/domain/report";
import { makeItem, makeTeam, makeWorkspace } from "../helpers/factories";

describe("explainClassification", () => {
  const workspace = makeWorkspace({
    teams: [makeTeam({ rules: [{ if: { type: ["Bug"] }, then: "investment" }] })],
    items: [
      makeItem({ id: "G", title: "Payments platform v2", labels: ["capacity-investment"] }),
      makeItem({
        id: "E",
        title: "Ledger rewrite",
        parentId: "G",
        labels: ["capacity-roadmap", "capacity-investment"],
      }),
      makeItem({ id: "C", title: "Retire v1 queue", parentId: "E" }),
      makeItem({ id: "B", title: "Crash on refund", type: "Bug", parentId: "X" }),
      makeItem({ id: "X", title: "Loop", parentId: "B" }),
    ],
  });
  const context = createContext(workspace);
  const explain = (id: string) =>
    explainClassification(context.itemById.get(id) ?? makeNever(), context);

  it("walks past a conflicted ancestor to the one that decides", () => {
    const { classification, steps } = explain("C");
    expect(classification).toEqual({ category: "investment", source: "inherited", via: "G" });
    expect(steps.map((s) => [s.kind, "found" in s ? s.found : null])).toEqual([
      ["labels", null],
      ["ancestor", "conflict"],
      ["ancestor", "investment"],
    ]);
  });

  it("stops at a parent cycle and tries the team's rules", () => {
    const { classification, steps } = explain("B");
    expect(classification).toEqual({ category: "investment", source: "rule", via: "rule:1" });
    expect(steps.map((s) => s.kind)).toEqual(["labels", "ancestor", "chain-end", "rule"]);
    expect(steps[2]).toEqual({ kind: "chain-end", reason: "cycle", itemId: "B" });
  });
});

describe("describeRuleCondition", () => {
  it.each([
    [{ type: ["Story", "Feature"] }, "type is Story or Feature"],
    [{ labels: ["tech-debt"] }, "label is tech-debt"],
    [{ components: ["API", "Web"] }, "component is API or Web"],
    [{ project: ["Atlas"] }, "project is Atlas"],
    [{ titleMatches: "^spike" }, "title matches /^spike/i"],
    [
      { type: ["Bug"], labels: ["infra", "platform"], titleMatches: "outage" },
      "type is Bug and label is infra or platform and title matches /outage/i",
    ],
    [{}, "every item"],
  ])("%j", (condition, words) => {
    expect(describeRuleCondition(condition)).toBe(words);
  });
});

describe("describeDecidingRule", () => {
  const own = { rules: [{ if: { type: ["Bug"] }, then: "investment" as const }] };
  it.each([
    ["the team's own rule", own, "rule:1", "type is Bug"],
    [
      "a default rule when the team has none",
      { rules: [] },
      "rule:3",
      "type is Story or Feature or New Feature",
    ],
    ["nothing for an inherited category", own, "PAY-1", null],
    ["nothing for a rule that is not there", own, "rule:2", null],
    ["nothing for rule:0", own, "rule:0", null],
    ["nothing without provenance", own, null, null],
  ])("%s", (_, team, via, words) => {
    expect(describeDecidingRule(team, via)).toBe(words);
  });
});

function makeNever(): never {
  throw new Error("no such item");
}
