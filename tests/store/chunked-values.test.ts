import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chunkKey,
  deleteChunkedValue,
  readChunkedValue,
  splitText,
  utf8Length,
  writeChunkedValue,
  type ChunkLimits,
  type RawKv,
  type RawWrite,
} from "../../src/store/forge/chunked-values";

const LIMITS: ChunkLimits = { chunkBytes: 64, transactionWrites: 3, transactionBytes: 200 };

/** A key-value map applying each write group all or none, which can fail its nth write call. */
class MapKv implements RawKv {
  readonly map = new Map<string, string>();
  readonly applied: RawWrite[][] = [];
  writeCalls = 0;
  failOn = 0;
  /** Runs before each `get` answers, to let a test write in between a reader's steps. */
  beforeGet: ((key: string) => Promise<void>) | undefined;

  async get(key: string): Promise<unknown> {
    await this.beforeGet?.(key);
    const text = this.map.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  replace(key: string, value: unknown): Promise<unknown> {
    this.failIfDue();
    const previous = this.map.get(key);
    this.map.set(key, JSON.stringify(value));
    return Promise.resolve(previous === undefined ? undefined : (JSON.parse(previous) as unknown));
  }

  apply(writes: readonly RawWrite[]): Promise<void> {
    this.failIfDue();
    this.applied.push([...writes]);
    for (const write of writes) {
      if (write.kind === "set") this.map.set(write.key, JSON.stringify(write.value));
      else this.map.delete(write.key);
    }
    return Promise.resolve();
  }

  private failIfDue(): void {
    this.writeCalls++;
    if (this.writeCalls === this.failOn) throw new Error(`write ${this.writeCalls} failed`);
  }
}

const generations = () => {
  let next = 0;
  return () => `g${++next}`;
};

const large = (seed: string) => ({
  seed,
  items: Array.from({ length: 40 }, (_, i) => `${seed}-${i}`),
});

describe("chunked values", () => {
  it("keep a small value whole under its own key", async () => {
    const kv = new MapKv();
    await writeChunkedValue(kv, "k", { a: 1 }, { limits: LIMITS });
    expect([...kv.map]).toEqual([["k", '{"a":1}']]);
    expect(await readChunkedValue(kv, "k")).toEqual({ a: 1 });
  });

  it("keep a large value as chunks behind a marker and read it back", async () => {
    const kv = new MapKv();
    const value = large("first");
    await writeChunkedValue(kv, "k", value, { limits: LIMITS, newGeneration: generations() });
    const text = JSON.stringify(value);
    const marker = JSON.parse(kv.map.get("k") ?? "null") as {
      __chunked: { generation: string; count: number; bytes: number };
    };
    expect(marker.__chunked).toMatchObject({ generation: "g1", bytes: utf8Length(text) });
    expect(kv.map.size).toBe(1 + marker.__chunked.count);
    for (let index = 0; index < marker.__chunked.count; index++) {
      const chunk = kv.map.get(chunkKey("k", "g1", index));
      expect(chunk).toBeDefined();
      expect(utf8Length(chunk ?? "")).toBeLessThanOrEqual(LIMITS.chunkBytes);
    }
    expect(await readChunkedValue(kv, "k")).toEqual(value);
  });

  it("write chunks in groups within the transaction limits, before the marker", async () => {
    const kv = new MapKv();
    await writeChunkedValue(kv, "k", large("x"), { limits: LIMITS, newGeneration: generations() });
    for (const group of kv.applied) {
      expect(group.length).toBeLessThanOrEqual(LIMITS.transactionWrites);
      const bytes = group.reduce(
        (sum, write) =>
          sum +
          utf8Length(write.key) +
          (write.kind === "set" ? utf8Length(JSON.stringify(write.value)) : 0),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(LIMITS.transactionBytes);
    }
    expect(kv.applied.length).toBeGreaterThan(1);
  });

  it("delete the replaced generation's chunks, whether the new value is large or small", async () => {
    const kv = new MapKv();
    const options = { limits: LIMITS, newGeneration: generations() };
    await writeChunkedValue(kv, "k", large("first"), options);
    await writeChunkedValue(kv, "k", large("second"), options);
    expect([...kv.map.keys()].filter((key) => key.includes(":g1:"))).toEqual([]);
    expect(await readChunkedValue(kv, "k")).toEqual(large("second"));
    await writeChunkedValue(kv, "k", "small", options);
    expect([...kv.map.keys()]).toEqual(["k"]);
    expect(await readChunkedValue(kv, "k")).toBe("small");
  });

  it("leave the previous value readable when any write of a replacement fails", async () => {
    for (const previous of ["small", large("before")]) {
      const probe = new MapKv();
      await writeChunkedValue(probe, "k", previous, { limits: LIMITS });
      const callsBefore = probe.writeCalls;
      await writeChunkedValue(probe, "k", large("after"), { limits: LIMITS });
      const calls = probe.writeCalls - callsBefore;
      expect(calls).toBeGreaterThan(2);

      // Failing the last calls (the old chunks' deletion) leaves the new value; any before, the old.
      for (let failing = 1; failing <= calls; failing++) {
        const kv = new MapKv();
        const options = { limits: LIMITS, newGeneration: generations() };
        await writeChunkedValue(kv, "k", previous, options);
        kv.failOn = kv.writeCalls + failing;
        const outcome = await writeChunkedValue(kv, "k", large("after"), options).then(
          () => "written",
          () => "failed",
        );
        expect(outcome).toBe("failed");
        const read = await readChunkedValue(kv, "k");
        expect([previous, large("after")]).toContainEqual(read);
        const switched = JSON.stringify(read) === JSON.stringify(large("after"));
        if (!switched) {
          // Nothing of the failed write is left behind.
          expect([...kv.map.keys()].filter((key) => key.includes(":g2:"))).toEqual([]);
        }
        await writeChunkedValue(kv, "k", large("again"), options);
        expect(await readChunkedValue(kv, "k")).toEqual(large("again"));
      }
    }
  });

  it("read the new value when a writer replaces it while its chunks are being read", async () => {
    const kv = new MapKv();
    const options = { limits: LIMITS, newGeneration: generations() };
    await writeChunkedValue(kv, "k", large("old"), options);
    let interrupted = false;
    kv.beforeGet = async (key) => {
      if (interrupted || !key.startsWith("__chunk:")) return;
      interrupted = true;
      kv.beforeGet = undefined;
      await writeChunkedValue(kv, "k", large("new"), options);
    };
    expect(await readChunkedValue(kv, "k")).toEqual(large("new"));
    expect(interrupted).toBe(true);
  });

  it("refuse to guess when a chunk is lost and the marker still points at it", async () => {
    const kv = new MapKv();
    await writeChunkedValue(kv, "k", large("x"), { limits: LIMITS, newGeneration: generations() });
    kv.map.delete(chunkKey("k", "g1", 1));
    await expect(readChunkedValue(kv, "k")).rejects.toThrow(/"k" is incomplete: generation g1/);
  });

  it("store a small value shaped like a marker through chunks, so it reads back as itself", async () => {
    const kv = new MapKv();
    const lookalike = { __chunked: { generation: "g9", count: 1, bytes: 3 } };
    await writeChunkedValue(kv, "k", lookalike, { limits: LIMITS, newGeneration: generations() });
    expect(await readChunkedValue(kv, "k")).toEqual(lookalike);
  });

  it("delete a chunked value with its chunks", async () => {
    const kv = new MapKv();
    await writeChunkedValue(kv, "k", large("x"), { limits: LIMITS });
    await deleteChunkedValue(kv, "k", { limits: LIMITS });
    expect(kv.map.size).toBe(0);
    expect(await readChunkedValue(kv, "k")).toBeUndefined();
  });

  it("split text into pieces within the byte limit as stored, never inside a surrogate pair", () => {
    const units = fc.constantFrom("a", '"', "\\", "é", "€", "😀", "\ud83d", "\n", "z");
    fc.assert(
      fc.property(
        fc.string({ unit: units, maxLength: 300 }),
        fc.integer({ min: 8, max: 80 }),
        (text, max) => {
          const chunks = splitText(text, max);
          expect(chunks.join("")).toBe(text);
          for (const chunk of chunks) {
            expect(Buffer.byteLength(JSON.stringify(chunk), "utf8")).toBeLessThanOrEqual(max);
          }
          for (let index = 1; index < chunks.length; index++) {
            const before = chunks[index - 1] ?? "";
            const after = chunks[index] ?? "";
            const splitPair = /[\ud800-\udbff]$/.test(before) && /^[\udc00-\udfff]/.test(after);
            expect(splitPair).toBe(false);
          }
        },
      ),
    );
  });

  it("round-trip any JSON value through any chunk size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.integer({ min: 16, max: 200 }),
        async (value, chunkBytes) => {
          const kv = new MapKv();
          const limits = { chunkBytes, transactionWrites: 4, transactionBytes: 1_000 };
          await writeChunkedValue(kv, "k", value, { limits });
          expect(await readChunkedValue(kv, "k")).toEqual(JSON.parse(JSON.stringify(value)));
        },
      ),
    );
  });

  it("count UTF-8 bytes as Node does for well-formed text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, "utf8"));
      }),
    );
  });
});
