/**
 * The storage port every host provides: Forge KVS inside Jira, SQLite for the self-hosted server,
 * memory for tests. Values are JSON; readers parse what they get with zod, since stored data may
 * come from an older version of the app.
 */
export interface Store {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /**
   * Sets `key` only when it holds nothing, atomically: of concurrent calls for one key (in this
   * process or another sharing the storage) exactly one answers true, the others false and
   * change nothing. For small values (one Forge KVS entry).
   */
  setIfAbsent(key: string, value: unknown): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every entry whose key starts with `prefix`, in key order. */
  listByPrefix(prefix: string): Promise<StoredEntry[]>;
  getSecret(key: string): Promise<string | undefined>;
  setSecret(key: string, value: string): Promise<void>;
}

export interface StoredEntry {
  readonly key: string;
  readonly value: unknown;
}
