import type { Store, StoredEntry } from "./store.js";

/** A `Store` in memory. Values are copied through JSON so callers never share mutable state. */
export class MemoryStore implements Store {
  private readonly values = new Map<string, string>();
  private readonly secrets = new Map<string, string>();

  get(key: string): Promise<unknown> {
    const text = this.values.get(key);
    return Promise.resolve(text === undefined ? undefined : (JSON.parse(text) as unknown));
  }

  set(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }

  listByPrefix(prefix: string): Promise<StoredEntry[]> {
    const entries = [...this.values.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, text]) => ({ key, value: JSON.parse(text) as unknown }));
    return Promise.resolve(entries);
  }

  getSecret(key: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(key));
  }

  setSecret(key: string, value: string): Promise<void> {
    this.secrets.set(key, value);
    return Promise.resolve();
  }
}
