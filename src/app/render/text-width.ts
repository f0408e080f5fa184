/**
 * Terminal column arithmetic for the table renderer: names come from users and may hold CJK,
 * emoji, flags or combining marks, so counting UTF-16 units would break the 80-column promise.
 * Widths come from `string-width` (Unicode's East Asian Width and emoji data, kept current by
 * its maintainers); text is cut only between grapheme clusters, so an emoji family (👨‍👩‍👧) or
 * a flag (🇨🇭) is kept or dropped whole.
 */

import stringWidth from "string-width";

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

function clusters(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/** Columns the text occupies in a terminal, ANSI escape sequences excluded. */
export function visibleWidth(text: string): number {
  return stringWidth(text);
}

/** Shortens plain (escape-free) text to `width` columns, ending in `…` when it had to cut. */
export function truncateToWidth(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const cluster of clusters(text)) {
    const w = visibleWidth(cluster);
    if (used + w > width - 1) break;
    out += cluster;
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
  for (const cluster of clusters(word)) {
    const w = visibleWidth(cluster);
    if (used + w > width && piece !== "") {
      pieces.push(piece);
      piece = "";
      used = 0;
    }
    piece += cluster;
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
