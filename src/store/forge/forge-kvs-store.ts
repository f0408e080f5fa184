import { ForgeKvsAPIError, kvs, WhereConditions } from "@forge/kvs";
import {
  deleteChunkedValue,
  isChunkKey,
  readChunkedValue,
  resolveChunkedValue,
  writeChunkedValue,
  type RawKv,
  type RawWrite,
} from "./chunked-values";
import type { Store, StoredEntry } from "../store";

/** Forge's query pages hold at most 100 entries. */
const PAGE_SIZE = 100;

/**
 * Forge's key-value storage, one request per operation.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/kvs-api/
 */
const forgeKv: RawKv = {
  get: (key) => kvs.get<unknown>(key),

  async replace(key, value) {
    const previous = await kvs.set<unknown>(key, value, {
      keyPolicy: "OVERRIDE",
      returnValue: "PREVIOUS",
    });
    return previous?.value;
  },

  async apply(writes: readonly RawWrite[]) {
    const [only, ...others] = writes;
    if (only === undefined) return;
    if (others.length === 0) {
      await (only.kind === "set" ? kvs.set(only.key, only.value) : kvs.delete(only.key));
      return;
    }
    const transaction = kvs.transact();
    for (const write of writes) {
      if (write.kind === "set") transaction.set(write.key, write.value);
      else transaction.delete(write.key);
    }
    await transaction.execute();
  },
};

/**
 * The `Store` on Forge's key-value storage. Values over Forge's 240 KiB limit are kept as chunks
 * (see chunked-values.ts). Secrets go through the secret API, which keeps them encrypted and out
 * of every query.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-basic/
 */
export class ForgeKvsStore implements Store {
  get(key: string): Promise<unknown> {
    return readChunkedValue(forgeKv, key);
  }

  set(key: string, value: unknown): Promise<void> {
    return writeChunkedValue(forgeKv, key, value);
  }

  /**
   * `keyPolicy: "FAIL_IF_EXISTS"`: Forge refuses the set with HTTP 409 when the key exists, one
   * writer winning among concurrent ones.
   * @see https://developer.atlassian.com/platform/forge/storage-reference/kvs-api/
   */
  async setIfAbsent(key: string, value: unknown): Promise<boolean> {
    try {
      await kvs.set(key, value, { keyPolicy: "FAIL_IF_EXISTS" });
      return true;
    } catch (error) {
      if (error instanceof ForgeKvsAPIError && error.responseDetails.status === 409) return false;
      throw error;
    }
  }

  delete(key: string): Promise<void> {
    return deleteChunkedValue(forgeKv, key);
  }

  async listByPrefix(prefix: string): Promise<StoredEntry[]> {
    const stored: StoredEntry[] = [];
    let cursor: string | undefined;
    do {
      let query = kvs.query().where("key", WhereConditions.beginsWith(prefix)).limit(PAGE_SIZE);
      if (cursor !== undefined) query = query.cursor(cursor);
      const page = await query.getMany<unknown>();
      for (const result of page.results) {
        if (!isChunkKey(result.key)) stored.push({ key: result.key, value: result.value });
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const entries = await Promise.all(
      stored.map(async ({ key, value }) => ({
        key,
        value: await resolveChunkedValue(forgeKv, key, value),
      })),
    );
    return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async getSecret(key: string): Promise<string | undefined> {
    const value = await kvs.getSecret<unknown>(key);
    return typeof value === "string" ? value : undefined;
  }

  setSecret(key: string, value: string): Promise<void> {
    return kvs.setSecret(key, value);
  }
}
