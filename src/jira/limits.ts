/** Page and batch sizes of the endpoints the client pages through. */

/**
 * `POST /rest/api/3/search/jql` returns at most 5000 issues a page, and fewer when many fields are
 * asked for (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/),
 * so the client asks for the most and follows `nextPageToken` whatever comes back.
 */
export const SEARCH_PAGE_SIZE = 5000;
/** `POST /rest/api/3/changelog/bulkfetch` takes up to 1000 issues and 10 field ids a request. */
export const CHANGELOG_BATCH_SIZE = 1000;
/**
 * Changelog entries a page: the most `BulkChangelogRequestBean.maxResults` allows ("maximum": 10000,
 * default 1000, in the REST v3 OpenAPI spec), so a batch of 1000 issues is usually one request.
 */
export const CHANGELOG_PAGE_SIZE = 10_000;
/** The Agile API pages sprints 50 at a time. */
export const SPRINT_PAGE_SIZE = 50;
/** `GET /rest/agile/1.0/board` answers at most 50 boards a page. */
export const BOARD_PAGE_SIZE = 50;
