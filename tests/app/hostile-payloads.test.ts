/**
 * Every resolver of the contract, sent what no page sends: missing fields, wrong types, 1 MB
 * strings, `__proto__` and `constructor` keys, negative, NaN and infinite numbers, arrays of
 * 100,000 items, boards and jobs that are not the caller's. Each is answered with a worded error
 * (no stack, no field names, no schema dump, no echo of the input) and leaves the store and Jira
 * as they were. Against the fake Jira over loopback, the boards synced as the app keeps them.
 */
import { createHmac } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { RESOLVER_CONTRACT, type ResolverKey } from "../../src/app/contract";
import { handleIssueEvent, parseSprintEvent } from "../../src/app/jira-events";
import { handleLinearWebhook } from "../../src/app/linear-webhook";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { bulkConsumer } from "../../src/forge/bulk-handlers";
import { onBoardRecompute } from "../../src/forge/sync-handlers";
import { createAppServer } from "../../src/server/http-server";
import { seedDemoWorkspace, workspaceBoardSource } from "../../src/server/workspace-board-source";
import { MemoryStore, type Store } from "../../src/store/index";
import { installFakeForgeKvs } from "../fakes/forge-kvs/index";
import { DEFAULT_USER, startFakeJira, type FakeJira } from "../fakes/jira/index";
import { demoOfTeams } from "../helpers/factories";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const TEAMS = ["PAY", "CHK"];

/** May browse PAY, not CHK. */
const VIEWER = { email: "viewer@example.com", token: "viewer-token", hiddenProjects: ["CHK"] };
const IN_PAY: CallContext = { accountId: "acc-viewer", projectKey: "PAY" };

let fake: FakeJira;
const store = new MemoryStore();
let payBoard = 0;
let chkBoard = 0;

beforeAll(async () => {
  fake = await startFakeJira({
    workspace: demoOfTeams(NOW, TEAMS),
    now: NOW,
    users: [DEFAULT_USER, VIEWER],
  });
  const app = { jira: clientFor(fake).client, store, now: () => NOW };
  payBoard = fake.site.boardIdOf.get("PAY") ?? 0;
  chkBoard = fake.site.boardIdOf.get("CHK") ?? 0;
  for (const boardId of [payBoard, chkBoard]) await syncBoard(boardId, app);
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

describe("ids that are not the caller's are refused in words and change nothing", () => {
  const period = { kind: "quarter", id: "2026-Q4" };
  const cases: readonly [string, ResolverKey, () => unknown, CallContext?][] = [
    ["a board no site has", "report/get", () => ({ boardId: 987_654 })],
    ["a board of another project", "report/get", () => ({ boardId: chkBoard })],
    ["a board of another project", "report/drill", () => ({ boardId: chkBoard, period })],
    ["a board of another project", "settings/get", () => ({ boardId: chkBoard })],
    [
      "a board of another project",
      "target/append",
      () => ({
        boardId: chkBoard,
        investmentShare: 0.3,
        tolerance: 0.05,
        effectiveFrom: "2026-01-01",
        reason: "Plan",
        requestId: "hostile-other-board",
      }),
    ],
    [
      "issues of another project",
      "item/classify",
      () => ({ boardId: payBoard, issueKeys: ["CHK-1"], category: "roadmap" }),
    ],
    [
      "issues of another project",
      "bulk/start",
      () => ({
        boardId: payBoard,
        issueKeys: ["PAY-1", "CHK-1"],
        category: "investment",
        requestId: "hostile-other-issues",
      }),
    ],
    ["a bulk change that never was", "bulk/status", () => ({ boardId: payBoard, jobId: "job-x" })],
    ["a bulk change that never was", "bulk/undo", () => ({ boardId: payBoard, jobId: "job-x" })],
    [
      "a board the person may not browse",
      "org/drill",
      () => ({ boardId: chkBoard, period }),
      { accountId: "acc-viewer", projectKey: null },
    ],
    [
      "a board the app never read",
      "org/drill",
      () => ({ boardId: 987_654, period }),
      { accountId: "acc-viewer", projectKey: null },
    ],
    [
      "a Linear team the site does not keep",
      "org/drill",
      () => ({ linearTeam: "NOPE", period }),
      { accountId: "acc-viewer", projectKey: null },
    ],
  ];

  it.each(cases)("%s: %s", async (_what, key, payload, context) => {
    const before = await snapshotOf(store);
    const labels = jiraLabels();
    const watched = new WatchedStore(store);
    const answer = await runResolver(key, payload(), context ?? IN_PAY, {
      ...portsAs(VIEWER),
      store: watched,
    });
    expect(answer.ok).toBe(false);
    const { code, message } = (answer as Refusal).error;
    expect(["FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"]).toContain(code);
    expect(problemsOfMessage(message, payload())).toEqual([]);
    expect(watched.writes).toEqual([]);
    expect(await snapshotOf(store)).toBe(before);
    expect(jiraLabels()).toBe(labels);
  });
});

describe("the self-hosted server's routes refuse hostile requests in words and change nothing", () => {
  const demo = new MemoryStore();
  let server: Server;
  let base = "";

  beforeAll(async () => {
    await seedDemoWorkspace(demo, NOW);
    const now = () => NOW;
    server = createAppServer({
      ports: { boards: workspaceBoardSource(demo, now), store: demo, now },
      token: null,
      distDir: "/nonexistent",
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  async function post(
    path: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-capacity-project": "PAY", ...headers },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  /** The refusal's message, from the JSON envelope every resolver route answers with. */
  function messageOf(text: string): string {
    const parsed = JSON.parse(text) as { ok: boolean; error?: { message?: unknown } };
    expect(parsed.ok).toBe(false);
    expect(typeof parsed.error?.message).toBe("string");
    return String(parsed.error?.message);
  }

  const bodies: readonly [string, string][] = [
    ["an empty array", "[]"],
    ["null", "null"],
    ["a string", JSON.stringify("boardId=1")],
    ["a __proto__ key", '{"__proto__":{"polluted":true},"boardId":1}'],
    ["a constructor key", '{"constructor":{"prototype":{"polluted":true}},"boardId":1}'],
    ["a negative board", '{"boardId":-1}'],
    ["a board written as a huge number", '{"boardId":1e400}'],
    ["a board as a string", '{"boardId":"1"}'],
    ["a board no workspace has", '{"boardId":987654}'],
    ["not JSON", "{boardId: 1"],
    ["an array of 10,000 items", JSON.stringify(Array.from({ length: 10_000 }, () => 1))],
  ];

  it.each(KEYS)("POST /api/resolve/%s", async (key) => {
    const before = await snapshotOf(demo);
    const found: string[] = [];
    for (const [what, body] of bodies) {
      // A body that is a valid payload of a resolver with no fields is not hostile to it.
      if (body === '{"boardId":987654}' && !("boardId" in validPayloads()[key])) continue;
      const { status, text } = await post(`/api/resolve/${key}`, body);
      if (status < 400 || status >= 500) found.push(`${what}: answered ${status}`);
      const problems = problemsOfMessage(messageOf(text), {});
      for (const problem of problems) found.push(`${what}: ${problem}`);
    }
    expect(found).toEqual([]);
    expect(await snapshotOf(demo)).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers a resolver key that names an Object property, or none, with 404", async () => {
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty", "%00", ""]) {
      const { status, text } = await post(`/api/resolve/${key}`, "{}");
      expect(status, key).toBe(404);
      expect(messageOf(text)).toMatch(/^Unknown resolver /);
    }
  });

  it("takes no project from a hostile project header", async () => {
    for (const header of ["<script>", "pay", "PAY,CHK", "P".repeat(10_000)]) {
      const { status, text } = await post("/api/resolve/report/get", '{"boardId":1}', {
        "x-capacity-project": header,
      });
      expect(status, header).toBe(403);
      expect(messageOf(text)).toBe("Board 1 does not belong to this project.");
    }
  });

  it("names a hostile issue key on /browse as quoted text, never markup or control", async () => {
    const key = "<script>alert(1)</script>\u001b[2J\u202Egnp.exe";
    const response = await fetch(`${base}/browse/${encodeURIComponent(key)}`, {
      redirect: "manual",
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).not.toContain("\u001b");
    expect(text).not.toContain("\u202E");
    // JSON's escapes: the key is still there to read, as text.
    expect(text).toContain("\\u001b");
    expect(text).toContain("\\u202E");
  });
});

describe("trigger, consumer and webhook payloads that are not what the platform sends", () => {
  const junk: readonly [string, unknown][] = [
    ["nothing", undefined],
    ["null", null],
    ["a 1 MB string", MEGABYTE],
    [`an array of ${HUGE_ARRAY_LENGTH} items`, Array.from({ length: HUGE_ARRAY_LENGTH }, () => 1)],
    ["a __proto__ key", JSON.parse('{"__proto__":{"polluted":true}}')],
    ["a body of the wrong types", { body: { boardId: "1", jobId: 7 } }],
    ["a negative board", { body: { boardId: -1, jobId: "job-1" } }],
    ["a NaN board", { body: { boardId: Number.NaN, jobId: "job-1" } }],
    ["an infinite board", { body: { boardId: Number.POSITIVE_INFINITY } }],
    ["a 1 MB board and job id", { body: { boardId: MEGABYTE, jobId: MEGABYTE } }],
    [
      "an issue event of the wrong types",
      { eventType: 7, issue: { id: "12 OR 1=1", key: ["PAY-1"] } },
    ],
    [
      "an issue event with 100,000 changelog items of nothing",
      {
        eventType: "avi:jira:updated:issue",
        issue: { key: MEGABYTE },
        changelog: { items: Array.from({ length: HUGE_ARRAY_LENGTH }, () => ({ field: 7 })) },
      },
    ],
    ["a sprint event of a board that is no number", { sprint: { id: 1, originBoardId: "x" } }],
  ];

  it.each(junk)("an issue or sprint event: %s is ignored and changes nothing", async (_, event) => {
    const before = await snapshotOf(store);
    const watched = new WatchedStore(store);
    const queued: unknown[] = [];
    const outcome = await handleIssueEvent(event, {
      jira: clientFor(fake).client,
      now: () => NOW,
      store: watched,
      enqueue: (request) => {
        queued.push(request);
        return Promise.resolve();
      },
    });
    expect(outcome.action).toBe("ignored");
    expect(parseSprintEvent(event)).toBeNull();
    expect(queued).toEqual([]);
    expect(watched.writes).toEqual([]);
    expect(await snapshotOf(store)).toBe(before);
  });

  it.each(junk)(
    "the sync and bulk consumers: %s is dropped before anything is read or written",
    async (_, event) => {
      const installed = installFakeForgeKvs();
      try {
        const requeued: unknown[] = [];
        await onBoardRecompute(event);
        await bulkConsumer({
          enqueueBulk: (job) => {
            requeued.push(job);
            return Promise.resolve();
          },
        })(event);
        expect(installed.kvs.requests()).toBe(0);
        expect(requeued).toEqual([]);
      } finally {
        installed.uninstall();
      }
    },
  );

  const SECRET = "lin_wh_hostile_secret";
  const signed = (
    body: string,
  ): { rawBody: string; headers: Record<string, string>; secret: string } => ({
    rawBody: body,
    headers: {
      "linear-signature": createHmac("sha256", SECRET).update(body).digest("hex"),
      "linear-delivery": "d-hostile",
    },
    secret: SECRET,
  });
  const deliveries: readonly [string, ReturnType<typeof signed>][] = [
    ["unsigned", { ...signed("{}"), headers: {} }],
    ["signed by someone else", { ...signed("{}"), secret: "another-secret" }],
    ["signed but not JSON", signed("{not json")],
    ["signed, with a NaN timestamp", signed('{"webhookTimestamp":"NaN","type":"Issue"}')],
    ["signed, with a negative timestamp", signed('{"webhookTimestamp":-1,"type":"Issue"}')],
    [
      "signed, fresh, but not a webhook payload",
      signed(JSON.stringify({ webhookTimestamp: Date.now(), __proto__: { polluted: true } })),
    ],
    [
      "signed, fresh, its data of 100,000 items",
      signed(
        JSON.stringify({
          type: "Issue",
          action: "update",
          webhookTimestamp: Date.now(),
          data: Array.from({ length: HUGE_ARRAY_LENGTH }, () => ({ id: "x" })),
        }),
      ),
    ],
  ];

  it.each(deliveries)(
    "a Linear delivery %s is refused with its reason and changes nothing",
    async (_, request) => {
      const hook = new MemoryStore();
      const handed: unknown[] = [];
      const outcome = await handleLinearWebhook(request, {
        store: hook,
        enqueue: (event) => {
          handed.push(event);
          return Promise.resolve();
        },
      });
      expect(outcome.result).toBe("refused");
      expect([400, 401]).toContain(outcome.status);
      const reason = outcome.result === "refused" ? outcome.reason : "";
      expect(reason.length).toBeGreaterThan(0);
      expect(reason.length).toBeLessThan(200);
      expect(handed).toEqual([]);
      expect(await hook.listByPrefix("")).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});
