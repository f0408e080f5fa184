import { describe, expect, it } from "vitest";
import { appendTarget, listTargets } from "../../src/app/targets";
import { decodeKeyPart, encodeKeyPart, MemoryStore, storeKeys } from "../../src/store/index";

const input = (share: number, requestId: string) => ({
  investmentShare: share,
  tolerance: 0.05,
  effectiveFrom: "2026-07-01",
  reason: "Q3 review",
  requestId,
});

describe("target history in a store", () => {
  it("keeps two concurrent declarations and lists them in order", async () => {
    const store = new MemoryStore();
    const at = Date.parse("2026-07-01T09:00:00Z");
    await Promise.all([
      appendTarget(store, "PAY", input(0.3, "request-aaaa"), { by: "cto@example.com", at }),
      appendTarget(store, "PAY", input(0.25, "request-bbbb"), { by: "vp@example.com", at }),
    ]);
    const { entries, unreadable } = await listTargets(store, "PAY");
    expect(unreadable).toBe(0);
    expect(entries.map((e) => [e.investmentShare, e.setBy])).toEqual([
      [0.3, "cto@example.com"],
      [0.25, "vp@example.com"],
    ]);
  });

  it("does not duplicate a retried declaration", async () => {
    const store = new MemoryStore();
    const first = await appendTarget(store, "PAY", input(0.3, "request-cccc"), {
      by: "a@b.c",
      at: 1_000,
    });
    const retry = await appendTarget(store, "PAY", input(0.3, "request-cccc"), {
      by: "a@b.c",
      at: 9_000,
    });
    expect(retry).toEqual(first);
    expect((await listTargets(store, "PAY")).entries).toHaveLength(1);
  });

  it("keeps teams apart, even with ids that look like key separators", async () => {
    const store = new MemoryStore();
    await appendTarget(store, "A:1", input(0.3, "request-dddd"), { by: "a@b.c", at: 1_000 });
    await appendTarget(store, "A", input(0.2, "request-eeee"), { by: "a@b.c", at: 1_000 });
    expect((await listTargets(store, "A")).entries.map((e) => e.investmentShare)).toEqual([0.2]);
    expect(storeKeys.targetPrefix("A:1")).toBe("targets:A#003a1:");
  });

  it("counts entries it cannot read instead of guessing", async () => {
    const store = new MemoryStore();
    await store.set(`${storeKeys.targetPrefix("PAY")}broken`, { investmentShare: "lots" });
    expect(await listTargets(store, "PAY")).toEqual({ entries: [], unreadable: 1 });
  });

  it("copies values, so a caller's later edit never changes what was stored", async () => {
    const store = new MemoryStore();
    const value = { a: [1] };
    await store.set("k", value);
    value.a.push(2);
    expect(await store.get("k")).toEqual({ a: [1] });
  });

  it("refuses keys Forge would refuse, naming the key and the rule", async () => {
    const store = new MemoryStore();
    await expect(store.set("targets:A%3A1:x", 1)).rejects.toThrow(
      /"targets:A%3A1:x" would be refused by Forge: Forge keys must match/,
    );
    await expect(store.get("k".repeat(501))).rejects.toThrow(/501 characters long .* at most 500/);
    await expect(store.delete(" ")).rejects.toThrow(/" " would be refused by Forge/);
    await expect(store.setSecret("api key!", "s")).rejects.toThrow(/"api key!"/);
    await store.set("a b:c.d_e-f#0041", 1);
    expect(await store.listByPrefix("")).toEqual([{ key: "a b:c.d_e-f#0041", value: 1 }]);
  });
});

describe("key parts", () => {
  it("does not duplicate a retried declaration whose request id needs escaping", async () => {
    const store = new MemoryStore();
    const odd = input(0.3, "retry:~ü#1");
    const first = await appendTarget(store, "PAY", odd, { by: "a@b.c", at: 1_000 });
    expect(await appendTarget(store, "PAY", odd, { by: "a@b.c", at: 9_000 })).toEqual(first);
    expect((await listTargets(store, "PAY")).entries).toHaveLength(1);
  });

  it("decodes every part back to the id it was made from", () => {
    for (const id of ["PAY-12", "A:1", "retry:~ü#1", "#0041", "😀 x"]) {
      expect(decodeKeyPart(encodeKeyPart(id))).toBe(id);
    }
  });
});
