import type { z } from "zod";
import { messageFor } from "../workspace/index";
import { AppError } from "./app-error";

/** Fields whose words are not simply their name's: ids stand for the thing they name. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  boardId: "board",
  jobId: "bulk change",
  requestId: "request",
  issueKey: "issue key",
  issueKeys: "issue keys",
  titleMatches: "title pattern",
  effectiveFrom: "effective date",
};

/** A field's name as a person says it: `effectiveFrom` → "effective from". */
const wordsOf = (key: string): string =>
  FIELD_WORDS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();

/** Where in the request a problem is, in words: `issueKeys[2]` → "issue keys, item 3". */
function placeOf(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (const key of path) {
    if (typeof key === "number") parts.push(`item ${key + 1}`);
    else parts.push(wordsOf(String(key)));
  }
  return parts.join(", ");
}

/**
 * A payload that is none of a union's shapes is told what is wrong with the shape it comes
 * closest to (the one with the fewest problems), not just that it is none of them.
 */
function closestBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
  const [closest = []] = [...issue.errors].sort((a, b) => a.length - b.length);
  return closest.flatMap((inner) =>
    closestBranch({ ...inner, path: [...issue.path, ...inner.path] }),
  );
}

/**
 * A resolver's payload parsed with its schema, or a BAD_REQUEST that names every problem and where
 * it is in words a person uses (`issue keys, item 1: expected an issue key such as PAY-12`), never
 * the payload's field names.
 */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload, { reportInput: true, error: messageFor });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap(closestBranch).map((issue) => {
    const where = placeOf(issue.path);
    return where === "" ? issue.message : `${where}: ${issue.message}`;
  });
  throw new AppError("BAD_REQUEST", `Invalid request: ${problems.join("; ")}.`);
}
