/**
 * The three stores the app runs on (memory, the self-hosted SQLite file, Forge's KVS over its
 * fake), and a store that interleaves callers at every storage call, for tests of writes made at
 * once. Call {@link closeTestStores} after each test that opens one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { MemoryStore, type Store, type StoredEntry } from "../../src/store/index";
import { SqliteStore } from "../../src/store/sqlite/index";
import { Rng } from "../../src/workspace/demo/random";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";

const cleanups: (() => void)[] = [];

/** Closes and removes every store opened since the last call. */
export function closeTestStores(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
}

/** Opens a fresh store of each kind, by name. */
export const TEST_STORES: Readonly<Record<string, () => Store>> = {
  memory: () => new MemoryStore(),
  sqlite: () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-store-"));
    const store = new SqliteStore(join(dir, "store.sqlite"));
    cleanups.push(() => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return store;
  },
  "forge kvs": () => {
    const installed: InstalledForgeKvs = installFakeForgeKvs();
    cleanups.push(() => installed.uninstall());
    return new ForgeKvsStore();
  },
};

/** The same seed gives the same interleaving. */
export function seeded(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.float();
}

/**
 * A store whose every call lets a few turns of the event loop pass before it reaches the store and
 * again before its answer comes back, as many as a seeded generator says: callers running at once
 * interleave at their storage calls the way triggers on Forge do, a read of one landing between
 * another's read and write.
 */
export class InterleavingStore implements Store {
  constructor(
    private readonly inner: Store,
    private readonly random: () => number,
  ) {}

  private async around<T>(call: () => Promise<T>): Promise<T> {
    await this.turns();
    const result = await call();
    await this.turns();
    return result;
  }

  private async turns(): Promise<void> {
    const count = Math.floor(this.random() * 5);
    for (let n = 0; n < count; n++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  get(key: string): Promise<unknown> {
    return this.around(() => this.inner.get(key));
  }
  set(key: string, value: unknown): Promise<void> {
    return this.around(() => this.inner.set(key, value));
  }
  setIfAbsent(key: string, value: unknown): Promise<boolean> {
    return this.around(() => this.inner.setIfAbsent(key, value));
  }
  delete(key: string): Promise<void> {
    return this.around(() => this.inner.delete(key));
  }
  listByPrefix(prefix: string): Promise<StoredEntry[]> {
    return this.around(() => this.inner.listByPrefix(prefix));
  }
  getSecret(key: string): Promise<string | undefined> {
    return this.around(() => this.inner.getSecret(key));
  }
  setSecret(key: string, value: string): Promise<void> {
    return this.around(() => this.inner.setSecret(key, value));
  }
}

/** `inner` with `hidden` reading as absent: the store as a version that never wrote that key. */
export function withKeyAbsent(inner: Store, hidden: string): Store {
  return {
    get: (key) => (key === hidden ? Promise.resolve(undefined) : inner.get(key)),
    set: (key, value) => inner.set(key, value),
    setIfAbsent: (key, value) => inner.setIfAbsent(key, value),
    delete: (key) => inner.delete(key),
    listByPrefix: (prefix) => inner.listByPrefix(prefix),
    getSecret: (key) => inner.getSecret(key),
    setSecret: (key, value) => inner.setSecret(key, value),
  };
}
