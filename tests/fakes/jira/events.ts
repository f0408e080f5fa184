import { historyJson, issueJson } from "./payloads";
import type { FakeJira } from "./server";
import type { FakeIssue } from "./site";

/** The fake Jira whose issue an event names. */
type Source = Pick<FakeJira, "url" | "site">;

/**
 * Forge product events for issues, as Atlassian's events reference documents them, for the issues
 * of the fake site: https://developer.atlassian.com/platform/forge/events-reference/jira/
 * ("Issue events"; the app's trigger subscribes in manifest.yml).
 *
 * - Every issue event (`avi:jira:created:issue`, `avi:jira:updated:issue`,
 *   `avi:jira:deleted:issue`): `eventType`, `issue` (`id`, `key`, `fields` with `summary`,
 *   `issuetype`, `creator`, `created`, `project`, `reporter`, `assignee`, `updated`, `status`; the
 *   reference's type lists `issueType`, its example `issuetype`, which is what is sent here),
 *   `atlassianId` (marked optional), `associatedUsers` (optional; "an object containing an array
 *   of one user", its exact shape not shown, so not sent), and `selfGenerated`, true when the
 *   app's own request caused the event.
 * - `avi:jira:updated:issue` adds `changelog` (`id`, and `items`, each a REST v3 `ChangeDetails`:
 *   `field`, `fieldtype`, `fieldId` (optional), `from`, `fromString`, `to`, `toString`;
 *   https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get),
 *   and the optional `jiraEventTypeName` and `associatedStatuses` (sent when the status changed).
 *   Neither optional field is sent here: the app reads neither, so it must not need them.
 * - A move to another project has no event of its own in the reference (its issue events are
 *   created, updated, deleted, assigned, viewed and mentioned): it is an `avi:jira:updated:issue`
 *   for the issue under its new key and project, whose changelog holds the items the move logged
 *   in the issue's history, `project` (project ids in `from`/`to`) and `Key` (the old and new key
 *   in `fromString`/`toString`, by field name only), as `FakeSite.moveIssue` records them.
 * - `avi:jira:deleted:issue` carries the issue as it was; no changelog.
 */

type IssueEventType =
  "avi:jira:created:issue" | "avi:jira:updated:issue" | "avi:jira:deleted:issue";

/** The fields the reference's `Issue` type lists, as the fake's REST answers write them. */
const EVENT_FIELDS = new Set([
  "summary",
  "issuetype",
  "created",
  "project",
  "assignee",
  "updated",
  "status",
]);

/** The account whose edit the event reports: the author `historyJson` writes. */
const ACTOR = "5b10a2844c20165700ede21g";

function issueEvent(
  jira: Source,
  eventType: IssueEventType,
  issue: FakeIssue,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    eventType,
    selfGenerated: false,
    atlassianId: ACTOR,
    issue: issueJson(jira.url, jira.site, issue, EVENT_FIELDS),
    ...extra,
  };
}

/** An issue was edited: the changelog of the issue's latest history entry (its last edit). */
export function issueUpdatedEvent(
  jira: Source,
  issue: FakeIssue,
  options: { readonly selfGenerated?: boolean } = {},
): Record<string, unknown> {
  const last = issue.histories.at(-1);
  const history = last === undefined ? null : (historyJson(last) as Record<string, unknown>);
  return issueEvent(jira, "avi:jira:updated:issue", issue, {
    selfGenerated: options.selfGenerated === true,
    changelog: { id: history?.id ?? "0", items: history?.items ?? [] },
  });
}

/**
 * An issue was moved to another project: `moved` is what `FakeSite.moveIssue` returned (the new
 * key, the same id), whose last history entry is the move's `project` and `Key` items.
 */
export function issueMovedEvent(jira: Source, moved: FakeIssue): Record<string, unknown> {
  return issueUpdatedEvent(jira, moved);
}

/** An issue was deleted: the issue as it was before `FakeSite.deleteIssue`. */
export function issueDeletedEvent(jira: Source, issue: FakeIssue): Record<string, unknown> {
  return issueEvent(jira, "avi:jira:deleted:issue", issue);
}

/** An issue was created. */
export function issueCreatedEvent(jira: Source, issue: FakeIssue): Record<string, unknown> {
  return issueEvent(jira, "avi:jira:created:issue", issue);
}
