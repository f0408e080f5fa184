/**
 * Every resolver of the contract, sent what no page sends: missing fields, wrong types, 1 MB
 * strings, `__proto__` and `constructor` keys, negative, NaN and infinite numbers, arrays of
 * 100,000 items, boards and jobs that are not the caller's. Each is answered with a worded error
 * (no stack, no field names, no schema dump, no echo of the input) and leaves the store and Jira
 * as they were. Against the fake Jira over loopback, the boards synced as the app keeps them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { RESOLVER_CONTRACT, type ResolverKey } from "../../src/app/contract";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { appendOrgTarget } from "../../src/app/targets";
import { MemoryStore, type Store } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { DEFAULT_USER, startFakeJira, type FakeJira } from "../fakes/jira/index";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const TEAMS = ["PAY", "CHK"];

/** The demo narrowed to two teams, so two boards sync quickly. */
function twoTeams(): WorkspaceFile {
  const demo = generateDemoWorkspace(NOW);
  const kept = (teamId: string | null | undefined) => teamId != null && TEAMS.includes(teamId);
  return {
    ...demo,
    teams: demo.teams.filter((team) => kept(team.id)),
    sprints: (demo.sprints ?? []).filter((sprint) => kept(sprint.teamId)),
    items: (demo.items ?? []).filter((item) => kept(item.teamId)),
    targets: (demo.targets ?? []).filter((target) => kept(target.teamId)),
  };
}

/** May browse PAY, not CHK. */
const VIEWER = { email: "viewer@example.com", token: "viewer-token", hiddenProjects: ["CHK"] };
const IN_PAY: CallContext = { accountId: "acc-viewer", projectKey: "PAY" };

let fake: FakeJira;
const store = new MemoryStore();
let payBoard = 0;
let chkBoard = 0;

beforeAll(async () => {
  fake = await startFakeJira({ workspace: twoTeams(), now: NOW, users: [DEFAULT_USER, VIEWER] });
  const app = { jira: clientFor(fake).client, store, now: () => NOW };
  payBoard = fake.site.boardIdOf.get("PAY") ?? 0;
  chkBoard = fake.site.boardIdOf.get("CHK") ?? 0;
  for (const boardId of [payBoard, chkBoard]) await syncBoard(boardId, app);
  await appendOrgTarget(
    store,
    {
      investmentShare: 0.35,
      tolerance: 0.05,
      effectiveFrom: "2026-01-01",
      reason: "Plan",
      requestId: "hostile-org-1",
    },
    { by: "cto", at: NOW - 1 },
  );
}, 120_000);
afterAll(async () => fake.close());

const portsAs = (user: { email: string; token: string } = DEFAULT_USER): ResolverPorts => ({
  jira: clientFor(fake, user).client,
  store,
  now: () => NOW,
});

/** Everything the store holds, as one text. */
async function snapshotOf(target: Store): Promise<string> {
  return JSON.stringify(await target.listByPrefix(""));
}

/** The issues' labels in the fake Jira: what a classify would change. */
function jiraLabels(): string {
  return JSON.stringify([...fake.site.issuesByKey.values()].map((issue) => issue.labels));
}

/** The store as the resolvers see it, counting every write asked of it. */
class WatchedStore implements Store {
  writes: string[] = [];
  constructor(private readonly inner: Store) {}
  get(key: string): Promise<unknown> {
    return this.inner.get(key);
  }
  listByPrefix(prefix: string): ReturnType<Store["listByPrefix"]> {
    return this.inner.listByPrefix(prefix);
  }
  getSecret(key: string): Promise<string | undefined> {
    return this.inner.getSecret(key);
  }
  set(key: string): Promise<void> {
    this.writes.push(`set ${key}`);
    return Promise.resolve();
  }
  setIfAbsent(key: string): Promise<boolean> {
    this.writes.push(`setIfAbsent ${key}`);
    return Promise.resolve(false);
  }
  delete(key: string): Promise<void> {
    this.writes.push(`delete ${key}`);
    return Promise.resolve();
  }
  setSecret(key: string): Promise<void> {
    this.writes.push(`setSecret ${key}`);
    return Promise.resolve();
  }
}

/** A valid payload of each resolver, which the cases below spoil one part at a time. */
function validPayloads(): Record<ResolverKey, Record<string, unknown>> {
  const period = { kind: "quarter", id: "2026-Q4" };
  const target = {
    investmentShare: 0.3,
    tolerance: 0.05,
    effectiveFrom: "2026-01-01",
    reason: "Plan",
    requestId: "hostile-request-1",
  };
  return {
    "report/get": { boardId: payBoard },
    "triage/list": {
      boardId: payBoard,
      page: 0,
      pageSize: 10,
      filter: "x",
      conflictsOnly: false,
      sort: { key: "id", direction: "ascending" },
      keys: false,
    },
    "report/drill": {
      boardId: payBoard,
      period,
      reasons: ["spent"],
      category: "roadmap",
      at: "2026-11-24T00:00:00Z",
    },
    "item/get": { boardId: payBoard, issueKey: "PAY-1" },
    "item/classify": { boardId: payBoard, issueKeys: ["PAY-1"], category: "roadmap" },
    "bulk/start": {
      boardId: payBoard,
      issueKeys: ["PAY-1"],
      category: "roadmap",
      requestId: "hostile-bulk-1",
    },
    "bulk/status": { boardId: payBoard, jobId: "job-1" },
    "bulk/last": { boardId: payBoard },
    "bulk/failures": { boardId: payBoard, jobId: "job-1", fromBatch: 0 },
    "bulk/undo": { boardId: payBoard, jobId: "job-1" },
    "board/list": {},
    "target/list": { boardId: payBoard },
    "target/append": { boardId: payBoard, ...target },
    "target/impact": {
      boardId: payBoard,
      investmentShare: 0.3,
      tolerance: 0.05,
      effectiveFrom: "2026-01-01",
    },
    "org/get": {},
    "org/drill": { boardId: payBoard, period },
    "org-target/list": {},
    "org-target/add": target,
    "settings/get": { boardId: payBoard },
    "settings/set": {
      boardId: payBoard,
      settings: {
        unit: "points",
        unestimatedWeight: 1,
        timezone: "UTC",
        labels: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
        rules: [{ if: { labels: ["tech-debt"], titleMatches: "^Upgrade" }, then: "investment" }],
        fiscalYearStartMonth: 1,
        actual: "delivered",
      },
    },
    "rules/preview": {
      boardId: payBoard,
      rules: [{ if: { type: ["Bug"] }, then: "investment" }],
    },
    "linear/get": {},
    "linear/connect": { apiKey: "lin_api_hostile" },
    "linear/oauth-start": {},
    "linear/disconnect": {},
    "linear/webhook-secret": { secret: "hostile-secret" },
    "linear/settings": { teamKeys: ["ENG"], publish: true, writeBack: false },
    "linear/team-access": { teamKey: "ENG", projectKey: "PAY" },
    "linear/last-sync": {},
    "linear/sync-now": {},
  };
}

const MEGABYTE = "x".repeat(1024 * 1024);
const HUGE_ARRAY_LENGTH = 100_000;

/** What takes the place of one value of a valid payload; each must be refused. */
function spoilersOf(value: unknown): readonly { readonly name: string; readonly value: unknown }[] {
  const spoilers: { name: string; value: unknown }[] = [
    { name: "a 1 MB string", value: MEGABYTE },
    { name: "NaN", value: Number.NaN },
    { name: "Infinity", value: Number.POSITIVE_INFINITY },
    { name: "-Infinity", value: Number.NEGATIVE_INFINITY },
    { name: "an object", value: { polluted: true } },
    {
      name: `an array of ${HUGE_ARRAY_LENGTH} items`,
      value: Array.from({ length: HUGE_ARRAY_LENGTH }, (): unknown =>
        Array.isArray(value) ? (value[0] as unknown) : value,
      ),
    },
  ];
  if (typeof value === "number") {
    spoilers.push({ name: "-1", value: -1 }, { name: "a numeric string", value: String(value) });
  }
  if (typeof value === "string") spoilers.push({ name: "a number", value: 12 });
  if (typeof value === "boolean") spoilers.push({ name: "a string", value: "true" });
  if (Array.isArray(value)) spoilers.push({ name: "a string", value: "PAY-1" });
  return spoilers;
}

/** Every path to a value in a payload, objects and arrays walked into. */
function pathsOf(value: unknown, path: readonly (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [[...path]];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : Object.entries(value);
  const paths: (string | number)[][] = path.length > 0 ? [[...path]] : [];
  for (const [key, item] of entries) paths.push(...pathsOf(item, [...path, key]));
  return paths;
}

/** `payload` with the value at `path` replaced (or, with `remove`, taken out). */
function withValue(
  payload: unknown,
  path: readonly (string | number)[],
  value: unknown,
  remove = false,
): unknown {
  const copy: unknown = structuredClone(payload);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
  return copy;
}

const valueAt = (payload: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], payload);

/** Whether the schema takes `payload` (a spoiled optional field may still be a valid payload). */
const accepts = (key: ResolverKey, payload: unknown): boolean =>
  (RESOLVER_CONTRACT[key].payload as { safeParse(input: unknown): { success: boolean } }).safeParse(
    payload,
  ).success;

/** What a worded refusal never holds. */
function problemsOfMessage(message: string, payload: unknown): string[] {
  const problems: string[] = [];
  if (message.length > 600) problems.push(`is ${message.length} characters long`);
  if (/\n\s+at |\.ts:\d|node_modules/.test(message)) problems.push("holds a stack");
  if (/zod|ZodError|invalid_type|too_big|unrecognized_keys|"code":|"path":/i.test(message)) {
    problems.push("holds a schema dump");
  }
  if (message.includes("x".repeat(100))) problems.push("echoes the 1 MB string");
  // The payload's field names, camelCase, are the code's words, not a person's; an unknown
  // field the payload added is named as sent, so it can be found and left out.
  const fieldNames = new Set<string>();
  const collect = (value: unknown): void => {
    if (value === null || typeof value !== "object") return;
    for (const [name, inner] of Object.entries(value)) {
      if (/[a-z][A-Z]/.test(name) && name !== "unknownField") fieldNames.add(name);
      collect(inner);
    }
  };
  collect(payload);
  for (const name of fieldNames) {
    if (message.includes(name)) problems.push(`names the field ${name}`);
  }
  if (!/^[A-Z]/.test(message) || !/[.!?]$/.test(message.trim())) {
    problems.push("is not a sentence");
  }
  return problems;
}

interface Refusal {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string };
}

/**
 * Runs `key` on `payload` as the viewer in PAY and answers what is wrong with its answer: empty
 * when it was refused in words, with no write asked of the store and no request made of Jira.
 */
async function refusalProblems(
  key: ResolverKey,
  payload: unknown,
  context: CallContext = IN_PAY,
): Promise<string[]> {
  const watched = new WatchedStore(store);
  const requests = fake.totalRequests();
  let answer: Awaited<ReturnType<typeof runResolver>>;
  try {
    answer = await runResolver(key, payload, context, { ...portsAs(VIEWER), store: watched });
  } catch (error) {
    return [`threw ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`];
  }
  const problems: string[] = [];
  if (answer.ok) problems.push("was accepted");
  else problems.push(...problemsOfMessage((answer as Refusal).error.message, payload));
  if (watched.writes.length > 0) problems.push(`wrote ${watched.writes.join(", ")}`);
  if (fake.totalRequests() !== requests) problems.push("asked Jira");
  return problems;
}

const KEYS = Object.keys(RESOLVER_CONTRACT) as ResolverKey[];

describe("every resolver refuses a malformed payload in words and changes nothing", () => {
  it.each(KEYS)(
    "%s",
    async (key) => {
      const valid = validPayloads()[key];
      expect(accepts(key, valid), `the valid ${key} payload parses`).toBe(true);
      const before = await snapshotOf(store);
      const labels = jiraLabels();
      const found: string[] = [];
      const check = async (what: string, payload: unknown) => {
        for (const problem of await refusalProblems(key, payload)) {
          found.push(`${what}: ${problem}`);
        }
      };

      // The payload as a whole.
      const wholes: [string, unknown][] = [
        ["no payload", undefined],
        ["null", null],
        ["a string", "boardId=1"],
        ["a number", 1],
        ["a 1 MB string", MEGABYTE],
        [
          `an array of ${HUGE_ARRAY_LENGTH} items`,
          Array.from({ length: HUGE_ARRAY_LENGTH }, () => valid),
        ],
        ["an unknown field", { ...valid, unknownField: true }],
        [
          "a __proto__ key",
          JSON.parse(
            `{"__proto__": {"polluted": true}, ${JSON.stringify(valid).slice(1)}`.replace(
              /, }$/,
              "}",
            ),
          ),
        ],
        ["a constructor key", { ...valid, constructor: { prototype: { polluted: true } } }],
      ];
      for (const [what, payload] of wholes) await check(what, payload);

      // One value at a time: taken out, or replaced by what no page sends.
      for (const path of pathsOf(valid)) {
        const where = path.join(".");
        const value = valueAt(valid, path);
        const missing = withValue(valid, path, undefined, true);
        if (!accepts(key, missing)) await check(`${where} missing`, missing);
        for (const spoiler of spoilersOf(value)) {
          await check(`${where} as ${spoiler.name}`, withValue(valid, path, spoiler.value));
        }
        if (value !== null && typeof value === "object" && !Array.isArray(value)) {
          const polluted = JSON.parse(
            JSON.stringify(valid).replace(
              JSON.stringify(value),
              `{"__proto__":{"polluted":true},${JSON.stringify(value).slice(1)}`.replace(",}", "}"),
            ),
          ) as unknown;
          await check(`${where} with a __proto__ key`, polluted);
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(found).toEqual([]);
      expect(await snapshotOf(store)).toBe(before);
      expect(jiraLabels()).toBe(labels);
    },
    60_000,
  );
});
