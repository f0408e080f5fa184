/** Page and batch sizes of the endpoints the client pages through. */

/**
 * `POST /rest/api/3/search/jql` returns at most 5000 issues a page, and fewer when many fields are
 * asked for (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/),
 * so the client asks for the most and follows `nextPageToken` whatever comes back.
 */
export const SEARCH_PAGE_SIZE = 5000;
/** `POST /rest/api/3/changelog/bulkfetch` takes up to 1000 issues and 10 field ids a request. */
export const CHANGELOG_BATCH_SIZE = 1000;
/** Its documented default page size; no larger maximum is documented. */
export const CHANGELOG_PAGE_SIZE = 1000;
/** The Agile API pages sprints 50 at a time. */
export const SPRINT_PAGE_SIZE = 50;
/** `GET /rest/agile/1.0/board` answers at most 50 boards a page. */
export const BOARD_PAGE_SIZE = 50;
