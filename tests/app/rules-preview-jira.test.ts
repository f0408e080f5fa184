/**
 * `rules/preview` on a Jira board: rules read only current fields, so the preview pulls the board
 * without its change history and answers exactly as a full pull would.
 */
import { describe, expect, it } from "vitest";
import { loadBoardWorkspace } from "../../src/app/board-workspace";
import { previewRules } from "../../src/app/rules-preview";
import { syncBoard } from "../../src/app/board-refresh";
import { runResolver, type CallContext } from "../../src/app/resolvers";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };
const RULES = [
  { if: { labels: ["tech-debt"] }, then: "investment" as const },
  { if: { type: ["Story"] }, then: "roadmap" as const },
];

let boardId: number;
const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW }, (started) => {
  boardId = boardIdOf(started, "PAY");
});

describe("rules/preview on a Jira board", () => {
  it("asks Jira nothing once the board is synced, and counts what a fully pulled board counts", async () => {
    const store = new MemoryStore();
    const jira = clientFor(fake).client;
    await syncBoard(boardId, { jira, store, now: () => NOW });
    fake.resetRequests();
    const answer = await runResolver("rules/preview", { boardId, rules: RULES }, inPay, {
      jira,
      store,
      now: () => NOW,
    });
    if (!answer.ok) throw new Error(answer.error.message);
    expect(fake.totalRequests()).toBe(0);

    const full = await loadBoardWorkspace(jira, store, boardId);
    expect(answer.data).toEqual(previewRules(full.workspace, RULES));
  });

  it("a board not synced yet says it is being read, instead of pulling it", async () => {
    fake.resetRequests();
    const answer = await runResolver("rules/preview", { boardId, rules: RULES }, inPay, {
      jira: clientFor(fake).client,
      store: new MemoryStore(),
      now: () => NOW,
    });
    expect(answer.ok ? "" : answer.error.message).toMatch(/still being read from Jira/);
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBeUndefined();
  });
});
