import { z } from "zod";
import { findTitlePatternProblem } from "../domain/index";
import { DATE_EXAMPLE, TIME_EXAMPLE, findDateProblem, findTimeProblem } from "./iso-time";
import { OversizedNumber } from "./oversized-numbers";

/**
 * The workspace file of SPEC §11, as it is written on disk: ISO times, optional fields with their
 * defaults. Strict everywhere, so a typo is an error rather than a silently changed number.
 */

const isoTime = z
  .string({
    error: (issue) =>
      `expected an ISO 8601 time such as "${TIME_EXAMPLE}", got ${describe(issue.input)}`,
  })
  .check(refuseWith(findTimeProblem));
/** A calendar date that exists, years 1970–9999 (SPEC §11). */
export const isoDate = z
  .string({
    error: (issue) => `expected a date such as "${DATE_EXAMPLE}", got ${describe(issue.input)}`,
  })
  .check(refuseWith(findDateProblem));
const id = z.string().min(1, { error: "expected a non-empty id" });
const statusSchema = z.enum(["todo", "inProgress", "done", "canceled"]);
const categorySchema = z.enum(["roadmap", "investment"]);

const nullableNumber = z
  .number({
    error: (issue) =>
      issue.code === "invalid_type"
        ? `expected number or null, got ${describe(issue.input)}`
        : undefined,
  })
  .min(0)
  .nullable();

const ruleSchema = z.strictObject({
  if: z.strictObject({
    type: z.array(z.string()).optional(),
    labels: z.array(z.string()).optional(),
    components: z.array(z.string()).optional(),
    project: z.array(z.string()).optional(),
    titleMatches: z.string().check(refuseWith(findTitlePatternProblem)).optional(),
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
  /** Absent: `delivered` (SPEC §2); left out rather than defaulted, so files round-trip. */
  actual: z.enum(["delivered", "spent"]).optional(),
});

export const targetFileSchema = z.strictObject({
  /** null: the org target (SPEC §2). */
  teamId: id.nullable(),
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
  z.strictObject({
    at: isoTime,
    field: z.literal("assignee"),
    from: id.nullable(),
    to: id.nullable(),
  }),
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
  /** Absent: null (SPEC §2); left out rather than defaulted, so files round-trip. */
  assignee: id.nullable().optional(),
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

/** A check that adds the problem `find` names, in its words, as the value's issue. */
function refuseWith(find: (value: string) => string | null) {
  return (context: z.core.ParsePayload<string>): void => {
    const problem = find(context.value);
    if (problem !== null)
      context.issues.push({ code: "custom", message: problem, input: context.value });
  };
}

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
  if (value instanceof OversizedNumber) return `${shorten(value.text)}, a number too large to hold`;
  if (Number.isNaN(value)) return "NaN, not a number";
  if (typeof value === "number" && !Number.isFinite(value)) return "a number too large to hold";
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object") return "an object";
  return shorten(JSON.stringify(value) ?? `a ${typeof value}`);
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
