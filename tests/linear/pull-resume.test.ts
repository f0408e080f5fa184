import { beforeAll, describe, expect, it } from "vitest";
import { pullLinearTeamIncrementally } from "../../src/app/linear-incremental-pull";
import { HISTORY_BATCH } from "../../src/linear/documents";
import {
  findTeams,
  LinearSyncError,
  type LinearSyncClient,
  type LinearTeam,
} from "../../src/linear/index";
import { findForgeKeyViolation, MemoryStore, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { historyRow, type LinearFault } from "../fakes/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { linearClientFor, NOW } from "./helpers";

const PASS: LinearFault = { kind: "pass" };
const REFUSED: LinearFault = { kind: "unauthorized" };

describe("a team's pull stopped midway continues from its saved progress", () => {
  const fake = useFakeLinear({
    workspace: generateDemoWorkspace(NOW),
    seed: { now: NOW, teams: ["GRO"] },
  });
  let team: LinearTeam;
  /** An uninterrupted pull, and what it cost. */
  let reference: Awaited<ReturnType<typeof pullLinearTeamIncrementally>>;
  let referenceOps: readonly string[];

  beforeAll(async () => {
    const { client } = linearClientFor(fake);
    const [found] = await findTeams(client, ["GRO"]);
    if (found === undefined) throw new Error("no team");
    team = found;
    // Long histories (label changes, which move no number), so that every issue's history
    // overflows what a page reads inline and is read again in batches.
    for (const issue of fake.data.issues.filter((candidate) => candidate.teamId === team.id)) {
      for (let n = 0; n < 12; n++) {
        fake.data.history.push(
          historyRow({
            id: `${issue.id}-label-${n}`,
            issueId: issue.id,
            createdAt: issue.createdAt,
            addedLabelIds: [],
            removedLabelIds: [],
          }),
        );
      }
    }
    fake.resetCounters();
    reference = await pullLinearTeamIncrementally(client, new MemoryStore(), team);
    referenceOps = [...fake.operations()];
  });

  const count = (ops: readonly string[], name: string) => ops.filter((op) => op === name).length;

  async function progressKeys(store: MemoryStore): Promise<string[]> {
    const entries = await store.listByPrefix(storeKeys.linearPullProgress("GRO"));
    return entries.map((entry) => entry.key);
  }

  /** Runs one pull that the fault stops, then one that finishes; answers the second's requests. */
  async function stopThenContinue(store: MemoryStore, operation: string, faults: LinearFault[]) {
    const { client } = linearClientFor(fake);
    fake.injectOn(operation, ...faults);
    const error: unknown = await pullLinearTeamIncrementally(client, store, team).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LinearSyncError);
    expect(error).toMatchObject({ code: "LINEAR_UNAUTHORIZED" });
    expect(await store.get(storeKeys.linearTeamState("GRO"))).toBeUndefined();
    const saved = await progressKeys(store);
    fake.resetCounters();
    const second = await pullLinearTeamIncrementally(client, store, team);
    return { second, ops: [...fake.operations()], saved };
  }

  /** Runs one pull that stops on the second issues page, leaving its progress in `store`. */
  async function stopOnSecondIssuesPage(client: LinearSyncClient, store: MemoryStore) {
    fake.injectOn("CapacityIssues", PASS, REFUSED);
    await expect(pullLinearTeamIncrementally(client, store, team)).rejects.toThrow();
  }

  /** Changes fields of the saved progress's header, as if another pull had left it. */
  async function editProgressHeader(store: MemoryStore, fields: Record<string, string>) {
    const header = await store.get(storeKeys.linearPullProgress("GRO"));
    await store.set(storeKeys.linearPullProgress("GRO"), {
      ...(header as Record<string, unknown>),
      ...fields,
    });
  }

  it("needs several issues pages and history batches, so there is a middle to stop in", () => {
    expect(count(referenceOps, "CapacityIssues")).toBeGreaterThanOrEqual(3);
    expect(count(referenceOps, "CapacityIssueHistory")).toBeGreaterThanOrEqual(3);
  });

  it("stopped on the third issues page: the next run reads only the pages after the second", async () => {
    const store = new MemoryStore();
    const { second, ops, saved } = await stopThenContinue(store, "CapacityIssues", [
      PASS,
      PASS,
      REFUSED,
    ]);
    expect(saved).toEqual([
      storeKeys.linearPullProgress("GRO"),
      storeKeys.linearPullProgressPart("GRO", "issues", 0),
      storeKeys.linearPullProgressPart("GRO", "issues", 1),
    ]);
    expect(second).toEqual(reference);
    expect(count(ops, "CapacityIssues")).toBe(count(referenceOps, "CapacityIssues") - 2);
    expect(count(ops, "CapacityIssueHistory")).toBe(count(referenceOps, "CapacityIssueHistory"));
    expect(ops).toHaveLength(referenceOps.length - 2);
    expect(await progressKeys(store)).toEqual([]);
    expect(await store.get(storeKeys.linearCursor("GRO"))).toBe(reference.pulled.cursor);
  });

  it("stopped in the history: the next run reads no issues page and only the batches left", async () => {
    const store = new MemoryStore();
    const { second, ops } = await stopThenContinue(store, "CapacityIssueHistory", [
      PASS,
      PASS,
      REFUSED,
    ]);
    expect(second).toEqual(reference);
    expect(count(ops, "CapacityIssues")).toBe(0);
    expect(count(ops, "CapacityIssueHistory")).toBe(
      count(referenceOps, "CapacityIssueHistory") - 2,
    );
    expect(ops).toHaveLength(referenceOps.length - count(referenceOps, "CapacityIssues") - 2);
    expect(await progressKeys(store)).toEqual([]);
  });

  it("keeps every stored part to one page, as plain JSON", async () => {
    const store = new MemoryStore();
    const { client } = linearClientFor(fake);
    fake.injectOn("CapacityIssueHistory", PASS, PASS, PASS, REFUSED);
    await expect(pullLinearTeamIncrementally(client, store, team)).rejects.toThrow(LinearSyncError);
    const entries = await store.listByPrefix(storeKeys.linearPullProgress("GRO"));
    // The header, the three pages and the second pass's one, the three batches read.
    expect(entries.map((entry) => entry.key)).toHaveLength(1 + 4 + 3);
    for (const entry of entries) {
      const json = JSON.stringify(entry.value);
      expect(JSON.parse(json)).toEqual(entry.value);
    }
    await pullLinearTeamIncrementally(client, store, team);
  });

  it("ignores progress of a pull from another cursor, and progress that no longer parses", async () => {
    const store = new MemoryStore();
    const { client } = linearClientFor(fake);
    await stopOnSecondIssuesPage(client, store);
    await editProgressHeader(store, { since: "2026-01-01T00:00:00.000Z" });
    fake.resetCounters();
    expect(await pullLinearTeamIncrementally(client, store, team)).toEqual(reference);
    expect(fake.operations()).toEqual(referenceOps);
    expect(await progressKeys(store)).toEqual([]);

    const broken = new MemoryStore();
    await stopOnSecondIssuesPage(client, broken);
    await broken.set(storeKeys.linearPullProgressPart("GRO", "issues", 0), [{ id: 1 }]);
    fake.resetCounters();
    expect(await pullLinearTeamIncrementally(client, broken, team)).toEqual(reference);
    expect(fake.operations()).toEqual(referenceOps);
    expect(await progressKeys(broken)).toEqual([]);
  });

  it("reads the pages again from the start when Linear no longer takes the saved page cursor", async () => {
    const store = new MemoryStore();
    const { client } = linearClientFor(fake);
    await stopOnSecondIssuesPage(client, store);
    await editProgressHeader(store, { after: "a-cursor-from-long-ago" });
    fake.resetCounters();
    expect(await pullLinearTeamIncrementally(client, store, team)).toEqual(reference);
    expect(count(fake.operations(), "CapacityIssues")).toBe(
      count(referenceOps, "CapacityIssues") + 1,
    );
    expect(await progressKeys(store)).toEqual([]);
  });

  it("an incremental pull stopped midway continues from the same cursor", async () => {
    const store = new MemoryStore();
    const { client } = linearClientFor(fake);
    const first = await pullLinearTeamIncrementally(client, store, team);
    const later = Date.parse(first.pulled.cursor ?? "") + 60_000;
    const changed = fake.data.issues.filter((issue) => issue.teamId === team.id).slice(0, 300);
    for (const [n, issue] of changed.entries()) {
      issue.title = `${issue.title} (edited)`;
      issue.updatedAt = new Date(later + n * 1000).toISOString();
    }
    const fresh = await pullLinearTeamIncrementally(client, new MemoryStore(), team);

    fake.injectOn("CapacityIssueHistory", PASS, REFUSED);
    await expect(pullLinearTeamIncrementally(client, store, team)).rejects.toThrow();
    fake.resetCounters();
    const second = await pullLinearTeamIncrementally(client, store, team);
    expect(second.changed).toBe(changed.length);
    // A merged pull keeps its items in id order, a first one in Linear's `updatedAt` order.
    const byId = <T extends { id: string }>(list: readonly T[]) =>
      [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect({ ...second.pulled, items: byId(second.pulled.items) }).toEqual({
      ...fresh.pulled,
      items: byId(fresh.pulled.items),
    });
    expect(count(fake.operations(), "CapacityIssues")).toBe(0);
    expect(count(fake.operations(), "CapacityIssueHistory")).toBe(
      Math.ceil(300 / HISTORY_BATCH) - 1,
    );
  });
});

describe("the progress keys", () => {
  it.each(["GRO", "A:1", "a b#%", "😀", "#"])(
    "of team %j are keys Forge takes, apart from every other team's",
    (teamKey) => {
      const keys = [
        storeKeys.linearPullProgress(teamKey),
        storeKeys.linearPullProgressPart(teamKey, "issues", 0),
        storeKeys.linearPullProgressPart(teamKey, "history", 39),
      ];
      for (const key of keys) {
        expect(findForgeKeyViolation(key), key).toBeUndefined();
        expect(key.startsWith("__"), key).toBe(false);
      }
      const other = storeKeys.linearPullProgress(`${teamKey}:pull`);
      expect(keys.some((key) => key.startsWith(other))).toBe(false);
    },
  );
});
