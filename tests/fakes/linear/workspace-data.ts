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
export interface CycleRecord {
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
export interface StateRecord {
  id: string;
  teamId: string;
  name: string;
  type: string;
}
export interface LabelRecord {
  id: string;
  name: string;
  isGroup: boolean;
  parentId: string | null;
  teamId: string | null;
  createdAt: string;
}
export interface ProjectRecord {
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
export interface IssueRecord {
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
  createdAt: string;
  completedAt: string | null;
  canceledAt: string | null;
  updatedAt: string;
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
  addedLabelIds: string[] | null;
  removedLabelIds: string[] | null;
}

export interface LinearData {
  teams: TeamRecord[];
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

export function newId(data: LinearData, kind: string): string {
  data.nextId += 1;
  // UUID-shaped, as Linear's ids are, but readable in a failing test.
  const n = data.nextId.toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${n}`.replace("00000000", kind.slice(0, 8).padEnd(8, "0"));
}

export function emptyData(): LinearData {
  return {
    teams: [],
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

  const items = (workspace.items ?? []).filter((item) => teamIdOf.has(item.teamId));
  const issueIdOf = new Map(items.map((item) => [item.id, newId(data, "issue")]));
  for (const item of items) {
    const id = issueIdOf.get(item.id) ?? "";
    const stateId = (status: string) => stateIdOf.get(`${item.teamId}:${status}`) ?? "";
    const status = item.status ?? "todo";
    let updatedAt = item.createdAt;
    for (const event of item.history ?? []) {
      if (event.at > updatedAt) updatedAt = event.at;
      const row: HistoryRecord = {
        id: newId(data, "history"),
        issueId: id,
        createdAt: event.at,
        fromCycleId: null,
        toCycleId: null,
        fromEstimate: null,
        toEstimate: null,
        fromStateId: null,
        toStateId: null,
        addedLabelIds: null,
        removedLabelIds: null,
      };
      if (event.field === "sprint") {
        row.fromCycleId = event.from[0] ?? null;
        row.toCycleId = event.to[0] ?? null;
      } else if (event.field === "estimate") {
        row.fromEstimate = event.from;
        row.toEstimate = event.to;
      } else if (event.field === "status") {
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
      createdAt: item.createdAt,
      completedAt: status === "done" ? completedAt : null,
      canceledAt: status === "canceled" ? updatedAt : null,
      updatedAt,
    });
  }
  return data;
}
