import { describe, expect, it } from "vitest";
import {
  ECHO_WINDOW_MS,
  isOwnEcho,
  type LinearWebhookEvent,
  type RecordedWrite,
} from "../../src/linear/index";

const AT = Date.parse("2026-11-24T10:00:00Z");

function issueEvent(overrides: Partial<LinearWebhookEvent> = {}): LinearWebhookEvent {
  return {
    type: "Issue",
    action: "update",
    webhookTimestamp: AT + 2_000,
    data: { id: "issue-1", labelIds: ["l-investment", "l-bug"] },
    updatedFrom: { labelIds: ["l-bug"], updatedAt: "2026-11-20T00:00:00.000Z" },
    ...overrides,
  };
}

const WRITE: RecordedWrite = { type: "Issue", at: AT, labelIds: ["l-bug", "l-investment"] };

describe("isOwnEcho", () => {
  it.each<[string, LinearWebhookEvent, RecordedWrite | undefined, number, boolean]>([
    ["the label write the sync just made", issueEvent(), WRITE, AT + 3_000, true],
    ["no write recorded for the issue", issueEvent(), undefined, AT + 3_000, false],
    [
      "labels other than the sync left them",
      issueEvent({ data: { id: "issue-1", labelIds: ["l-roadmap", "l-bug"] } }),
      WRITE,
      AT + 3_000,
      false,
    ],
    [
      "a person changed the title in the same update",
      issueEvent({ updatedFrom: { labelIds: ["l-bug"], title: "Old title" } }),
      WRITE,
      AT + 3_000,
      false,
    ],
    ["long after the write", issueEvent(), WRITE, AT + ECHO_WINDOW_MS + 1, false],
    ["the issue was removed", issueEvent({ action: "remove" }), WRITE, AT + 3_000, false],
    ["a payload without labels", issueEvent({ data: { id: "issue-1" } }), WRITE, AT + 3_000, false],
    [
      "the document the sync created",
      { type: "Document", action: "create", webhookTimestamp: AT, data: { id: "doc-1" } },
      { type: "Document", at: AT },
      AT + 1_000,
      true,
    ],
    [
      "another kind of entity with the same id",
      { type: "Project", action: "update", webhookTimestamp: AT, data: { id: "doc-1" } },
      { type: "Document", at: AT },
      AT + 1_000,
      false,
    ],
  ])("%s", (_name, event, write, now, expected) => {
    expect(isOwnEcho(event, write, now)).toBe(expected);
  });
});
