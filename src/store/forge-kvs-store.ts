import { kvs, WhereConditions } from "@forge/kvs";
import type { Store, StoredEntry } from "./store.js";

/** Forge's query pages hold at most 100 entries. */
const PAGE_SIZE = 100;

/**
 * The `Store` on Forge's key-value storage. Secrets go through the secret API, which keeps them
 * encrypted and out of every query.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-basic/
 */
export class ForgeKvsStore implements Store {
  get(key: string): Promise<unknown> {
    return kvs.get<unknown>(key);
  }

  set(key: string, value: unknown): Promise<void> {
    return kvs.set(key, value);
  }

  delete(key: string): Promise<void> {
    return kvs.delete(key);
  }

  async listByPrefix(prefix: string): Promise<StoredEntry[]> {
    const entries: StoredEntry[] = [];
    let cursor: string | undefined;
    do {
      let query = kvs.query().where("key", WhereConditions.beginsWith(prefix)).limit(PAGE_SIZE);
      if (cursor !== undefined) query = query.cursor(cursor);
      const page = await query.getMany<unknown>();
      for (const result of page.results) entries.push({ key: result.key, value: result.value });
      cursor = page.nextCursor;
    } while (cursor !== undefined);
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
