import { describe, expect, it } from "vitest";
import {
  settleWrittenLabels,
  type WrittenCategory,
  type WrittenLabelsRecord,
} from "../../src/linear/write-back";

const NAMES = { roadmap: "Roadmap", investment: "Investment" } as const;
const BEFORE: WrittenCategory = { category: "roadmap", at: "2026-11-01T00:00:00.000Z" };
const AT = "2026-11-24T00:00:00.000Z";

describe("settleWrittenLabels", () => {
  it.each<[string, WrittenLabelsRecord[string], string[] | null, WrittenCategory | undefined]>([
    [
      "an add that landed becomes the sync's label",
      { pending: { add: "investment", remove: null, at: AT } },
      ["Investment"],
      { category: "investment", at: AT },
    ],
    [
      "an add that never went out leaves no entry",
      { pending: { add: "investment", remove: null, at: AT } },
      [],
      undefined,
    ],
    [
      "a swap that landed becomes the new label",
      { pending: { add: "investment", remove: "roadmap", at: AT }, before: BEFORE },
      ["investment", "Backend"],
      { category: "investment", at: AT },
    ],
    [
      "a swap that never went out keeps the entry before it",
      { pending: { add: "investment", remove: "roadmap", at: AT }, before: BEFORE },
      ["Roadmap"],
      BEFORE,
    ],
    [
      "a removal that landed drops the entry",
      { pending: { add: null, remove: "roadmap", at: AT }, before: BEFORE },
      ["Backend"],
      undefined,
    ],
    [
      "a removal that never went out keeps the entry before it",
      { pending: { add: null, remove: "roadmap", at: AT }, before: BEFORE },
      ["Roadmap"],
      BEFORE,
    ],
    [
      "an issue no longer pulled keeps the entry before the write",
      { pending: { add: null, remove: "roadmap", at: AT }, before: BEFORE },
      null,
      BEFORE,
    ],
    ["a settled entry is kept as it is", BEFORE, ["Roadmap"], BEFORE],
  ])("%s", (_case, entry, labels, expected) => {
    const items = labels === null ? [] : [{ id: "ENG-1", labels }];
    const settled = settleWrittenLabels({ "ENG-1": entry }, items, NAMES);
    expect(settled["ENG-1"]).toEqual(expected);
  });
});
