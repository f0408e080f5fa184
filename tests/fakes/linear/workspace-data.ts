import type { WorkspaceFile } from "../../../src/workspace/schema";

/**
 * The in-memory Linear workspace behind the fake: plain records keyed by id, shaped like Linear's
 * entities (not like GraphQL responses), seeded from a workspace file's Linear teams.
 */

export interface TeamRecord {
  id: string;
  key: string;
  name: string;
  timezone: string;
  issueEstimationType: string;
}
/**
 * Linear archives rather than deletes: an archived entity keeps its id and relations (an issue's
 * `parent`, `cycle` and `project` still resolve to it) but leaves every connection that is not
 * asked for `includeArchived: true` (linear.app/developers/pagination, "Archived resources").
 */
interface Archivable {
  archivedAt?: string | null;
}
export interface UserRecord {
  id: string;
  name: string;
  /** An OAuth application's own user (`actor=app`), which writes show as. */
  app: boolean;
}
export interface CycleRecord extends Archivable {
  id: string;
  teamId: string;
  number: number;
  name: string | null;
  startsAt: string;
  endsAt: string;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface StateRecord extends Archivable {
  id: string;
  teamId: string;
  name: string;
  type: string;
}
export interface LabelRecord extends Archivable {
  id: string;
  name: string;
  isGroup: boolean;
  parentId: string | null;
  teamId: string | null;
  createdAt: string;
}
export interface ProjectRecord extends Archivable {
  id: string;
  name: string;
  teamIds: string[];
}
export interface DocumentRecord {
  id: string;
  projectId: string | null;
  title: string;
  content: string | null;
  updatedAt: string;
}
export interface ProjectUpdateRecord {
  id: string;
  projectId: string;
  body: string;
  health: string;
  createdAt: string;
}
export interface IssueRecord extends Archivable {
  id: string;
  identifier: string;
  teamId: string;
  title: string;
  estimate: number | null;
  stateId: string;
  cycleId: string | null;
  parentId: string | null;
  projectId: string | null;
  labelIds: string[];
  assigneeId: string | null;
  createdAt: string;
  completedAt: string | null;
  canceledAt: string | null;
  updatedAt: string;
  /** In the trash bin (`issueDelete`): archived too, restorable for 30 days. */
  trashed?: boolean | null;
}
export interface HistoryRecord {
  id: string;
  issueId: string;
  createdAt: string;
  fromCycleId: string | null;
  toCycleId: string | null;
  fromEstimate: number | null;
  toEstimate: number | null;
  fromStateId: string | null;
  toStateId: string | null;
  fromAssigneeId?: string | null;
  toAssigneeId?: string | null;
  /** Who made the change: a person, or the app user of an `actor=app` token. */
  actorId?: string | null;
  addedLabelIds: string[] | null;
  removedLabelIds: string[] | null;
}

export interface LinearData {
  teams: TeamRecord[];
  users: UserRecord[];
  cycles: CycleRecord[];
  states: StateRecord[];
  labels: LabelRecord[];
  projects: ProjectRecord[];
  issues: IssueRecord[];
  history: HistoryRecord[];
  documents: DocumentRecord[];
  projectUpdates: ProjectUpdateRecord[];
  /** Monotonic counter for ids the fake hands out, so runs are deterministic. */
  nextId: number;
}

export interface SeedOptions {
  /** Which teams of the file become Linear teams (default: those with `source: "linear"`). */
  readonly teams?: readonly string[];
  /** Seed the `Capacity` label group and its children (default true; issues need them). */
  readonly capacityGroup?: boolean;
  /** Time of the seed, used for `createdAt` of objects the file has no time for. */
  readonly now?: number;
  /**
   * Linear's per-team "auto-archive closed issues" setting (1, 3, 6, 9 or 12 months after an
   * issue is completed or canceled), by team key: issues closed longer than that before `now`,
   * and cycles completed longer than that, are archived as Linear's nightly job leaves them.
   */
  readonly autoArchiveMonths?: Readonly<Record<string, number>>;
}

const STATE_OF_STATUS: Readonly<Record<string, { name: string; type: string }>> = {
  todo: { name: "Todo", type: "unstarted" },
  inProgress: { name: "In Progress", type: "started" },
  done: { name: "Done", type: "completed" },
  canceled: { name: "Canceled", type: "canceled" },
};
const EXTRA_STATES = [
  { name: "Triage", type: "triage" },
  { name: "Backlog", type: "backlog" },
  { name: "Duplicate", type: "duplicate" },
];

/** A history row that changes nothing but what `changes` sets. */
export function historyRow(
  fields: Pick<HistoryRecord, "id" | "issueId" | "createdAt"> & Partial<HistoryRecord>,
): HistoryRecord {
  return {
    fromCycleId: null,
    toCycleId: null,
    fromEstimate: null,
    toEstimate: null,
    fromStateId: null,
    toStateId: null,
    fromAssigneeId: null,
    toAssigneeId: null,
    addedLabelIds: null,
    removedLabelIds: null,
    ...fields,
  };
}

export function newId(data: LinearData, kind: string): string {
  data.nextId += 1;
  // UUID-shaped, as Linear's ids are, but readable in a failing test.
  const n = data.nextId.toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${n}`.replace("00000000", kind.slice(0, 8).padEnd(8, "0"));
}

export function emptyData(): LinearData {
  return {
    teams: [],
    users: [],
    cycles: [],
    states: [],
    labels: [],
    projects: [],
    issues: [],
    history: [],
    documents: [],
    projectUpdates: [],
    nextId: 0,
  };
}

/** Seeds the fake from a workspace file: its Linear teams, their cycles, issues and history. */
export function seedData(workspace: WorkspaceFile, options: SeedOptions = {}): LinearData {
  const data = emptyData();
  const seedTime = new Date(options.now ?? Date.parse("2026-01-01T00:00:00Z")).toISOString();
  const teamIds = new Set(
    options.teams ?? workspace.teams.filter((team) => team.source === "linear").map((t) => t.id),
  );
  const teamIdOf = new Map<string, string>();
  const stateIdOf = new Map<string, string>();
  for (const team of workspace.teams.filter((candidate) => teamIds.has(candidate.id))) {
    const id = newId(data, "team");
    teamIdOf.set(team.id, id);
    data.teams.push({
      id,
      key: team.id,
      name: team.name,
      timezone: team.timezone ?? "UTC",
      issueEstimationType: team.unit === "issues" ? "notUsed" : "fibonacci",
    });
    for (const [status, state] of Object.entries(STATE_OF_STATUS)) {
      const stateId = newId(data, "state");
      stateIdOf.set(`${team.id}:${status}`, stateId);
      data.states.push({ id: stateId, teamId: id, ...state });
    }
    for (const state of EXTRA_STATES)
      data.states.push({ id: newId(data, "state"), teamId: id, ...state });
  }

  const labelIdOf = new Map<string, string>();
  if (options.capacityGroup ?? true) {
    const groupId = newId(data, "label");
    data.labels.push({
      id: groupId,
      name: "Capacity",
      isGroup: true,
      parentId: null,
      teamId: null,
      createdAt: seedTime,
    });
    for (const name of ["Roadmap", "Investment"]) {
      const id = newId(data, "label");
      labelIdOf.set(`*:${name}`, id);
      data.labels.push({
        id,
        name,
        isGroup: false,
        parentId: groupId,
        teamId: null,
        createdAt: seedTime,
      });
    }
  }
  const labelFor = (teamKey: string, name: string): string => {
    const shared = labelIdOf.get(`*:${name}`);
    if (shared !== undefined) return shared;
    const key = `${teamKey}:${name}`;
    const existing = labelIdOf.get(key);
    if (existing !== undefined) return existing;
    const id = newId(data, "label");
    labelIdOf.set(key, id);
    const teamId = teamIdOf.get(teamKey) ?? null;
    data.labels.push({ id, name, isGroup: false, parentId: null, teamId, createdAt: seedTime });
    return id;
  };
  const projectIdOf = new Map<string, string>();
  const projectFor = (name: string): string => {
    const existing = projectIdOf.get(name);
    if (existing !== undefined) return existing;
    const id = newId(data, "project");
    projectIdOf.set(name, id);
    data.projects.push({ id, name, teamIds: [] });
    return id;
  };

  for (const sprint of workspace.sprints ?? []) {
    const teamId = teamIdOf.get(sprint.teamId);
    if (teamId === undefined) continue;
    const number = Number(/(\d+)\s*$/.exec(sprint.name)?.[1] ?? "0");
    data.cycles.push({
      // The seed's sprint id doubles as the cycle id, so a pulled workspace names sprints the same.
      id: sprint.id,
      teamId,
      number,
      name: sprint.name,
      startsAt: sprint.startAt,
      endsAt: sprint.endAt,
      completedAt: sprint.completeAt ?? null,
      createdAt: sprint.startAt,
      updatedAt: sprint.completeAt ?? sprint.startAt,
    });
  }

  // The file's opaque person ids become Linear user ids, so a pulled workspace names them the same.
  const userFor = (personId: string | null): string | null => {
    if (personId === null) return null;
    if (!data.users.some((user) => user.id === personId)) {
      data.users.push({ id: personId, name: `Person ${personId}`, app: false });
    }
    return personId;
  };
  const items = (workspace.items ?? []).filter((item) => teamIdOf.has(item.teamId));
  const issueIdOf = new Map(items.map((item) => [item.id, newId(data, "issue")]));
  for (const item of items) {
    const id = issueIdOf.get(item.id) ?? "";
    const stateId = (status: string) => stateIdOf.get(`${item.teamId}:${status}`) ?? "";
    const status = item.status ?? "todo";
    let updatedAt = item.createdAt;
    for (const event of item.history ?? []) {
      if (event.at > updatedAt) updatedAt = event.at;
      const row = historyRow({ id: newId(data, "history"), issueId: id, createdAt: event.at });
      if (event.field === "sprint") {
        row.fromCycleId = event.from[0] ?? null;
        row.toCycleId = event.to[0] ?? null;
      } else if (event.field === "estimate") {
        row.fromEstimate = event.from;
        row.toEstimate = event.to;
      } else if (event.field === "assignee") {
        row.fromAssigneeId = userFor(event.from);
        row.toAssigneeId = userFor(event.to);
      } else {
        row.fromStateId = stateId(event.from);
        row.toStateId = stateId(event.to);
      }
      data.history.push(row);
    }
    const completedAt = item.completedAt ?? null;
    if (completedAt !== null && completedAt > updatedAt) updatedAt = completedAt;
    data.issues.push({
      id,
      identifier: item.id,
      teamId: teamIdOf.get(item.teamId) ?? "",
      title: item.title,
      estimate: item.estimate ?? null,
      stateId: stateId(status),
      cycleId: item.sprintIds?.[0] ?? null,
      parentId: item.parentId == null ? null : (issueIdOf.get(item.parentId) ?? null),
      projectId: item.project == null ? null : projectFor(item.project),
      labelIds: (item.labels ?? []).map((name) => labelFor(item.teamId, name)),
      assigneeId: userFor(item.assignee ?? null),
      createdAt: item.createdAt,
      completedAt: status === "done" ? completedAt : null,
      canceledAt: status === "canceled" ? updatedAt : null,
      updatedAt,
    });
  }
  autoArchive(data, options.autoArchiveMonths ?? {}, options.now ?? Date.parse(seedTime));
  return data;
}

/**
 * Linear's auto-archive as of `now`: per team, issues completed or canceled more than `months`
 * months ago, and cycles completed that long ago, get `archivedAt` (the day they passed the
 * threshold) and an `updatedAt` no earlier than that, since archiving is a change.
 */
function autoArchive(
  data: LinearData,
  months: Readonly<Record<string, number>>,
  now: number,
): void {
  const after = (at: string, team: TeamRecord): string | null => {
    const wait = months[team.key];
    if (wait === undefined) return null;
    const when = new Date(at);
    when.setUTCMonth(when.getUTCMonth() + wait);
    return when.getTime() <= now ? when.toISOString() : null;
  };
  for (const team of data.teams) {
    for (const issue of data.issues.filter((candidate) => candidate.teamId === team.id)) {
      const closed = issue.completedAt ?? issue.canceledAt;
      const archivedAt = closed === null ? null : after(closed, team);
      if (archivedAt === null) continue;
      issue.archivedAt = archivedAt;
      if (archivedAt > issue.updatedAt) issue.updatedAt = archivedAt;
    }
    for (const cycle of data.cycles.filter((candidate) => candidate.teamId === team.id)) {
      const archivedAt = cycle.completedAt === null ? null : after(cycle.completedAt, team);
      if (archivedAt === null) continue;
      cycle.archivedAt = archivedAt;
      if (archivedAt > cycle.updatedAt) cycle.updatedAt = archivedAt;
    }
  }
}
