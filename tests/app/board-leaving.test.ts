import { afterEach, describe, expect, it } from "vitest";
import {
  MAX_LEAVING,
  forgetLeaving,
  readLeaving,
  recordLeaving,
} from "../../src/app/board-leaving";
import { syncBoard, type BoardSyncPorts } from "../../src/app/board-refresh";
import { rememberBoard } from "../../src/app/board-sync";
import { handleIssueEvent } from "../../src/app/jira-events";
import { MemoryStore, storeKeys, type Store } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import {
  issueCreatedEvent,
  issueDeletedEvent,
  issueMovedEvent,
  issueUpdatedEvent,
} from "../fakes/jira/index";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";
import { closeTestStores, InterleavingStore, seeded, TEST_STORES } from "../helpers/stores";

const NOW = Date.parse("2026-11-24T00:00:00Z");

let boardId: number;
const fake = useFakeJira({ workspace: generateDemoWorkspace(NOW), now: NOW }, (started) => {
  boardId = boardIdOf(started, "PAY");
});

afterEach(closeTestStores);

/** A store that runs `then` once, right after the first listing under `prefix` answers. */
function afterListing(inner: Store, prefix: string, then: () => Promise<void>): Store {
  let done = false;
  return {
    get: (key) => inner.get(key),
    set: (key, value) => inner.set(key, value),
    setIfAbsent: (key, value) => inner.setIfAbsent(key, value),
    delete: (key) => inner.delete(key),
    getSecret: (key) => inner.getSecret(key),
    setSecret: (key, value) => inner.setSecret(key, value),
    async listByPrefix(listed) {
      const entries = await inner.listByPrefix(listed);
      if (!done && listed === prefix) {
        done = true;
        await then();
      }
      return entries;
    },
  };
}

function portsWith(store: Store, clock = { now: NOW }) {
  const ports: BoardSyncPorts & { enqueue: () => Promise<void> } = {
    jira: clientFor(fake).client,
    store,
    now: () => clock.now,
    enqueue: () => Promise.resolve(),
  };
  return { ports, clock };
}

const payIssues = () =>
  [...fake.site.issuesByKey.values()].filter((issue) => issue.projectKey === "PAY");

describe.each(Object.keys(TEST_STORES))("the leaving list on the %s store", (kind) => {
  const open = TEST_STORES[kind] ?? (() => new MemoryStore());

  it("keeps every entry when many issue events are handled at once", async () => {
    const base = open();
    const store = new InterleavingStore(base, seeded(7));
    const { ports } = portsWith(store);
    const other = boardId + 1_000;
    await rememberBoard(base, { boardId, projectKey: "PAY" });
    await rememberBoard(base, { boardId: other, projectKey: "PAY" });
    const issues = payIssues().slice(0, 40);
    expect(issues).toHaveLength(40);
    fake.resetRequests();

    const outcomes = await Promise.all(
      issues.map((issue) => handleIssueEvent(issueUpdatedEvent(fake, issue), ports)),
    );

    expect(outcomes.every((outcome) => outcome.boardIds.length === 2)).toBe(true);
    const ids = issues.map((issue) => issue.id).sort();
    for (const board of [boardId, other]) {
      const { entries, overflow } = await readLeaving(base, board);
      expect(overflow).toBe(false);
      expect(entries.map((entry) => entry.id).sort()).toEqual(ids);
    }
    // The events cost no Jira request: whether they left is for the refresh to ask.
    expect(fake.totalRequests()).toBe(0);

    // A new issue is named too: Jira's search may not show it yet, so the refresh reconciles it.
    const [created] = issues;
    if (!created) throw new Error("no issue");
    await handleIssueEvent(issueCreatedEvent(fake, created), ports);
    const after = (await readLeaving(base, boardId)).entries;
    expect(after).toHaveLength(41);
    expect(after.filter((entry) => entry.id === created.id)).toHaveLength(2);
  });

  it("forgets exactly the entries it is given, and after a full pull those older than it", async () => {
    const store = new InterleavingStore(open(), seeded(11));
    for (let at = 1; at <= 6; at++) {
      await recordLeaving(store, boardId, { id: String(10_000 + at), at, deleted: false });
    }
    const read = await readLeaving(store, boardId);
    // Written after the read, for an issue the read holds too: a key of its own, kept.
    await recordLeaving(store, boardId, { id: "10001", at: 7, deleted: true });
    await Promise.all([
      forgetLeaving(store, boardId, { read }),
      recordLeaving(store, boardId, { id: "10008", at: 8, deleted: false }),
    ]);
    expect((await readLeaving(store, boardId)).entries.map(({ id, at }) => [id, at])).toEqual([
      ["10001", 7],
      ["10008", 8],
    ]);
    await forgetLeaving(store, boardId, { before: 8 });
    expect((await readLeaving(store, boardId)).entries.map(({ id }) => id)).toEqual(["10008"]);
  });
});

describe("a refresh and the leaving list", () => {
  it("clears exactly what it checked: an event written while it runs waits for the next one", async () => {
    const base = new MemoryStore();
    const clock = { now: NOW };
    const first = await syncBoard(boardId, portsWith(base, clock).ports);
    expect(first).toMatchObject({ status: "done", kind: "full" });
    await rememberBoard(base, { boardId, projectKey: "PAY" });
    const [toMove, toDelete, stays] = payIssues().filter(
      (issue) => !payIssues().some((other) => other.parentKey === issue.key),
    );
    if (!toMove || !toDelete || !stays) throw new Error("not enough PAY issues");

    const events = portsWith(base, clock).ports;
    const moved = fake.site.moveIssue(toMove, "OPS", Date.now());
    await handleIssueEvent(issueMovedEvent(fake, moved), events);
    clock.now += 60_000;

    // While the refresh runs (just after it read the list): the issue left is deleted, and
    // another is edited. Both events name issues the refresh will not deal with.
    const during = async () => {
      const deleted = issueDeletedEvent(fake, toDelete);
      fake.site.deleteIssue(toDelete);
      await handleIssueEvent(deleted, events);
      await handleIssueEvent(issueUpdatedEvent(fake, stays), events);
    };
    const store = afterListing(base, storeKeys.boardLeavingPrefix(String(boardId)), during);
    clock.now += 5 * 60_000;
    const refresh = await syncBoard(boardId, portsWith(store, clock).ports);
    expect(refresh).toMatchObject({ kind: "incremental", left: 1 });

    const waiting = await readLeaving(base, boardId);
    expect(waiting.entries.map((entry) => entry.id).sort()).toEqual([toDelete.id, stays.id].sort());
    const ids = (report: typeof refresh) =>
      report.status === "done" ? (report.report.teams[0]?.items.map((item) => item.id) ?? []) : [];
    expect(ids(refresh)).not.toContain(toMove.key);
    expect(ids(refresh)).toContain(toDelete.key);

    // The next refresh deals with them and leaves nothing behind.
    clock.now += 60_000;
    const next = await syncBoard(boardId, portsWith(base, clock).ports);
    expect(next).toMatchObject({ kind: "incremental", left: 1 });
    expect(ids(next)).not.toContain(toDelete.key);
    expect(ids(next)).toContain(stays.key);
    expect((await readLeaving(base, boardId)).entries).toEqual([]);
  });

  it("turns into a full pull when more issues are named than a refresh checks", async () => {
    const store = new MemoryStore();
    const clock = { now: NOW };
    await syncBoard(boardId, portsWith(store, clock).ports);
    clock.now += 60_000;
    for (let n = 0; n <= MAX_LEAVING; n++) {
      await recordLeaving(store, boardId, {
        id: String(900_000 + n),
        at: clock.now,
        deleted: false,
      });
    }
    expect((await readLeaving(store, boardId)).overflow).toBe(true);
    clock.now += 60_000;
    const pull = await syncBoard(boardId, portsWith(store, clock).ports);
    expect(pull).toMatchObject({ status: "done", kind: "full" });
    // The pull began after every one of them: all dealt with.
    expect(await readLeaving(store, boardId)).toEqual({
      entries: [],
      unreadable: [],
      overflow: false,
    });
  });
});
