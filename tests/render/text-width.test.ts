import { describe, expect, it } from "vitest";
import { truncateToWidth, visibleWidth, wrapToWidth } from "../../src/render/text-width";

const ESC = String.fromCharCode(27);

describe("visibleWidth", () => {
  it.each([
    ["plain", "PAY 1", 5],
    ["escape codes", `${ESC}[1;31mcritical${ESC}[0m`, 8],
    ["box drawing and blocks", "▓░█─…", 5],
    ["CJK", "決済", 4],
    ["emoji", "🚀", 2],
    ["combining mark", "e\u0301", 1],
    ["an emoji ZWJ sequence", "👨‍👩‍👧", 2],
    ["a flag", "🇨🇭", 2],
    ["a keycap", "1️⃣", 2],
    ["an emoji with a skin tone", "👍🏽", 2],
    ["family, flag and text", "👨‍👩‍👧 🇨🇭 ok", 8],
  ])("%s", (_, text, width) => {
    expect(visibleWidth(text)).toBe(width);
  });
});

describe("truncateToWidth", () => {
  it.each([
    ["short enough", "PAY 1", 16, "PAY 1"],
    ["cut with an ellipsis", "PAY 3 Checkout hardening", 16, "PAY 3 Checkout …"],
    ["never splits a wide character", "決済決済決済", 6, "決済…"],
    ["never splits an emoji family", "👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 5, "👨‍👩‍👧👨‍👩‍👧…"],
    ["never splits a flag", "🇨🇭🇨🇭🇨🇭", 4, "🇨🇭…"],
  ])("%s", (_, text, width, expected) => {
    const out = truncateToWidth(text, width);
    expect(out).toBe(expected);
    expect(visibleWidth(out)).toBeLessThanOrEqual(width);
  });
});

describe("wrapToWidth", () => {
  it("wraps at spaces", () => {
    expect(wrapToWidth("one two three four", 9)).toEqual(["one two", "three", "four"]);
  });

  it("cuts a word longer than a line", () => {
    expect(wrapToWidth(`see ${"a".repeat(12)}`, 5)).toEqual(["see", "aaaaa", "aaaaa", "aa"]);
  });

  it("returns one empty line for empty text", () => {
    expect(wrapToWidth("", 10)).toEqual([""]);
  });
});
