import { GraphQLError } from "graphql";
import {
  historyRow,
  newId,
  type CycleRecord,
  type IssueRecord,
  type LabelRecord,
  type LinearData,
  type TeamRecord,
  type UserRecord,
} from "./workspace-data";

/**
 * Root resolvers of the fake: graphql-js calls a function-valued property with the field's
 * arguments, so relations below are functions and resolve only when a query selects them.
 */

type Args = Record<string, unknown>;

/**
 * A data-change webhook as Linear sends it (linear.app/developers/webhooks): `data` is the entity
 * after the change and, for an update, `updatedFrom` holds the previous values of only the
 * fields that changed. The fake records one per write; tests sign and deliver them.
 */
export interface FakeWebhookEvent {
  readonly action: "create" | "update" | "remove";
  readonly type: "Issue" | "IssueLabel" | "Project" | "Document" | "ProjectUpdate";
  readonly createdAt: string;
  readonly data: Readonly<Record<string, unknown>> & { readonly id: string };
  readonly updatedFrom?: Readonly<Record<string, unknown>>;
  /** Who made the change (linear.app/developers/webhooks, "actor"). */
  readonly actor?: { readonly id: string; readonly name: string; readonly type: "user" };
  readonly url: string;
  readonly organizationId: string;
  readonly webhookTimestamp: number;
  readonly webhookId: string;
}

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

function userError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: "invalid input", userError: true } });
}

function isArgs(value: unknown): value is Args {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function record(value: unknown): Args {
  return isArgs(value) ? value : {};
}

/**
 * Archived entities leave a connection unless it is asked for them with `includeArchived: true`
 * (linear.app/developers/pagination: "By default, archived resources are not returned").
 */
function visible<T extends { archivedAt?: string | null }>(all: readonly T[], args: Args): T[] {
  return args.includeArchived === true ? [...all] : all.filter((entry) => !entry.archivedAt);
}

function paginate<T>(all: readonly T[], args: Args): Connection<T> {
  const first = typeof args.first === "number" ? args.first : 50;
  if (first > 250) throw userError("first must be at most 250");
  const start = typeof args.after === "string" ? Number(args.after) : 0;
  // Linear refuses a cursor it did not hand out rather than answer from somewhere.
  if (!Number.isInteger(start) || start < 0) throw userError("Invalid cursor");
  const nodes = all.slice(start, start + first);
  const end = start + nodes.length;
  return {
    nodes,
    pageInfo: { hasNextPage: end < all.length, endCursor: nodes.length > 0 ? String(end) : null },
  };
}

/** `{ eq, in, eqIgnoreCase }` comparators of Linear's filters; absent means no condition. */
function matches(comparator: unknown, value: string | null): boolean {
  const c = record(comparator);
  if (typeof c.eq === "string" && c.eq !== value) return false;
  if (Array.isArray(c.in) && !c.in.includes(value)) return false;
  if (typeof c.eqIgnoreCase === "string" && c.eqIgnoreCase.toLowerCase() !== value?.toLowerCase())
    return false;
  return true;
}

function matchesDate(comparator: unknown, value: string): boolean {
  const c = record(comparator);
  if (typeof c.gt === "string" && !(Date.parse(value) > Date.parse(c.gt))) return false;
  if (typeof c.gte === "string" && !(Date.parse(value) >= Date.parse(c.gte))) return false;
  return true;
}

/** The one workspace the fake serves: every user, key and token belongs to it. */
export const FAKE_ORGANIZATION = {
  id: "00000000-0000-4000-8000-000000000000",
  name: "Fake Workspace",
  urlKey: "fake-workspace",
} as const;

export function createRoot(
  data: LinearData,
  emit: (event: FakeWebhookEvent) => void = () => undefined,
  /** The user the request is authenticated as: the key's owner, or an OAuth app's own user. */
  actor: () => UserRecord | null = () => null,
): Record<string, (args: Args) => unknown> {
  const notify = (
    action: FakeWebhookEvent["action"],
    type: FakeWebhookEvent["type"],
    entity: FakeWebhookEvent["data"],
    updatedFrom?: Record<string, unknown>,
  ) => {
    const at = Date.now();
    const user = actor();
    emit({
      action,
      type,
      // Linear names who made the change; with `actor=app` that is the application's user.
      ...(user === null ? {} : { actor: { id: user.id, name: user.name, type: "user" } }),
      createdAt: new Date(at).toISOString(),
      data: { ...entity },
      ...(updatedFrom === undefined ? {} : { updatedFrom }),
      url: `https://linear.app/fake/${type.toLowerCase()}/${entity.id}`,
      organizationId: FAKE_ORGANIZATION.id,
      webhookTimestamp: at,
      webhookId: "00000000-0000-4000-8000-0000000000aa",
    });
  };
  const teamById = (id: string) => data.teams.find((team) => team.id === id);
  // History rows by issue, rebuilt when rows were added (tests add them straight to `data`).
  let historyIndex: { size: number; byIssue: Map<string, LinearData["history"]> } | null = null;
  const historyOf = (issueId: string): LinearData["history"] => {
    if (historyIndex?.size !== data.history.length) {
      const byIssue = new Map<string, LinearData["history"]>();
      for (const row of data.history) {
        const rows = byIssue.get(row.issueId);
        if (rows === undefined) byIssue.set(row.issueId, [row]);
        else rows.push(row);
      }
      historyIndex = { size: data.history.length, byIssue };
    }
    return historyIndex.byIssue.get(issueId) ?? [];
  };
  const labelById = (id: string) => data.labels.find((label) => label.id === id);
  const stateById = (id: string | null) => data.states.find((state) => state.id === id);

  const teamView = (team: TeamRecord) => ({
    ...team,
    states: (args: Args) =>
      paginate(
        visible(
          data.states.filter((state) => state.teamId === team.id),
          args,
        ),
        args,
      ),
    cycles: (args: Args) =>
      paginate(
        visible(
          data.cycles.filter((cycle) => cycle.teamId === team.id),
          args,
        ).map(cycleView),
        args,
      ),
  });
  const cycleView = (cycle: CycleRecord) => ({
    ...cycle,
    team: () => viewOrNull(teamById(cycle.teamId), teamView),
  });
  const stateView = (id: string | null) => {
    const state = stateById(id);
    return state === undefined
      ? null
      : { ...state, team: () => viewOrNull(teamById(state.teamId), teamView) };
  };
  const labelView = (label: LabelRecord): Args => ({
    ...label,
    parent: () =>
      viewOrNull(label.parentId === null ? undefined : labelById(label.parentId), labelView),
    team: () => viewOrNull(label.teamId === null ? undefined : teamById(label.teamId), teamView),
  });
  const issueView = (issue: IssueRecord): Args => ({
    ...issue,
    team: () => viewOrNull(teamById(issue.teamId), teamView),
    state: () => stateView(issue.stateId),
    cycle: () => {
      const cycle = data.cycles.find((candidate) => candidate.id === issue.cycleId);
      return cycle === undefined ? null : cycleView(cycle);
    },
    parent: () => {
      const parent = data.issues.find((candidate) => candidate.id === issue.parentId);
      return parent === undefined ? null : issueView(parent);
    },
    project: () =>
      viewOrNull(
        data.projects.find((project) => project.id === issue.projectId),
        projectView,
      ),
    assignee: () => data.users.find((user) => user.id === issue.assigneeId) ?? null,
    labels: (args: Args) =>
      paginate(
        issue.labelIds.flatMap((id) => {
          const label = labelById(id);
          return label === undefined ? [] : [labelView(label)];
        }),
        args,
      ),
    history: (args: Args) =>
      paginate(
        historyOf(issue.id).map((row) => ({
          ...row,
          fromAssigneeId: row.fromAssigneeId ?? null,
          toAssigneeId: row.toAssigneeId ?? null,
          updatedAt: row.createdAt,
          fromState: () => stateView(row.fromStateId),
          toState: () => stateView(row.toStateId),
        })),
        args,
      ),
  });

  const projectView = (project: { id: string; name: string }) => ({
    ...project,
    documents: (args: Args) =>
      paginate(
        data.documents.filter((document) => document.projectId === project.id),
        args,
      ),
    projectUpdates: (args: Args) =>
      paginate(
        data.projectUpdates.filter((update) => update.projectId === project.id),
        args,
      ),
  });

  const labelMatches = (label: LabelRecord, filter: unknown): boolean => {
    const f = record(filter);
    if (!matches(f.name, label.name)) return false;
    const isGroup = record(f.isGroup);
    if (typeof isGroup.eq === "boolean" && isGroup.eq !== label.isGroup) return false;
    if (f.parent !== undefined && f.parent !== null) {
      const parent = label.parentId === null ? undefined : labelById(label.parentId);
      if (parent === undefined || !labelMatches(parent, f.parent)) return false;
    }
    return true;
  };

  const now = () => new Date().toISOString();
  const touch = (issue: IssueRecord, added: string[], removed: string[]) => {
    const at = now();
    issue.updatedAt = at;
    data.history.push(
      historyRow({
        id: newId(data, "history"),
        issueId: issue.id,
        createdAt: at,
        actorId: actor()?.id ?? null,
        addedLabelIds: added,
        removedLabelIds: removed,
      }),
    );
  };
  const issueOf = (id: unknown): IssueRecord => {
    const issue = data.issues.find(
      (candidate) => candidate.id === id || candidate.identifier === id,
    );
    if (issue === undefined)
      throw new GraphQLError("Entity not found: Issue", { extensions: { type: "invalid input" } });
    return issue;
  };
  /** linear.app/docs/archive-issues: "Archived issues cannot be edited until restored". */
  const editable = (issue: IssueRecord): IssueRecord => {
    if (issue.archivedAt) throw userError(`Issue ${issue.identifier} is archived`);
    return issue;
  };
  /**
   * Moves an issue to another team (`IssueUpdateInput.teamId`): Linear gives it the new team's
   * key and next number as its identifier, a workflow state of the new team of the same type, and
   * no cycle (cycles belong to a team).
   */
  const moveIssue = (issue: IssueRecord, teamId: string) => {
    const team = teamById(teamId);
    if (team === undefined) throw userError("Entity not found: Team");
    if (team.id === issue.teamId) return;
    const before = {
      teamId: issue.teamId,
      identifier: issue.identifier,
      stateId: issue.stateId,
      cycleId: issue.cycleId,
      updatedAt: issue.updatedAt,
    };
    const type = stateById(issue.stateId)?.type;
    const state = data.states.find((s) => s.teamId === team.id && s.type === type);
    if (state === undefined) throw userError(`Team ${team.key} has no ${type} state`);
    const numbers = data.issues
      .filter((other) => other.teamId === team.id)
      .map((other) => Number(other.identifier.split("-")[1] ?? 0));
    issue.teamId = team.id;
    issue.identifier = `${team.key}-${Math.max(0, ...numbers) + 1}`;
    issue.stateId = state.id;
    issue.cycleId = null;
    issue.updatedAt = now();
    notify("update", "Issue", { ...issue }, before);
  };
  const changeLabels = (id: unknown, added: readonly string[], removed: readonly string[]) => {
    const issue = editable(issueOf(id));
    for (const labelId of [...added, ...removed]) {
      if (labelById(labelId) === undefined) throw userError(`Label ${labelId} not found`);
    }
    const next = issue.labelIds.filter((labelId) => !removed.includes(labelId));
    for (const labelId of added) if (!next.includes(labelId)) next.push(labelId);
    // Linear keeps the labels of one group mutually exclusive.
    const parents = next.map((labelId) => labelById(labelId)?.parentId).filter((p) => p != null);
    if (new Set(parents).size !== parents.length)
      throw userError("Only one label of a group may be applied");
    const addedIds = next.filter((labelId) => !issue.labelIds.includes(labelId));
    const removedIds = issue.labelIds.filter((labelId) => !next.includes(labelId));
    const before = { labelIds: issue.labelIds, updatedAt: issue.updatedAt };
    issue.labelIds = next;
    if (addedIds.length > 0 || removedIds.length > 0) {
      touch(issue, addedIds, removedIds);
      notify("update", "Issue", { ...issue }, before);
    }
    return { success: true, lastSyncId: data.nextId, issue: issueView(issue) };
  };

  return {
    teams: (args) => {
      const filter = record(args.filter);
      return paginate(
        data.teams
          .filter((team) => matches(filter.id, team.id) && matches(filter.key, team.key))
          .map(teamView),
        args,
      );
    },
    team: (args) => {
      const team = data.teams.find(
        (candidate) => candidate.id === args.id || candidate.key === args.id,
      );
      if (team === undefined)
        throw new GraphQLError("Entity not found: Team", { extensions: { type: "invalid input" } });
      return teamView(team);
    },
    issues: (args) => {
      const filter = record(args.filter);
      const teamFilter = record(filter.team);
      const selected = visible(data.issues, args).filter((issue) => {
        const team = teamById(issue.teamId);
        return (
          matches(filter.id, issue.id) &&
          matches(teamFilter.id, issue.teamId) &&
          matches(teamFilter.key, team?.key ?? null) &&
          matchesDate(filter.updatedAt, issue.updatedAt)
        );
      });
      // linear.app/developers/pagination: "By default results are ordered by `createdAt` field.
      // To get most recently updated resources, you can alternatively order by `updatedAt`":
      // `updatedAt` order is newest first.
      const ordered =
        args.orderBy === "updatedAt"
          ? [...selected].sort((a, b) =>
              a.updatedAt > b.updatedAt ? -1 : a.updatedAt < b.updatedAt ? 1 : a.id < b.id ? -1 : 1,
            )
          : [...selected].sort((a, b) =>
              a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
            );
      return paginate(ordered.map(issueView), args);
    },
    issueLabels: (args) =>
      paginate(
        visible(data.labels, args)
          .filter((label) => labelMatches(label, args.filter))
          .map(labelView),
        args,
      ),
    viewer: () => {
      const user = actor();
      if (user === null) throw new GraphQLError("Authentication required, not authenticated");
      return { ...user, organization: FAKE_ORGANIZATION };
    },
    issueLabelCreate: (args) => {
      const input = record(args.input);
      const name = typeof input.name === "string" ? input.name : "";
      const parentId = typeof input.parentId === "string" ? input.parentId : null;
      const teamId = typeof input.teamId === "string" ? input.teamId : null;
      if (parentId !== null && labelById(parentId)?.isGroup !== true)
        throw userError("Parent label must be a group");
      const duplicate = data.labels.some(
        (label) =>
          label.name.toLowerCase() === name.toLowerCase() &&
          label.parentId === parentId &&
          label.teamId === teamId,
      );
      if (duplicate) throw userError(`Duplicate label name: ${name}`);
      const label: LabelRecord = {
        id: newId(data, "label"),
        name,
        isGroup: input.isGroup === true,
        parentId,
        teamId,
        createdAt: now(),
      };
      data.labels.push(label);
      notify("create", "IssueLabel", { ...label });
      return { success: true, lastSyncId: data.nextId, issueLabel: labelView(label) };
    },
    issueUpdate: (args) => {
      const input = record(args.input);
      const strings = (value: unknown) =>
        Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
      if (typeof input.teamId === "string") moveIssue(editable(issueOf(args.id)), input.teamId);
      return changeLabels(args.id, strings(input.addedLabelIds), strings(input.removedLabelIds));
    },
    /**
     * `issueDelete` (schema: "Deletes (trashes) an issue", restorable for 30 days): the issue is
     * archived with `trashed: true` (`Issue.trashed`: "whether the issue is in the trash bin"),
     * so only `includeArchived` connections still answer it; with `permanentlyDelete` it is gone.
     * Linear sends a `remove` webhook for it (linear.app/developers/webhooks).
     */
    issueDelete: (args) => {
      const issue = issueOf(args.id);
      if (args.permanentlyDelete === true) {
        data.issues.splice(data.issues.indexOf(issue), 1);
        notify("remove", "Issue", { ...issue });
        return { success: true, lastSyncId: data.nextId, entity: null };
      }
      const at = now();
      issue.trashed = true;
      issue.archivedAt = at;
      issue.updatedAt = at;
      notify("remove", "Issue", { ...issue });
      return { success: true, lastSyncId: data.nextId, entity: issueView(issue) };
    },
    projects: (args) => {
      const filter = record(args.filter);
      return paginate(
        visible(data.projects, args)
          .filter((project) => matches(filter.name, project.name))
          .map(projectView),
        args,
      );
    },
    projectCreate: (args) => {
      const input = record(args.input);
      const project = {
        id: newId(data, "project"),
        name: typeof input.name === "string" ? input.name : "",
        teamIds: Array.isArray(input.teamIds) ? input.teamIds.map(String) : [],
      };
      data.projects.push(project);
      notify("create", "Project", { ...project });
      return { success: true, lastSyncId: data.nextId, project: projectView(project) };
    },
    documentCreate: (args) => {
      const input = record(args.input);
      const document = {
        id: newId(data, "document"),
        projectId: typeof input.projectId === "string" ? input.projectId : null,
        title: typeof input.title === "string" ? input.title : "",
        content: typeof input.content === "string" ? input.content : null,
        updatedAt: now(),
      };
      data.documents.push(document);
      notify("create", "Document", { ...document });
      return { success: true, lastSyncId: data.nextId, document };
    },
    documentUpdate: (args) => {
      const input = record(args.input);
      const document = data.documents.find((candidate) => candidate.id === args.id);
      if (document === undefined) throw userError("Entity not found: Document");
      const before = { content: document.content, updatedAt: document.updatedAt };
      if (typeof input.content === "string") document.content = input.content;
      document.updatedAt = now();
      notify("update", "Document", { ...document }, before);
      return { success: true, lastSyncId: data.nextId, document };
    },
    projectUpdateCreate: (args) => {
      const input = record(args.input);
      const projectId = typeof input.projectId === "string" ? input.projectId : "";
      if (!data.projects.some((project) => project.id === projectId))
        throw userError("Entity not found: Project");
      const update = {
        id: newId(data, "update"),
        projectId,
        body: typeof input.body === "string" ? input.body : "",
        health: typeof input.health === "string" ? input.health : "onTrack",
        createdAt: now(),
      };
      data.projectUpdates.push(update);
      notify("create", "ProjectUpdate", { ...update });
      return { success: true, lastSyncId: data.nextId, projectUpdate: update };
    },
    issueBatchUpdate: (args) => {
      const ids = Array.isArray(args.ids) ? args.ids.map(String) : [];
      // Linear's documented limit for one batch.
      if (ids.length > 50) throw userError("Can't update more than 50 issues at a time");
      const input = record(args.input);
      const strings = (value: unknown) =>
        Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
      const issues = ids.map(
        (id) =>
          changeLabels(id, strings(input.addedLabelIds), strings(input.removedLabelIds)).issue,
      );
      return { success: true, lastSyncId: data.nextId, issues };
    },
    issueAddLabel: (args) => changeLabels(args.id, [String(args.labelId)], []),
    issueRemoveLabel: (args) => changeLabels(args.id, [], [String(args.labelId)]),
  };
}

function viewOrNull<T, V>(value: T | undefined, view: (value: T) => V): V | null {
  return value === undefined ? null : view(value);
}
