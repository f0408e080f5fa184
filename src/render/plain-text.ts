/**
 * Tracker text as plain text. Titles, names, labels and messages come from anyone who can type
 * in Jira or Linear, so before they reach a terminal or a document every character that is a
 * command rather than text is made visible as U+FFFD: C0 controls (ESC starts a terminal escape
 * sequence, CR returns to the line start and overwrites it), DEL, C1 controls (U+009B is a
 * one-byte CSI), and the bidirectional controls that reorder what is displayed without changing
 * what is stored (Unicode TR #9; CVE-2021-42574, "Trojan Source").
 */

const BIDI_CONTROLS = "\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069";
const UNSAFE = new RegExp(`[\\p{Cc}${BIDI_CONTROLS}]`, "gu");
/** What `JSON.stringify` leaves raw of the above: it escapes C0 itself. */
const UNSAFE_IN_JSON = new RegExp(`[\\u007F-\\u009F${BIDI_CONTROLS}]`, "g");
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

export const REPLACEMENT = "\uFFFD";

/**
 * User text on one line, neutralised: runs of tabs and line breaks become one space (a newline
 * would start a table row, a markdown block or a forged output line), every other control or
 * bidi character becomes U+FFFD.
 */
export function cleanText(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(UNSAFE, REPLACEMENT);
}

/**
 * Text of several lines for a terminal (an error message listing problems, a summary): each
 * line cleaned as by `cleanText`, the line breaks between them kept.
 */
export function cleanLines(text: string): string {
  return text.split(/\r?\n/).map(cleanText).join("\n");
}

/**
 * JSON from `JSON.stringify` for a terminal, the same value: it escapes C0 controls in strings
 * but writes DEL, C1 and bidi controls raw, so those become `\uXXXX` escapes, which any JSON
 * reader turns back into the same string.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(
    UNSAFE_IN_JSON,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
}

/**
 * Whether `url` is a page of Linear's app (`https://linear.app/…`, no port or credentials): the
 * only outside address tracker data may become a link to.
 */
export function isLinearAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === "https:" &&
      parsed.hostname === "linear.app" &&
      parsed.port === "" &&
      parsed.username === "" &&
      parsed.password === ""
    );
  } catch {
    return false;
  }
}
