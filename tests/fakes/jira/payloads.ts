import {
  DECOY_POINTS_FIELD_ID,
  ESTIMATE_FIELD_ID,
  RANK_FIELD_ID,
  SPRINT_FIELD_ID,
  STATUSES,
  displayNameOf,
  type FakeBoard,
  type FakeHistory,
  type FakeIssue,
  type FakeSite,
  type FakeSprint,
  type FakeStatus,
} from "./site";

/**
 * JSON as Jira Cloud sends it, shaped after the examples in Atlassian's REST references: platform
 * timestamps with a `+0000` offset, Agile timestamps in ISO with `Z`, descriptions in the Atlassian
 * Document Format, `self` links everywhere.
 *
 * Sources, each shape's own comment naming its operation:
 * - platform: the REST v3 OpenAPI spec, https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json
 *   (version 1001.0.0-SNAPSHOT-57a0ca5b…, operations named below by operationId);
 * - Agile: https://developer.atlassian.com/cloud/jira/software/swagger.v3.json
 *   (https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/).
 * Where a spec's schema and its example disagree, the example (what Jira sends) wins.
 */

/** Whatever `JSON.stringify` sends; the shapes are checked by the client's schemas, not here. */
type Json = unknown;

/** `2025-06-01T19:08:00.000+0000`: the platform API's format. */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/** The Agile API's format. */
function agileTime(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString();
}

export function fieldsJson(): Json {
  const system = (id: string, name: string, type: string, items?: string): Json => ({
    id,
    key: id,
    name,
    custom: false,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: [id],
    schema: { type, system: id, ...(items ? { items } : {}) },
  });
  const custom = (
    id: string,
    name: string,
    type: string,
    customType: string,
    items?: string,
  ): Json => {
    const number = Number(id.replace("customfield_", ""));
    return {
      id,
      key: id,
      name,
      untranslatedName: name,
      custom: true,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: [`cf[${number}]`, name],
      schema: { type, custom: customType, customId: number, ...(items ? { items } : {}) },
    };
  };
  return [
    system("summary", "Summary", "string"),
    system("issuetype", "Issue Type", "issuetype"),
    system("labels", "Labels", "array", "string"),
    system("components", "Components", "array", "component"),
    system("project", "Project", "project"),
    system("parent", "Parent", "issuelink"),
    system("status", "Status", "status"),
    system("resolution", "Resolution", "resolution"),
    system("created", "Created", "datetime"),
    system("resolutiondate", "Resolved", "datetime"),
    system("assignee", "Assignee", "user"),
    system("description", "Description", "string"),
    custom(RANK_FIELD_ID, "Rank", "any", "com.pyxis.greenhopper.jira:gh-lexo-rank"),
    custom(
      DECOY_POINTS_FIELD_ID,
      "Story Points",
      "number",
      "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    custom(SPRINT_FIELD_ID, "Sprint", "array", "com.pyxis.greenhopper.jira:gh-sprint", "json"),
    custom(
      ESTIMATE_FIELD_ID,
      "Story point estimate",
      "number",
      "com.pyxis.greenhopper.jira.gh-story-points:storypoints",
    ),
  ];
}

export function statusJson(site: string, status: FakeStatus): Json {
  return {
    self: `${site}/rest/api/3/status/${status.id}`,
    description: "",
    iconUrl: `${site}/images/icons/statuses/generic.png`,
    name: status.name,
    untranslatedName: status.name,
    id: status.id,
    statusCategory: {
      self: `${site}/rest/api/3/statuscategory/${status.category.id}`,
      id: status.category.id,
      key: status.category.key,
      colorName: status.category.colorName,
      name: status.category.name,
    },
  };
}

/** `getBoard` (GET /rest/agile/1.0/board/{boardId}): the spec's example, our values. */
export function boardJson(site: string, board: FakeBoard): Json {
  return {
    id: board.id,
    self: `${site}/rest/agile/1.0/board/${board.id}`,
    name: board.name,
    type: board.type,
    location: {
      projectId: board.projectId,
      displayName: `${board.projectKey} (${board.projectKey})`,
      projectName: board.projectKey,
      projectKey: board.projectKey,
      projectTypeKey: "software",
      avatarURI: `${site}/rest/api/2/universal_avatar/view/type/project/avatar/10400?size=small`,
      name: `${board.projectKey} (${board.projectKey})`,
    },
  };
}

/**
 * `getConfiguration` (GET /rest/agile/1.0/board/{boardId}/configuration): the spec's example.
 * "estimation (Scrum only) … Valid values: none, issueCount, field"; team-managed boards are sent
 * the same way (their estimate field is "Story point estimate"), kanban boards without it.
 */
export function boardConfigurationJson(site: string, board: FakeBoard): Json {
  const estimation =
    board.estimation === "field"
      ? {
          type: "field",
          field: { fieldId: ESTIMATE_FIELD_ID, displayName: "Story point estimate" },
        }
      : { type: board.estimation };
  return {
    id: board.id,
    name: board.name,
    type: board.type,
    self: `${site}/rest/agile/1.0/board/${board.id}/configuration`,
    location: { type: "project", key: board.projectKey, id: String(board.projectId) },
    filter: { id: board.filterId, self: `${site}/rest/api/3/filter/${board.filterId}` },
    columnConfig: {
      columns: [
        { name: "To Do", statuses: [{ id: "10000", self: `${site}/rest/api/3/status/10000` }] },
        { name: "In Progress", statuses: [{ id: "3", self: `${site}/rest/api/3/status/3` }] },
        { name: "Done", statuses: [{ id: "10001", self: `${site}/rest/api/3/status/10001` }] },
      ],
      constraintType: "issueCount",
    },
    ...(board.type === "kanban" ? {} : { estimation }),
    ranking: { rankCustomFieldId: Number(RANK_FIELD_ID.replace("customfield_", "")) },
  };
}

/** `getAllSprints` (GET /rest/agile/1.0/board/{boardId}/sprint): one of the example's `values`. */
export function sprintJson(site: string, sprint: FakeSprint): Json {
  return {
    id: sprint.id,
    self: `${site}/rest/agile/1.0/sprint/${sprint.id}`,
    state: sprint.state,
    name: sprint.name,
    startDate: agileTime(sprint.startDate),
    endDate: agileTime(sprint.endDate),
    completeDate: agileTime(sprint.completeDate),
    createdDate: agileTime(sprint.createdDate),
    originBoardId: sprint.boardId,
    goal: sprint.goal,
  };
}

/** The sprint field's value on an issue (a list of sprint objects in REST v3). */
function sprintFieldJson(sprint: FakeSprint): Json {
  return {
    id: sprint.id,
    name: sprint.name,
    state: sprint.state,
    boardId: sprint.boardId,
    goal: sprint.goal,
    startDate: agileTime(sprint.startDate),
    endDate: agileTime(sprint.endDate),
    completeDate: agileTime(sprint.completeDate),
  };
}

function adf(text: string): Json {
  return {
    type: "doc",
    version: 1,
    content: [{ type: "paragraph", content: [{ type: "text", text }] }],
  };
}

/**
 * An issue with the fields asked for: `all` for a read without `fields`, else the listed ids
 * (`*all` and `*navigable` mean everything). Jira omits fields not asked for.
 */
export function issueJson(
  siteUrl: string,
  site: FakeSite,
  issue: FakeIssue,
  fields: ReadonlySet<string> | "all",
  properties: readonly string[] = [],
): Json {
  const wants = (id: string) =>
    fields === "all" || fields.has(id) || fields.has("*all") || fields.has("*navigable");
  const status = site.status(issue.statusId) ?? STATUSES[0];
  const out: Record<string, unknown> = {};
  if (wants("summary")) out.summary = issue.summary;
  if (wants("description"))
    out.description = adf(`${issue.summary}. Acceptance criteria to follow.`);
  if (wants("issuetype")) {
    out.issuetype = {
      self: `${siteUrl}/rest/api/3/issuetype/${typeId(issue.issueType)}`,
      id: typeId(issue.issueType),
      description: "",
      iconUrl: `${siteUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10315?size=medium`,
      name: issue.issueType,
      subtask: false,
      avatarId: 10315,
      hierarchyLevel: issue.issueType === "Epic" ? 1 : 0,
    };
  }
  if (wants("labels")) out.labels = [...issue.labels];
  if (wants("components")) {
    out.components = issue.components.map((name, i) => ({
      self: `${siteUrl}/rest/api/3/component/${10_500 + i}`,
      id: String(10_500 + i),
      name,
    }));
  }
  if (wants("project")) {
    const id = site.projectIdOf(issue.projectKey);
    out.project = {
      self: `${siteUrl}/rest/api/3/project/${id}`,
      id: String(id),
      key: issue.projectKey,
      name: issue.projectKey,
      projectTypeKey: "software",
      // Team-managed projects are `simplified`.
      simplified: [...site.boards.values()].some(
        (board) => board.projectKey === issue.projectKey && board.type === "simple",
      ),
      avatarUrls: {
        "48x48": `${siteUrl}/rest/api/3/universal_avatar/view/type/project/avatar/10400`,
      },
    };
  }
  if (wants("parent") && issue.parentKey !== null) {
    const parent = site.issue(issue.parentKey);
    out.parent = {
      id: parent?.id ?? "0",
      key: issue.parentKey,
      self: `${siteUrl}/rest/api/3/issue/${parent?.id ?? "0"}`,
      fields: {
        summary: parent?.summary ?? "",
        status: status === undefined ? null : statusJson(siteUrl, status),
      },
    };
  }
  if (wants("status") && status !== undefined) out.status = statusJson(siteUrl, status);
  if (wants("resolution")) {
    out.resolution =
      issue.resolution === null
        ? null
        : {
            self: `${siteUrl}/rest/api/3/resolution/${issue.resolution.id}`,
            id: issue.resolution.id,
            description: "",
            name: issue.resolution.name,
          };
  }
  if (wants("created")) out.created = jiraTime(issue.created);
  if (wants("updated")) out.updated = jiraTime(issue.updated);
  if (wants("resolutiondate")) {
    out.resolutiondate = issue.resolutionDate === null ? null : jiraTime(issue.resolutionDate);
  }
  if (wants("assignee")) {
    // A user as Jira returns it in an issue's fields (`UserDetails`); null when unassigned.
    out.assignee =
      issue.assignee === null
        ? null
        : {
            self: `${siteUrl}/rest/api/3/user?accountId=${encodeURIComponent(issue.assignee)}`,
            accountId: issue.assignee,
            avatarUrls: {
              "48x48": `${siteUrl}/secure/useravatar?size=large&ownerId=${encodeURIComponent(issue.assignee)}`,
            },
            displayName: displayNameOf(issue.assignee),
            active: true,
            timeZone: "UTC",
            accountType: "atlassian",
          };
  }
  if (wants(SPRINT_FIELD_ID)) {
    const sprints = issue.sprintIds.flatMap((id) => {
      const sprint = site.sprints.get(id);
      return sprint === undefined ? [] : [sprintFieldJson(sprint)];
    });
    out[SPRINT_FIELD_ID] = sprints.length === 0 ? null : sprints;
  }
  if (wants(ESTIMATE_FIELD_ID)) out[ESTIMATE_FIELD_ID] = issue.estimate;
  if (wants(DECOY_POINTS_FIELD_ID)) out[DECOY_POINTS_FIELD_ID] = null;
  const json: Record<string, Json> = {
    expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
    id: issue.id,
    self: `${siteUrl}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields: out,
  };
  if (properties.length > 0) {
    const found: Record<string, Json> = {};
    for (const key of properties) {
      if (issue.properties.has(key)) found[key] = issue.properties.get(key);
    }
    json.properties = found;
  }
  return json;
}

/**
 * One `Changelog` (REST v3 spec). `created` is epoch milliseconds where Jira sends it so: the
 * example of `getBulkChangelogs` (POST /rest/api/3/changelog/bulkfetch) has `"created":1492070429`,
 * the instant the example of `getChangeLogs` (GET /rest/api/3/issue/{issueIdOrKey}/changelog)
 * writes `"1970-01-18T06:27:50.429+0000"`, although both schemas say `date-time`. Items without
 * `fieldId` (optional in `ChangeDetails`) are the legacy ones.
 */
export function historyJson(history: FakeHistory, created: "epoch-ms" | "string" = "string"): Json {
  return {
    id: String(history.id),
    author: {
      accountId: "5b10a2844c20165700ede21g",
      displayName: "Mia Krystof",
      active: true,
      accountType: "atlassian",
      timeZone: "Europe/Zurich",
    },
    created: created === "epoch-ms" ? history.created : jiraTime(history.created),
    items: history.items.map(({ legacy, fieldId, ...item }) =>
      legacy === true ? item : { ...item, fieldId },
    ),
  };
}

function typeId(name: string): string {
  const known: Record<string, string> = {
    Epic: "10000",
    Story: "10001",
    Task: "10002",
    Bug: "10004",
  };
  return known[name] ?? String(10_100 + [...name].reduce((sum, c) => sum + c.charCodeAt(0), 0));
}
