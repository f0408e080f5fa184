import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite/index";

const dirs: string[] = [];
function openStore(dir = mkdtempSync(join(tmpdir(), "capacity-sqlite-"))): {
  store: SqliteStore;
  dir: string;
} {
  dirs.push(dir);
  return { store: new SqliteStore(join(dir, "store.sqlite")), dir };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("SqliteStore", () => {
  it("lists by prefix in key order, treating _ and % as plain characters", async () => {
    const { store } = openStore();
    await store.set("a_b:2", { n: 2 });
    await store.set("a_b:1", { n: 1 });
    await store.set("axb:1", { n: 3 });
    await store.set("a%b:1", { n: 4 });
    expect(await store.listByPrefix("a_b:")).toEqual([
      { key: "a_b:1", value: { n: 1 } },
      { key: "a_b:2", value: { n: 2 } },
    ]);
    store.close();
  });

  it("keeps values and secrets apart and across reopening the file", async () => {
    const { store, dir } = openStore();
    await store.set("k", [1, "two"]);
    await store.setSecret("k", "secret");
    await store.set("gone", true);
    await store.delete("gone");
    store.close();
    const reopened = openStore(dir).store;
    expect(await reopened.get("k")).toEqual([1, "two"]);
    expect(await reopened.getSecret("k")).toBe("secret");
    expect(await reopened.get("gone")).toBeUndefined();
    expect(await reopened.listByPrefix("")).toEqual([{ key: "k", value: [1, "two"] }]);
    reopened.close();
  });
});
