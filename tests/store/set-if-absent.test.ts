/**
 * `setIfAbsent` on every store a host keeps: of concurrent claims of one key exactly one wins and
 * its value stays; SQLite across two connections to one file, Forge storage through the real
 * `@forge/kvs` client with each call a round trip.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { MemoryStore, type Store } from "../../src/store/index";
import { SqliteStore } from "../../src/store/sqlite/index";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";

const dir = mkdtempSync(join(tmpdir(), "capacity-set-if-absent-"));
let forge: InstalledForgeKvs | undefined;
const opened: SqliteStore[] = [];

afterEach(() => {
  forge?.uninstall();
  forge = undefined;
  for (const store of opened.splice(0)) store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two handles on one storage, as two invocations or processes of a host hold it. */
const hosts: readonly (readonly [string, () => readonly [Store, Store]])[] = [
  [
    "memory",
    () => {
      const store = new MemoryStore();
      return [store, store];
    },
  ],
  [
    "SQLite, two connections",
    () => {
      const file = join(dir, `${Math.random().toString(36).slice(2)}.sqlite`);
      const pair = [new SqliteStore(file), new SqliteStore(file)] as const;
      opened.push(...pair);
      return pair;
    },
  ],
  [
    "Forge storage",
    () => {
      forge = installFakeForgeKvs();
      forge.kvs.latencyMs = 2;
      return [new ForgeKvsStore(), new ForgeKvsStore()];
    },
  ],
];

describe.each(hosts)("setIfAbsent, %s", (_name, open) => {
  it("lets exactly one of concurrent claims win, and keeps its value", async () => {
    const [a, b] = open();
    const wins = await Promise.all(
      Array.from({ length: 8 }, (_, n) => (n % 2 === 0 ? a : b).setIfAbsent("claim:k", { n })),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await b.get("claim:k")).toEqual({ n: wins.indexOf(true) });
  });

  it("never replaces a value set before, and claims again once it is deleted", async () => {
    const [a, b] = open();
    await a.set("claim:k", "first");
    expect(await b.setIfAbsent("claim:k", "second")).toBe(false);
    expect(await a.get("claim:k")).toBe("first");
    await a.delete("claim:k");
    expect(await b.setIfAbsent("claim:k", "third")).toBe(true);
    expect(await a.get("claim:k")).toBe("third");
  });
});
