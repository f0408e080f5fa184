/**
 * Every Jira route the app calls, and the OAuth 2.0 scopes Atlassian's specs list for it: the
 * `security` / `x-atlassian-oauth2-scopes` ("Current") of each operation in
 * - the platform REST v3 OpenAPI spec, https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json
 *   (version 1001.0.0-SNAPSHOT-57a0ca5b…): classic scopes;
 * - the Jira Software spec, https://developer.atlassian.com/cloud/jira/software/swagger.v3.json,
 *   which has granular scopes only ("Jira Software doesn't support classic scopes",
 *   https://developer.atlassian.com/cloud/jira/software/scopes-for-oauth-2-3LO-and-forge-apps/).
 * manifest.yml's `permissions.scopes` is checked against this table: every scope listed here is
 * requested, and nothing else is.
 */

export interface RouteScopes {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** The path as the spec writes it, `{name}` for a path parameter. */
  readonly path: string;
  /** The spec's `operationId`. */
  readonly operation: string;
  readonly scopes: readonly string[];
}

export const JIRA_ROUTE_SCOPES: readonly RouteScopes[] = [
  { method: "GET", path: "/rest/api/3/field", operation: "getFields", scopes: ["read:jira-work"] },
  {
    method: "GET",
    path: "/rest/api/3/status",
    operation: "getStatuses",
    scopes: ["read:jira-work"],
  },
  {
    method: "GET",
    path: "/rest/api/3/filter/{id}",
    operation: "getFilter",
    scopes: ["read:jira-work"],
  },
  {
    method: "POST",
    path: "/rest/api/3/search/approximate-count",
    operation: "countIssues",
    scopes: ["read:jira-work"],
  },
  {
    method: "POST",
    path: "/rest/api/3/search/jql",
    operation: "searchAndReconsileIssuesUsingJqlPost",
    scopes: ["read:jira-work"],
  },
  {
    method: "POST",
    path: "/rest/api/3/changelog/bulkfetch",
    operation: "getBulkChangelogs",
    scopes: ["read:jira-work"],
  },
  {
    method: "GET",
    path: "/rest/api/3/issue/{issueIdOrKey}",
    operation: "getIssue",
    scopes: ["read:jira-work"],
  },
  {
    method: "PUT",
    path: "/rest/api/3/issue/{issueIdOrKey}",
    operation: "editIssue",
    scopes: ["write:jira-work"],
  },
  {
    method: "GET",
    path: "/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
    operation: "getIssueProperty",
    scopes: ["read:jira-work"],
  },
  {
    method: "PUT",
    path: "/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
    operation: "setIssueProperty",
    scopes: ["write:jira-work"],
  },
  {
    // Answered 303 with the task's Location, taken as accepted and not followed (no getTask).
    method: "POST",
    path: "/rest/api/3/issue/properties/multi",
    operation: "bulkSetIssuePropertiesByIssue",
    scopes: ["write:jira-work"],
  },
  {
    method: "GET",
    path: "/rest/api/3/mypermissions",
    operation: "getMyPermissions",
    scopes: ["read:jira-work"],
  },
  {
    method: "POST",
    path: "/rest/api/3/permissions/check",
    operation: "getBulkPermissions",
    scopes: ["read:jira-work"],
  },
  {
    method: "GET",
    path: "/rest/api/3/project/{projectIdOrKey}",
    operation: "getProject",
    scopes: ["read:jira-work"],
  },
  {
    method: "GET",
    path: "/rest/agile/1.0/board",
    operation: "getAllBoards",
    scopes: ["read:board-scope:jira-software", "read:project:jira"],
  },
  {
    method: "GET",
    path: "/rest/agile/1.0/board/{boardId}",
    operation: "getBoard",
    scopes: ["read:board-scope:jira-software", "read:issue-details:jira"],
  },
  {
    method: "GET",
    path: "/rest/agile/1.0/board/{boardId}/configuration",
    operation: "getConfiguration",
    scopes: ["read:board-scope.admin:jira-software", "read:project:jira"],
  },
  {
    method: "GET",
    path: "/rest/agile/1.0/board/{boardId}/sprint",
    operation: "getAllSprints",
    scopes: ["read:sprint:jira-software"],
  },
];

/** Scopes the app needs for what is not a REST call: storage and the product events it hears. */
export interface OtherScopes {
  /** What needs them: a Forge API, or a product event the manifest subscribes to. */
  readonly use: string;
  readonly scopes: readonly string[];
  readonly source: string;
}

/** Atlassian's product event → scope table, as shipped in @forge/manifest (its `_source`). */
const SCOPE_MAPPING =
  "@forge/manifest out/mapping/product-event-to-scope-mapping.json (ari:cloud:platform-services::product-event-to-scope-mapping/v1/prod)";

export const OTHER_SCOPES: readonly OtherScopes[] = [
  {
    use: "@forge/kvs (settings, targets, snapshots, cached reports, Linear cursors, secrets)",
    scopes: ["storage:app"],
    source: "https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-basic/",
  },
  {
    use: "avi:jira:created:issue",
    scopes: ["read:jira-work"],
    source: "https://developer.atlassian.com/platform/forge/events-reference/jira/",
  },
  {
    use: "avi:jira:updated:issue",
    scopes: ["read:jira-work"],
    source: "https://developer.atlassian.com/platform/forge/events-reference/jira/",
  },
  {
    use: "avi:jira:deleted:issue",
    scopes: ["read:jira-work"],
    source: "https://developer.atlassian.com/platform/forge/events-reference/jira/",
  },
  {
    // Atlassian's event-to-scope table, the one `forge lint` checks triggers against, lists
    // `current: ["read:jira-work"]` for both sprint events (and `beta: ["read:sprint:jira-software"]`).
    use: "avi:jira-software:started:sprint",
    scopes: ["read:jira-work"],
    source: SCOPE_MAPPING,
  },
  {
    use: "avi:jira-software:closed:sprint",
    scopes: ["read:jira-work"],
    source: SCOPE_MAPPING,
  },
];

/** Every scope the app needs, sorted. */
export function requiredScopes(): string[] {
  const all = [...JIRA_ROUTE_SCOPES, ...OTHER_SCOPES].flatMap((entry) => entry.scopes);
  return [...new Set(all)].sort();
}
