import type { z } from "zod";
import { formatPath, messageFor } from "../workspace/index";
import { AppError } from "./app-error";

/**
 * A resolver's payload parsed with its schema, or a BAD_REQUEST that names every problem with its
 * path (`issueKeys[0]: expected an issue key such as PAY-12`), worded as the workspace file's are.
 */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload, { reportInput: true, error: messageFor });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${formatPath(issue.path)}: ${issue.message}`,
  );
  throw new AppError("BAD_REQUEST", `Invalid request: ${problems.join("; ")}.`);
}
