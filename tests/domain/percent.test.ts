import { describe, expect, it } from "vitest";
import { formatPercent } from "../../src/domain/percent";

describe("formatPercent", () => {
  it.each([
    [0.3, "30%"],
    [0.2777777777777778, "27.8%"],
    [0.275, "27.5%"],
    [0.05, "5%"],
    [0.025, "2.5%"],
    [1, "100%"],
    [0, "0%"],
    [-0.00001, "0%"],
    [-0.2, "-20%"],
    [1.4142857, "141.4%"],
    [null, "—"],
    [Number.NaN, "—"],
  ])("%s → %s", (share, text) => {
    expect(formatPercent(share)).toBe(text);
  });
});
