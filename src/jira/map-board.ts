import { DEFAULT_LABELS, type WorkspaceFile } from "../workspace/index";
import type { ChangeHistory, ChangeItem, JiraIssue, JiraSprint, JiraStatus } from "./schemas";

/**
 * Maps what was read from one Jira board to the workspace file of SPEC §11: one team, its sprints,
 * its items with histories rebuilt from the changelog. Pure; the pull does the reading.
 */

export type TeamFile = WorkspaceFile["teams"][number];
export type SprintFile = NonNullable<WorkspaceFile["sprints"]>[number];
export type ItemFile = NonNullable<WorkspaceFile["items"]>[number];
export type HistoryFile = NonNullable<ItemFile["history"]>[number];
type StatusValue = ItemFile["status"];

/** Resolutions that mean the work was dropped rather than done (SPEC §2); a setting. */
export const DEFAULT_DROPPED_RESOLUTIONS: readonly string[] = [
  "Won't Do",
  "Duplicate",
  "Cannot Reproduce",
  "Declined",
];

/** What a team's mapping uses for each option the caller leaves out. */
export const TEAM_OPTION_DEFAULTS = {
  timezone: "UTC",
  labels: DEFAULT_LABELS.jira,
  rules: [],
  unestimatedWeight: 1,
} as const satisfies Required<Omit<TeamOptions, "droppedResolutions">>;

/** What the caller decides about the team; Jira does not know it. */
export interface TeamOptions {
  /** The team's IANA timezone (quarters and target dates follow it). Default `UTC`. */
  readonly timezone?: string;
  readonly labels?: { readonly roadmap: string; readonly investment: string };
  readonly rules?: TeamFile["rules"];
  readonly unestimatedWeight?: number;
  readonly droppedResolutions?: readonly string[];
}

export interface BoardSnapshot {
  readonly board: { readonly id: number; readonly name: string };
  readonly unit: "points" | "issues";
  readonly sprintFieldId: string | null;
  readonly estimateFieldId: string | null;
  readonly statuses: readonly JiraStatus[];
  readonly sprints: readonly JiraSprint[];
  readonly issues: readonly JiraIssue[];
  /** Changelog histories by issue id, filtered to status, resolution, assignee, sprint and estimate. */
  readonly changelogs: ReadonlyMap<string, readonly ChangeHistory[]>;
  /**
   * Every issue key of the board when `issues` holds only some of them (a refresh maps the
   * changed ones): a parent is in the board when its key is here. Default: the keys of `issues`.
   */
  readonly boardKeys?: ReadonlySet<string>;
}

export interface MappedBoard {
  readonly team: TeamFile;
  readonly sprints: SprintFile[];
  readonly items: ItemFile[];
  /** What the mapping left out or adjusted, one sentence each, for the person running the pull. */
  readonly notes: string[];
}

export function mapBoard(snapshot: BoardSnapshot, options: TeamOptions = {}): MappedBoard {
  const notes: string[] = [];
  const teamId = String(snapshot.board.id);
  const team: TeamFile = {
    id: teamId,
    name: snapshot.board.name,
    source: "jira",
    unit: snapshot.unit,
    unestimatedWeight: options.unestimatedWeight ?? TEAM_OPTION_DEFAULTS.unestimatedWeight,
    timezone: options.timezone ?? TEAM_OPTION_DEFAULTS.timezone,
    labels: options.labels ?? { ...TEAM_OPTION_DEFAULTS.labels },
    rules: options.rules ?? [],
  };
  const sprints = mapSprints(snapshot.sprints, teamId, notes);
  const known = new Set(sprints.map((sprint) => sprint.id));
  const dropped = new Set((options.droppedResolutions ?? DEFAULT_DROPPED_RESOLUTIONS).map(fold));
  const categories = statusCategories(snapshot.statuses);
  const keys = snapshot.boardKeys ?? new Set(snapshot.issues.map((issue) => issue.key));
  let outsideParents = 0;
  const items = snapshot.issues.map((issue) => {
    const parentInBoard = issue.parentKey !== null && keys.has(issue.parentKey);
    if (issue.parentKey !== null && !parentInBoard) outsideParents++;
    return mapIssue(issue, {
      teamId,
      known,
      dropped,
      categories,
      sprintFieldId: snapshot.sprintFieldId,
      estimateFieldId: snapshot.estimateFieldId,
      histories: snapshot.changelogs.get(issue.id) ?? [],
      parentId: parentInBoard ? issue.parentKey : null,
      notes,
    });
  });
  if (outsideParents > 0) {
    notes.push(
      `${outsideParents === 1 ? "1 issue has" : `${outsideParents} issues have`} a parent outside this board; their parent is left out, so they inherit no category from it.`,
    );
  }
  items.sort((a, b) => compareKeys(a.id, b.id));
  return { team, sprints, items, notes };
}

// ---------------------------------------------------------------------------------------------
// Sprints

/**
 * Sprint ids become strings. A future sprint Jira has no dates for yet cannot be placed in time,
 * so it is skipped (and its id removed from every item) rather than given invented dates: the plan
 * of a dateless sprint is not a commitment yet. A closed sprint without `completeDate` uses its
 * `endDate`.
 */
function mapSprints(sprints: readonly JiraSprint[], teamId: string, notes: string[]): SprintFile[] {
  const out: SprintFile[] = [];
  const dateless: string[] = [];
  for (const sprint of sprints) {
    if (sprint.startDate === undefined || sprint.endDate === undefined) {
      dateless.push(sprint.name);
      continue;
    }
    if (Date.parse(sprint.endDate) < Date.parse(sprint.startDate)) {
      notes.push(`Sprint "${sprint.name}" ends before it starts in Jira; it is left out.`);
      continue;
    }
    let completeAt: string | null = null;
    if (sprint.state === "closed") {
      completeAt = sprint.completeDate ?? sprint.endDate;
      if (sprint.completeDate === undefined) {
        notes.push(`Closed sprint "${sprint.name}" has no completion date; its end date is used.`);
      }
      // A sprint started with a start date still ahead can be completed before that date.
      if (Date.parse(completeAt) < Date.parse(sprint.startDate)) {
        notes.push(
          `Sprint "${sprint.name}" was completed before its start date in Jira; it is left out.`,
        );
        continue;
      }
    }
    out.push({
      id: String(sprint.id),
      teamId,
      name: sprint.name,
      startAt: sprint.startDate,
      endAt: sprint.endDate,
      completeAt,
    });
  }
  if (dateless.length > 0) {
    notes.push(
      `${dateless.length === 1 ? "1 sprint without start and end dates is" : `${dateless.length} sprints without start and end dates are`} left out: ${dateless.join(", ")}. Set their dates in Jira to plan against them.`,
    );
  }
  return out.sort(
    (a, b) => Date.parse(a.startAt) - Date.parse(b.startAt) || Number(a.id) - Number(b.id),
  );
}

// ---------------------------------------------------------------------------------------------
// Items

interface IssueContext {
  readonly teamId: string;
  readonly known: ReadonlySet<string>;
  readonly dropped: ReadonlySet<string>;
  readonly categories: StatusCategories;
  readonly sprintFieldId: string | null;
  readonly estimateFieldId: string | null;
  readonly histories: readonly ChangeHistory[];
  readonly parentId: string | null;
  readonly notes: string[];
}

function mapIssue(issue: JiraIssue, context: IssueContext): ItemFile {
  const status = mapStatus(issue.statusCategory, issue.resolution, context.dropped);
  const sprintIds = issue.sprints
    .map((sprint) => String(sprint.id))
    .filter((id) => context.known.has(id));
  const histories = [...context.histories].sort(
    (a, b) => Date.parse(a.created) - Date.parse(b.created) || Number(a.id) - Number(b.id),
  );
  // Changes of different fields at the same moment keep the changelog's order.
  const history = [
    ...consistent(sprintEvents(histories, context), sprintIds, sameList),
    ...consistent(
      estimateEvents(histories, context, issue.key),
      readEstimate(issue, []),
      Object.is,
    ),
    ...consistent(statusEvents(histories, issue, context), status, Object.is),
    ...consistent(assigneeEvents(histories), issue.assignee, Object.is),
  ]
    .sort((a, b) => Date.parse(a.event.at) - Date.parse(b.event.at) || a.order - b.order)
    .map(({ event }) => event);
  return {
    id: issue.key,
    teamId: context.teamId,
    title: issue.summary,
    type: issue.issueType,
    labels: [...issue.labels],
    components: [...issue.components],
    project: issue.projectKey,
    parentId: context.parentId,
    estimate: readEstimate(issue, context.notes),
    status,
    assignee: issue.assignee,
    createdAt: issue.created,
    // Jira stamps a resolution date on dropped work too (SPEC §2 keeps it as completedAt).
    completedAt: status === "done" || status === "canceled" ? issue.resolutionDate : null,
    sprintIds,
    history,
  };
}

/** The issue's estimate, or none with a note when Jira holds a negative one (SPEC §2: ≥ 0). */
function readEstimate(issue: JiraIssue, notes: string[]): number | null {
  if (issue.estimate === null || issue.estimate >= 0) return issue.estimate;
  notes.push(`${issue.key}: estimate ${issue.estimate} is negative; read as none.`);
  return null;
}

/**
 * SPEC §2: status category `new` → todo, `indeterminate` → inProgress, `done` → done, except a
 * resolution that means dropped work → canceled. Jira's "No category" (`undefined`) counts as todo.
 */
export function mapStatus(
  categoryKey: string,
  resolution: string | null,
  dropped: ReadonlySet<string>,
): StatusValue {
  switch (categoryKey) {
    case "done":
      return resolution !== null && dropped.has(fold(resolution)) ? "canceled" : "done";
    case "indeterminate":
      return "inProgress";
    default:
      return "todo";
  }
}

type SprintEvent = Extract<HistoryFile, { field: "sprint" }>;
type EstimateEvent = Extract<HistoryFile, { field: "estimate" }>;
type StatusEvent = Extract<HistoryFile, { field: "status" }>;
type AssigneeEvent = Extract<HistoryFile, { field: "assignee" }>;
/** An event with its place in the changelog (history index, then item index). */
interface Ordered<E> {
  readonly event: E;
  readonly order: number;
}

/**
 * The sprint field's changelog items carry sprint ids, comma-separated (`"101, 102"`), in `from`
 * and `to`; names are in the strings. Sprints of other boards, deleted ones and dateless future
 * ones are dropped, and so is a change that only touched them.
 */
function sprintEvents(
  histories: readonly ChangeHistory[],
  context: IssueContext,
): Ordered<SprintEvent>[] {
  if (context.sprintFieldId === null) return [];
  const keep = (text: string | null) =>
    (text ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "" && context.known.has(id));
  return fieldEvents(
    histories,
    context.sprintFieldId,
    (item) => [keep(item.from), keep(item.to)],
    sameList,
    (at, from, to) => ({ at, field: "sprint", from, to }),
  );
}

/** Number fields log their values as strings (`fromString: "3"`, `from: null`). */
function estimateEvents(
  histories: readonly ChangeHistory[],
  context: IssueContext,
  key: string,
): Ordered<EstimateEvent>[] {
  if (context.estimateFieldId === null) return [];
  const parse = (text: string | null): number | null => {
    if (text === null || text.trim() === "") return null;
    const value = Number(text);
    if (Number.isFinite(value) && value >= 0) return value;
    // SPEC §2: an estimate is a number ≥ 0; Jira's number fields also take negatives.
    context.notes.push(
      `${key}: estimate change "${text}" is not a number of at least 0; read as none.`,
    );
    return null;
  };
  return fieldEvents(
    histories,
    context.estimateFieldId,
    (item) => [parse(item.fromText ?? item.from), parse(item.toText ?? item.to)],
    Object.is,
    (at, from, to) => ({ at, field: "estimate", from, to }),
  );
}

/**
 * Status changes log status ids; a dropped-work resolution is a separate `resolution` item,
 * usually in the same history entry. The mapped status is recomputed after each entry from both,
 * and an event is emitted when it changes: To Do → Done with resolution Won't Do is todo → canceled.
 */
function statusEvents(
  histories: readonly ChangeHistory[],
  issue: JiraIssue,
  context: IssueContext,
): Ordered<StatusEvent>[] {
  const touches = (history: ChangeHistory) =>
    history.items.some((item) => item.fieldId === "status" || item.fieldId === "resolution");
  const relevant = histories.filter(touches);
  if (relevant.length === 0) return [];
  const firstStatus = relevant.flatMap((h) => h.items).find((item) => item.fieldId === "status");
  const firstResolution = relevant
    .flatMap((h) => h.items)
    .find((item) => item.fieldId === "resolution");
  let category =
    firstStatus === undefined
      ? issue.statusCategory
      : (context.categories.of(firstStatus.from, firstStatus.fromText) ?? issue.statusCategory);
  let resolution = firstResolution === undefined ? issue.resolution : firstResolution.fromText;
  let current = mapStatus(category, resolution, context.dropped);
  const events: Ordered<StatusEvent>[] = [];
  histories.forEach((history, h) => {
    if (!touches(history)) return;
    for (const item of history.items) {
      if (item.fieldId === "status") {
        const next = context.categories.of(item.to, item.toText);
        if (next === null) {
          context.notes.push(
            `${issue.key}: status ${JSON.stringify(item.toText ?? item.to)} is unknown to this site; that change is ignored.`,
          );
        } else {
          category = next;
        }
      } else if (item.fieldId === "resolution") {
        resolution = item.toText === "" ? null : item.toText;
      }
    }
    const next = mapStatus(category, resolution, context.dropped);
    const order =
      h * 100 +
      history.items.findIndex((item) => item.fieldId === "status" || item.fieldId === "resolution");
    if (next !== current) {
      events.push({
        event: { at: history.created, field: "status", from: current, to: next },
        order,
      });
    }
    current = next;
  });
  return events;
}

/**
 * The assignee field's changelog items carry accountIds in `from` and `to` (null when unassigned)
 * and display names in the strings; only the ids are kept.
 */
function assigneeEvents(histories: readonly ChangeHistory[]): Ordered<AssigneeEvent>[] {
  const id = (value: string | null) => (value === null || value === "" ? null : value);
  return fieldEvents(
    histories,
    "assignee",
    (item) => [id(item.from), id(item.to)],
    Object.is,
    (at, from, to) => ({ at, field: "assignee", from, to }),
  );
}

/**
 * One event per changelog item of one field whose values, as `read` reads them, differ; ordered
 * by history index, then item index.
 */
function fieldEvents<V, E>(
  histories: readonly ChangeHistory[],
  fieldId: string,
  read: (item: ChangeItem) => readonly [from: V, to: V],
  same: (a: V, b: V) => boolean,
  toEvent: (at: string, from: V, to: V) => E,
): Ordered<E>[] {
  const events: Ordered<E>[] = [];
  histories.forEach((history, h) => {
    history.items.forEach((item, i) => {
      if (item.fieldId !== fieldId) return;
      const [from, to] = read(item);
      if (!same(from, to))
        events.push({ event: toEvent(history.created, from, to), order: h * 100 + i });
    });
  });
  return events;
}

/**
 * Makes one field's events agree with each other and with the current value: each `from` is the
 * `to` before it, and the last `to` is the field's value now. Jira's changelog can disagree with the
 * fields (a deleted sprint leaves the field without a history entry; bulk moves sometimes log
 * nothing), and SPEC §5 reads values from the events, so the current fields win.
 */
function consistent<E extends SprintEvent | EstimateEvent | StatusEvent | AssigneeEvent>(
  events: readonly Ordered<E>[],
  current: E["to"],
  same: (a: E["to"], b: E["to"]) => boolean,
): Ordered<E>[] {
  const out: Ordered<E>[] = [];
  events.forEach(({ event, order }, i) => {
    const previous = out.at(-1)?.event;
    const from = previous === undefined ? event.from : previous.to;
    const to = i === events.length - 1 ? current : event.to;
    if (!same(from, to)) out.push({ event: { ...event, from, to }, order });
  });
  return out;
}

function sameList(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return Object.is(a, b);
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

// ---------------------------------------------------------------------------------------------
// Helpers

interface StatusCategories {
  /** The category key of a status by id, else by name; null when the site does not know it. */
  of(id: string | null, name: string | null): string | null;
}

function statusCategories(statuses: readonly JiraStatus[]): StatusCategories {
  const byId = new Map(statuses.map((status) => [status.id, status.statusCategory.key]));
  const byName = new Map(statuses.map((status) => [fold(status.name), status.statusCategory.key]));
  return {
    of(id, name) {
      if (id !== null && byId.has(id)) return byId.get(id) ?? null;
      if (name !== null && byName.has(fold(name))) return byName.get(fold(name)) ?? null;
      return null;
    },
  };
}

/** Case-insensitive, and a typographic apostrophe equals a straight one ("Won’t Do"). */
function fold(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .trim()
    .toLowerCase();
}

/** `PAY-9` before `PAY-10`; projects alphabetically. */
export function compareKeys(a: string, b: string): number {
  const [pa = "", na = ""] = splitKey(a);
  const [pb = "", nb = ""] = splitKey(b);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return Number(na) - Number(nb) || (a < b ? -1 : a > b ? 1 : 0);
}

function splitKey(key: string): [string, string] {
  const dash = key.lastIndexOf("-");
  return dash < 0 ? [key, "0"] : [key.slice(0, dash), key.slice(dash + 1)];
}

/**
 * One issue as a workspace item without its history (one request, for the issue panel): every
 * sprint of its sprint field is kept, whichever board it belongs to.
 */
export function mapSingleIssue(
  issue: JiraIssue,
  teamId: string,
  droppedResolutions: readonly string[] = DEFAULT_DROPPED_RESOLUTIONS,
): ItemFile {
  return mapIssue(issue, {
    teamId,
    known: new Set(issue.sprints.map((sprint) => String(sprint.id))),
    dropped: new Set(droppedResolutions.map(fold)),
    categories: statusCategories([]),
    sprintFieldId: null,
    estimateFieldId: null,
    histories: [],
    parentId: issue.parentKey,
    notes: [],
  });
}
