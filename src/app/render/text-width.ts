/**
 * Terminal column arithmetic for the table renderer: names come from users and may hold CJK,
 * emoji or combining marks, so counting UTF-16 units would break the 80-column promise.
 */

const ESC = String.fromCharCode(27);
// Built from a string so the pattern holds no literal control character.
const ANSI_SGR = new RegExp(`${ESC}\\[[0-9;]*m`, "g");

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;

/** East Asian Wide and Fullwidth blocks (Unicode UAX #11) that terminals draw in two columns. */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];

function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  const code = char.codePointAt(0) ?? 0;
  if (EMOJI.test(char)) return 2;
  return WIDE_RANGES.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SGR, "");
}

/** Columns the text occupies in a terminal, escape sequences excluded. */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += charWidth(char);
  return width;
}

/** Shortens plain (escape-free) text to `width` columns, ending in `…` when it had to cut. */
export function truncateToWidth(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

export function padToWidth(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleWidth(text)));
}

export function padStartToWidth(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - visibleWidth(text))) + text;
}

function splitLongWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  let used = 0;
  for (const char of word) {
    const w = charWidth(char);
    if (used + w > width && piece !== "") {
      pieces.push(piece);
      piece = "";
      used = 0;
    }
    piece += char;
    used += w;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

/**
 * Greedy word wrap of plain text into lines of at most `width` columns; a word longer than a
 * line (a URL, an id) is cut rather than allowed to overflow.
 */
export function wrapToWidth(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    for (const piece of visibleWidth(word) > width ? splitLongWord(word, width) : [word]) {
      if (line === "") {
        line = piece;
      } else if (visibleWidth(line) + 1 + visibleWidth(piece) <= width) {
        line += ` ${piece}`;
      } else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}
