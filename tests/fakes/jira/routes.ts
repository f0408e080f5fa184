import { JqlError, parseJql } from "./jql";
import { decodeToken, encodeToken } from "./page-tokens";
import {
  boardConfigurationJson,
  boardJson,
  fieldsJson,
  historyJson,
  issueJson,
  sprintJson,
  statusJson,
} from "./payloads";
import { STATUSES, type FakeChangeItem, type FakeIssue, type FakeSite } from "./site";

/**
 * The endpoints of the fake, one handler each. Limits follow Atlassian's documentation where it
 * states one (bulk changelog, `BulkChangelogRequestBean` in the REST v3 spec: 1–1000 issues, at most
 * 10 fields, `maxResults` 1–10000 with default 1000; enhanced search: up to 5000 issues a page when
 * only ids/keys are asked for, fewer with fields, here 100) and Jira's observed defaults elsewhere
 * (50 sprints a page, 100 changelog entries a page per issue).
 */

/** `ADMINISTER` is global (Jira administrators); the others are per project. */
export type PermissionKey =
  "BROWSE_PROJECTS" | "EDIT_ISSUES" | "ADMINISTER_PROJECTS" | "ADMINISTER";

export interface FakeUser {
  readonly email: string;
  readonly token: string;
  /**
   * The Atlassian account id, by which the bulk permission check's `accountId` names this user;
   * a user without one cannot be named there.
   */
  readonly accountId?: string;
  readonly permissions?: Partial<Record<PermissionKey, boolean>>;
  /** Issues (by key) this user may not browse, as an issue security level would hide them. */
  readonly hiddenIssues?: readonly string[];
  /**
   * Issues (by key) this user may browse but not edit, as a workflow status property makes them
   * (`jira.permission.edit.*` naming who may, `jira.issue.editable = false`): an edit is 403 and
   * the bulk permission check leaves them out of its EDIT_ISSUES grant. Source: "Bulk permissions
   * check" answers per issue (`projectPermissions[].issues`), and workflow properties
   * (https://support.atlassian.com/jira-cloud-administration/docs/use-workflow-properties/).
   */
  readonly readOnlyIssues?: readonly string[];
  /** Projects (by key) this user may not browse, as a permission scheme would leave them out. */
  readonly hiddenProjects?: readonly string[];
  /**
   * Projects (by key) whose issues this user may browse but not edit, as a permission scheme
   * without "Edit Issues" for them makes it. Read at every request, so a test that adds a key
   * while a job runs revokes the permission from that moment on.
   */
  readonly readOnlyProjects?: readonly string[];
}

export interface RouteContext {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly user: FakeUser;
  /** Every account of the site, the caller's included. */
  readonly users: readonly FakeUser[];
  readonly site: FakeSite;
  readonly url: string;
  readonly now: () => number;
  /** Cached JQL results (issue ids in order), cleared by every write. */
  readonly searches: Map<string, string[]>;
}

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: "GET" | "POST" | "PUT";
  /** How request counters and faults name the endpoint. */
  readonly name: string;
  readonly pattern: RegExp;
  readonly handle: (context: RouteContext) => RouteResult;
}

const SEARCH_PAGE_WITH_FIELDS = 100;
const SEARCH_PAGE_IDS_ONLY = 5000;
const CHANGELOG_PAGE_DEFAULT = 1000;
const CHANGELOG_PAGE_MAX = 10_000;
const SPRINT_PAGE = 50;
/** Jira Software pages boards by 50. */
const BOARD_PAGE = 50;
const ISSUE_CHANGELOG_PAGE = 100;

const errors = (status: number, ...messages: string[]): RouteResult => ({
  status,
  body: { errorMessages: messages, errors: {} },
});

const ok = (body: unknown): RouteResult => ({ status: 200, body });

export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    name: "GET /rest/api/3/field",
    pattern: /^\/rest\/api\/3\/field$/,
    handle: () => ok(fieldsJson()),
  },
  {
    method: "GET",
    name: "GET /rest/api/3/status",
    pattern: /^\/rest\/api\/3\/status$/,
    handle: ({ url }) => ok(STATUSES.map((status) => statusJson(url, status))),
  },
  {
    method: "GET",
    name: "GET /rest/agile/1.0/board",
    pattern: /^\/rest\/agile\/1\.0\/board$/,
    handle: ({ query, site, url }) => {
      const project = query.get("projectKeyOrId");
      const all = [...site.boards.values()].filter(
        (board) => project === null || board.projectKey === project,
      );
      const startAt = Number(query.get("startAt") ?? 0);
      const maxResults = Math.min(Number(query.get("maxResults") ?? BOARD_PAGE), BOARD_PAGE);
      const values = all.slice(startAt, startAt + maxResults);
      return ok({
        maxResults,
        startAt,
        total: all.length,
        isLast: startAt + values.length >= all.length,
        values: values.map((board) => boardJson(url, board)),
      });
    },
  },
  {
    method: "GET",
    name: "GET /rest/agile/1.0/board/{boardId}",
    pattern: /^\/rest\/agile\/1\.0\/board\/([^/]+)$/,
    handle: ({ params, site, url }) => {
      const board = site.boards.get(Number(params[0]));
      return board ? ok(boardJson(url, board)) : noBoard();
    },
  },
  {
    method: "GET",
    name: "GET /rest/agile/1.0/board/{boardId}/configuration",
    pattern: /^\/rest\/agile\/1\.0\/board\/([^/]+)\/configuration$/,
    handle: ({ params, site, url }) => {
      const board = site.boards.get(Number(params[0]));
      return board ? ok(boardConfigurationJson(url, board)) : noBoard();
    },
  },
  {
    method: "GET",
    name: "GET /rest/agile/1.0/board/{boardId}/sprint",
    pattern: /^\/rest\/agile\/1\.0\/board\/([^/]+)\/sprint$/,
    handle: ({ params, query, site, url }) => {
      const boardId = Number(params[0]);
      const board = site.boards.get(boardId);
      if (board === undefined) return noBoard();
      // What Jira answers for a kanban board, or a team-managed board with sprints off.
      if (!board.hasSprints) return errors(400, "The board does not support sprints");
      const states = query.get("state")?.split(",") ?? null;
      const all = [...site.sprints.values()].filter(
        (sprint) =>
          sprint.boardId === boardId && (states === null || states.includes(sprint.state)),
      );
      const startAt = Number(query.get("startAt") ?? 0);
      const maxResults = Math.min(Number(query.get("maxResults") ?? SPRINT_PAGE), SPRINT_PAGE);
      const values = all.slice(startAt, startAt + maxResults);
      return ok({
        maxResults,
        startAt,
        isLast: startAt + values.length >= all.length,
        values: values.map((sprint) => sprintJson(url, sprint)),
      });
    },
  },
  {
    method: "GET",
    name: "GET /rest/api/3/filter/{id}",
    pattern: /^\/rest\/api\/3\/filter\/([^/]+)$/,
    handle: ({ params, site, url }) => {
      const filter = site.filters.get(params[0] ?? "");
      if (!filter)
        return errors(
          404,
          `The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.`,
        );
      return ok({
        self: `${url}/rest/api/3/filter/${filter.id}`,
        id: filter.id,
        name: filter.name,
        description: "",
        owner: { accountId: "5b10a2844c20165700ede21g", displayName: "Mia Krystof", active: true },
        jql: filter.jql,
        viewUrl: `${url}/issues/?filter=${filter.id}`,
        searchUrl: `${url}/rest/api/3/search/jql?jql=${encodeURIComponent(filter.jql)}`,
        favourite: false,
        sharePermissions: [],
      });
    },
  },
  {
    method: "POST",
    name: "POST /rest/api/3/search",
    pattern: /^\/rest\/api\/3\/search$/,
    // The old search endpoint was removed (410): https://developer.atlassian.com/changelog/#CHANGE-2046
    handle: () =>
      errors(
        410,
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046",
      ),
  },
  {
    method: "POST",
    name: "POST /rest/api/3/search/jql",
    pattern: /^\/rest\/api\/3\/search\/jql$/,
    handle: (context) => search(context, bodyObject(context.body)),
  },
  {
    method: "GET",
    name: "GET /rest/api/3/search/jql",
    pattern: /^\/rest\/api\/3\/search\/jql$/,
    handle: (context) =>
      search(context, {
        jql: context.query.get("jql") ?? undefined,
        fields: context.query.get("fields")?.split(","),
        maxResults: context.query.has("maxResults")
          ? Number(context.query.get("maxResults"))
          : undefined,
        nextPageToken: context.query.get("nextPageToken") ?? undefined,
        reconcileIssues: context.query
          .get("reconcileIssues")
          ?.split(",")
          .map((id) => (/^\d+$/.test(id) ? Number(id) : id)),
      }),
  },
  {
    method: "POST",
    name: "POST /rest/api/3/search/approximate-count",
    pattern: /^\/rest\/api\/3\/search\/approximate-count$/,
    handle: (context) => {
      const jql = bodyObject(context.body).jql;
      if (typeof jql !== "string") return errors(400, "The jql field is required.");
      const ids = runJql(context, jql, new Set());
      return "status" in ids ? ids : ok({ count: ids.length });
    },
  },
  {
    method: "POST",
    name: "POST /rest/api/3/changelog/bulkfetch",
    pattern: /^\/rest\/api\/3\/changelog\/bulkfetch$/,
    handle: bulkChangelog,
  },
  {
    method: "GET",
    name: "GET /rest/api/3/issue/{issueIdOrKey}/changelog",
    pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/changelog$/,
    handle: ({ params, query, site, url }) => {
      const issue = site.issue(params[0] ?? "");
      if (!issue) return noIssue();
      const startAt = Number(query.get("startAt") ?? 0);
      const maxResults = Math.min(
        Number(query.get("maxResults") ?? ISSUE_CHANGELOG_PAGE),
        ISSUE_CHANGELOG_PAGE,
      );
      const values = issue.histories.slice(startAt, startAt + maxResults);
      return ok({
        self: `${url}/rest/api/3/issue/${issue.key}/changelog?maxResults=${maxResults}&startAt=${startAt}`,
        maxResults,
        startAt,
        total: issue.histories.length,
        isLast: startAt + values.length >= issue.histories.length,
        values: values.map((history) => historyJson(history)),
      });
    },
  },
  {
    method: "POST",
    name: "POST /rest/api/3/issue/properties/multi",
    pattern: /^\/rest\/api\/3\/issue\/properties\/multi$/,
    handle: bulkSetProperties,
  },
  {
    method: "GET",
    name: "GET /rest/api/3/task/{taskId}",
    pattern: /^\/rest\/api\/3\/task\/([^/]+)$/,
    handle: ({ params, url, now }) =>
      ok({
        self: `${url}/rest/api/3/task/${params[0] ?? ""}`,
        id: params[0] ?? "",
        description: "Bulk issue property update task",
        status: "COMPLETE",
        result: "",
        submittedBy: 10000,
        progress: 100,
        elapsedRuntime: 1,
        submitted: now(),
        started: now(),
        finished: now(),
        lastUpdate: now(),
      }),
  },
  {
    method: "GET",
    name: "GET /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
    pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/properties\/([^/]+)$/,
    handle: ({ params, site }) => {
      const issue = site.issue(params[0] ?? "");
      if (!issue) return noIssue();
      const key = params[1] ?? "";
      if (!issue.properties.has(key))
        return errors(404, `The property with key '${key}' does not exist.`);
      return ok({ key, value: issue.properties.get(key) });
    },
  },
  {
    method: "PUT",
    name: "PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
    pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/properties\/([^/]+)$/,
    handle: ({ params, site, body, user, now }) => {
      const issue = site.issue(params[0] ?? "");
      if (!issue) return noIssue();
      if (!canEdit(user, issue)) {
        return errors(403, "You do not have permission to edit issues in this project.");
      }
      const key = params[1] ?? "";
      const existed = issue.properties.has(key);
      site.noteWrite(issue);
      issue.properties.set(key, body);
      issue.updated = now();
      return { status: existed ? 200 : 201 };
    },
  },
  {
    method: "GET",
    name: "GET /rest/api/3/issue/{issueIdOrKey}",
    pattern: /^\/rest\/api\/3\/issue\/([^/]+)$/,
    handle: ({ params, query, site, url }) => {
      const issue = site.issue(params[0] ?? "");
      if (!issue) return noIssue();
      const fields = query.get("fields");
      const properties =
        query
          .get("properties")
          ?.split(",")
          .filter((key) => key !== "") ?? [];
      return ok(
        issueJson(
          url,
          site,
          issue,
          fields === null ? "all" : new Set(fields.split(",")),
          properties,
        ),
      );
    },
  },
  {
    method: "PUT",
    name: "PUT /rest/api/3/issue/{issueIdOrKey}",
    pattern: /^\/rest\/api\/3\/issue\/([^/]+)$/,
    handle: editIssue,
  },
  {
    method: "GET",
    name: "GET /rest/api/3/project/{projectIdOrKey}",
    pattern: /^\/rest\/api\/3\/project\/([^/]+)$/,
    handle: getProject,
  },
  {
    method: "POST",
    name: "POST /rest/api/3/permissions/check",
    pattern: /^\/rest\/api\/3\/permissions\/check$/,
    handle: bulkPermissionCheck,
  },
  {
    method: "GET",
    name: "GET /rest/api/3/mypermissions",
    pattern: /^\/rest\/api\/3\/mypermissions$/,
    handle: ({ query, site, user }) => {
      const keys =
        query
          .get("permissions")
          ?.split(",")
          .filter((key) => key !== "") ?? [];
      if (keys.length === 0) return errors(400, "The permissions query parameter is required.");
      const projectKey = query.get("projectKey");
      if (projectKey !== null && !site.projects.has(projectKey)) {
        return errors(404, `No project could be found with key '${projectKey}'.`);
      }
      const unknown = keys.filter((key) => !isPermissionKey(key));
      if (unknown.length > 0) return errors(400, `Permissions ${unknown.join(", ")} not found.`);
      return ok({
        permissions: Object.fromEntries(
          keys.map((key, i) => [
            key,
            {
              id: String(10 + i),
              key,
              name: key.toLowerCase().replace(/_/g, " "),
              type: "PROJECT",
              description: "",
              havePermission:
                isPermissionKey(key) &&
                can(user, key) &&
                !(
                  key === "EDIT_ISSUES" && (user.readOnlyProjects ?? []).includes(projectKey ?? "")
                ),
            },
          ]),
        ),
      });
    },
  },
];

/**
 * `GET /rest/api/3/project/{projectIdOrKey}` (getProject), as the REST v3 spec documents it: the
 * `Project` (`self`, `id` as a string, `key`, `name`, `projectTypeKey`, `simplified`, `style`,
 * `isPrivate`; the expandable rest left out) by id or key, for anyone with "Browse projects" on it;
 * otherwise 404, "the project is not found or the user does not have permission to view it".
 * Source: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-projectidorkey-get
 */
function getProject({ params, site, user, url }: RouteContext): RouteResult {
  const asked = decodeURIComponent(params[0] ?? "");
  const entry = [...site.projects].find(([key, id]) => key === asked || String(id) === asked);
  const hidden =
    entry !== undefined &&
    (!can(user, "BROWSE_PROJECTS") || (user.hiddenProjects ?? []).includes(entry[0]));
  if (entry === undefined || hidden) {
    return errors(404, `No project could be found with key '${asked}'.`);
  }
  const [key, id] = entry;
  return ok({
    self: `${url}/rest/api/3/project/${id}`,
    id: String(id),
    key,
    name: key,
    projectTypeKey: "software",
    simplified: false,
    style: "classic",
    isPrivate: false,
  });
}

/**
 * `POST /rest/api/3/permissions/check` (getBulkPermissions), as the REST v3 spec documents it:
 * request `BulkPermissionsRequestBean` (`accountId`, `projectPermissions[].permissions`, `.issues`
 * as int64 ids, `.projects`), answer `BulkPermissionGrants` (`globalPermissions`,
 * `projectPermissions[]` of `{ permission, issues, projects }`). "Invalid project and issue IDs are
 * ignored"; "a maximum of 1000 projects and 1000 issues can be checked"; 400 when
 * `projectPermissions` has no permission or "an invalid account ID is provided". "If no account ID
 * is provided, the operation returns details for the logged in user"; checking another user takes
 * "*Administer Jira* global permission … However, Connect apps can make a call from the app server
 * … for any user", else 403 ("the user does not have the necessary permission"). The page says
 * nothing of a Forge app's `asApp()`: here the app is an account like any other, and the fake's
 * app account holds every permission unless a test takes ADMINISTER away.
 * Source: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-permissions-check-post
 */
function bulkPermissionCheck({ body, site, user: caller, users }: RouteContext): RouteResult {
  const request = bodyObject(body);
  const user = checkedUser(request.accountId, caller, users);
  if ("status" in user) return user;
  const asked = Array.isArray(request.projectPermissions) ? request.projectPermissions : [];
  const global = Array.isArray(request.globalPermissions) ? request.globalPermissions : [];
  const grants: { permission: string; issues: number[]; projects: number[] }[] = [];
  let issueCount = 0;
  for (const entry of asked) {
    const { permissions, issues, projects } = bodyObject(entry);
    const keys = Array.isArray(permissions)
      ? permissions.filter((key): key is string => typeof key === "string" && key !== "")
      : [];
    if (keys.length === 0) return errors(400, "At least one project permission is required.");
    const unknown = keys.filter((key) => !isPermissionKey(key));
    if (unknown.length > 0)
      return errors(400, `Invalid project permissions: ${unknown.join(", ")}.`);
    const issueIds = Array.isArray(issues)
      ? issues.filter((id): id is number => typeof id === "number")
      : [];
    const projectIds = Array.isArray(projects)
      ? projects.filter((id): id is number => typeof id === "number")
      : [];
    issueCount += issueIds.length;
    if (issueCount > 1000 || projectIds.length > 1000) {
      return errors(400, "A maximum of 1000 projects and 1000 issues can be checked.");
    }
    for (const key of keys) {
      if (!isPermissionKey(key) || !can(user, key)) continue;
      const hiddenProjects = new Set(
        (user.hiddenProjects ?? []).map((projectKey) => site.projects.get(projectKey)),
      );
      const grantedIssues = issueIds.filter((id) => {
        const issue = site.issuesById.get(String(id));
        if (issue === undefined || (user.hiddenIssues ?? []).includes(issue.key)) return false;
        if (key === "BROWSE_PROJECTS")
          return !hiddenProjects.has(site.projects.get(issue.projectKey));
        return key !== "EDIT_ISSUES" || canEdit(user, issue);
      });
      const readOnly = new Set(
        (user.readOnlyProjects ?? []).map((projectKey) => site.projects.get(projectKey)),
      );
      const known = new Set(
        [...site.projects.values()].filter(
          (id) =>
            !(key === "BROWSE_PROJECTS" && hiddenProjects.has(id)) &&
            !(key === "EDIT_ISSUES" && readOnly.has(id)),
        ),
      );
      grants.push({
        permission: key,
        issues: grantedIssues,
        projects: projectIds.filter((id) => known.has(id)),
      });
    }
  }
  return ok({
    globalPermissions: global.filter(
      (key): key is PermissionKey =>
        typeof key === "string" && isPermissionKey(key) && can(user, key),
    ),
    projectPermissions: grants,
  });
}

/** Whom a bulk permission check is about: the caller, or the account it names if it may ask. */
function checkedUser(
  accountId: unknown,
  caller: FakeUser,
  users: readonly FakeUser[],
): FakeUser | RouteResult {
  if (accountId === undefined || accountId === null) return caller;
  const named =
    typeof accountId === "string" ? users.find((user) => user.accountId === accountId) : undefined;
  if (named === undefined) {
    return errors(400, `The account ID ${JSON.stringify(accountId)} is not valid.`);
  }
  if (named !== caller && !can(caller, "ADMINISTER")) {
    return errors(403, "You do not have the permission to check other users' permissions.");
  }
  return named;
}

function isPermissionKey(key: string): key is PermissionKey {
  return (
    key === "BROWSE_PROJECTS" ||
    key === "EDIT_ISSUES" ||
    key === "ADMINISTER_PROJECTS" ||
    key === "ADMINISTER"
  );
}

function can(user: FakeUser, permission: PermissionKey): boolean {
  return user.permissions?.[permission] ?? true;
}

function canEdit(user: FakeUser, issue: FakeIssue): boolean {
  return (
    can(user, "EDIT_ISSUES") &&
    !(user.hiddenIssues ?? []).includes(issue.key) &&
    !(user.readOnlyIssues ?? []).includes(issue.key) &&
    !(user.readOnlyProjects ?? []).includes(issue.projectKey)
  );
}

function noBoard(): RouteResult {
  return errors(404, "Board does not exist or you do not have permission to see it.");
}

function noIssue(): RouteResult {
  return errors(404, "Issue does not exist or you do not have permission to see it.");
}

function bodyObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === "object" && !Array.isArray(body)
    ? Object.fromEntries(Object.entries(body))
    : {};
}

function runJql(
  context: RouteContext,
  jql: string,
  reconciled: ReadonlySet<string>,
): string[] | RouteResult {
  // A search on `updated` depends on the clock and on edits made behind the fake's back, and a
  // lagging index on the clock too: not kept.
  const timed = /\bupdated\b/i.test(jql) || context.site.searchLagMs > 0;
  const cacheKey = `${context.site.issuesVersion} ${jql}`;
  const cached = timed ? undefined : context.searches.get(cacheKey);
  if (cached) return cached;
  try {
    const query = parseJql(jql, context.now());
    const ids = context.site
      .searchable(reconciled)
      .filter(query.matches)
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((issue) => issue.id);
    if (query.descending) ids.reverse();
    if (!timed) context.searches.set(cacheKey, ids);
    return ids;
  } catch (error) {
    if (error instanceof JqlError) return errors(400, error.message);
    throw error;
  }
}

/**
 * `reconcileIssues` of `SearchAndReconcileRequestBean` (REST v3): "Strong consistency issue ids to
 * be reconciled with search results. Accepts max 50 ids. This list of ids should be consistent
 * with each paginated request across different pages." The answer then holds "the reconciled
 * issues if they satisfy the JQL"
 * (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile). Jira's wording for
 * a list it refuses is not documented; the fake's is its own. A page token is tied to the list.
 */
const RECONCILE_MAX = 50;

function reconcileList(value: unknown): Set<string> | RouteResult {
  if (value === undefined) return new Set();
  if (!Array.isArray(value) || !value.every((id) => Number.isSafeInteger(id))) {
    return errors(400, "reconcileIssues must be a list of issue ids (integers).");
  }
  if (value.length > RECONCILE_MAX) {
    return errors(400, `reconcileIssues accepts at most ${RECONCILE_MAX} issue ids.`);
  }
  return new Set(value.map(String));
}

function search(context: RouteContext, request: Record<string, unknown>): RouteResult {
  const { jql, fields, maxResults, nextPageToken, reconcileIssues } = request;
  if (typeof jql !== "string" || jql.trim() === "" || /^\s*order\s+by/i.test(jql)) {
    return errors(
      400,
      "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
    );
  }
  const reconciled = reconcileList(reconcileIssues);
  if (!(reconciled instanceof Set)) return reconciled;
  const ids = runJql(context, jql, reconciled);
  if ("status" in ids) return ids;
  const tokenQuery = reconciled.size === 0 ? jql : `${jql} reconcile:${[...reconciled].join(",")}`;
  const fieldList = Array.isArray(fields)
    ? fields.filter((f): f is string => typeof f === "string")
    : [];
  const idsOnly = fieldList.every((field) => field === "id" || field === "key");
  const cap = idsOnly ? SEARCH_PAGE_IDS_ONLY : SEARCH_PAGE_WITH_FIELDS;
  const size = Math.max(1, Math.min(typeof maxResults === "number" ? maxResults : 50, cap));
  let offset = 0;
  if (typeof nextPageToken === "string") {
    const token = decodeToken(nextPageToken);
    if (
      token === null ||
      token.query !== tokenQuery ||
      token.generation !== context.site.tokenGeneration
    ) {
      return errors(400, "The provided next page token is invalid or expired.");
    }
    offset = token.offset;
  }
  const page = ids.slice(offset, offset + size);
  const last = offset + page.length >= ids.length;
  const wanted = new Set(fieldList);
  // A lagging index answers with what it holds, stale fields included.
  const seen: ReadonlyMap<string, FakeIssue> =
    context.site.searchLagMs > 0
      ? new Map(context.site.searchable(reconciled).map((issue) => [issue.id, issue]))
      : context.site.issuesById;
  return ok({
    issues: page.flatMap((id) => {
      const issue = seen.get(id);
      return issue ? [issueJson(context.url, context.site, issue, wanted)] : [];
    }),
    ...(last
      ? {}
      : {
          nextPageToken: encodeToken({
            query: tokenQuery,
            offset: offset + page.length,
            generation: context.site.tokenGeneration,
          }),
        }),
    isLast: last,
  });
}

function bulkChangelog(context: RouteContext): RouteResult {
  const { issueIdsOrKeys, fieldIds, maxResults, nextPageToken } = bodyObject(context.body);
  if (!Array.isArray(issueIdsOrKeys) || issueIdsOrKeys.length === 0) {
    return errors(400, "issueIdsOrKeys must not be empty.");
  }
  if (issueIdsOrKeys.length > 1000) return errors(400, "The maximum number of issues is 1000.");
  const fields = Array.isArray(fieldIds)
    ? fieldIds.filter((f): f is string => typeof f === "string")
    : null;
  if (fields !== null && fields.length > 10)
    return errors(400, "The maximum number of fields is 10.");
  const issues = issueIdsOrKeys.flatMap((idOrKey) => {
    const issue = typeof idOrKey === "string" ? context.site.issue(idOrKey) : undefined;
    return issue ? [issue] : [];
  });
  const entries: { issue: FakeIssue; history: FakeIssue["histories"][number] }[] = [];
  for (const issue of issues) {
    for (const history of issue.histories) {
      const items = history.items.filter(
        (item: FakeChangeItem) => fields === null || fields.includes(item.fieldId),
      );
      if (items.length > 0) entries.push({ issue, history: { ...history, items } });
    }
  }
  // "sorted by changelog date and issue IDs, starting from the oldest changelog and smallest issue ID"
  entries.sort(
    (a, b) =>
      a.history.created - b.history.created ||
      Number(a.issue.id) - Number(b.issue.id) ||
      a.history.id - b.history.id,
  );
  const queryKey = `changelog:${issueIdsOrKeys.map(String).join(",")}:${(fields ?? []).join(",")}`;
  let offset = 0;
  if (typeof nextPageToken === "string") {
    const token = decodeToken(nextPageToken);
    if (
      token === null ||
      token.query !== queryKey ||
      token.generation !== context.site.tokenGeneration
    ) {
      return errors(400, "The provided next page token is invalid or expired.");
    }
    offset = token.offset;
  }
  if (
    maxResults !== undefined &&
    (typeof maxResults !== "number" || maxResults < 1 || maxResults > CHANGELOG_PAGE_MAX)
  ) {
    return errors(400, `maxResults must be between 1 and ${CHANGELOG_PAGE_MAX}.`);
  }
  const size = typeof maxResults === "number" ? maxResults : CHANGELOG_PAGE_DEFAULT;
  const page = entries.slice(offset, offset + size);
  const logs: { issueId: string; changeHistories: unknown[] }[] = [];
  for (const { issue, history } of page) {
    const last = logs.at(-1);
    if (last?.issueId === issue.id) last.changeHistories.push(historyJson(history, "epoch-ms"));
    else logs.push({ issueId: issue.id, changeHistories: [historyJson(history, "epoch-ms")] });
  }
  const more = offset + page.length < entries.length;
  return ok({
    issueChangeLogs: logs,
    ...(more
      ? {
          nextPageToken: encodeToken({
            query: queryKey,
            offset: offset + page.length,
            generation: context.site.tokenGeneration,
          }),
        }
      : {}),
  });
}

/** `update.labels` add/remove/set operations and `fields.labels`; other fields are refused. */
function editIssue(context: RouteContext): RouteResult {
  const issue = context.site.issue(context.params[0] ?? "");
  if (!issue) return noIssue();
  if (!canEdit(context.user, issue)) {
    return errors(403, "You do not have permission to edit issues in this project.");
  }
  const body = bodyObject(context.body);
  const update = bodyObject(body.update);
  const fields = bodyObject(body.fields);
  const unsupported = [...Object.keys(update), ...Object.keys(fields)].filter(
    (key) => key !== "labels",
  );
  if (unsupported.length > 0) {
    return {
      status: 400,
      body: {
        errorMessages: [],
        errors: Object.fromEntries(
          unsupported.map((key) => [
            key,
            `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`,
          ]),
        ),
      },
    };
  }
  const before = [...issue.labels];
  let labels = [...issue.labels];
  if (Array.isArray(fields.labels))
    labels = fields.labels.filter((l): l is string => typeof l === "string");
  if (update.labels !== undefined) {
    if (!Array.isArray(update.labels))
      return errors(400, "update.labels must be a list of operations.");
    for (const operation of update.labels) {
      const op = bodyObject(operation);
      if (typeof op.add === "string") {
        if (/\s/.test(op.add))
          return {
            status: 400,
            body: {
              errorMessages: [],
              errors: { labels: "The label 'x' contains spaces which is invalid." },
            },
          };
        if (!labels.includes(op.add)) labels.push(op.add);
      } else if (typeof op.remove === "string") {
        labels = labels.filter((label) => label !== op.remove);
      } else if (Array.isArray(op.set)) {
        labels = op.set.filter((l): l is string => typeof l === "string");
      } else {
        return errors(400, "Each labels operation must be add, remove or set.");
      }
    }
  }
  if (labels.join(" ") !== before.join(" ")) {
    context.site.noteWrite(issue);
    issue.labels = labels;
    context.site.recordChange(
      issue,
      [
        {
          field: "labels",
          fieldtype: "jira",
          fieldId: "labels",
          from: null,
          fromString: before.join(" "),
          to: null,
          toString: labels.join(" "),
        },
      ],
      context.now(),
    );
    context.searches.clear();
  }
  return { status: 204 };
}

/**
 * `POST /rest/api/3/issue/properties/multi` (Bulk set issue properties by issue): up to 100 issues,
 * each `{ issueID, properties: { key: value } }` with up to 10 properties; unknown issues are
 * ignored; answered 303 with the `location` of a task (Get task), here finished at once. A property
 * is not a field, so the issue's `updated` stays as it was.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-properties-multi-post
 */
let nextTaskId = 10_000;
function bulkSetProperties(context: RouteContext): RouteResult {
  const issues = bodyObject(context.body).issues;
  if (!Array.isArray(issues) || issues.length === 0)
    return errors(400, "issues must not be empty.");
  if (issues.length > 100) return errors(400, "The maximum number of issues is 100.");
  if (!can(context.user, "EDIT_ISSUES")) {
    return errors(403, "You do not have permission to edit issues in this project.");
  }
  const updates: { issue: FakeIssue; properties: Record<string, unknown> }[] = [];
  for (const entry of issues) {
    const { issueID, properties } = bodyObject(entry);
    const values = bodyObject(properties);
    if (typeof issueID !== "number" || Object.keys(values).length === 0) {
      return errors(400, "Each entry needs a numeric issueID and at least one property.");
    }
    if (Object.keys(values).length > 10) return errors(400, "At most 10 properties per issue.");
    const issue = context.site.issue(String(issueID));
    if (issue) updates.push({ issue, properties: values });
  }
  for (const { issue, properties } of updates) {
    for (const [key, value] of Object.entries(properties)) issue.properties.set(key, value);
  }
  const taskId = String(nextTaskId++);
  return { status: 303, headers: { Location: `${context.url}/rest/api/3/task/${taskId}` } };
}
