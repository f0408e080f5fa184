import type { Item, Status, Workspace } from "../../../src/domain/types";
import { parseWorkspace } from "../../../src/workspace/load-workspace";
import type { WorkspaceFile } from "../../../src/workspace/schema";

/**
 * The fake site's state: what a Jira Cloud site would hold for a workspace file. Ids follow Jira's
 * habits (numeric issue ids, numeric sprint ids, custom fields with site-specific numbers) and
 * deliberately not the most common ones, so a client that hard-codes `customfield_10020` fails.
 */

export const SPRINT_FIELD_ID = "customfield_12345";
export const ESTIMATE_FIELD_ID = "customfield_13579";
/** A second number field named like the classic one, which the board does not use. */
export const DECOY_POINTS_FIELD_ID = "customfield_10002";
export const RANK_FIELD_ID = "customfield_10019";

export interface FakeStatus {
  readonly id: string;
  readonly name: string;
  readonly category: {
    readonly id: number;
    readonly key: string;
    readonly name: string;
    readonly colorName: string;
  };
}

const NEW = { id: 2, key: "new", name: "To Do", colorName: "blue-gray" };
const INDETERMINATE = { id: 4, key: "indeterminate", name: "In Progress", colorName: "yellow" };
const DONE = { id: 3, key: "done", name: "Done", colorName: "green" };

export const STATUSES: readonly FakeStatus[] = [
  { id: "10000", name: "To Do", category: NEW },
  { id: "3", name: "In Progress", category: INDETERMINATE },
  { id: "10001", name: "Done", category: DONE },
  { id: "10002", name: "In Review", category: INDETERMINATE },
  { id: "10003", name: "Backlog", category: NEW },
];

export interface FakeResolution {
  readonly id: string;
  readonly name: string;
}

export const RESOLUTIONS = {
  done: { id: "10000", name: "Done" },
  wontDo: { id: "10001", name: "Won't Do" },
  duplicate: { id: "10002", name: "Duplicate" },
} as const satisfies Record<string, FakeResolution>;

export interface FakeChangeItem {
  readonly field: string;
  readonly fieldtype: "jira" | "custom";
  /** The field's id, which the fake filters by; sent only when `legacy` is not set. */
  readonly fieldId: string;
  /**
   * Logged before Jira recorded field ids: the item names its field by `field` only
   * (`ChangeDetails.fieldId` is optional in the REST v3 spec).
   */
  readonly legacy?: boolean;
  readonly from: string | null;
  readonly fromString: string | null;
  readonly to: string | null;
  readonly toString: string | null;
}

export interface FakeHistory {
  readonly id: number;
  readonly created: number;
  readonly items: readonly FakeChangeItem[];
}

export interface FakeIssue {
  readonly id: string;
  readonly key: string;
  readonly projectKey: string;
  summary: string;
  readonly issueType: string;
  labels: string[];
  readonly components: readonly string[];
  readonly parentKey: string | null;
  statusId: string;
  resolution: FakeResolution | null;
  readonly created: number;
  resolutionDate: number | null;
  sprintIds: number[];
  estimate: number | null;
  /** The assignee's accountId (the seed's person id), null when unassigned. */
  assignee: string | null;
  readonly properties: Map<string, unknown>;
  readonly histories: FakeHistory[];
  updated: number;
}

export interface FakeSprint {
  readonly id: number;
  readonly boardId: number;
  readonly name: string;
  readonly state: "future" | "active" | "closed";
  readonly startDate: number | null;
  readonly endDate: number | null;
  readonly completeDate: number | null;
  readonly createdDate: number;
  readonly goal: string;
}

/**
 * Jira Software's board types (`type` of Get all boards: "Valid values: scrum, kanban, simple"):
 * company-managed scrum and kanban boards, and team-managed boards, which are `simple` whether or
 * not their sprints feature is on.
 */
export type FakeBoardType = "scrum" | "kanban" | "simple";

/** Get board configuration's `estimation.type`: "Valid values: none, issueCount, field". */
export type FakeEstimation = "field" | "issueCount" | "none";

export interface FakeBoard {
  readonly id: number;
  readonly name: string;
  readonly type: FakeBoardType;
  /** Scrum boards always; team-managed boards when their sprints feature is on; kanban never. */
  readonly hasSprints: boolean;
  readonly projectKey: string;
  readonly projectId: number;
  readonly filterId: string;
  readonly estimation: FakeEstimation;
  /** The workspace team it was seeded from. */
  readonly teamId: string;
}

export interface FakeFilter {
  readonly id: string;
  readonly name: string;
  readonly jql: string;
}

export interface BoardSeed {
  readonly teamId: string;
  readonly boardId?: number;
  readonly name?: string;
  /** Default `scrum`. */
  readonly type?: FakeBoardType;
  /** Whether a team-managed board has its sprints feature on (default true). */
  readonly sprints?: boolean;
  /** Default: `issueCount` for teams counted in issues, else `field` (story points). */
  readonly estimation?: FakeEstimation;
  /** Strip the dates of this board's future sprints, as Jira leaves them until someone plans them. */
  readonly futureSprintsWithoutDates?: boolean;
}

export class FakeSite {
  readonly boards = new Map<number, FakeBoard>();
  readonly filters = new Map<string, FakeFilter>();
  readonly sprints = new Map<number, FakeSprint>();
  readonly issuesById = new Map<string, FakeIssue>();
  readonly issuesByKey = new Map<string, FakeIssue>();
  /** Workspace sprint id → Jira sprint id. */
  readonly sprintIdOf = new Map<string, number>();
  /** Workspace team id → board id. */
  readonly boardIdOf = new Map<string, number>();
  readonly projects = new Map<string, number>();
  /** Bumped to expire every page token handed out so far. */
  tokenGeneration = 1;
  /** Bumped when an issue moves or goes, so no search answer from before is served again. */
  issuesVersion = 1;
  /**
   * How long a write takes to reach the search index (ms; 0: at once). Jira's enhanced search
   * "doesn't provide read-after-write consistency by default … The delay might vary from a few
   * seconds to minutes", and `reconcileIssues` (up to 50 issue ids) makes the search consistent
   * "only for the specified issues"
   * (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile). Reads by key or id
   * (`GET /rest/api/3/issue/…`) are not searches and always see the current issue.
   */
  searchLagMs = 0;
  /**
   * Per issue written within the lag: when it was first written since the index last caught up,
   * and what the index still holds for it (a copy from before that write; null: not indexed yet).
   */
  private readonly unindexed = new Map<
    string,
    { readonly at: number; readonly indexed: FakeIssue | null }
  >();
  private nextHistoryId = 50_000;

  constructor(
    readonly workspace: Workspace,
    boardSeeds: readonly BoardSeed[],
    readonly now: number,
  ) {
    let nextSprintId = 101;
    let nextBoardId = 12;
    let nextFilterId = 10_040;
    for (const seed of boardSeeds) {
      const team = workspace.teams.find((candidate) => candidate.id === seed.teamId);
      if (team === undefined) throw new Error(`No team ${seed.teamId} in the seed workspace.`);
      const boardId = seed.boardId ?? nextBoardId++;
      const projectKey = projectKeyOf(
        workspace.items.find((item) => item.teamId === team.id),
        team.id,
      );
      const projectId = this.projectIdOf(projectKey);
      const filterId = String(nextFilterId++);
      this.filters.set(filterId, {
        id: filterId,
        name: `Filter for ${team.name} board`,
        jql: `project = ${projectKey} ORDER BY Rank ASC`,
      });
      const type = seed.type ?? "scrum";
      const hasSprints = type === "scrum" || (type === "simple" && seed.sprints !== false);
      this.boards.set(boardId, {
        id: boardId,
        name: seed.name ?? `${team.name} board`,
        type,
        hasSprints,
        projectKey,
        projectId,
        filterId,
        estimation: seed.estimation ?? (team.unit === "issues" ? "issueCount" : "field"),
        teamId: team.id,
      });
      this.boardIdOf.set(team.id, boardId);
      const sprints = hasSprints ? workspace.sprints : [];
      for (const sprint of sprints.filter((candidate) => candidate.teamId === team.id)) {
        const id = nextSprintId++;
        this.sprintIdOf.set(sprint.id, id);
        const state =
          sprint.completeAt !== null && sprint.completeAt <= now
            ? "closed"
            : sprint.startAt <= now
              ? "active"
              : "future";
        const dateless = state === "future" && seed.futureSprintsWithoutDates === true;
        this.sprints.set(id, {
          id,
          boardId,
          name: sprint.name,
          state,
          startDate: dateless ? null : sprint.startAt,
          endDate: dateless ? null : sprint.endAt,
          completeDate: state === "closed" ? sprint.completeAt : null,
          createdDate: sprint.startAt - 7 * 86_400_000,
          goal: `Sprint goal of ${sprint.name}`,
        });
      }
    }
    const seeded = new Set(boardSeeds.map((seed) => seed.teamId));
    let nextIssueId = 10_001;
    for (const item of workspace.items) {
      if (!seeded.has(item.teamId)) continue;
      const issue = this.issueFrom(item, String(nextIssueId++));
      this.issuesById.set(issue.id, issue);
      this.issuesByKey.set(issue.key, issue);
    }
  }

  status(id: string): FakeStatus | undefined {
    return STATUSES.find((status) => status.id === id);
  }

  issue(idOrKey: string): FakeIssue | undefined {
    return this.issuesById.get(idOrKey) ?? this.issuesByKey.get(idOrKey);
  }

  /**
   * Called before an issue is written (edited, moved, deleted): with a search lag, the index keeps
   * what it held before the first write it has not caught up with yet.
   */
  noteWrite(issue: FakeIssue, wallClock: number = Date.now()): void {
    if (this.searchLagMs <= 0) return;
    const pending = this.unindexed.get(issue.id);
    if (pending !== undefined && pending.at > wallClock - this.searchLagMs) return;
    const current = this.issuesById.get(issue.id);
    this.unindexed.set(issue.id, {
      at: wallClock,
      indexed: current === undefined ? null : copyIssue(current),
    });
  }

  /**
   * The issues a search sees, by id: each as the index holds it `wallClock`, except the
   * `reconciled` ones, which are read as they are now (a deleted one is then gone).
   */
  searchable(reconciled: ReadonlySet<string>, wallClock: number = Date.now()): FakeIssue[] {
    if (this.searchLagMs <= 0 || this.unindexed.size === 0) return [...this.issuesById.values()];
    const ids = new Set([...this.issuesById.keys(), ...this.unindexed.keys()]);
    const seen: FakeIssue[] = [];
    for (const id of ids) {
      const pending = this.unindexed.get(id);
      const lagging =
        pending !== undefined && pending.at > wallClock - this.searchLagMs && !reconciled.has(id);
      const issue = lagging ? pending.indexed : this.issuesById.get(id);
      if (issue) seen.push(issue);
    }
    return seen;
  }

  /** Records an edit as Jira does: a history entry the changelog will show. */
  recordChange(issue: FakeIssue, items: readonly FakeChangeItem[], at: number): void {
    this.noteWrite(issue);
    issue.histories.push({ id: this.nextHistoryId++, created: at, items });
    issue.updated = at;
  }

  /**
   * Moves an issue to another project as Jira's move does: it keeps its id, takes the next key of
   * that project, and its history gains the `project` and `Key` changes Jira logs for a move.
   */
  moveIssue(issue: FakeIssue, projectKey: string, at: number): FakeIssue {
    const taken = [...this.issuesByKey.values()]
      .filter((other) => other.projectKey === projectKey)
      .map((other) => Number(other.key.slice(projectKey.length + 1)));
    const key = `${projectKey}-${Math.max(0, ...taken) + 1}`;
    this.noteWrite(issue);
    const moved: FakeIssue = { ...issue, key, projectKey };
    this.issuesById.set(moved.id, moved);
    this.issuesByKey.delete(issue.key);
    this.issuesByKey.set(key, moved);
    this.issuesVersion++;
    const fromId = String(this.projectIdOf(issue.projectKey));
    const toId = String(this.projectIdOf(projectKey));
    this.recordChange(
      moved,
      [
        {
          field: "project",
          fieldtype: "jira",
          fieldId: "project",
          from: fromId,
          fromString: issue.projectKey,
          to: toId,
          toString: projectKey,
        },
        {
          field: "Key",
          fieldtype: "jira",
          fieldId: "issuekey",
          // Jira logs a move's key change by field name only.
          legacy: true,
          from: null,
          fromString: issue.key,
          to: null,
          toString: key,
        },
      ],
      at,
    );
    return moved;
  }

  /** Deletes an issue: every read and search stops finding it. */
  deleteIssue(issue: FakeIssue): void {
    this.noteWrite(issue);
    this.issuesById.delete(issue.id);
    this.issuesByKey.delete(issue.key);
    this.issuesVersion++;
  }

  projectIdOf(key: string): number {
    let id = this.projects.get(key);
    if (id === undefined) {
      id = 10_100 + this.projects.size;
      this.projects.set(key, id);
    }
    return id;
  }

  private issueFrom(item: Item, id: string): FakeIssue {
    const histories: FakeHistory[] = [];
    // Every fourth issue's history names its fields by name only, as old Jira entries do.
    const legacy = Number(id) % 4 === 1;
    const events = [...item.history].sort((a, b) => a.at - b.at);
    // Noise the fieldIds filter must drop: a summary edit and a rank change after creation.
    if (Number(id) % 3 === 0) {
      histories.push({
        id: this.nextHistoryId++,
        created: item.createdAt + 60_000,
        items: [
          {
            field: "summary",
            fieldtype: "jira",
            fieldId: "summary",
            from: null,
            fromString: `${item.title} (draft)`,
            to: null,
            toString: item.title,
          },
          {
            field: "Rank",
            fieldtype: "custom",
            fieldId: RANK_FIELD_ID,
            from: "",
            fromString: "",
            to: "",
            toString: "Ranked higher",
          },
        ],
      });
    }
    for (const event of events) {
      const items: FakeChangeItem[] = [];
      if (event.field === "sprint") {
        const from = this.jiraSprintIds(event.from);
        const to = this.jiraSprintIds(event.to);
        items.push({
          field: "Sprint",
          fieldtype: "custom",
          fieldId: SPRINT_FIELD_ID,
          from: from.length === 0 ? null : from.join(", "),
          fromString:
            from.length === 0 ? null : from.map((s) => this.sprints.get(s)?.name ?? "").join(", "),
          to: to.length === 0 ? null : to.join(", "),
          toString:
            to.length === 0 ? null : to.map((s) => this.sprints.get(s)?.name ?? "").join(", "),
        });
      } else if (event.field === "estimate") {
        items.push({
          field: "Story point estimate",
          fieldtype: "custom",
          fieldId: ESTIMATE_FIELD_ID,
          from: null,
          fromString: event.from === null ? null : String(event.from),
          to: null,
          toString: event.to === null ? null : String(event.to),
        });
      } else if (event.field === "assignee") {
        // Atlassian's example changelog (GET /rest/api/3/issue/{issueIdOrKey}/changelog, and
        // `ChangeDetails` in the REST v3 spec) logs a user field with the accountIds in
        // `from`/`to` and the display names in `fromString`/`toString`; null when unassigned.
        items.push({
          field: "assignee",
          fieldtype: "jira",
          fieldId: "assignee",
          from: event.from,
          fromString: event.from === null ? null : displayNameOf(event.from),
          to: event.to,
          toString: event.to === null ? null : displayNameOf(event.to),
        });
      } else if (event.field === "status") {
        const from = stateOf(event.from);
        const to = stateOf(event.to);
        if (from.statusId !== to.statusId) {
          items.push({
            field: "status",
            fieldtype: "jira",
            fieldId: "status",
            from: from.statusId,
            fromString: this.status(from.statusId)?.name ?? null,
            to: to.statusId,
            toString: this.status(to.statusId)?.name ?? null,
          });
        }
        if (from.resolution?.id !== to.resolution?.id) {
          items.push({
            field: "resolution",
            fieldtype: "jira",
            fieldId: "resolution",
            from: from.resolution?.id ?? null,
            fromString: from.resolution?.name ?? null,
            to: to.resolution?.id ?? null,
            toString: to.resolution?.name ?? null,
          });
        }
      }
      if (items.length > 0) {
        histories.push({
          id: this.nextHistoryId++,
          created: event.at,
          items: legacy ? items.map((entry) => ({ ...entry, legacy })) : items,
        });
      }
    }
    const status = stateOf(item.status);
    return {
      id,
      key: item.id,
      projectKey: projectKeyOf(item, item.teamId),
      summary: item.title,
      issueType: item.type,
      labels: [...item.labels],
      components: [...item.components],
      parentKey: item.parentId,
      statusId: status.statusId,
      resolution: status.resolution,
      created: item.createdAt,
      resolutionDate: status.resolution === null ? null : item.completedAt,
      sprintIds: this.jiraSprintIds(item.sprintIds),
      estimate: item.estimate,
      assignee: item.assignee ?? null,
      properties: new Map(),
      histories,
      updated: Math.max(item.createdAt, ...item.history.map((event) => event.at)),
    };
  }

  private jiraSprintIds(ids: readonly string[]): number[] {
    return ids.flatMap((id) => {
      const jira = this.sprintIdOf.get(id);
      return jira === undefined ? [] : [jira];
    });
  }
}

/** A person's display name from the seed's id: `amara.okoye` → `Amara Okoye`. */
export function displayNameOf(accountId: string): string {
  return accountId
    .split(/[._-]/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(" ");
}

function stateOf(status: Status): { statusId: string; resolution: FakeResolution | null } {
  switch (status) {
    case "todo":
      return { statusId: "10000", resolution: null };
    case "inProgress":
      return { statusId: "3", resolution: null };
    case "done":
      return { statusId: "10001", resolution: RESOLUTIONS.done };
    case "canceled":
      return { statusId: "10001", resolution: RESOLUTIONS.wontDo };
  }
}

/** The item's project, else the key's prefix, else the team id: every Jira issue has a project. */
function projectKeyOf(item: Item | undefined, fallback: string): string {
  if (item?.project) return item.project;
  const dash = item?.id.lastIndexOf("-") ?? -1;
  return item !== undefined && dash > 0 ? item.id.slice(0, dash) : fallback;
}

/** Parses the seed (it must be a valid workspace file) and lays the chosen teams out as boards. */
export function createSite(
  workspace: WorkspaceFile,
  boards: readonly BoardSeed[] | undefined,
  now: number,
): FakeSite {
  const parsed = parseWorkspace(workspace);
  if (!parsed.ok)
    throw new Error(`The fake's seed is not a valid workspace:\n${parsed.problems.join("\n")}`);
  const seeds =
    boards ??
    parsed.workspace.teams
      .filter((team) => team.source !== "linear")
      .map((team) => ({ teamId: team.id }));
  return new FakeSite(parsed.workspace, seeds, now);
}

/** A copy that later writes to the issue do not reach (they replace or push onto its lists). */
function copyIssue(issue: FakeIssue): FakeIssue {
  return {
    ...issue,
    labels: [...issue.labels],
    sprintIds: [...issue.sprintIds],
    histories: [...issue.histories],
    properties: new Map(issue.properties),
  };
}
