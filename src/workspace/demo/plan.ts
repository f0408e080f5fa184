import type { TeamCalendar } from "./calendar";
import type { Rng } from "./random";
import type { Item } from "../../domain/index";
import type { Category, Classified, Status, TeamProfile } from "./types";

// The plan: items with their events, before `now` cuts them.

type PlanEvent =
  | { readonly at: number; readonly field: "sprint"; readonly to: readonly string[] }
  | { readonly at: number; readonly field: "estimate"; readonly to: number | null }
  | { readonly at: number; readonly field: "status"; readonly to: Status };

/** A piece of work: the fields a tracker shows it with, and its place in the plan. */
export interface PlanItem extends Pick<
  Item,
  "title" | "type" | "labels" | "components" | "project"
> {
  readonly seq: number;
  readonly category: Category;
  readonly epic: boolean;
  readonly parent: PlanItem | null;
  readonly children: PlanItem[];
  readonly createdAt: number;
  readonly initialSprints: readonly string[];
  readonly initialEstimate: number | null;
  readonly events: PlanEvent[];
  /** How often it rolled over into the next sprint. */
  carries: number;
}

export interface OpenEpic {
  readonly item: PlanItem;
  readonly topic: string;
  slots: number;
}

export interface TeamRun {
  readonly profile: TeamProfile;
  readonly rng: Rng;
  readonly calendar: TeamCalendar;
  readonly items: PlanItem[];
  /** Work moved out of a sprint that may be planned again. */
  readonly backlog: PlanItem[];
  readonly openEpics: Partial<Record<Classified, OpenEpic>>;
  readonly epicCount: Record<Classified, number>;
  readonly titles: Set<string>;
  /** The team's people, by slot. */
  readonly people: readonly string[];
  /** Items with a fixed assignee: the slot of its person in the team. */
  readonly owners: Map<PlanItem, number>;
}

function isField<F extends PlanEvent["field"]>(
  event: PlanEvent,
  field: F,
): event is Extract<PlanEvent, { field: F }> {
  return event.field === field;
}

export function lastEvent<F extends PlanEvent["field"]>(
  item: PlanItem,
  field: F,
): Extract<PlanEvent, { field: F }> | undefined {
  for (let i = item.events.length - 1; i >= 0; i--) {
    const event = item.events[i];
    if (event !== undefined && isField(event, field)) return event;
  }
  return undefined;
}

function sprintsOf(item: PlanItem): readonly string[] {
  return lastEvent(item, "sprint")?.to ?? item.initialSprints;
}

export function statusOf(item: PlanItem): Status {
  return lastEvent(item, "status")?.to ?? "todo";
}

export function estimateOf(item: PlanItem): number | null {
  const event = lastEvent(item, "estimate");
  return event === undefined ? item.initialEstimate : event.to;
}

/** SPEC §5: the estimate after every event at or before `at`. */
export function estimateAt(item: PlanItem, at: number): number | null {
  let value = item.initialEstimate;
  for (const event of item.events) {
    if (event.field === "estimate" && event.at <= at) value = event.to;
  }
  return value;
}

export function lastEventAt(item: PlanItem): number {
  let at = item.createdAt;
  for (const event of item.events) at = Math.max(at, event.at);
  return at;
}

export function weightOf(run: TeamRun, estimate: number | null): number {
  if (run.profile.unit === "issues") return 1;
  // unestimatedWeight is left at its default of 1 for every demo team.
  return estimate ?? 1;
}

export function moveInto(run: TeamRun, item: PlanItem, at: number, sprintId: string): void {
  // Jira's sprint field keeps every sprint the issue was in; a Linear issue has one cycle.
  const to = run.profile.source === "jira" ? [...sprintsOf(item), sprintId] : [sprintId];
  item.events.push({ at, field: "sprint", to });
}

export function moveOut(item: PlanItem, at: number, sprintId: string): void {
  item.events.push({ at, field: "sprint", to: sprintsOf(item).filter((id) => id !== sprintId) });
}

export function setStatus(item: PlanItem, at: number, to: Status): void {
  if (statusOf(item) !== to) item.events.push({ at, field: "status", to });
}

export function newPlanItem(
  run: TeamRun,
  fields: Omit<PlanItem, "seq" | "children" | "events" | "carries">,
): PlanItem {
  // Spelled out rather than spread: object spread here was the single slowest line of the demo.
  const item: PlanItem = {
    seq: run.items.length,
    category: fields.category,
    epic: fields.epic,
    title: fields.title,
    type: fields.type,
    labels: fields.labels,
    components: fields.components,
    project: fields.project,
    parent: fields.parent,
    children: [],
    createdAt: fields.createdAt,
    initialSprints: fields.initialSprints,
    initialEstimate: fields.initialEstimate,
    events: [],
    carries: 0,
  };
  run.items.push(item);
  return item;
}
