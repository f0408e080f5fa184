import type { Status } from "../domain/index";
import type { WorkspaceFile } from "../workspace/index";
import type { LinearCycle, LinearHistoryEntry, LinearIssue, LinearTeam } from "./schemas";

type TeamFile = WorkspaceFile["teams"][number];
type SprintFile = NonNullable<WorkspaceFile["sprints"]>[number];
type ItemFile = NonNullable<WorkspaceFile["items"]>[number];
type HistoryFile = NonNullable<ItemFile["history"]>[number];

/** The names of the `Capacity` group's children that classify an issue (SPEC §3). */
export interface CapacityLabelNames {
  readonly roadmap: string;
  readonly investment: string;
}

export const DEFAULT_CAPACITY_LABELS: CapacityLabelNames = {
  roadmap: "Roadmap",
  investment: "Investment",
};

/**
 * SPEC §2: Linear state type → status. Types Linear may add later fall back to `todo`, which
 * keeps an issue out of delivered numbers rather than inventing a completion.
 */
export function statusOfStateType(type: string): Status {
  switch (type) {
    case "started":
      return "inProgress";
    case "completed":
      return "done";
    case "canceled":
    case "duplicate":
      return "canceled";
    default:
      return "todo";
  }
}

/** SPEC §4: a team that does not estimate counts issues; every estimation scale is numeric in the API. */
export function mapTeam(team: LinearTeam, labels: CapacityLabelNames): TeamFile {
  return {
    id: team.key,
    name: team.name,
    source: "linear",
    unit: team.issueEstimationType === "notUsed" ? "issues" : "points",
    unestimatedWeight: 1,
    timezone: team.timezone,
    labels: { roadmap: labels.roadmap, investment: labels.investment },
    rules: [],
  };
}

export function mapCycle(teamKey: string, cycle: LinearCycle): SprintFile {
  return {
    id: cycle.id,
    teamId: teamKey,
    name: cycle.name ?? `Cycle ${cycle.number}`,
    startAt: cycle.startsAt,
    endAt: cycle.endsAt,
    completeAt: cycle.completedAt,
  };
}

/**
 * History rows → SPEC §2 events. One Linear row can change several fields at once; a field whose
 * `from` equals its `to` did not change in that row. Cycles are single-valued, so each side is
 * a zero- or one-element array. Given the team's `cycleIds`, a cycle of another team (the issue
 * was moved between teams) is left out, as SPEC §2 keeps an item's sprints to its own team.
 */
export function mapHistory(
  entries: readonly LinearHistoryEntry[],
  stateTypes: ReadonlyMap<string, string>,
  cycleIds?: ReadonlySet<string>,
): HistoryFile[] {
  const events: HistoryFile[] = [];
  const ordered = [...entries].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const own = (id: string | null): string | null =>
    id === null || (cycleIds !== undefined && !cycleIds.has(id)) ? null : id;
  for (const entry of ordered) {
    const at = entry.createdAt;
    const fromCycle = own(entry.fromCycleId);
    const toCycle = own(entry.toCycleId);
    if (fromCycle !== toCycle) {
      events.push({
        at,
        field: "sprint",
        from: fromCycle === null ? [] : [fromCycle],
        to: toCycle === null ? [] : [toCycle],
      });
    }
    if (entry.fromEstimate !== entry.toEstimate) {
      events.push({ at, field: "estimate", from: entry.fromEstimate, to: entry.toEstimate });
    }
    // SPEC §6a reads who worked on what from here; Linear's user ids stay opaque person ids.
    if (entry.fromAssigneeId !== entry.toAssigneeId) {
      events.push({ at, field: "assignee", from: entry.fromAssigneeId, to: entry.toAssigneeId });
    }
    const fromType = entry.fromStateId === null ? undefined : stateTypes.get(entry.fromStateId);
    const toType = entry.toStateId === null ? undefined : stateTypes.get(entry.toStateId);
    if (fromType !== undefined && toType !== undefined) {
      const from = statusOfStateType(fromType);
      const to = statusOfStateType(toType);
      if (from !== to) events.push({ at, field: "status", from, to });
    }
  }
  return events;
}

export function mapIssue(
  teamKey: string,
  issue: LinearIssue,
  history: readonly LinearHistoryEntry[],
  names: {
    readonly labels: ReadonlyMap<string, string>;
    readonly stateTypes: ReadonlyMap<string, string>;
    /** The team's cycles; history in any other cycle is left out (see `mapHistory`). */
    readonly cycleIds?: ReadonlySet<string>;
  },
): ItemFile {
  const status = statusOfStateType(issue.state.type);
  return {
    id: issue.identifier,
    teamId: teamKey,
    title: issue.title,
    // Linear has no issue types; every issue is one kind, and rules match on labels instead.
    type: "Issue",
    // A label deleted since the page was read has no name any more; it cannot classify anything.
    labels: issue.labelIds.flatMap((id) => {
      const name = names.labels.get(id);
      return name === undefined ? [] : [name];
    }),
    components: [],
    project: issue.project?.name ?? null,
    parentId: issue.parent?.identifier ?? null,
    estimate: issue.estimate,
    status,
    assignee: issue.assignee?.id ?? null,
    createdAt: issue.createdAt,
    completedAt: status === "done" ? issue.completedAt : null,
    sprintIds: issue.cycle === null ? [] : [issue.cycle.id],
    history: mapHistory(history, names.stateTypes, names.cycleIds),
  };
}
