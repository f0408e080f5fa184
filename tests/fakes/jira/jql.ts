import type { FakeIssue } from "./site";

/**
 * The sliver of JQL the client and the bench's naive client send: clauses joined by AND, with
 * parentheses, on `project`, `sprint`, `key`/`issuekey`/`id`, with `=`, `!=`, `in`, `not in`, and an
 * ORDER BY the fake honours as issue order (Rank, key, id and created all follow creation here);
 * and `updated` compared (`>=`, `>`, `<=`, `<`) with a period before now (`"-15m"`, `"-2h"`, `"-1d"`,
 * `"-1w"`) or a date (`"yyyy/MM/dd HH:mm"`, `"yyyy-MM-dd HH:mm"`, read as UTC here, in the user's
 * timezone by Jira), the formats of Jira's `updated` field
 * (https://support.atlassian.com/jira-software-cloud/docs/jql-fields/#Updated).
 * Anything else is an error worded like Jira's, so a client that sends more finds out.
 */

export class JqlError extends Error {}

export interface Query {
  readonly matches: (issue: FakeIssue) => boolean;
  readonly descending: boolean;
}

type Token = { kind: "word" | "string" | "op" | "paren" | "comma"; text: string };

export function parseJql(jql: string, now: number = Date.now()): Query {
  const tokens = tokenize(jql);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const next = (): Token => {
    const token = tokens[position++];
    if (token === undefined)
      throw new JqlError("Error in the JQL Query: unexpected end of the query.");
    return token;
  };
  const isWord = (token: Token | undefined, word: string) =>
    token?.kind === "word" && token.text.toLowerCase() === word;

  const parseValue = (): string[] => {
    const token = next();
    if (token.kind === "paren" && token.text === "(") {
      const values: string[] = [];
      for (;;) {
        const value = next();
        if (value.kind !== "word" && value.kind !== "string") {
          throw new JqlError(`Error in the JQL Query: expected a value but got '${value.text}'.`);
        }
        values.push(value.text);
        const separator = next();
        if (separator.kind === "paren" && separator.text === ")") return values;
        if (separator.kind !== "comma")
          throw new JqlError("Error in the JQL Query: expected ',' or ')'.");
      }
    }
    if (token.kind !== "word" && token.kind !== "string") {
      throw new JqlError(`Error in the JQL Query: expected a value but got '${token.text}'.`);
    }
    return [token.text];
  };

  const parseClause = (): ((issue: FakeIssue) => boolean) => {
    const first = peek();
    if (first?.kind === "paren" && first.text === "(") {
      next();
      const inner = parseAnd();
      const close = next();
      if (close.text !== ")") throw new JqlError("Error in the JQL Query: expected ')'.");
      return inner;
    }
    const field = next();
    if (field.kind !== "word")
      throw new JqlError(`Error in the JQL Query: unexpected '${field.text}'.`);
    let operator = next().text.toLowerCase();
    if (operator === "not" && isWord(peek(), "in")) {
      next();
      operator = "not in";
    }
    if (COMPARISONS.has(operator)) {
      if (field.text.toLowerCase() !== "updated") {
        throw new JqlError(
          `The operator '${operator}' is not supported by the fake Jira for '${field.text}'.`,
        );
      }
      const [value = ""] = parseValue();
      return compareUpdated(operator, parseDate(value, now));
    }
    if (!["=", "!=", "in", "not in"].includes(operator)) {
      throw new JqlError(`The operator '${operator}' is not supported by the fake Jira.`);
    }
    const values = parseValue().map((value) => value.toLowerCase());
    const read = accessor(field.text);
    const negate = operator === "!=" || operator === "not in";
    return (issue) => read(issue).some((value) => values.includes(value.toLowerCase())) !== negate;
  };

  const parseAnd = (): ((issue: FakeIssue) => boolean) => {
    const clauses = [parseClause()];
    while (isWord(peek(), "and")) {
      next();
      clauses.push(parseClause());
    }
    if (isWord(peek(), "or")) throw new JqlError("OR is not supported by the fake Jira.");
    return (issue) => clauses.every((clause) => clause(issue));
  };

  const matches = isWord(peek(), "order") ? () => true : parseAnd();
  let descending = false;
  if (isWord(peek(), "order")) {
    next();
    if (!isWord(next(), "by"))
      throw new JqlError("Error in the JQL Query: expected 'by' after 'order'.");
    next();
    if (isWord(peek(), "desc")) descending = true;
    while (position < tokens.length) next();
  }
  if (position < tokens.length) {
    throw new JqlError(`Error in the JQL Query: unexpected '${peek()?.text ?? ""}'.`);
  }
  return { matches, descending };
}

const COMPARISONS = new Set([">=", ">", "<=", "<"]);

function compareUpdated(operator: string, at: number): (issue: FakeIssue) => boolean {
  switch (operator) {
    case ">=":
      return (issue) => issue.updated >= at;
    case ">":
      return (issue) => issue.updated > at;
    case "<=":
      return (issue) => issue.updated <= at;
    default:
      return (issue) => issue.updated < at;
  }
}

const PERIOD_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** A JQL date: a period before now (`-15m`) or `yyyy/MM/dd[ HH:mm]` (UTC in the fake). */
function parseDate(text: string, now: number): number {
  const period = /^(-?)(\d+)([mhdw])$/.exec(text.trim());
  if (period) {
    const ms = Number(period[2]) * (PERIOD_MS[period[3] ?? "m"] ?? 60_000);
    return period[1] === "-" ? now - ms : now + ms;
  }
  const date = /^(\d{4})[/-](\d{2})[/-](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text.trim());
  if (date) {
    const [, y, mo, d, h = "00", mi = "00"] = date;
    return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:00Z`);
  }
  throw new JqlError(
    `Date value '${text}' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

function accessor(field: string): (issue: FakeIssue) => string[] {
  switch (field.toLowerCase()) {
    case "project":
      return (issue) => [issue.projectKey];
    case "sprint":
      return (issue) => issue.sprintIds.map(String);
    case "key":
    case "issuekey":
    case "issue":
    case "id":
      return (issue) => [issue.key, issue.id];
    case "labels":
      return (issue) => issue.labels;
    default:
      throw new JqlError(
        `Field '${field}' does not exist or you do not have permission to view it.`,
      );
  }
}

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(!=|>=|<=|=|>|<)|([(),])|([^\s(),=!<>"']+))\s*/y;
  let position = 0;
  while (position < jql.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(jql);
    if (match === null) {
      throw new JqlError(`Error in the JQL Query: cannot read '${jql.slice(position)}'.`);
    }
    position = pattern.lastIndex;
    const [, doubleQuoted, singleQuoted, operator, punctuation, word] = match;
    if (doubleQuoted !== undefined) tokens.push({ kind: "string", text: doubleQuoted });
    else if (singleQuoted !== undefined) tokens.push({ kind: "string", text: singleQuoted });
    else if (operator !== undefined) tokens.push({ kind: "op", text: operator });
    else if (punctuation === ",") tokens.push({ kind: "comma", text: "," });
    else if (punctuation !== undefined) tokens.push({ kind: "paren", text: punctuation });
    else if (word !== undefined) tokens.push({ kind: "word", text: word });
  }
  return tokens;
}
