import { z } from "zod";

/**
 * Values too large for one Forge KVS entry (240 KiB), kept as chunks under reserved keys with a
 * small marker under the value's own key. The marker is the one switch between versions: chunks
 * are written first, the marker then points at them, and the replaced version's chunks are deleted
 * last, so a reader sees the old value or the new one and a failure midway loses neither.
 */

/** The few operations chunking needs from a key-value store. */
export interface RawKv {
  /** The stored value, or undefined when the key is absent. */
  get(key: string): Promise<unknown>;
  /** Sets `key` and answers the value it replaced, or undefined when there was none. */
  replace(key: string, value: unknown): Promise<unknown>;
  /** Applies the writes in order, all or none; callers keep within `ChunkLimits`. */
  apply(writes: readonly RawWrite[]): Promise<void>;
}

export type RawWrite =
  | { readonly kind: "set"; readonly key: string; readonly value: unknown }
  | { readonly kind: "delete"; readonly key: string };

export interface ChunkLimits {
  /** The largest value, as UTF-8 JSON, kept whole under its own key; also each chunk's size. */
  readonly chunkBytes: number;
  readonly transactionWrites: number;
  readonly transactionBytes: number;
}

/**
 * Forge refuses values over 240 KiB and transactions over 25 operations or 4 MB; the margins
 * leave room for how Forge measures a value and the request around it.
 * @see https://developer.atlassian.com/platform/forge/limits-kvs-ce/
 */
export const FORGE_CHUNK_LIMITS: ChunkLimits = {
  chunkBytes: 200 * 1024,
  transactionWrites: 25,
  transactionBytes: 3.5 * 1024 * 1024,
};

/** Store keys never start with `__` (tests/store/keys.test.ts holds them to it). */
export const CHUNK_KEY_PREFIX = "__chunk:";

export const isChunkKey = (key: string): boolean => key.startsWith(CHUNK_KEY_PREFIX);

export const chunkKey = (key: string, generation: string, index: number): string =>
  `${CHUNK_KEY_PREFIX}${key}:${generation}:${index}`;

const markerSchema = z.object({
  __chunked: z.object({
    generation: z.string().regex(/^[a-z0-9]+$/),
    count: z.number().int().positive(),
    bytes: z.number().int().nonnegative(),
  }),
});

type Marker = z.infer<typeof markerSchema>;

export interface ChunkOptions {
  readonly limits?: ChunkLimits;
  /** A fresh generation id; tests pass their own to name chunk keys. */
  readonly newGeneration?: () => string;
}

/** Writes `value` under `key`, whole when small and as chunks behind a marker when not. */
export async function writeChunkedValue(
  kv: RawKv,
  key: string,
  value: unknown,
  options: ChunkOptions = {},
): Promise<void> {
  const limits = options.limits ?? FORGE_CHUNK_LIMITS;
  const text = JSON.stringify(value);
  // A small value shaped like a marker goes through chunks too, so a stored marker is always one.
  if (text === undefined || (utf8Length(text) <= limits.chunkBytes && !hasMarkerKey(value))) {
    await deleteReplacedChunks(kv, key, await kv.replace(key, value), limits);
    return;
  }
  const generation = (options.newGeneration ?? randomGeneration)();
  const chunks = splitText(text, limits.chunkBytes);
  const marker: Marker = {
    __chunked: { generation, count: chunks.length, bytes: utf8Length(text) },
  };
  const writes = chunks.map((chunk, index): RawWrite => ({
    kind: "set",
    key: chunkKey(key, generation, index),
    value: chunk,
  }));
  try {
    await applyInTransactions(kv, writes, limits);
  } catch (error) {
    await deleteQuietly(kv, chunkKeys(key, marker), limits);
    throw error;
  }
  let replaced: unknown;
  try {
    replaced = await kv.replace(key, marker);
  } catch (error) {
    // The switch may have landed before the failure reached us; only chunks it missed can go.
    const current = await kv.get(key).catch(() => marker);
    if (parseMarker(current)?.__chunked.generation !== generation) {
      await deleteQuietly(kv, chunkKeys(key, marker), limits);
    }
    throw error;
  }
  await deleteReplacedChunks(kv, key, replaced, limits);
}

/** The value under `key` as written by `writeChunkedValue`, or undefined when absent. */
export async function readChunkedValue(kv: RawKv, key: string): Promise<unknown> {
  return resolveChunkedValue(kv, key, await kv.get(key));
}

/**
 * The value a stored entry stands for: itself, or the chunks its marker points at. A writer may
 * replace the value while its chunks are read, so a missing chunk means reading the marker again.
 */
export async function resolveChunkedValue(
  kv: RawKv,
  key: string,
  stored: unknown,
): Promise<unknown> {
  const attempts = 3;
  let current = stored;
  for (let attempt = 1; ; attempt++) {
    const marker = parseMarker(current);
    if (!marker) {
      if (hasMarkerKey(current)) {
        throw new Error(
          `Stored value of ${JSON.stringify(key)} is a chunk marker of unknown shape.`,
        );
      }
      return current;
    }
    const parts = await Promise.all(chunkKeys(key, marker).map((chunk) => kv.get(chunk)));
    const text = parts.every((part) => typeof part === "string") ? parts.join("") : undefined;
    if (text !== undefined && utf8Length(text) === marker.__chunked.bytes) {
      return JSON.parse(text) as unknown;
    }
    const latest = await kv.get(key);
    if (
      attempt >= attempts ||
      parseMarker(latest)?.__chunked.generation === marker.__chunked.generation
    ) {
      const missing = parts.filter((part) => typeof part !== "string").length;
      throw new Error(
        `Stored value of ${JSON.stringify(key)} is incomplete: generation ${marker.__chunked.generation} ` +
          `has ${missing} of ${marker.__chunked.count} chunks missing or unreadable.`,
      );
    }
    current = latest;
  }
}

/** Deletes `key` and, when it holds a marker, the chunks it points at. */
export async function deleteChunkedValue(
  kv: RawKv,
  key: string,
  options: ChunkOptions = {},
): Promise<void> {
  const limits = options.limits ?? FORGE_CHUNK_LIMITS;
  const marker = parseMarker(await kv.get(key));
  await kv.apply([{ kind: "delete", key }]);
  if (marker) await applyInTransactions(kv, deletes(chunkKeys(key, marker)), limits);
}

/**
 * Splits JSON text into pieces whose own JSON (a string, with `"` and `\` escaped again) stays
 * within `maxBytes` of UTF-8, never between the two halves of a surrogate pair.
 */
export function splitText(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  let bytes = 2; // the quotes around the chunk
  for (let index = 0; index < text.length;) {
    const code = text.charCodeAt(index);
    const pair = code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1));
    const width = pair ? 2 : 1;
    const cost = pair ? 4 : jsonStringBytes(code);
    if (bytes + cost > maxBytes && index > start) {
      chunks.push(text.slice(start, index));
      start = index;
      bytes = 2;
    }
    bytes += cost;
    index += width;
  }
  chunks.push(text.slice(start));
  return chunks;
}

/** The UTF-8 length of `text`, counting a lone surrogate as the three bytes of U+FFFD. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

function jsonStringBytes(code: number): number {
  if (code === 0x22 || code === 0x5c) return 2;
  if (code < 0x20) return 6;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  // A lone surrogate is written as a `\uXXXX` escape.
  if (code >= 0xd800 && code <= 0xdfff) return 6;
  return 3;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function parseMarker(value: unknown): Marker | undefined {
  const parsed = markerSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function hasMarkerKey(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && "__chunked" in value
  );
}

function chunkKeys(key: string, marker: Marker): string[] {
  const { generation, count } = marker.__chunked;
  return Array.from({ length: count }, (_, index) => chunkKey(key, generation, index));
}

const deletes = (keys: readonly string[]): RawWrite[] =>
  keys.map((key): RawWrite => ({ kind: "delete", key }));

async function deleteReplacedChunks(
  kv: RawKv,
  key: string,
  replaced: unknown,
  limits: ChunkLimits,
): Promise<void> {
  const marker = parseMarker(replaced);
  if (marker) await applyInTransactions(kv, deletes(chunkKeys(key, marker)), limits);
}

/** Best effort after a failure: what is left behind is unreachable, and the failure is reported. */
async function deleteQuietly(kv: RawKv, keys: readonly string[], limits: ChunkLimits) {
  await applyInTransactions(kv, deletes(keys), limits).catch(() => undefined);
}

/** Applies writes in order, grouped into transactions within Forge's operation and size limits. */
async function applyInTransactions(
  kv: RawKv,
  writes: readonly RawWrite[],
  limits: ChunkLimits,
): Promise<void> {
  let group: RawWrite[] = [];
  let groupBytes = 0;
  for (const write of writes) {
    const bytes =
      utf8Length(write.key) + (write.kind === "set" ? utf8Length(JSON.stringify(write.value)) : 0);
    if (
      group.length > 0 &&
      (group.length >= limits.transactionWrites || groupBytes + bytes > limits.transactionBytes)
    ) {
      await kv.apply(group);
      group = [];
      groupBytes = 0;
    }
    group.push(write);
    groupBytes += bytes;
  }
  if (group.length > 0) await kv.apply(group);
}

function randomGeneration(): string {
  // Time first, so generations of one key sort by when they were written; random for concurrency.
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
}
