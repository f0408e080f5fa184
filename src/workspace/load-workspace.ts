import type { z } from "zod";
import type { HistoryEvent, Item, Sprint, Target, Team, Workspace } from "../domain/index";
import { restoreOversizedNumbers } from "./oversized-numbers";
import { describe, workspaceFileSchema, type ParsedWorkspaceFile } from "./schema";

export type LoadResult =
  | { readonly ok: true; readonly workspace: Workspace }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Default explicit labels per source (SPEC §3). */
export const DEFAULT_LABELS = {
  jira: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
  file: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
  linear: { roadmap: "Roadmap", investment: "Investment" },
} as const;

/**
 * Parses the text of a workspace file: JSON, then the schema of SPEC §11, then the references
 * between its parts. Every problem is one line with its JSON path.
 */
export function parseWorkspaceText(text: string): LoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [`(file): not valid JSON: ${reason}`] };
  }
  restoreOversizedNumbers(json, text);
  return parseWorkspace(json);
}

/**
 * Validates an already parsed JSON value as a workspace file and turns it into the domain model.
 * `otherItemIds` names items validated earlier that a caller adds to the result itself (a board
 * whose unchanged items are kept): a parent among them is known.
 */
export function parseWorkspace(
  input: unknown,
  options: { readonly otherItemIds?: ReadonlySet<string> } = {},
): LoadResult {
  const parsed = workspaceFileSchema.safeParse(input, { reportInput: true, error: messageFor });
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error.issues) };
  const problems = checkReferences(parsed.data, options.otherItemIds);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, workspace: toDomain(parsed.data) };
}

/** `items[3].estimate` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        lines.push(
          `${formatPath([...issue.path, key])}: unknown field (not part of the workspace format)`,
        );
      }
    } else {
      lines.push(`${formatPath(issue.path)}: ${issue.message}`);
    }
  }
  return lines;
}

/** Zod error map for messages a person can act on: `expected number or null, got "5"`. */
export function messageFor(issue: z.core.$ZodRawIssue): string | undefined {
  const got = describe(issue.input);
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `missing (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${got}`;
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${got}`;
    case "invalid_union":
      if ("options" in issue && Array.isArray(issue.options)) {
        const options = (issue.options as unknown[]).map((v) => JSON.stringify(v)).join(" or ");
        const value =
          issue.input !== null && typeof issue.input === "object" && "field" in issue.input
            ? describe(issue.input.field)
            : got;
        return `expected ${options}, got ${value}`;
      }
      return undefined;
    case "too_big":
      return tooBig(issue);
    case "too_small":
      return tooSmall(issue);
    case "unrecognized_keys":
      return `unknown ${issue.keys.length === 1 ? "field" : "fields"} ${issue.keys.map((key) => JSON.stringify(shorten(key))).join(", ")}: leave ${issue.keys.length === 1 ? "it" : "them"} out`;
    case "not_multiple_of":
      return `expected a whole number, got ${got}`;
    default:
      return undefined;
  }
}

function checkReferences(
  file: ParsedWorkspaceFile,
  otherItemIds: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  const teamIds = duplicatesCheck(file.teams, "teams", problems);
  const sprintIds = duplicatesCheck(file.sprints, "sprints", problems);
  const itemIds = duplicatesCheck(file.items, "items", problems);
  const unknown = (path: string, what: string, value: string) =>
    problems.push(`${path}: unknown ${what} ${JSON.stringify(value)}`);

  file.targets.forEach((target, i) => {
    if (target.teamId !== null && !teamIds.has(target.teamId)) {
      unknown(`targets[${i}].teamId`, "team", target.teamId);
    }
  });
  file.sprints.forEach((sprint, i) => {
    if (!teamIds.has(sprint.teamId)) unknown(`sprints[${i}].teamId`, "team", sprint.teamId);
    for (const end of ["endAt", "completeAt"] as const) {
      const at = sprint[end];
      if (at !== null && Date.parse(at) < Date.parse(sprint.startAt)) {
        problems.push(
          `sprints[${i}].${end}: ${at} is before the sprint's startAt ${sprint.startAt}`,
        );
      }
    }
  });
  const sprintTeam = new Map(file.sprints.map((sprint) => [sprint.id, sprint.teamId]));
  file.items.forEach((item, i) => {
    const at = `items[${i}]`;
    if (!teamIds.has(item.teamId)) unknown(`${at}.teamId`, "team", item.teamId);
    const checkSprint = (path: string, sprintId: string) => {
      if (!sprintIds.has(sprintId)) unknown(path, "sprint", sprintId);
      else if (teamIds.has(item.teamId) && sprintTeam.get(sprintId) !== item.teamId) {
        problems.push(
          `${path}: sprint ${JSON.stringify(sprintId)} belongs to team ${JSON.stringify(sprintTeam.get(sprintId))}, not to the item's team ${JSON.stringify(item.teamId)}`,
        );
      }
    };
    item.sprintIds.forEach((sprintId, j) => checkSprint(`${at}.sprintIds[${j}]`, sprintId));
    if (item.parentId !== null) {
      if (item.parentId === item.id)
        problems.push(`${at}.parentId: an item cannot be its own parent`);
      else if (!itemIds.has(item.parentId) && !otherItemIds.has(item.parentId)) {
        unknown(`${at}.parentId`, "item", item.parentId);
      }
    }
    item.history.forEach((event, j) => {
      if (event.field !== "sprint") return;
      for (const side of ["from", "to"] as const) {
        event[side].forEach((sprintId, k) => {
          checkSprint(`${at}.history[${j}].${side}[${k}]`, sprintId);
        });
      }
    });
  });
  return problems;
}

function duplicatesCheck(
  list: readonly { readonly id: string }[],
  name: string,
  problems: string[],
): Set<string> {
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    if (seen.has(entry.id))
      problems.push(`${name}[${i}].id: duplicate id ${JSON.stringify(entry.id)}`);
    seen.add(entry.id);
  });
  return seen;
}

function toDomain(file: ParsedWorkspaceFile): Workspace {
  const teams: Team[] = file.teams.map((team) => ({
    id: team.id,
    name: team.name,
    source: team.source,
    unit: team.unit,
    unestimatedWeight: team.unestimatedWeight,
    timezone: team.timezone,
    labels: team.labels ?? DEFAULT_LABELS[team.source],
    rules: team.rules,
    actual: team.actual ?? "delivered",
  }));
  const targets: Target[] = file.targets.map((target) => ({ ...target }));
  const sprints: Sprint[] = file.sprints.map((sprint) => ({
    id: sprint.id,
    teamId: sprint.teamId,
    name: sprint.name,
    startAt: Date.parse(sprint.startAt),
    endAt: Date.parse(sprint.endAt),
    completeAt: sprint.completeAt === null ? null : Date.parse(sprint.completeAt),
  }));
  const items: Item[] = file.items.map((item) => ({
    ...item,
    assignee: item.assignee ?? null,
    createdAt: Date.parse(item.createdAt),
    completedAt: item.completedAt === null ? null : Date.parse(item.completedAt),
    history: item.history.map((event): HistoryEvent => ({ ...event, at: Date.parse(event.at) })),
  }));
  return {
    version: 1,
    settings: { fiscalYearStartMonth: file.settings.fiscalYearStartMonth },
    teams,
    targets,
    sprints,
    items,
  };
}

/** A length in words: a string's in characters, an array's in items. */
function lengthOf(input: unknown, count: number | bigint): string {
  if (typeof input === "string")
    return `${String(count)} ${count === 1 ? "character" : "characters"}`;
  if (Array.isArray(input)) return `${String(count)} ${count === 1 ? "item" : "items"}`;
  return String(count);
}

function tooBig(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooBig>): string {
  const { input, maximum } = issue;
  if (typeof input === "string" || Array.isArray(input)) {
    return `expected at most ${lengthOf(input, maximum)}, got ${lengthOf(input, input.length)}`;
  }
  return `expected ${issue.inclusive === false ? "less than" : "at most"} ${String(maximum)}, got ${describe(input)}`;
}

function tooSmall(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooSmall>): string {
  const { input, minimum } = issue;
  if (typeof input === "string" && Number(minimum) <= 1) return "expected a non-empty string";
  if (typeof input === "string" || Array.isArray(input)) {
    return `expected at least ${lengthOf(input, minimum)}, got ${lengthOf(input, input.length)}`;
  }
  return `expected ${issue.inclusive === false ? "more than" : "at least"} ${String(minimum)}, got ${describe(input)}`;
}

/** A name sent in a payload, quoted no longer than a line. */
function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
