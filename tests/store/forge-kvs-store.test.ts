import { ForgeKvsAPIError, kvs } from "@forge/kvs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ForgeKvsStore } from "../../src/store/forge/index";
import {
  FORGE_KVS_LIMITS,
  installFakeForgeKvs,
  type InstalledForgeKvs,
} from "../fakes/forge-kvs/index";

let fake: InstalledForgeKvs;
beforeEach(() => {
  fake = installFakeForgeKvs();
});
afterEach(() => {
  fake.uninstall();
});

/** A Linear team's pulled state of about `bytes` of JSON, with text that escapes and spans UTF-8. */
function teamState(bytes: number, seed = "a") {
  const issue = (index: number) => ({
    id: `${seed}-${index}`,
    title: `Issue ${index} — "quoted" \\ back-slashed 😀 ${"é".repeat(40)}`,
    labels: ["roadmap", "investment"],
    estimate: index % 8,
  });
  const size = JSON.stringify(issue(0)).length;
  return {
    team: seed,
    issues: Array.from({ length: Math.ceil(bytes / size) }, (_, i) => issue(i)),
  };
}

const chunkKeysIn = (keys: readonly string[]) => keys.filter((key) => key.startsWith("__chunk:"));

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof ForgeKvsAPIError ? error.code : error),
  );

describe("ForgeKvsStore through @forge/kvs on the fake Forge KVS", () => {
  it("keeps a small value whole, as before chunking existed", async () => {
    const store = new ForgeKvsStore();
    await store.set("settings:PAY", { unit: "points" });
    expect(await store.get("settings:PAY")).toEqual({ unit: "points" });
    expect(fake.kvs.keys()).toEqual(["settings:PAY"]);
    expect(fake.kvs.peek("settings:PAY")).toEqual({ unit: "points" });
    expect(await store.get("settings:none")).toBeUndefined();
  });

  it("round-trips a 3 MB value as chunks within Forge's limits, in a few transactions", async () => {
    const store = new ForgeKvsStore();
    const state = teamState(3 * 1024 * 1024);
    expect(Buffer.byteLength(JSON.stringify(state))).toBeGreaterThan(3 * 1024 * 1024);
    fake.kvs.resetCounters();
    await store.set("linear:team-1:state", state);
    // Chunks of 200 KiB, 17 to a transaction under 4 MB, then the marker.
    expect(fake.kvs.requests("/api/v1/transaction")).toBeLessThanOrEqual(2);
    expect(fake.kvs.requests("/api/v1/set")).toBe(1);
    expect(await store.get("linear:team-1:state")).toEqual(state);
    const chunks = chunkKeysIn(fake.kvs.keys());
    expect(chunks.length).toBeGreaterThanOrEqual(15);
    for (const key of chunks) {
      expect(Buffer.byteLength(JSON.stringify(fake.kvs.peek(key)))).toBeLessThanOrEqual(
        FORGE_KVS_LIMITS.valueBytes,
      );
    }
    expect(fake.kvs.peek("linear:team-1:state")).toMatchObject({
      __chunked: { count: chunks.length, bytes: Buffer.byteLength(JSON.stringify(state)) },
    });
  });

  it("replaces a chunked value with a small one and leaves no chunks behind; delete does too", async () => {
    const store = new ForgeKvsStore();
    await store.set("report:1", teamState(600 * 1024));
    await store.set("report:1", teamState(700 * 1024, "b"));
    expect(await store.get("report:1")).toEqual(teamState(700 * 1024, "b"));
    const generations = new Set(chunkKeysIn(fake.kvs.keys()).map((key) => key.split(":").at(-2)));
    expect(generations.size).toBe(1);
    await store.set("report:1", { small: true });
    expect(fake.kvs.keys()).toEqual(["report:1"]);
    await store.set("report:1", teamState(300 * 1024));
    await store.delete("report:1");
    expect(fake.kvs.keys()).toEqual([]);
    await store.delete("report:1");
  });

  it("lists more than a page of entries in key order, chunked ones resolved, chunks hidden", async () => {
    const store = new ForgeKvsStore();
    const big = teamState(500 * 1024);
    for (let index = 0; index < 250; index++) {
      await store.set(`category:42:PAY-${String(index).padStart(3, "0")}`, { index });
    }
    await store.set("category:42:PAY-big", big);
    await store.set("category:43:PAY-1", { other: true });
    const entries = await store.listByPrefix("category:42:");
    expect(entries).toHaveLength(251);
    expect(entries.map((entry) => entry.key)).toEqual(
      [...entries.map((entry) => entry.key)].sort(),
    );
    expect(entries[0]).toEqual({ key: "category:42:PAY-000", value: { index: 0 } });
    expect(entries.at(-1)).toEqual({ key: "category:42:PAY-big", value: big });
    expect(fake.kvs.requests("/api/v1/query")).toBe(3);
    const everything = await store.listByPrefix("");
    expect(everything).toHaveLength(252);
    expect(chunkKeysIn(everything.map((entry) => entry.key))).toEqual([]);
    expect(chunkKeysIn(fake.kvs.keys()).length).toBeGreaterThan(0);
  });

  it("keeps the previous value when a write fails at any step", async () => {
    const next = teamState(1200 * 1024, "next");
    for (const previous of [{ small: "before" }, teamState(900 * 1024, "before")]) {
      const probe = new ForgeKvsStore();
      await probe.set("linear:t:state", previous);
      fake.kvs.resetCounters();
      await probe.set("linear:t:state", next);
      const writes = fake.kvs.writes();
      const previousIsChunked = "issues" in previous;
      // Chunks in one transaction, the marker, then (only after chunks) the old chunks' deletion.
      expect(writes).toBe(previousIsChunked ? 3 : 2);

      for (let failing = 1; failing <= writes; failing++) {
        fake.uninstall();
        fake = installFakeForgeKvs();
        const store = new ForgeKvsStore();
        await store.set("linear:t:state", previous);
        fake.kvs.failWrite(failing);
        await expect(store.set("linear:t:state", next)).rejects.toThrow(/internal server error/);
        const switched = previousIsChunked && failing === writes;
        expect(await store.get("linear:t:state")).toEqual(switched ? next : previous);
        if (!switched) {
          const marker = fake.kvs.peek("linear:t:state") as { __chunked?: { generation: string } };
          const live = marker.__chunked?.generation;
          const stray = chunkKeysIn(fake.kvs.keys()).filter(
            (key) => key.split(":").at(-2) !== live,
          );
          expect(stray).toEqual([]);
        }
        await store.set("linear:t:state", next);
        expect(await store.get("linear:t:state")).toEqual(next);
      }
    }
  });

  it("keeps secrets apart from values and out of listings", async () => {
    const store = new ForgeKvsStore();
    await store.setSecret("linear-api-key", "lin_api_123");
    expect(await store.getSecret("linear-api-key")).toBe("lin_api_123");
    expect(await store.getSecret("linear-webhook-secret")).toBeUndefined();
    expect(await store.get("linear-api-key")).toBeUndefined();
    expect(await store.listByPrefix("")).toEqual([]);
    expect(fake.kvs.hasSecret("linear-api-key")).toBe(true);
    expect(fake.kvs.keys()).toEqual([]);
  });

  it("surfaces what Forge refuses: bad keys, long keys, deep values", async () => {
    const store = new ForgeKvsStore();
    expect(await refusal(store.set("targets:A%3A1:", 1))).toBe("INVALID_KEY");
    expect(await refusal(store.get("  "))).toBe("INVALID_KEY");
    expect(await refusal(store.set("k".repeat(501), 1))).toBe("KEY_TOO_LONG");
    expect(await refusal(store.setSecret("bad key?", "s"))).toBe("INVALID_KEY");
    let deep: unknown = 1;
    for (let level = 0; level < 32; level++) deep = [deep];
    expect(await refusal(store.set("deep", deep))).toBe("MAX_DEPTH");
    expect(fake.kvs.keys()).toEqual([]);
  });

  it("uses the same storage @forge/kvs callers see", async () => {
    const store = new ForgeKvsStore();
    await kvs.set("board:7", { boardId: 7 });
    expect(await store.listByPrefix("board:")).toEqual([{ key: "board:7", value: { boardId: 7 } }]);
  });
});
