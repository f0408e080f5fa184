import { RE2JS, RE2JSException } from "re2js";

/**
 * A rule's `titleMatches`, compiled for RE2's linear-time engine (SPEC §3, §11): matching costs
 * time in proportion to the title whatever the pattern, so no title and no pattern can hang a
 * report. re2js is plain JavaScript, so the same engine runs in Node, in Forge functions and in
 * the browser.
 */
export interface TitlePattern {
  test(title: string): boolean;
}

/**
 * SPEC §3: `titleMatches` as a case-insensitive RE2 pattern that matches anywhere in the title.
 * Throws an error naming the pattern and the reason when it is not valid RE2 syntax.
 */
export function compileTitlePattern(source: string): TitlePattern {
  try {
    return RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    throw new Error(
      `Title pattern ${JSON.stringify(source)} is ${describeFailure(error, source)}`,
      {
        cause: error,
      },
    );
  }
}

/** A title pattern is a line a person types, not a document: longer ones are refused unread. */
export const TITLE_PATTERN_MAX = 500;

/**
 * SPEC §11: why `source` cannot be a `titleMatches`, in words (`not a valid pattern (RE2 syntax:
 * no backreferences, lookahead or lookbehind): invalid escape sequence: \`\1\``); null when it can.
 */
export function findTitlePatternProblem(source: string): string | null {
  if (source.length > TITLE_PATTERN_MAX) {
    return `${source.length} characters long, more than the ${TITLE_PATTERN_MAX} a pattern may have`;
  }
  try {
    RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return null;
  } catch (error) {
    return describeFailure(error, source);
  }
}

function describeFailure(error: unknown, source: string): string {
  if (!(error instanceof RE2JSException)) throw error;
  // The case-insensitive flag is compiled in as a "(?i)" prefix that RE2 would quote back in its
  // reason; the same pattern without the flag fails for the same reason and quotes what was typed.
  let reason = error.message;
  try {
    RE2JS.compile(source);
  } catch (plain) {
    if (plain instanceof RE2JSException) reason = plain.message;
  }
  // RE2's "error parsing regexp: " prefix says nothing the sentence around it doesn't.
  reason = reason.replace(/^error parsing regexp: /, "");
  return `not a valid pattern (RE2 syntax: no backreferences, lookahead or lookbehind): ${reason}`;
}
