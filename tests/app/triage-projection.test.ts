/**
 * The triage list from the board's projection against the list worked out from the kept report and
 * the board's items, as it was before the projection: on boards made random (labels, conflicts,
 * titles, estimates, the team's rules), for random filters, orders and pages, as a person some of
 * whose issues are hidden, after the first sync, a change of rules, single-issue classifies, a
 * bulk classify and a refresh. Forge's store (over the fake KVS) keeps every value.
 */
import { afterEach, describe, expect, it } from "vitest";
import { readStoredReport } from "../../src/app/board-sync";
import { classifyingWorkspace, syncBoard, type SyncRequest } from "../../src/app/board-refresh";
import { handleIssueEvent } from "../../src/app/jira-events";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { getTeamSettings, setTeamSettings, type TeamSettings } from "../../src/app/team-settings";
import { listTriageRows, TRIAGE_SORT_KEYS, type TriagePage } from "../../src/app/triage";
import { readTriageProjection, triageRowsOf } from "../../src/app/triage-projection";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { storeKeys, type Store } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { Rng } from "../../src/workspace/demo/random";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import { DEFAULT_USER, issueUpdatedEvent } from "../fakes/jira/index";
import type { FakeIssue } from "../fakes/jira/site";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { withKeyAbsent } from "../helpers/stores";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };
const VIEWER = { email: "viewer@example.com", token: "viewer-token" };
const hiddenFromViewer: string[] = [];
const LABELS = { roadmap: "capacity-roadmap", investment: "capacity-investment" };

let boardId: number;
let installed: InstalledForgeKvs | null = null;
const fake = useFakeJira(
  {
    workspace: generateDemoWorkspace(NOW),
    now: NOW,
    users: [DEFAULT_USER, { ...VIEWER, hiddenIssues: hiddenFromViewer }],
  },
  (started) => {
    boardId = boardIdOf(started, "PAY");
  },
);
afterEach(() => {
  installed?.uninstall();
  installed = null;
});

const payIssues = (): FakeIssue[] =>
  [...fake.site.issuesByKey.values()].filter((issue) => issue.projectKey === "PAY");

const WORDS = ["login", "Checkout", "retry", "ledger", "Refund", "flaky", "ÉTÉ", "api"];
type Rules = NonNullable<TeamSettings["rules"]>;
const RULES: Rules = [
  { if: { type: ["Bug"] }, then: "investment" },
  { if: { type: ["Bug"] }, then: "roadmap" },
  { if: { labels: ["tech-debt"] }, then: "investment" },
  { if: { titleMatches: "login|retry" }, then: "roadmap" },
  { if: { titleMatches: "ledger" }, then: "investment" },
  { if: { type: ["Story"] }, then: "roadmap" },
];

/** Each issue of the board given random labels (conflicts among them), title words and estimate. */
function randomizeBoard(rng: Rng): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.float() * list.length)] as T;
  for (const issue of payIssues()) {
    const draw = rng.float();
    issue.labels =
      draw < 0.1
        ? [LABELS.roadmap, LABELS.investment]
        : draw < 0.2
          ? [LABELS.roadmap]
          : draw < 0.3
            ? ["tech-debt"]
            : draw < 0.4
              ? ["Capacity-Investment", "other"]
              : [];
    issue.summary = `${pick(WORDS)} ${pick(WORDS)} ${Math.floor(rng.float() * 100)}`;
    issue.estimate = rng.float() < 0.3 ? null : Math.floor(rng.float() * 8);
  }
}

function randomRules(rng: Rng): Rules {
  return RULES.filter(() => rng.float() < 0.5);
}

/** A random query of the list, its filter taken from what the rows show. */
function randomQuery(rng: Rng, keys: readonly string[]): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.float() * list.length)] as T;
  const filters = ["", "", "log", "PAY-1", "bug", "todo", "sprint", "é", pick(WORDS), pick(keys)];
  const sortKey = pick([null, ...TRIAGE_SORT_KEYS]);
  return {
    boardId,
    page: Math.floor(rng.float() * 4),
    pageSize: pick([5, 10, 50, 100]),
    filter: pick(filters),
    conflictsOnly: rng.float() < 0.25,
    sort:
      sortKey === null
        ? null
        : { key: sortKey, direction: rng.float() < 0.5 ? "ascending" : "descending" },
    keys: rng.float() < 0.5,
  };
}

/** The store as a board kept before the projection: its key reads as absent. */
const withoutProjection = (inner: Store): Store =>
  withKeyAbsent(inner, storeKeys.boardTriage(String(boardId)));

/** The store, with the keys each call reads. */
function readsOf(inner: Store): { store: Store; read: string[] } {
  const read: string[] = [];
  const store: Store = {
    ...withoutProjection(inner),
    get: (key) => {
      read.push(key);
      return inner.get(key);
    },
  };
  return { store, read };
}

async function call<T>(key: string, payload: unknown, ports: ResolverPorts): Promise<T> {
  const answer = await runResolver(key, payload, inPay, ports);
  if (!answer.ok) throw new Error(`${key}: ${answer.error.message}`);
  return answer.data as T;
}

describe("the triage list from its projection", () => {
  for (const seed of [3, 41]) {
    it(`answers as the list from the report and the board's items (seed ${seed})`, async () => {
      const rng = new Rng(seed);
      randomizeBoard(rng);
      installed = installFakeForgeKvs();
      const base = new ForgeKvsStore();
      const clock = { now: NOW };
      const queued: SyncRequest[] = [];
      const portsOf = (store: Store, user?: typeof VIEWER) => ({
        jira: clientFor(fake, user).client,
        store,
        now: () => clock.now,
        enqueueBoardSync: (request: SyncRequest) => Promise.resolve(void queued.push(request)),
      });
      const app = portsOf(base);
      await setTeamSettings(base, String(boardId), { labels: LABELS, rules: randomRules(rng) });
      expect(await syncBoard(boardId, app)).toMatchObject({ status: "done", kind: "full" });

      const everyKey = async (): Promise<string[]> =>
        (await call<TriagePage>("triage/list", { boardId, keys: true }, app)).keys ?? [];
      hiddenFromViewer.splice(0, hiddenFromViewer.length);
      hiddenFromViewer.push(...(await everyKey()).filter(() => rng.float() < 0.2));

      /** Every row and a few dozen pages, both ways, as the viewer. */
      const compare = async (stage: string): Promise<void> => {
        const projection = await readTriageProjection(base, boardId);
        if (projection === null) throw new Error(`${stage}: no projection`);
        const stored = await readStoredReport({ store: base, now: () => clock.now }, boardId);
        const workspace = await classifyingWorkspace(base, boardId);
        if (stored === null || workspace === null) throw new Error(`${stage}: no report`);
        const settings = await getTeamSettings(base, String(boardId));
        const before = listTriageRows(
          workspace,
          stored.report.teams[0]?.items ?? [],
          stored.titles,
          {
            now: clock.now,
          },
        );
        expect(before.length, stage).toBeGreaterThan(10);
        expect(triageRowsOf(projection, boardId, settings, clock.now), stage).toEqual(before);

        const keys = before.map((row) => row.id);
        const fresh = portsOf(readsOf(base).store, VIEWER);
        const old = portsOf(withoutProjection(base), VIEWER);
        for (let n = 0; n < 15; n++) {
          const query = randomQuery(rng, keys);
          const reads = readsOf(base);
          const answer = await call<TriagePage>("triage/list", query, {
            ...fresh,
            store: reads.store,
          });
          // The projection, not the board's items, the kept report's items nor the key → id map.
          expect(reads.read).toContain(storeKeys.boardTriage(String(boardId)));
          for (const key of [
            storeKeys.boardItems(String(boardId)),
            storeKeys.cachedReport(String(boardId)),
            storeKeys.cachedReportPart(String(boardId), 0),
            storeKeys.boardIssueIds(String(boardId)),
          ]) {
            expect(reads.read, stage).not.toContain(key);
          }
          const expected = await call<TriagePage>("triage/list", query, old);
          expect(answer, `${stage}: ${JSON.stringify(query)}`).toEqual(expected);
        }
      };

      await compare("first sync");

      // The rules change; the report waits for its sync, the rules column does not.
      await setTeamSettings(base, String(boardId), { labels: LABELS, rules: randomRules(rng) });
      await compare("rules changed");

      // Single issues classified from the issue panel, each with the event Jira sends.
      const keys = await everyKey();
      const sync = { ...app, enqueue: () => Promise.resolve() };
      for (const key of keys.filter(() => rng.float() < 0.1).slice(0, 4)) {
        const category = rng.float() < 0.5 ? "roadmap" : "investment";
        await call("item/classify", { boardId, issueKeys: [key], category }, app);
        const issue = fake.site.issuesByKey.get(key);
        if (issue) await handleIssueEvent(issueUpdatedEvent(fake, issue), sync);
      }
      await compare("single classifies");

      const picked = keys.filter(() => rng.float() < 0.2).slice(0, 12);
      await call(
        "bulk/start",
        { boardId, issueKeys: picked, category: "investment", requestId: `triage-bulk-${seed}` },
        app,
      );
      await compare("bulk classify");

      clock.now += 5 * 60_000;
      expect(await syncBoard(boardId, app)).toMatchObject({ kind: "incremental" });
      await compare("refresh");
      const after = await everyKey();
      for (const key of picked) expect(after).not.toContain(key);
    });
  }
});
