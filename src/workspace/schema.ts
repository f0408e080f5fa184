import { z } from "zod";
import { findTitlePatternProblem } from "../domain/title-pattern";

/**
 * The workspace file of SPEC §11, as it is written on disk: ISO times, optional fields with their
 * defaults. Strict everywhere, so a typo is an error rather than a silently changed number.
 */

const isoTime = z.iso.datetime({
  offset: true,
  error: (issue) =>
    `expected an ISO 8601 time such as "2026-07-01T00:00:00Z", got ${describe(issue.input)}`,
});
const isoDate = z.iso.date({
  error: (issue) => `expected a date such as "2026-07-01", got ${describe(issue.input)}`,
});
const id = z.string().min(1, { error: "expected a non-empty id" });
const statusSchema = z.enum(["todo", "inProgress", "done", "canceled"]);
const categorySchema = z.enum(["roadmap", "investment"]);

const nullableNumber = z
  .number({ error: (issue) => `expected number or null, got ${describe(issue.input)}` })
  .nullable();

const ruleSchema = z.strictObject({
  if: z.strictObject({
    type: z.array(z.string()).optional(),
    labels: z.array(z.string()).optional(),
    components: z.array(z.string()).optional(),
    project: z.array(z.string()).optional(),
    titleMatches: z
      .string()
      .check((context) => {
        const problem = findTitlePatternProblem(context.value);
        if (problem !== null)
          context.issues.push({ code: "custom", message: problem, input: context.value });
      })
      .optional(),
  }),
  then: categorySchema,
});

export const teamFileSchema = z.strictObject({
  id,
  name: z.string(),
  source: z.enum(["jira", "linear", "file"]).default("file"),
  unit: z.enum(["points", "issues"]).default("points"),
  unestimatedWeight: z.number().nonnegative().default(1),
  timezone: z
    .string()
    .refine(isValidTimezone, { error: 'expected an IANA timezone such as "Europe/Zurich"' })
    .default("UTC"),
  labels: z.strictObject({ roadmap: z.string().min(1), investment: z.string().min(1) }).optional(),
  rules: z.array(ruleSchema).default([]),
});

export const targetFileSchema = z.strictObject({
  teamId: id,
  investmentShare: z.number().min(0).max(1),
  tolerance: z.number().min(0).max(0.5),
  effectiveFrom: isoDate,
  setBy: z.string(),
  reason: z.string(),
});

export const sprintFileSchema = z.strictObject({
  id,
  teamId: id,
  name: z.string(),
  startAt: isoTime,
  endAt: isoTime,
  completeAt: isoTime.nullable().default(null),
});

const historyEventSchema = z.discriminatedUnion("field", [
  z.strictObject({
    at: isoTime,
    field: z.literal("sprint"),
    from: z.array(id),
    to: z.array(id),
  }),
  z.strictObject({
    at: isoTime,
    field: z.literal("estimate"),
    from: nullableNumber,
    to: nullableNumber,
  }),
  z.strictObject({ at: isoTime, field: z.literal("status"), from: statusSchema, to: statusSchema }),
]);

export const itemFileSchema = z.strictObject({
  id,
  teamId: id,
  title: z.string(),
  type: z.string().default("Task"),
  labels: z.array(z.string()).default([]),
  components: z.array(z.string()).default([]),
  project: z.string().nullable().default(null),
  parentId: id.nullable().default(null),
  estimate: nullableNumber.default(null),
  status: statusSchema,
  createdAt: isoTime,
  completedAt: isoTime.nullable().default(null),
  sprintIds: z.array(id).default([]),
  history: z.array(historyEventSchema).default([]),
});

export const workspaceFileSchema = z.strictObject({
  version: z.literal(1),
  settings: z
    .strictObject({ fiscalYearStartMonth: z.number().int().min(1).max(12).default(1) })
    .default({ fiscalYearStartMonth: 1 }),
  teams: z.array(teamFileSchema),
  targets: z.array(targetFileSchema).default([]),
  sprints: z.array(sprintFileSchema).default([]),
  items: z.array(itemFileSchema).default([]),
});

/** What a workspace file may hold (optional fields may be left out). */
export type WorkspaceFile = z.input<typeof workspaceFileSchema>;
/** A workspace file after defaults were applied. */
export type ParsedWorkspaceFile = z.output<typeof workspaceFileSchema>;

function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** How a value that failed validation is shown in a message: `"5"`, `null`, `an object`. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object") return "an object";
  const text = JSON.stringify(value) ?? `a ${typeof value}`;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
