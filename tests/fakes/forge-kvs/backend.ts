import { z } from "zod";

/**
 * Forge's Key-Value Store as @forge/kvs sees it: every call arrives through
 * `global.__forge_fetch__(meta, path, init)` as a POST with a JSON body and is answered with a
 * `Response`, errors as `{ code, message }` with a non-2xx status. Limits are Forge's own.
 * @see https://developer.atlassian.com/platform/forge/limits-kvs-ce/
 */
export const FORGE_KVS_LIMITS = {
  keyLength: 500,
  valueBytes: 240 * 1024,
  depth: 31,
  transactionOperations: 25,
  transactionBytes: 4_000_000,
  batchItems: 25,
  queryLimit: 100,
} as const;

// Kept apart from src/store/forge-key-rules.ts on purpose: the fake is the oracle for that code.
const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s#-]+$/;
const DEFAULT_QUERY_LIMIT = 10;

export interface ForgeKvsFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export const INTERNAL_ERROR: ForgeKvsFault = {
  status: 500,
  code: "INTERNAL_SERVER_ERROR",
  message: "An internal server error has occurred",
};

class KvsFailure extends Error {
  constructor(readonly fault: ForgeKvsFault) {
    super(fault.message);
  }
}

function refuse(code: string, message: string, status = 400): never {
  throw new KvsFailure({ status, code, message });
}

const keySchema = z.string();
const getBody = z.object({ key: keySchema, options: z.object({}).passthrough().optional() });
const setOptions = z
  .object({
    keyPolicy: z.enum(["OVERRIDE", "FAIL_IF_EXISTS"]).optional(),
    returnValue: z.enum(["PREVIOUS", "LATEST"]).optional(),
    returnMetadataFields: z.array(z.string()).optional(),
    ttl: z.unknown().optional(),
  })
  .optional();
const setBody = z.object({ key: keySchema, value: z.unknown(), options: setOptions });
const deleteBody = z.object({ key: keySchema });
const queryBody = z.object({
  limit: z.number().int().optional(),
  after: z.string().optional(),
  where: z
    .array(z.object({ property: z.string(), condition: z.string(), values: z.array(z.unknown()) }))
    .optional(),
  options: z.unknown().optional(),
});
const entityName = z.string().optional();
const transactionBody = z.object({
  set: z
    .array(
      z.object({
        key: keySchema,
        value: z.unknown(),
        entityName,
        conditions: z.unknown().optional(),
        options: z.unknown().optional(),
      }),
    )
    .optional(),
  delete: z
    .array(z.object({ key: keySchema, entityName, conditions: z.unknown().optional() }))
    .optional(),
  check: z.array(z.unknown()).optional(),
});
const batchSetBody = z.array(
  z.object({ key: keySchema, value: z.unknown(), entityName, options: z.unknown().optional() }),
);
const batchKeysBody = z.array(z.object({ key: keySchema, entityName }));

interface Stored {
  readonly json: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

type Route = (body: unknown) => Response;

const WRITES = new Set([
  "/api/v1/set",
  "/api/v1/delete",
  "/api/v1/secret/set",
  "/api/v1/secret/delete",
  "/api/v1/transaction",
  "/api/v1/batch/set",
  "/api/v1/batch/delete",
]);

/** An in-memory Forge KVS backend with request counters and write failures on demand. */
export class FakeForgeKvs {
  private readonly values = new Map<string, Stored>();
  private readonly secrets = new Map<string, Stored>();
  private readonly counts = new Map<string, number>();
  private readonly faults = new Map<number, ForgeKvsFault>();
  private writesSeen = 0;
  private clock = 1_700_000_000_000;

  private readonly routes: Record<string, Route> = {
    "/api/v1/get": (body) => this.get(this.values, getBody.parse(body).key),
    "/api/v1/set": (body) => this.set(this.values, setBody.parse(body)),
    "/api/v1/delete": (body) => this.delete(this.values, deleteBody.parse(body).key),
    "/api/v1/secret/get": (body) => this.get(this.secrets, getBody.parse(body).key),
    "/api/v1/secret/set": (body) => this.set(this.secrets, setBody.parse(body)),
    "/api/v1/secret/delete": (body) => this.delete(this.secrets, deleteBody.parse(body).key),
    "/api/v1/query": (body) => this.query(queryBody.parse(body)),
    "/api/v1/transaction": (body) => this.transact(transactionBody.parse(body)),
    "/api/v1/batch/set": (body) => this.batchSet(batchSetBody.parse(body)),
    "/api/v1/batch/get": (body) => this.batchGet(batchKeysBody.parse(body)),
    "/api/v1/batch/delete": (body) => this.batchDelete(batchKeysBody.parse(body)),
  };

  /**
   * Milliseconds each way between the app and the store: a real KVS call is a network round
   * trip, during which other invocations of the app run. The request is answered on arrival, in
   * one step, so concurrent requests interleave as they would at Forge's service.
   */
  latencyMs = 0;

  /** The handler @forge/kvs calls as `global.__forge_fetch__`. */
  readonly fetch = async (_meta: unknown, path: string, init?: RequestInit): Promise<Response> => {
    await this.travel();
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
    const response = this.answer(path, init);
    await this.travel();
    return response;
  };

  private travel(): Promise<void> {
    return this.latencyMs > 0
      ? new Promise((done) => setTimeout(done, this.latencyMs))
      : Promise.resolve();
  }

  /** Makes the `nth` write request from now (1 = the next) fail, changing nothing. */
  failWrite(nth: number, fault: ForgeKvsFault = INTERNAL_ERROR): void {
    if (!Number.isInteger(nth) || nth < 1) throw new Error(`failWrite: ${nth} is not 1 or more.`);
    this.faults.set(this.writesSeen + nth, fault);
  }

  /** Requests received, to one path or to all. */
  requests(path?: string): number {
    if (path !== undefined) return this.counts.get(path) ?? 0;
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Write requests received, failed ones included. */
  writes(): number {
    return [...WRITES].reduce((sum, path) => sum + (this.counts.get(path) ?? 0), 0);
  }

  resetCounters(): void {
    this.counts.clear();
  }

  /** Every stored key (not secrets), in key order. */
  keys(): string[] {
    return [...this.values.keys()].sort(compareKeys);
  }

  /** The stored value under `key`, as Forge holds it, or undefined. */
  peek(key: string): unknown {
    const stored = this.values.get(key);
    return stored === undefined ? undefined : (JSON.parse(stored.json) as unknown);
  }

  /** Whether a secret is held under `key`, without reading it through the API. */
  hasSecret(key: string): boolean {
    return this.secrets.has(key);
  }

  private answer(path: string, init: RequestInit | undefined): Response {
    try {
      const route = this.routes[path];
      if (route === undefined)
        return refuse("NOT_FOUND", `No such endpoint in the fake: ${path}`, 404);
      if (init?.method !== "POST") refuse("METHOD_NOT_ALLOWED", `${path} takes POST`, 405);
      if (WRITES.has(path)) {
        this.writesSeen++;
        const fault = this.faults.get(this.writesSeen);
        if (fault) {
          this.faults.delete(this.writesSeen);
          throw new KvsFailure(fault);
        }
      }
      let body: unknown;
      try {
        body = JSON.parse(typeof init.body === "string" ? init.body : "");
      } catch {
        refuse("BAD_REQUEST", "Provided request body is invalid");
      }
      return route(body);
    } catch (error) {
      if (error instanceof KvsFailure) return json(error.fault.status, error.fault);
      if (error instanceof z.ZodError) {
        return json(400, {
          code: "BAD_REQUEST",
          message: `Provided request body is invalid: ${error.message}`,
        });
      }
      throw error;
    }
  }

  private get(map: Map<string, Stored>, key: string): Response {
    checkKey(key);
    const stored = map.get(key);
    if (!stored) refuse("KEY_NOT_FOUND", "Provided key does not exist", 404);
    return json(200, entry(key, stored));
  }

  private set(map: Map<string, Stored>, body: z.infer<typeof setBody>): Response {
    if (body.options?.ttl !== undefined) refuse("BAD_REQUEST", "The fake does not expire keys");
    const text = checkWrite(body.key, body.value);
    const previous = map.get(body.key);
    if (previous && body.options?.keyPolicy === "FAIL_IF_EXISTS") {
      refuse("KEY_ALREADY_EXISTS", "Provided key already exists", 409);
    }
    const stored = this.store(map, body.key, text);
    if (body.options?.returnValue === "LATEST") return json(200, entry(body.key, stored));
    if (body.options?.returnValue === "PREVIOUS" && previous) {
      return json(200, entry(body.key, previous));
    }
    return new Response(null, { status: 204 });
  }

  private delete(map: Map<string, Stored>, key: string): Response {
    checkKey(key);
    if (!map.delete(key)) refuse("KEY_NOT_FOUND", "Provided key does not exist", 404);
    return new Response(null, { status: 204 });
  }

  private query(body: z.infer<typeof queryBody>): Response {
    const limit = body.limit ?? DEFAULT_QUERY_LIMIT;
    if (limit < 1 || limit > FORGE_KVS_LIMITS.queryLimit) {
      refuse("INVALID_LIMIT", `limit must be 1 to ${FORGE_KVS_LIMITS.queryLimit}, was ${limit}`);
    }
    let prefix = "";
    for (const where of body.where ?? []) {
      const [value] = where.values;
      if (
        where.property !== "key" ||
        where.condition !== "BEGINS_WITH" ||
        typeof value !== "string"
      ) {
        refuse("BAD_REQUEST", `The fake queries only key BEGINS_WITH a string`);
      }
      prefix = String(value);
    }
    const after = body.after === undefined ? undefined : decodeCursor(body.after);
    const keys = [...this.values.keys()]
      .filter(
        (key) => key.startsWith(prefix) && (after === undefined || compareKeys(key, after) > 0),
      )
      .sort(compareKeys);
    const page = keys.slice(0, limit);
    const last = page.at(-1);
    return json(200, {
      data: page.map((key) => {
        const stored = this.values.get(key);
        return { key, value: stored === undefined ? null : (JSON.parse(stored.json) as unknown) };
      }),
      ...(keys.length > limit && last !== undefined ? { cursor: encodeCursor(last) } : {}),
    });
  }

  private transact(body: z.infer<typeof transactionBody>): Response {
    const sets = body.set ?? [];
    const deletes = body.delete ?? [];
    const operations = sets.length + deletes.length + (body.check?.length ?? 0);
    if (operations === 0) refuse("BAD_REQUEST", "A transaction needs at least one operation");
    if (operations > FORGE_KVS_LIMITS.transactionOperations) {
      refuse(
        "MAX_OPERATIONS",
        `A transaction holds at most ${FORGE_KVS_LIMITS.transactionOperations} operations, got ${operations}`,
      );
    }
    if (
      body.check !== undefined ||
      [...sets, ...deletes].some((op) => op.entityName !== undefined)
    ) {
      refuse("BAD_REQUEST", "The fake does not hold custom entities");
    }
    const seen = new Set<string>();
    let bytes = 0;
    const checked = sets.map((op) => {
      const text = checkWrite(op.key, op.value);
      bytes += utf8Bytes(op.key) + utf8Bytes(text);
      return { key: op.key, json: text };
    });
    for (const op of deletes) {
      checkKey(op.key);
      bytes += utf8Bytes(op.key);
    }
    for (const key of [...sets, ...deletes].map((op) => op.key)) {
      if (seen.has(key)) refuse("BAD_REQUEST", `Key ${key} appears twice in one transaction`);
      seen.add(key);
    }
    if (bytes > FORGE_KVS_LIMITS.transactionBytes) {
      refuse("MAX_SIZE", `A transaction holds at most 4 MB, got ${bytes} bytes`);
    }
    for (const op of checked) this.store(this.values, op.key, op.json);
    for (const op of deletes) this.values.delete(op.key);
    return new Response(null, { status: 204 });
  }

  private batchSet(items: z.infer<typeof batchSetBody>): Response {
    checkBatchSize(items.length);
    return this.batch(items, (item) => {
      this.store(this.values, item.key, checkWrite(item.key, item.value));
      return { key: item.key };
    });
  }

  private batchGet(items: z.infer<typeof batchKeysBody>): Response {
    checkBatchSize(items.length);
    return this.batch(items, (item) => {
      checkKey(item.key);
      const stored = this.values.get(item.key);
      if (!stored) refuse("KEY_NOT_FOUND", "Provided key does not exist", 404);
      return entry(item.key, stored);
    });
  }

  private batchDelete(items: z.infer<typeof batchKeysBody>): Response {
    checkBatchSize(items.length);
    return this.batch(items, (item) => {
      checkKey(item.key);
      this.values.delete(item.key);
      return { key: item.key };
    });
  }

  private batch<T extends { key: string; entityName?: string | undefined }>(
    items: readonly T[],
    run: (item: T) => object,
  ): Response {
    const successfulKeys: object[] = [];
    const failedKeys: object[] = [];
    for (const item of items) {
      try {
        if (item.entityName !== undefined) refuse("BAD_REQUEST", "The fake does not hold entities");
        successfulKeys.push(run(item));
      } catch (error) {
        if (!(error instanceof KvsFailure)) throw error;
        failedKeys.push({
          key: item.key,
          error: { code: error.fault.code, message: error.fault.message },
        });
      }
    }
    return json(200, { successfulKeys, failedKeys });
  }

  private store(map: Map<string, Stored>, key: string, text: string): Stored {
    const now = ++this.clock;
    const stored = { json: text, createdAt: map.get(key)?.createdAt ?? now, updatedAt: now };
    map.set(key, stored);
    return stored;
  }
}

function checkKey(key: string): void {
  if (key.length > FORGE_KVS_LIMITS.keyLength) {
    refuse("KEY_TOO_LONG", `Key length must be at most ${FORGE_KVS_LIMITS.keyLength} characters`);
  }
  if (!KEY_PATTERN.test(key)) {
    refuse("INVALID_KEY", `Key must match ${String(KEY_PATTERN)}`);
  }
}

/** Checks a key and value as Forge does before a write; answers the value's JSON. */
function checkWrite(key: string, value: unknown): string {
  checkKey(key);
  const text = value === undefined ? undefined : JSON.stringify(value);
  if (text === undefined) return refuse("BAD_REQUEST", "A value is required");
  const bytes = utf8Bytes(text);
  if (bytes > FORGE_KVS_LIMITS.valueBytes) {
    refuse(
      "MAX_SIZE",
      `Value is ${bytes} bytes; Forge stores at most ${FORGE_KVS_LIMITS.valueBytes}`,
    );
  }
  if (depthOf(value) > FORGE_KVS_LIMITS.depth) {
    refuse("MAX_DEPTH", `Value nests deeper than ${FORGE_KVS_LIMITS.depth} levels`);
  }
  return text;
}

function checkBatchSize(count: number): void {
  if (count < 1 || count > FORGE_KVS_LIMITS.batchItems) {
    refuse("BAD_REQUEST", `A batch holds 1 to ${FORGE_KVS_LIMITS.batchItems} items, got ${count}`);
  }
}

function depthOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  let deepest = 0;
  for (const child of children as unknown[]) deepest = Math.max(deepest, depthOf(child));
  return 1 + deepest;
}

function entry(key: string, stored: Stored) {
  return {
    key,
    value: JSON.parse(stored.json) as unknown,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = z
      .object({ after: z.string() })
      .parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.after;
  } catch {
    return refuse("INVALID_CURSOR", "Provided cursor is invalid");
  }
}
