import { describe, expect, it } from "vitest";
import { explainClassification } from "../../src/domain/explain";
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

function makeNever(): never {
  throw new Error("no such item");
}
