/**
 * Terminal column arithmetic for the table renderer: names come from users and may hold CJK,
 * emoji, flags or combining marks, so counting UTF-16 units would break the 80-column promise.
 * Widths come from `string-width` (Unicode's East Asian Width and emoji data, kept current by
 * its maintainers); text is cut only between grapheme clusters, so an emoji family (👨‍👩‍👧) or
 * a flag (🇨🇭) is kept or dropped whole.
 */

import stringWidth from "string-width";

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/**
 * Grapheme clusters, lazily, so a cut stops reading where it cuts; printable ASCII skips the
 * segmenter, which is slow on Node 20.
 */
function* clusters(text: string): Generator<string> {
  if (PRINTABLE_ASCII.test(text)) {
    yield* text;
    return;
  }
  for (const part of graphemes.segment(text)) yield part.segment;
}

/**
 * One grapheme cluster's columns. Printable ASCII, most of any name, is one column without
 * asking string-width, which segments and strips its input on every call
 * (`npx tsx bench/text-width-bench.ts` prints the cost).
 */
function clusterWidth(cluster: string): number {
  return cluster.length === 1 && cluster >= " " && cluster <= "~" ? 1 : stringWidth(cluster);
}

/** Columns the text occupies in a terminal, ANSI escape sequences excluded. */
export function visibleWidth(text: string): number {
  return stringWidth(text);
}

/** Shortens plain (escape-free) text to `width` columns, ending in `…` when it had to cut. */
export function truncateToWidth(text: string, width: number): string {
  if (PRINTABLE_ASCII.test(text)) {
    return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
  }
  let kept = "";
  let cut: string | null = null;
  let used = 0;
  for (const cluster of clusters(text)) {
    const w = clusterWidth(cluster);
    // Where the text is cut if it turns out too wide: room is left for the ellipsis.
    if (cut === null && used + w > width - 1) cut = kept;
    used += w;
    if (used > width) return `${cut ?? kept}…`;
    kept += cluster;
  }
  return text;
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
    const w = clusterWidth(cluster);
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
