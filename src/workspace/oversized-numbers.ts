/**
 * JSON numbers beyond what a double holds (`1e400`): `JSON.parse` turns them into `Infinity`, which
 * a message would then show as `null` (what `JSON.stringify(Infinity)` gives). This puts the text
 * that was written back in their place, so a message names what the file says.
 */

/** A number written in JSON that is too large for a double; `text` is as written, e.g. `1e400`. */
export class OversizedNumber {
  constructor(readonly text: string) {}
}

/** Only a literal with a three-digit exponent or 309 digits can overflow a double. */
const MAY_OVERFLOW = /[eE]\+?\d{3}|\d{309}/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Replaces every infinite number in `value` (parsed from `text` by `JSON.parse`) with an
 * `OversizedNumber` carrying its literal. Costs one test of `text` unless a literal may overflow.
 */
export function restoreOversizedNumbers(value: unknown, text: string): void {
  if (!MAY_OVERFLOW.test(text)) return;
  for (const { path, literal } of findOversizedLiterals(text)) {
    const key = path.at(-1);
    let parent: unknown = value;
    // A later duplicate key may have replaced a container on the path with a number or null.
    for (const step of path.slice(0, -1)) {
      if (parent === null || typeof parent !== "object") break;
      parent = (parent as Record<PropertyKey, unknown>)[step];
    }
    if (key === undefined || parent === null || typeof parent !== "object") continue;
    const holder = parent as Record<PropertyKey, unknown>;
    // A duplicate key keeps its last value in JSON.parse; only an infinite one is replaced.
    const current = holder[key];
    if (typeof current === "number" && !Number.isFinite(current)) {
      holder[key] = new OversizedNumber(literal);
    }
  }
}

/**
 * The path and literal of each number in `text` (valid JSON) that parses to ±Infinity. A single
 * pass with an explicit stack, so nesting as deep as JSON.parse accepts cannot overflow the stack.
 */
function findOversizedLiterals(text: string): { path: (string | number)[]; literal: string }[] {
  const found: { path: (string | number)[]; literal: string }[] = [];
  const path: (string | number)[] = [];
  const inArray: boolean[] = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (c === "{" || c === "[") {
      inArray.push(c === "[");
      path.push(c === "[" ? 0 : "");
      expectKey = c === "{";
      i++;
    } else if (c === "}" || c === "]") {
      inArray.pop();
      path.pop();
      i++;
    } else if (c === ",") {
      const last = path.length - 1;
      if (inArray.at(-1) === true) path[last] = (path[last] as number) + 1;
      else expectKey = true;
      i++;
    } else if (c === '"') {
      const end = closingQuote(text, i);
      if (expectKey) path[path.length - 1] = JSON.parse(text.slice(i, end + 1)) as string;
      expectKey = false;
      i = end + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)?.[0] ?? c;
      if (!Number.isFinite(Number(literal))) found.push({ path: [...path], literal });
      i += literal.length;
    } else {
      // Whitespace, ':' and the letters of true, false and null.
      i++;
    }
  }
  return found;
}

/** The index of the quote that ends the string opening at `start`, skipping escaped quotes. */
function closingQuote(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length - 1;
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === "\\") backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
