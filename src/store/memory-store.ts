import { checkForgeKey } from "./forge-key-rules";
import type { Store, StoredEntry } from "./store";

/**
 * A `Store` in memory. Values are copied through JSON so callers never share mutable state. Keys
 * are held to Forge's rules, so a test on this store fails on any key Forge would refuse.
 */
export class MemoryStore implements Store {
  private readonly values = new Map<string, string>();
  private readonly secrets = new Map<string, string>();

  get(key: string): Promise<unknown> {
    return withForgeKey(key, () => {
      const text = this.values.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    });
  }

  set(key: string, value: unknown): Promise<void> {
    return withForgeKey(key, () => {
      this.values.set(key, JSON.stringify(value));
    });
  }

  setIfAbsent(key: string, value: unknown): Promise<boolean> {
    // Checked and set in one turn of the event loop: nothing runs in between.
    return withForgeKey(key, () => {
      if (this.values.has(key)) return false;
      this.values.set(key, JSON.stringify(value));
      return true;
    });
  }

  delete(key: string): Promise<void> {
    return withForgeKey(key, () => {
      this.values.delete(key);
    });
  }

  listByPrefix(prefix: string): Promise<StoredEntry[]> {
    const entries = [...this.values.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, text]) => ({ key, value: JSON.parse(text) as unknown }));
    return Promise.resolve(entries);
  }

  getSecret(key: string): Promise<string | undefined> {
    return withForgeKey(key, () => this.secrets.get(key));
  }

  setSecret(key: string, value: string): Promise<void> {
    return withForgeKey(key, () => {
      this.secrets.set(key, value);
    });
  }
}

function withForgeKey<T>(key: string, run: () => T): Promise<T> {
  const refused = checkForgeKey(key);
  return refused ? Promise.reject(refused) : Promise.resolve(run());
}
