import { counted } from "../domain/index";
import { z } from "zod";
import {
  BadRequestError,
  errorForResponse,
  isNearLimit,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  type RateLimitReason,
} from "./errors";
import { planLabelUpdate, type CategoryChoice, type CategoryLabels } from "./labels";
import { DEFAULT_DROPPED_RESOLUTIONS, mapSingleIssue, type ItemFile } from "./map-board";
import { pullBoard, type PullOptions, type PulledBoard } from "./pull-board";
import {
  CHANGELOG_BATCH_SIZE,
  CHANGELOG_PAGE_SIZE,
  SEARCH_PAGE_SIZE,
  BOARD_PAGE_SIZE,
  SPRINT_PAGE_SIZE,
} from "./limits";
import { realSleep } from "../shared/index";
import { withRetry, type RetryOptions } from "./retry";
import {
  approximateCountSchema,
  boardConfigurationSchema,
  boardSchema,
  CATEGORY_PROPERTY_KEY,
  categoryPropertySchema,
  changelogPageSchemaFor,
  fieldsSchema,
  filterSchema,
  issueLabelsSchema,
  issuePropertySchema,
  myPermissionsSchema,
  bulkPermissionGrantsSchema,
  projectSchema,
  type JiraProject,
  rawIssueSchema,
  searchEnvelopeSchema,
  boardPageSchema,
  sprintPageSchema,
  statusesSchema,
  type CategoryProperty,
  type ChangeHistory,
  type FieldIdsByName,
  type IssueFieldIds,
  type JiraBoard,
  type JiraBoardConfiguration,
  type JiraField,
  type JiraFilter,
  type JiraIssue,
  type JiraSprint,
  type JiraStatus,
} from "./schemas";
import { describePath, jiraPath, type JiraRequest, type JiraTransport } from "./transport";

/**
 * Issue ids one search may name in `reconcileIssues`: Jira's enhanced search is eventually
 * consistent, and "API can accept a maximum of 50 reconcile issues"; the search is then consistent
 * "only for the specified issues"
 * (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile).
 */
export const RECONCILE_MAX = 50;

/** What a search may add to its JQL: issue ids (numeric) whose latest state it must read. */
export interface SearchOptions {
  /** At most {@link RECONCILE_MAX}; the same list on every page of one search, as Jira asks. */
  readonly reconcile?: readonly string[];
}

/** `POST /rest/api/3/issue/properties/multi` takes up to 100 issues a request. */
export const PROPERTY_BATCH_SIZE = 100;

/** The custom field type of Jira Software's sprint field. */
export const SPRINT_FIELD_TYPE = "com.pyxis.greenhopper.jira:gh-sprint";
/** Names of the story points field when the board does not name one (team- and company-managed). */
export const ESTIMATE_FIELD_NAMES = ["Story point estimate", "Story Points"] as const;

export interface JiraClientOptions {
  readonly retry?: RetryOptions;
  /** The clock rate-limit headers are read against. */
  readonly now?: () => number;
  /**
   * The pause before each request while Jira says a budget is nearly spent
   * (`X-RateLimit-NearLimit: true`, or `Beta-Retry-After`), for a minute after it last said so.
   */
  readonly nearLimitDelayMs?: number;
  /** Called when Jira says a budget is nearly spent, so a host can defer work that can wait. */
  readonly onNearLimit?: () => void;
}

/** How long one `X-RateLimit-NearLimit` keeps the client pacing itself. */
const NEAR_LIMIT_WINDOW_MS = 60_000;
const DEFAULT_NEAR_LIMIT_DELAY_MS = 1_000;

/**
 * What a pull needs to know about a board before reading its issues: the fixed calls. JSON, so a
 * host can keep it and pass it back (`pullBoard(…, { context })`, `getIssue(key, context)`).
 */
export interface BoardContext {
  readonly board: {
    readonly id: number;
    readonly name: string;
    readonly type: string;
    readonly projectKey: string | null;
    /** Jira's numeric id of that project; absent in contexts kept from before it was read. */
    readonly projectId?: number | null;
  };
  /** The board's filter (and a kanban board's sub-query): which issues are the board's. */
  readonly jql: string;
  readonly sprintFieldId: string | null;
  readonly estimateFieldId: string | null;
  readonly unit: "points" | "issues";
  readonly statuses: readonly JiraStatus[];
  /**
   * The sprint and estimate fields' ids by lower-case name, for changelog items that carry only
   * the field's name. Absent in contexts kept from before it existed.
   */
  readonly fieldNames?: Readonly<Record<string, string>>;
}

/** What `getIssue` needs to map one issue without reading the board again. */
export interface IssueContext extends IssueFieldIds {
  readonly teamId: string;
  readonly droppedResolutions?: readonly string[];
}

export interface IssueSnapshot {
  readonly issue: JiraIssue;
  /** The issue as a workspace item: no history, every sprint of the sprint field, any board's. */
  readonly item: ItemFile;
  readonly sprints: JiraIssue["sprints"];
  /** The `capacity-split` property as last written, or null. */
  readonly property: CategoryProperty | null;
}

export interface LabelChange {
  readonly changed: boolean;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly labels: readonly string[];
}

/** Issues, or projects, one bulk permission check may name (getBulkPermissions: "a maximum of 1000 projects and 1000 issues"). */
export const BULK_PERMISSION_CHECK_MAX = 1000;

/**
 * Jira Cloud REST client over a {@link JiraTransport}: every response is parsed with the schemas in
 * `schemas.ts` before use; failures are the typed family of `errors.ts`; 429/5xx/network failures
 * are retried (see `retry.ts`).
 */
export class JiraClient {
  private sent = 0;
  /** Until when the hourly quota is spent: requests before then are refused without sending. */
  private quotaUntil = 0;
  private quotaReason: RateLimitReason | null = null;
  /** Until when Jira's last "nearly spent" warning keeps the client pacing itself. */
  private nearLimitUntil = 0;

  constructor(
    readonly transport: JiraTransport,
    private readonly options: JiraClientOptions = {},
  ) {}

  /** Requests sent so far, retries included. */
  get requestCount(): number {
    return this.sent;
  }

  /** Whether Jira said within the last minute that a rate-limit budget is nearly spent. */
  get nearLimit(): boolean {
    return this.clock() < this.nearLimitUntil;
  }

  /**
   * @see GET /rest/api/3/field
   * @throws AuthError, UpstreamError, RateLimitedError
   */
  async getFields(): Promise<JiraField[]> {
    return this.call(
      { method: "GET", path: jiraPath`/rest/api/3/field` },
      fieldsSchema,
      "list fields",
    );
  }

  /**
   * @see GET /rest/api/3/status
   * @throws AuthError, UpstreamError, RateLimitedError
   */
  async getStatuses(): Promise<JiraStatus[]> {
    return this.call(
      { method: "GET", path: jiraPath`/rest/api/3/status` },
      statusesSchema,
      "list statuses",
    );
  }

  /**
   * @see GET /rest/agile/1.0/board/{boardId}
   * @throws NotFoundError (no such board, or not visible), AuthError, UpstreamError, RateLimitedError
   */
  async getBoard(boardId: number): Promise<JiraBoard> {
    return this.call(
      { method: "GET", path: jiraPath`/rest/agile/1.0/board/${boardId}` },
      boardSchema,
      `read board ${boardId}`,
    );
  }

  /**
   * A project by key or id, as the user by default: Jira answers 404 both when there is none and
   * when the user may not browse it.
   * @see GET /rest/api/3/project/{projectIdOrKey} (getProject)
   * @throws NotFoundError, AuthError, UpstreamError, RateLimitedError
   */
  async getProject(
    projectIdOrKey: string,
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<JiraProject> {
    return this.call(
      {
        method: "GET",
        path: jiraPath`/rest/api/3/project/${projectIdOrKey}`,
        as: options.as ?? "user",
      },
      projectSchema,
      `read project ${projectIdOrKey}`,
    );
  }

  /**
   * @see GET /rest/agile/1.0/board/{boardId}/configuration
   * @throws NotFoundError, AuthError, UpstreamError, RateLimitedError
   */
  async getBoardConfiguration(boardId: number): Promise<JiraBoardConfiguration> {
    return this.call(
      { method: "GET", path: jiraPath`/rest/agile/1.0/board/${boardId}/configuration` },
      boardConfigurationSchema,
      `read the configuration of board ${boardId}`,
    );
  }

  /**
   * @see GET /rest/api/3/filter/{id}
   * @throws NotFoundError (deleted, or not shared with the account), AuthError, UpstreamError
   */
  async getFilter(filterId: string): Promise<JiraFilter> {
    return this.call(
      { method: "GET", path: jiraPath`/rest/api/3/filter/${filterId}` },
      filterSchema,
      `read filter ${filterId}`,
    );
  }

  /**
   * The boards of a project that the caller can see, all pages. As the user by default, so a
   * board the person cannot browse is never offered.
   * @see GET /rest/agile/1.0/board?projectKeyOrId={projectKey}
   * @throws AuthError, UpstreamError, RateLimitedError
   */
  async listProjectBoards(
    projectKey: string,
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<JiraBoard[]> {
    return this.readOffsetPages(
      (startAt) => ({
        method: "GET",
        path: jiraPath`/rest/agile/1.0/board`,
        query: { projectKeyOrId: projectKey, startAt, maxResults: BOARD_PAGE_SIZE },
        as: options.as ?? "user",
      }),
      boardPageSchema,
      `list the boards of project ${projectKey}`,
    );
  }

  /**
   * Every sprint of a board, all pages: scrum boards, and team-managed (`simple`) boards with the
   * sprints feature on.
   * @see GET /rest/agile/1.0/board/{boardId}/sprint
   * @throws NotFoundError, BadRequestError (a board without the sprints feature: kanban boards,
   *   team-managed boards with sprints off; Jira says "The board does not support sprints"),
   *   AuthError, UpstreamError
   */
  async getSprints(boardId: number): Promise<JiraSprint[]> {
    return this.readOffsetPages(
      (startAt) => ({
        method: "GET",
        path: jiraPath`/rest/agile/1.0/board/${boardId}/sprint`,
        query: { startAt, maxResults: SPRINT_PAGE_SIZE },
      }),
      sprintPageSchema,
      `list the sprints of board ${boardId}`,
    );
  }

  /** Every value of an Agile API list, page by page until `isLast` (or an empty page). */
  private async readOffsetPages<T>(
    request: (startAt: number) => JiraRequest,
    schema: z.ZodType<{ readonly isLast: boolean; readonly values: T[] }>,
    purpose: string,
  ): Promise<T[]> {
    const values: T[] = [];
    for (let startAt = 0; ;) {
      const page = await this.call(request(startAt), schema, purpose);
      values.push(...page.values);
      if (page.isLast || page.values.length === 0) return values;
      startAt += page.values.length;
    }
  }

  /**
   * Jira's estimate of how many issues match; for progress only.
   * @see POST /rest/api/3/search/approximate-count
   * @throws BadRequestError (invalid JQL), AuthError, UpstreamError
   */
  async countIssues(jql: string): Promise<number> {
    const result = await this.call(
      { method: "POST", path: jiraPath`/rest/api/3/search/approximate-count`, body: { jql } },
      approximateCountSchema,
      "count the board's issues",
    );
    return result.count;
  }

  /**
   * One page of issues with only the fields the model needs.
   * @see POST /rest/api/3/search/jql (the old /rest/api/3/search answers 410 Gone)
   * @throws BadRequestError (invalid JQL, or an expired `nextPageToken`), AuthError, UpstreamError
   */
  async searchIssues(
    jql: string,
    ids: IssueFieldIds,
    nextPageToken: string | null,
    options: SearchOptions = {},
  ): Promise<{ issues: JiraIssue[]; nextPageToken: string | null }> {
    const page = await this.searchIssuesDeferred(jql, ids, nextPageToken, options);
    return { issues: page.issues(), nextPageToken: page.nextPageToken };
  }

  /**
   * `searchIssues` in two steps: the page's token is read (and checked) first, so a pull can ask
   * for the next page while this one's issues are still being validated by `issues()`.
   * @see POST /rest/api/3/search/jql
   * @throws like `searchIssues`; `issues()` throws an `UpstreamError` for an issue of the wrong shape
   */
  async searchIssuesDeferred(
    jql: string,
    ids: IssueFieldIds,
    nextPageToken: string | null,
    options: SearchOptions = {},
  ): Promise<{ nextPageToken: string | null; issues: () => JiraIssue[] }> {
    assertBounded(jql);
    const request: JiraRequest = {
      method: "POST",
      path: jiraPath`/rest/api/3/search/jql`,
      body: {
        jql,
        fields: issueFields(ids),
        maxResults: SEARCH_PAGE_SIZE,
        ...reconcileBody(options),
        ...(nextPageToken === null ? {} : { nextPageToken }),
      },
    };
    const purpose = "search the board's issues";
    const page = await this.call(request, searchEnvelopeSchema, purpose);
    const last =
      page.isLast === true || page.nextPageToken === null || page.nextPageToken === undefined;
    return {
      nextPageToken: last ? null : (page.nextPageToken ?? null),
      issues: () =>
        this.parse(request, z.array(rawIssueSchema(ids)), page.issues, purpose, ["issues"]),
    };
  }

  /**
   * One page of the changelogs of up to 1000 issues, only the given fields' changes. Items that
   * name their field only by name (no `fieldId`) get the id `fieldNames` gives that name.
   * @see POST /rest/api/3/changelog/bulkfetch
   * @throws BadRequestError (more than 1000 issues or 10 fields, an expired token), AuthError, UpstreamError
   */
  async getChangelogs(
    issueIds: readonly string[],
    fieldIds: readonly string[],
    nextPageToken: string | null,
    fieldNames: FieldIdsByName = new Map(),
  ): Promise<{ histories: Map<string, ChangeHistory[]>; nextPageToken: string | null }> {
    if (issueIds.length > CHANGELOG_BATCH_SIZE) {
      throw new Error(
        `At most ${CHANGELOG_BATCH_SIZE} issues per changelog request, got ${issueIds.length}.`,
      );
    }
    const page = await this.call(
      {
        method: "POST",
        path: jiraPath`/rest/api/3/changelog/bulkfetch`,
        body: {
          issueIdsOrKeys: issueIds,
          fieldIds,
          maxResults: CHANGELOG_PAGE_SIZE,
          ...(nextPageToken === null ? {} : { nextPageToken }),
        },
      },
      changelogPageSchemaFor(fieldNames),
      "read the issues' change history",
    );
    const histories = new Map<string, ChangeHistory[]>();
    for (const log of page.issueChangeLogs) {
      const list = histories.get(log.issueId) ?? [];
      list.push(...log.changeHistories);
      histories.set(log.issueId, list);
    }
    return { histories, nextPageToken: page.nextPageToken ?? null };
  }

  /**
   * The fixed calls of a pull: board, configuration, filter, fields and statuses, four of them at
   * once. Finds the sprint field by its type and the estimate field from the board's estimation
   * configuration, else by name; never by a hard-coded `customfield_…` id, which differs per site.
   * @see GET /rest/agile/1.0/board/{boardId}, …/configuration, GET /rest/api/3/filter/{id},
   *   GET /rest/api/3/field, GET /rest/api/3/status
   * @throws NotFoundError, AuthError, UpstreamError, RateLimitedError
   */
  async getBoardContext(boardId: number): Promise<BoardContext> {
    const [board, configuration, fields, statuses] = await Promise.all([
      this.getBoard(boardId),
      this.getBoardConfiguration(boardId),
      this.getFields(),
      this.getStatuses(),
    ]);
    const filter = await this.getFilter(configuration.filter.id);
    const sprintField = fields.find((field) => field.schema?.custom === SPRINT_FIELD_TYPE);
    const { estimateField, unit } = readEstimation(configuration.estimation, fields);
    const fieldNames: Record<string, string> = {};
    for (const field of [sprintField, estimateField]) {
      if (field !== undefined) fieldNames[field.name.toLowerCase()] = field.id;
    }
    return {
      board: {
        id: board.id,
        name: board.name,
        type: board.type,
        projectKey: board.location?.projectKey ?? null,
        projectId: board.location?.projectId ?? null,
      },
      jql: combineJql(filter.jql, configuration.subQuery?.query),
      sprintFieldId: sprintField?.id ?? null,
      estimateFieldId: estimateField?.id ?? null,
      unit,
      statuses,
      fieldNames,
    };
  }

  /**
   * One issue, mapped, with its sprints and its `capacity-split` property: one request, for the
   * issue panel. The field ids come from a `BoardContext` the caller kept.
   * @see GET /rest/api/3/issue/{issueIdOrKey}?fields=…&properties=capacity-split
   * @throws NotFoundError, AuthError, UpstreamError, RateLimitedError
   */
  async getIssue(
    key: string,
    context: IssueContext,
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<IssueSnapshot> {
    const issue = await this.call(
      {
        method: "GET",
        path: jiraPath`/rest/api/3/issue/${key}`,
        query: { fields: issueFields(context), properties: CATEGORY_PROPERTY_KEY },
        as: options.as,
      },
      rawIssueSchema(context),
      `read issue ${key}`,
    );
    const stored = categoryPropertySchema.safeParse(issue.properties[CATEGORY_PROPERTY_KEY]);
    return {
      issue,
      item: mapSingleIssue(
        issue,
        context.teamId,
        context.droppedResolutions ?? DEFAULT_DROPPED_RESOLUTIONS,
      ),
      sprints: issue.sprints,
      property: stored.success ? stored.data : null,
    };
  }

  /**
   * Sets or clears an issue's explicit category label (SPEC §3): adds one of the two labels and
   * removes the other, matched case-insensitively, with `update.labels` add/remove operations so no
   * other label is touched, even one added concurrently. Writes nothing when the labels already say
   * so. Reads the labels first unless the caller passes them. Runs as the user by default, so
   * Jira's own edit permission decides.
   * @see GET /rest/api/3/issue/{issueIdOrKey}?fields=labels, PUT /rest/api/3/issue/{issueIdOrKey}
   * @throws AuthError (no edit permission), NotFoundError, BadRequestError, UpstreamError
   */
  async setCategoryLabel(
    key: string,
    category: CategoryChoice,
    labels: CategoryLabels,
    options: { readonly as?: "app" | "user"; readonly currentLabels?: readonly string[] } = {},
  ): Promise<LabelChange> {
    const as = options.as ?? "user";
    const current = options.currentLabels ?? (await this.getLabels(key, { as }));
    const plan = planLabelUpdate(current, category, labels);
    if (plan.add.length === 0 && plan.remove.length === 0) {
      return { changed: false, added: [], removed: [], labels: plan.labels };
    }
    await this.editLabels(key, plan, { as });
    return { changed: true, added: plan.add, removed: plan.remove, labels: plan.labels };
  }

  /**
   * An issue's labels as Jira holds them now, as the user by default.
   * @see GET /rest/api/3/issue/{issueIdOrKey}?fields=labels
   * @throws NotFoundError, AuthError, UpstreamError, RateLimitedError
   */
  async getLabels(
    key: string,
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<readonly string[]> {
    const issue = await this.call(
      {
        method: "GET",
        path: jiraPath`/rest/api/3/issue/${key}`,
        query: { fields: "labels" },
        as: options.as ?? "user",
      },
      issueLabelsSchema,
      `read the labels of ${key}`,
    );
    return issue.fields.labels ?? [];
  }

  /**
   * Adds and removes exact labels with `update.labels` operations, so no other label is touched;
   * adding a label the issue has or removing one it lacks is a no-op in Jira, so a retry repeats
   * nothing. Runs as the user by default.
   * @see PUT /rest/api/3/issue/{issueIdOrKey}
   * @throws AuthError (no edit permission), NotFoundError, BadRequestError, UpstreamError
   */
  async editLabels(
    key: string,
    edit: { readonly add: readonly string[]; readonly remove: readonly string[] },
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<void> {
    await this.write(
      {
        method: "PUT",
        path: jiraPath`/rest/api/3/issue/${key}`,
        body: {
          update: {
            labels: [
              ...edit.add.map((label) => ({ add: label })),
              ...edit.remove.map((label) => ({ remove: label })),
            ],
          },
        },
        as: options.as ?? "user",
      },
      `edit the labels of ${key}`,
    );
  }

  /**
   * Writes the computed category to the issue property `capacity-split` (indexed for JQL by the
   * app's entity property module). Runs as the app by default.
   * @see PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}
   * @throws AuthError, NotFoundError, BadRequestError, UpstreamError
   */
  async setCategoryProperty(
    key: string,
    value: CategoryProperty,
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<void> {
    const body = categoryPropertySchema.parse(value);
    await this.write(
      {
        method: "PUT",
        path: jiraPath`/rest/api/3/issue/${key}/properties/${CATEGORY_PROPERTY_KEY}`,
        body,
        as: options.as ?? "app",
      },
      `set the ${CATEGORY_PROPERTY_KEY} property of ${key}`,
    );
  }

  /**
   * Writes the `capacity-split` property of up to {@link PROPERTY_BATCH_SIZE} issues in one request,
   * each its own value, by numeric issue id. Jira answers 303 ("Returned if the request is
   * successful") with the `Location` of a task that applies them (non-transactional; issues it
   * cannot find are skipped). The 303 is taken as accepted, not followed: the task is not read,
   * which would cost a request (and a point) a batch, and the runtime's product fetch is not
   * documented to follow a redirect to the site's absolute URL. Runs as the app.
   * @see POST /rest/api/3/issue/properties/multi (Bulk set issue properties by issue:
   *   https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-properties-multi-post)
   * @throws BadRequestError (more than 100 issues, a bad value), AuthError, UpstreamError
   */
  async setCategoryProperties(
    entries: readonly { readonly issueId: string; readonly value: CategoryProperty }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length > PROPERTY_BATCH_SIZE) {
      throw new Error(
        `At most ${PROPERTY_BATCH_SIZE} issues per bulk property request, got ${entries.length}.`,
      );
    }
    const issues = entries.map(({ issueId, value }) => {
      const id = Number(issueId);
      if (!Number.isSafeInteger(id))
        throw new Error(`Issue id ${JSON.stringify(issueId)} is not numeric.`);
      return {
        issueID: id,
        properties: { [CATEGORY_PROPERTY_KEY]: categoryPropertySchema.parse(value) },
      };
    });
    await this.write(
      {
        method: "POST",
        path: jiraPath`/rest/api/3/issue/properties/multi`,
        body: { issues },
        as: "app",
        redirect: "manual",
      },
      `set the ${CATEGORY_PROPERTY_KEY} property of ${counted(entries.length, "issue")}`,
      [303],
    );
  }

  /**
   * The `capacity-split` property of an issue, or null when it was never set or is not ours.
   * @see GET /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}
   * @throws NotFoundError (no such issue), AuthError, UpstreamError
   */
  async getCategoryProperty(key: string): Promise<CategoryProperty | null> {
    try {
      const property = await this.call(
        {
          method: "GET",
          path: jiraPath`/rest/api/3/issue/${key}/properties/${CATEGORY_PROPERTY_KEY}`,
          as: "app",
        },
        issuePropertySchema,
        `read the ${CATEGORY_PROPERTY_KEY} property of ${key}`,
      );
      const parsed = categoryPropertySchema.safeParse(property.value);
      return parsed.success ? parsed.data : null;
    } catch (error) {
      // 404 means either no issue or no property; a property-less issue is the common case.
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /**
   * Which of `permissions` the calling user holds in a project (global permissions such as
   * `ADMINISTER` when `projectKey` is null), as the user by default (a resolver checks the person,
   * not the app).
   * @see GET /rest/api/3/mypermissions?projectKey=…&permissions=…
   * @throws NotFoundError (no such project), AuthError, BadRequestError (unknown permission key)
   */
  async getMyPermissions(
    projectKey: string | null,
    permissions: readonly string[],
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<Record<string, boolean>> {
    const result = await this.call(
      {
        method: "GET",
        path: jiraPath`/rest/api/3/mypermissions`,
        query: projectKey === null ? { permissions } : { projectKey, permissions },
        as: options.as ?? "user",
      },
      myPermissionsSchema,
      projectKey === null
        ? "check global permissions"
        : `check permissions in project ${projectKey}`,
    );
    return Object.fromEntries(
      permissions.map((key) => [key, result.permissions[key]?.havePermission === true]),
    );
  }

  /**
   * Which of `issueIds` (Jira's numeric issue ids) the calling user may browse, as the user by
   * default. See {@link issuesWithPermission}.
   */
  async browsableIssues(
    issueIds: readonly string[],
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<Set<string>> {
    return this.issuesWithPermission(issueIds, "BROWSE_PROJECTS", options);
  }

  /**
   * Which of `issueIds` (Jira's numeric issue ids) the calling user holds `permission` on (issue
   * security and workflow included, as Jira decides), as the user by default. One request per 1000
   * ids, the documented maximum of the bulk check; ids Jira does not know are answered as without.
   * @see POST /rest/api/3/permissions/check (getBulkPermissions)
   * @throws AuthError, BadRequestError, RateLimitedError, UpstreamError
   */
  async issuesWithPermission(
    issueIds: readonly string[],
    permission: "BROWSE_PROJECTS" | "EDIT_ISSUES",
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<Set<string>> {
    const ids = [...new Set(issueIds)];
    for (const id of ids) {
      if (!/^\d{1,18}$/.test(id)) throw new Error(`Not a Jira issue id: ${JSON.stringify(id)}.`);
    }
    const { granted } = await this.permissionGrants(
      "issues",
      permission,
      ids.map(Number),
      options.as ?? "user",
    );
    return new Set([...granted].map(String));
  }

  /**
   * Which of `projectIds` (Jira's numeric project ids) the calling user may browse, as the user by
   * default, in one request per 1000 ids (the documented maximum of the bulk check); ids Jira does
   * not know are answered as not browsable.
   * @see POST /rest/api/3/permissions/check (getBulkPermissions, `projectPermissions[].projects`)
   * @throws AuthError, BadRequestError, RateLimitedError, UpstreamError
   */
  async browsableProjects(
    projectIds: readonly number[],
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<Set<number>> {
    const ids = [...new Set(projectIds)];
    for (const id of ids) {
      if (!Number.isSafeInteger(id) || id <= 0) {
        throw new Error(`Not a Jira project id: ${JSON.stringify(id)}.`);
      }
    }
    const { granted } = await this.permissionGrants(
      "projects",
      "BROWSE_PROJECTS",
      ids,
      options.as ?? "user",
    );
    return granted;
  }

  /**
   * {@link browsableProjects}, and which of `globalPermissions` (such as `ADMINISTER`) the user
   * holds, asked in the same request (the first, when more than 1000 projects take more); one
   * request for the global permissions alone when there is no project to check.
   * @see POST /rest/api/3/permissions/check (getBulkPermissions, `globalPermissions`)
   * @throws AuthError, BadRequestError, RateLimitedError, UpstreamError
   */
  async browsableProjectsAndGlobal(
    projectIds: readonly number[],
    globalPermissions: readonly string[],
    options: { readonly as?: "app" | "user" } = {},
  ): Promise<{ readonly browsable: Set<number>; readonly global: Set<string> }> {
    const ids = [...new Set(projectIds)];
    for (const id of ids) {
      if (!Number.isSafeInteger(id) || id <= 0) {
        throw new Error(`Not a Jira project id: ${JSON.stringify(id)}.`);
      }
    }
    const { granted, global } = await this.permissionGrants(
      "projects",
      "BROWSE_PROJECTS",
      ids,
      options.as ?? "user",
      globalPermissions,
    );
    return { browsable: granted, global };
  }

  /**
   * Which of `issueIds` (Jira's numeric issue ids) the person with `accountId` may edit now, asked
   * as the app, for work the app does on their behalf without them (a queued job). One request per
   * 1000 ids; ids Jira does not know are answered as not editable. Checking another account takes
   * the "Administer Jira" global permission, or a Connect app's server; a caller refused that is
   * an AuthError. Scope: `read:jira-work` (classic).
   * @see POST /rest/api/3/permissions/check (getBulkPermissions, `accountId`),
   *   https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-permissions-check-post
   * @throws AuthError, BadRequestError, RateLimitedError, UpstreamError
   */
  async issuesEditableBy(accountId: string, issueIds: readonly string[]): Promise<Set<string>> {
    if (!/^[\w:-]{1,128}$/.test(accountId)) {
      throw new Error(`Not an Atlassian account id: ${JSON.stringify(accountId)}.`);
    }
    const ids = [...new Set(issueIds)];
    for (const id of ids) {
      if (!/^\d{1,18}$/.test(id)) throw new Error(`Not a Jira issue id: ${JSON.stringify(id)}.`);
    }
    const granted = new Set<string>();
    for (let start = 0; start < ids.length; start += BULK_PERMISSION_CHECK_MAX) {
      const chunk = ids.slice(start, start + BULK_PERMISSION_CHECK_MAX).map(Number);
      const result = await this.call(
        {
          method: "POST",
          path: jiraPath`/rest/api/3/permissions/check`,
          body: {
            accountId,
            projectPermissions: [{ permissions: ["EDIT_ISSUES"], issues: chunk }],
          },
          as: "app",
        },
        bulkPermissionGrantsSchema,
        `check which of ${chunk.length} issues the person who asked may still edit`,
      );
      const asked = new Set(chunk);
      for (const grant of result.projectPermissions) {
        if (grant.permission !== "EDIT_ISSUES") continue;
        for (const id of grant.issues ?? []) if (asked.has(id)) granted.add(String(id));
      }
    }
    return granted;
  }

  /** Which of the issues' or projects' ids the caller holds `permission` on, 1000 a request. */
  private async permissionGrants(
    kind: "issues" | "projects",
    permission: "BROWSE_PROJECTS" | "EDIT_ISSUES",
    ids: readonly number[],
    as: "app" | "user",
    globalPermissions: readonly string[] = [],
  ): Promise<{ granted: Set<number>; global: Set<string> }> {
    const granted = new Set<number>();
    const global = new Set<string>();
    const verb = permission === "EDIT_ISSUES" ? "edit" : "browse";
    const wanted = new Set(globalPermissions);
    for (let start = 0; start < ids.length || (start === 0 && wanted.size > 0);) {
      const chunk = ids.slice(start, start + BULK_PERMISSION_CHECK_MAX);
      const askGlobal = start === 0 && wanted.size > 0;
      const result = await this.call(
        {
          method: "POST",
          path: jiraPath`/rest/api/3/permissions/check`,
          body: {
            ...(askGlobal ? { globalPermissions: [...wanted] } : {}),
            ...(chunk.length > 0
              ? { projectPermissions: [{ permissions: [permission], [kind]: chunk }] }
              : {}),
          },
          as,
        },
        bulkPermissionGrantsSchema,
        chunk.length > 0
          ? `check which of ${chunk.length} ${kind} the user may ${verb}`
          : "check global permissions",
      );
      const asked = new Set(chunk);
      for (const grant of result.projectPermissions) {
        if (grant.permission !== permission) continue;
        for (const id of grant[kind] ?? []) if (asked.has(id)) granted.add(id);
      }
      if (askGlobal) {
        for (const key of result.globalPermissions ?? []) if (wanted.has(key)) global.add(key);
      }
      start += Math.max(chunk.length, 1);
    }
    return { granted, global };
  }

  /**
   * The whole board as workspace parts (SPEC §11): one team, its sprints, its items with history.
   * Bounded concurrency, resumable from the cursor `onProgress` hands out; see `pull-board.ts`.
   * @see every read endpoint above
   * @throws NotFoundError, AuthError, BadRequestError, UpstreamError, RateLimitedError
   */
  async pullBoard(boardId: number, options: PullOptions = {}): Promise<PulledBoard> {
    return pullBoard(this, boardId, options);
  }

  // -------------------------------------------------------------------------------------------

  private async call<T>(request: JiraRequest, schema: z.ZodType<T>, purpose: string): Promise<T> {
    return withRetry(async () => {
      const text = await this.send(request, purpose);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        // A truncated body (a proxy cut the stream) is worth another try.
        throw new UpstreamError(
          `Jira at ${this.transport.description.site} sent a body that is not JSON while trying to ${purpose}.`,
          "JIRA_MALFORMED_RESPONSE",
          true,
          { cause: error },
        );
      }
      return this.parse(request, schema, json, purpose);
    }, this.options.retry);
  }

  /** Parses a body; valid JSON of another shape will not change on a retry, so it is final. */
  private parse<T>(
    request: JiraRequest,
    schema: z.ZodType<T>,
    json: unknown,
    purpose: string,
    at: readonly (string | number)[] = [],
  ): T {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${[...at, ...issue.path].join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new UpstreamError(
      `Jira's answer to ${request.method} ${describePath(request.path)} (to ${purpose}) is not what its documentation describes: ${problems}. Is ${this.transport.description.site} a Jira Cloud site?`,
      "JIRA_MALFORMED_RESPONSE",
      false,
      { cause: parsed.error },
    );
  }

  /** Sends a write; `accepted` are statuses besides 2xx that mean it was taken (a 303 to a task). */
  private async write(
    request: JiraRequest,
    purpose: string,
    accepted: readonly number[] = [],
  ): Promise<void> {
    await withRetry(() => this.send(request, purpose, accepted), this.options.retry);
  }

  private async send(
    request: JiraRequest,
    purpose: string,
    accepted: readonly number[] = [],
  ): Promise<string> {
    const before = this.clock();
    if (before < this.quotaUntil) {
      // Jira refuses every request until the quota resets, and a refused one still costs.
      throw new RateLimitedError(
        `The app's hourly Jira quota is spent until ${new Date(this.quotaUntil).toISOString()}; the request to ${purpose} was not sent. Try again after that.`,
        {
          cause: new Error("Refused by the client: the quota is spent."),
          reason: this.quotaReason,
          retryAfterMs: this.quotaUntil - before,
        },
      );
    }
    if (before < this.nearLimitUntil) {
      await (this.options.retry?.sleep ?? realSleep)(
        this.options.nearLimitDelayMs ?? DEFAULT_NEAR_LIMIT_DELAY_MS,
      );
    }
    this.sent++;
    const response = await this.transport.send(request);
    const now = this.clock();
    if (isNearLimit(response)) {
      this.nearLimitUntil = now + NEAR_LIMIT_WINDOW_MS;
      this.options.onNearLimit?.();
    }
    if (accepted.includes(response.status)) return response.text;
    const error = errorForResponse(response, request, purpose, this.transport.description, now);
    if (error instanceof RateLimitedError && error.quotaExhausted && error.retryAfterMs !== null) {
      this.quotaUntil = Math.max(this.quotaUntil, now + error.retryAfterMs);
      this.quotaReason = error.reason;
    }
    if (error !== null) throw error;
    return response.text;
  }

  private clock(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/**
 * Jira's enhanced search "requires a bounded query. A bounded query is a query with a search
 * restriction" (REST v3, `SearchAndReconcileRequestBean.jql`), and refuses one without. A board
 * over a filter with no restriction (`ORDER BY Rank ASC`, Jira's "all issues" board) can never be
 * read whole, and no restriction the app could add is documented to give the same issues: the
 * person who owns the filter has to add one, which this says before a request is spent on it.
 */
function assertBounded(jql: string): void {
  const message = unboundedFilterMessage(jql);
  if (message !== null) throw new BadRequestError(message, { jiraMessages: [] });
}

/** What to change when a board's query has no search restriction; null when it has one. */
export function unboundedFilterMessage(jql: string): string | null {
  const order = /\border\s+by\b/i.exec(jql);
  const where = (order === null ? jql : jql.slice(0, order.index)).trim();
  if (where !== "") return null;
  return `The board's filter has no search restriction (its query is ${JSON.stringify(jql.trim())}), and Jira's search only runs a query with one. Add a restriction to the board's filter, such as \`project = KEY\` for the project the board is meant to show (Board settings → General → Edit filter query), then sync again.`;
}

/**
 * `reconcileIssues` for a search's body (int64 ids, as `SearchAndReconcileRequestBean` types them),
 * or nothing. More than Jira takes, or an id that is not a number, is the caller's mistake.
 */
function reconcileBody(options: SearchOptions): { reconcileIssues?: number[] } {
  const ids = options.reconcile ?? [];
  if (ids.length === 0) return {};
  if (ids.length > RECONCILE_MAX) {
    throw new Error(`At most ${RECONCILE_MAX} issues to reconcile per search, got ${ids.length}.`);
  }
  return {
    reconcileIssues: ids.map((id) => {
      if (!/^\d+$/.test(id)) throw new Error(`Issue id ${JSON.stringify(id)} is not numeric.`);
      return Number(id);
    }),
  };
}

/** The fields a pull reads: only what the model needs (SPEC §2), plus the two custom fields. */
export function issueFields(ids: IssueFieldIds): string[] {
  const fields = [
    "summary",
    "issuetype",
    "labels",
    "components",
    "project",
    "parent",
    "status",
    "resolution",
    "created",
    "resolutiondate",
    "assignee",
  ];
  if (ids.sprintFieldId !== null) fields.push(ids.sprintFieldId);
  if (ids.estimateFieldId !== null) fields.push(ids.estimateFieldId);
  return fields;
}

function findEstimateFieldByName(fields: readonly JiraField[]): JiraField | undefined {
  for (const name of ESTIMATE_FIELD_NAMES) {
    const found = fields.find(
      (field) => field.name.toLowerCase() === name.toLowerCase() && field.schema?.type === "number",
    );
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * How the board weighs work (`estimation` of Get board configuration, "Valid values: none,
 * issueCount, field", https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/):
 * `field` is points in the named field; `none` and `issueCount` count issues (the points field,
 * found by name, is still read so the workspace keeps the estimates). Without an `estimation`
 * (Jira documents it for scrum boards only) a story points field found by name means points.
 */
function readEstimation(
  estimation: JiraBoardConfiguration["estimation"],
  fields: readonly JiraField[],
): { estimateField: JiraField | undefined; unit: "points" | "issues" } {
  const byName = findEstimateFieldByName(fields);
  if (estimation?.type === "field" && estimation.field !== undefined) {
    const fieldId = estimation.field.fieldId;
    const known = fields.find((field) => field.id === fieldId);
    return {
      estimateField: known ?? { id: fieldId, name: estimation.field.displayName ?? fieldId },
      unit: "points",
    };
  }
  if (estimation !== undefined) return { estimateField: byName, unit: "issues" };
  return { estimateField: byName, unit: byName === undefined ? "issues" : "points" };
}

/**
 * A kanban board's sub-query narrows its filter: `(filter) AND (sub-query)`, keeping the filter's
 * ORDER BY last, where JQL requires it.
 */
export function combineJql(filterJql: string, subQuery: string | undefined): string {
  if (subQuery === undefined || subQuery.trim() === "") return filterJql;
  const match = /\s*\border\s+by\b/i.exec(filterJql);
  const where = match === null ? filterJql : filterJql.slice(0, match.index);
  const orderBy = match === null ? "" : filterJql.slice(match.index);
  return where.trim() === ""
    ? `${subQuery}${orderBy}`
    : `(${where.trim()}) AND (${subQuery.trim()})${orderBy}`;
}
