import { describe, expect, it } from "vitest";
import { classifyItem } from "../../src/domain/classify";
import { createContext } from "../../src/domain/report";
import type { Classification } from "../../src/domain/types";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { makeItem, makeTeam, makeWorkspace } from "../helpers/factories";

type FileItem = NonNullable<WorkspaceFile["items"]>[number];

function classify(items: FileItem[], id: string, team = makeTeam()): Classification {
  const workspace = makeWorkspace({ teams: [team], items });
  const context = createContext(workspace);
  const item = context.itemById.get(id);
  if (!item) throw new Error(`no ${id}`);
  return classifyItem(item, context);
}

const chain = (n: number, topLabels: string[]): FileItem[] =>
  Array.from({ length: n + 1 }, (_, i) =>
    makeItem({
      id: `I-${i}`,
      parentId: i < n ? `I-${i + 1}` : null,
      labels: i === n ? topLabels : [],
    }),
  );

describe("classifyItem (SPEC §3)", () => {
  it.each<[string, FileItem[], string, Classification]>([
    [
      "explicit roadmap label",
      [makeItem({ labels: ["capacity-roadmap"] })],
      "PAY-1",
      { category: "roadmap", source: "explicit", via: null },
    ],
    [
      "explicit investment label, case-insensitive",
      [makeItem({ labels: ["Capacity-INVESTMENT"] })],
      "PAY-1",
      { category: "investment", source: "explicit", via: null },
    ],
    [
      "both labels: conflict",
      [makeItem({ labels: ["capacity-roadmap", "capacity-investment"] })],
      "PAY-1",
      { category: "unclassified", source: "conflict", via: null },
    ],
    [
      "a conflict does not inherit",
      [
        makeItem({ id: "E", labels: ["capacity-investment"] }),
        makeItem({ id: "C", parentId: "E", labels: ["capacity-roadmap", "capacity-investment"] }),
      ],
      "C",
      { category: "unclassified", source: "conflict", via: null },
    ],
    [
      "explicit beats inherited",
      [
        makeItem({ id: "E", labels: ["capacity-investment"] }),
        makeItem({ id: "C", parentId: "E", labels: ["capacity-roadmap"] }),
      ],
      "C",
      { category: "roadmap", source: "explicit", via: null },
    ],
    [
      "inherited from the parent",
      [
        makeItem({ id: "E", labels: ["capacity-investment"] }),
        makeItem({ id: "C", parentId: "E", type: "Story" }),
      ],
      "C",
      { category: "investment", source: "inherited", via: "E" },
    ],
    [
      "inherited from the nearest labelled ancestor",
      [
        makeItem({ id: "G", labels: ["capacity-roadmap"] }),
        makeItem({ id: "E", parentId: "G", labels: ["capacity-investment"] }),
        makeItem({ id: "M", parentId: "E" }),
        makeItem({ id: "C", parentId: "M" }),
      ],
      "C",
      { category: "investment", source: "inherited", via: "E" },
    ],
    [
      "a conflicted ancestor is skipped",
      [
        makeItem({ id: "G", labels: ["capacity-roadmap"] }),
        makeItem({ id: "E", parentId: "G", labels: ["capacity-roadmap", "capacity-investment"] }),
        makeItem({ id: "C", parentId: "E" }),
      ],
      "C",
      { category: "roadmap", source: "inherited", via: "G" },
    ],
    [
      "the 10th ancestor is inherited from",
      chain(10, ["capacity-investment"]),
      "I-0",
      { category: "investment", source: "inherited", via: "I-10" },
    ],
    [
      "the 11th ancestor is out of reach",
      chain(11, ["capacity-investment"]),
      "I-0",
      { category: "unclassified", source: "none", via: null },
    ],
    [
      "a parent cycle is ignored and rules still apply",
      [makeItem({ id: "A", parentId: "B", type: "Story" }), makeItem({ id: "B", parentId: "A" })],
      "A",
      { category: "roadmap", source: "rule", via: "rule:3" },
    ],
    [
      "default rule 1: an investment label",
      [makeItem({ labels: ["Tech-Debt"] })],
      "PAY-1",
      { category: "investment", source: "rule", via: "rule:1" },
    ],
    [
      "default rule 2: an investment type",
      [makeItem({ type: "technical debt" })],
      "PAY-1",
      { category: "investment", source: "rule", via: "rule:2" },
    ],
    [
      "default rule 3: a roadmap type",
      [makeItem({ type: "New Feature" })],
      "PAY-1",
      { category: "roadmap", source: "rule", via: "rule:3" },
    ],
    [
      "default rules: first match wins",
      [makeItem({ type: "Story", labels: ["security"] })],
      "PAY-1",
      { category: "investment", source: "rule", via: "rule:1" },
    ],
    [
      "bugs are left unclassified by default",
      [makeItem({ type: "Bug" })],
      "PAY-1",
      { category: "unclassified", source: "none", via: null },
    ],
  ])("%s", (_name, items, id, expected) => {
    expect(classify(items, id)).toEqual(expected);
  });

  const ruled = makeTeam({
    rules: [
      { if: { type: ["Bug"], components: ["Billing", "Ledger"] }, then: "investment" },
      { if: { project: ["Checkout"], titleMatches: "^promo" }, then: "roadmap" },
      { if: { type: ["bug"] }, then: "roadmap" },
    ],
  });

  it.each<[string, Partial<FileItem>, Classification]>([
    [
      "all keys hold, any value within a list",
      { type: "Bug", components: ["ledger"] },
      { category: "investment", source: "rule", via: "rule:1" },
    ],
    [
      "one key fails, so the next rule is tried",
      { type: "Bug", components: ["Search"] },
      { category: "roadmap", source: "rule", via: "rule:3" },
    ],
    [
      "project and a case-insensitive title regex",
      { project: "checkout", title: "Promo banner for Black Friday" },
      { category: "roadmap", source: "rule", via: "rule:2" },
    ],
    [
      "a null project never matches a project condition",
      { project: null, title: "Promo banner" },
      { category: "unclassified", source: "none", via: null },
    ],
    [
      "a team's own rules replace the defaults",
      { type: "Story" },
      { category: "unclassified", source: "none", via: null },
    ],
  ])("team rules: %s", (_name, overrides, expected) => {
    expect(classify([makeItem(overrides)], "PAY-1", ruled)).toEqual(expected);
  });

  it("uses the team's configured labels", () => {
    const team = makeTeam({ labels: { roadmap: "Roadmap", investment: "Investment" } });
    expect(classify([makeItem({ labels: ["investment"] })], "PAY-1", team)).toEqual({
      category: "investment",
      source: "explicit",
      via: null,
    });
    expect(classify([makeItem({ labels: ["capacity-investment"] })], "PAY-1", team).source).toBe(
      "none",
    );
  });
});
