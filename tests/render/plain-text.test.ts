import { describe, expect, it } from "vitest";
import {
  cleanLines,
  cleanText,
  escapeJsonControls,
  REPLACEMENT,
} from "../../src/render/plain-text";

const code = (n: number): string => String.fromCodePoint(n);

/** Every character a terminal or a bidi-aware display would act on rather than show. */
const UNSAFE = [
  ...Array.from({ length: 0x20 }, (_, i) => i).filter(
    (i) => ![0x09, 0x0a, 0x0b, 0x0c, 0x0d].includes(i),
  ),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i).filter((i) => i !== 0x85),
  0x061c,
  0x200e,
  0x200f,
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
];

describe("cleanText", () => {
  it.each(UNSAFE.map((n) => [n.toString(16).padStart(4, "0"), n]))(
    "shows U+%s as U+FFFD",
    (_, n) => {
      expect(cleanText(`a${code(n)}b`)).toBe(`a${REPLACEMENT}b`);
    },
  );

  it.each([
    ["a line feed", "two\nlines", "two lines"],
    ["CR LF", "two\r\nlines", "two lines"],
    ["a bare CR, which would overwrite the line", "safe\rEVIL", "safe EVIL"],
    ["a tab", "a\tb", "a b"],
    ["a vertical tab and a form feed", "a\vb\fc", "a b c"],
    ["NEL and the Unicode separators", "a\u0085b\u2028c\u2029d", "a b c d"],
  ])("puts %s on one line", (_, text, expected) => {
    expect(cleanText(text)).toBe(expected);
  });

  it.each([
    ["an ANSI colour", "\u001b[31mred\u001b[0m", "\uFFFD[31mred\uFFFD[0m"],
    ["a one-byte CSI", "\u009b31mred", "\uFFFD31mred"],
    ["a right-to-left override", "invoice\u202Efdp.exe", "invoice\uFFFDfdp.exe"],
  ])("defuses %s", (_, text, expected) => {
    expect(cleanText(text)).toBe(expected);
  });

  it.each([
    ["CJK", "決済チーム"],
    ["an emoji family (ZWJ sequence)", "👨‍👩‍👧 team"],
    ["a flag", "🇨🇭 Zürich"],
    ["combining marks", "e\u0301te\u0301"],
    ["Arabic and Hebrew", "فريق צוות"],
  ])("keeps %s as it is", (_, text) => {
    expect(cleanText(text)).toBe(text);
  });
});

describe("cleanLines", () => {
  it("keeps the line breaks between lines and cleans each line", () => {
    expect(cleanLines("one\u001b[2J\r\ntwo\u202e\nthree")).toBe("one\uFFFD[2J\ntwo\uFFFD\nthree");
  });
});

describe("escapeJsonControls", () => {
  it("leaves no raw control or bidi character and reads back as the same value", () => {
    const value = { title: `x${UNSAFE.map(code).join("")}\r\ny`, n: 1 };
    const json = escapeJsonControls(JSON.stringify(value, null, 2));
    for (const n of UNSAFE) expect(json).not.toContain(code(n));
    expect(json).toContain("\\u202E");
    expect(JSON.parse(json)).toEqual(value);
  });
});
