import { ForgeKvsAPIError, kvs, WhereConditions } from "@forge/kvs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";

let fake: InstalledForgeKvs;
beforeEach(() => {
  fake = installFakeForgeKvs();
});
afterEach(() => {
  fake.uninstall();
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) => (error instanceof ForgeKvsAPIError ? error.code : String(error)),
  );

describe("the fake Forge KVS, driven by the real @forge/kvs", () => {
  it("gets, sets and deletes values; a missing key reads as undefined", async () => {
    expect(await kvs.get("a")).toBeUndefined();
    await kvs.set("a", { n: 1 });
    expect(await kvs.get("a")).toEqual({ n: 1 });
    expect(await kvs.get("a", { metadataFields: [] })).toMatchObject({ key: "a", value: { n: 1 } });
    await kvs.delete("a");
    await kvs.delete("a");
    expect(await kvs.get("a")).toBeUndefined();
  });

  it("answers the replaced value when asked, and refuses to overwrite when told to", async () => {
    expect(
      await kvs.set("a", 1, { keyPolicy: "OVERRIDE", returnValue: "PREVIOUS" }),
    ).toBeUndefined();
    expect(await kvs.set("a", 2, { keyPolicy: "OVERRIDE", returnValue: "PREVIOUS" })).toMatchObject(
      {
        key: "a",
        value: 1,
      },
    );
    expect(await codeOf(kvs.set("a", 3, { keyPolicy: "FAIL_IF_EXISTS" }))).toBe(
      "KEY_ALREADY_EXISTS",
    );
    expect(await kvs.get("a")).toBe(2);
  });

  it("enforces Forge's key and value limits", async () => {
    expect(await codeOf(kvs.set("a%20b", 1))).toBe("INVALID_KEY");
    expect(await codeOf(kvs.set("   ", 1))).toBe("INVALID_KEY");
    expect(await codeOf(kvs.set("a b:c.d_e-f#1", 1))).toBe("ok");
    expect(await codeOf(kvs.set("k".repeat(500), 1))).toBe("ok");
    expect(await codeOf(kvs.set("k".repeat(501), 1))).toBe("KEY_TOO_LONG");
    expect(await codeOf(kvs.set("big", "x".repeat(240 * 1024 - 2)))).toBe("ok");
    expect(await codeOf(kvs.set("big", "x".repeat(240 * 1024 - 1)))).toBe("MAX_SIZE");
    const nest = (levels: number) => {
      let value: unknown = "leaf";
      for (let level = 0; level < levels; level++) value = { inner: value };
      return value;
    };
    expect(await codeOf(kvs.set("deep", nest(31)))).toBe("ok");
    expect(await codeOf(kvs.set("deep", nest(32)))).toBe("MAX_DEPTH");
  });

  it("pages a BEGINS_WITH query by its limit and cursor, in key order", async () => {
    for (let index = 0; index < 23; index++)
      await kvs.set(`p:${String(index).padStart(2, "0")}`, index);
    await kvs.set("q:0", "other");
    const first = await kvs.query().where("key", WhereConditions.beginsWith("p:")).getMany();
    expect(first.results.map((result) => result.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const seen: unknown[] = [];
    let cursor: string | undefined;
    do {
      let query = kvs.query().where("key", WhereConditions.beginsWith("p:")).limit(7);
      if (cursor !== undefined) query = query.cursor(cursor);
      const page = await query.getMany();
      seen.push(...page.results.map((result) => result.value));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, index) => index));
    expect(await codeOf(kvs.query().limit(101).getMany())).toBe("INVALID_LIMIT");
    expect(await codeOf(kvs.query().cursor("nonsense").getMany())).toBe("INVALID_CURSOR");
  });

  it("applies a transaction all or none, within 25 operations and 4 MB", async () => {
    await kvs.set("gone", 1);
    await kvs.transact().set("t:1", 1).set("t:2", 2).delete("gone").execute();
    expect([await kvs.get("t:1"), await kvs.get("t:2"), await kvs.get("gone")]).toEqual([
      1,
      2,
      undefined,
    ]);

    const many = kvs.transact();
    for (let index = 0; index < 26; index++) many.set(`m:${index}`, index);
    expect(await codeOf(many.execute())).toBe("MAX_OPERATIONS");
    const heavy = kvs.transact();
    for (let index = 0; index < 17; index++) heavy.set(`h:${index}`, "x".repeat(235 * 1024));
    expect(await codeOf(heavy.execute())).toBe("MAX_SIZE");
    const halfBad = kvs.transact().set("ok:1", 1).set("bad key!", 2);
    expect(await codeOf(halfBad.execute())).toBe("INVALID_KEY");
    expect(fake.kvs.keys()).toEqual(["t:1", "t:2"]);
  });

  it("keeps secrets apart from values", async () => {
    await kvs.setSecret("s", "hidden");
    expect(await kvs.getSecret("s")).toBe("hidden");
    expect(await kvs.get("s")).toBeUndefined();
    expect((await kvs.query().getMany()).results).toEqual([]);
    await kvs.deleteSecret("s");
    expect(await kvs.getSecret("s")).toBeUndefined();
  });

  it("batches sets, gets and deletes, reporting each key's outcome", async () => {
    const set = await kvs.batchSet([
      { key: "b:1", value: 1 },
      { key: "b 2%", value: 2 },
    ]);
    expect(set.successfulKeys).toEqual([{ key: "b:1" }]);
    expect(set.failedKeys).toMatchObject([{ key: "b 2%", error: { code: "INVALID_KEY" } }]);
    const got = await kvs.batchGet([{ key: "b:1" }, { key: "b:9" }]);
    expect(got.successfulKeys).toMatchObject([{ key: "b:1", value: 1 }]);
    expect(got.failedKeys).toMatchObject([{ key: "b:9", error: { code: "KEY_NOT_FOUND" } }]);
    await kvs.batchDelete([{ key: "b:1" }]);
    expect(fake.kvs.keys()).toEqual([]);
  });

  it("fails the nth write on demand without applying it, and counts requests", async () => {
    fake.kvs.failWrite(2);
    await kvs.set("w:1", 1);
    expect(await codeOf(kvs.set("w:2", 2))).toBe("INTERNAL_SERVER_ERROR");
    await kvs.set("w:3", 3);
    expect(await kvs.get("w:1")).toBe(1);
    expect(fake.kvs.keys()).toEqual(["w:1", "w:3"]);
    expect(fake.kvs.writes()).toBe(3);
    expect(fake.kvs.requests("/api/v1/get")).toBe(1);
    expect(fake.kvs.requests()).toBe(4);
  });

  it("uninstalls, restoring what was there before", () => {
    const globals = globalThis as { __forge_fetch__?: unknown };
    const inner = installFakeForgeKvs();
    expect(globals.__forge_fetch__).toBe(inner.kvs.fetch);
    inner.uninstall();
    expect(globals.__forge_fetch__).toBe(fake.kvs.fetch);
  });
});
