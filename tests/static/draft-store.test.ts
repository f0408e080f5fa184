/**
 * Unsaved edits kept in the browser: keys that keep sites, people and forms apart, and what is
 * read back validated, with anything corrupt, foreign or expired removed rather than offered.
 * The storage here holds strings in a map as the Web Storage API does, with a quota; the pages'
 * real `localStorage` is exercised by the browser tests.
 */
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import {
  DRAFT_LIFETIME_MS,
  DRAFT_MAX_CHARS,
  draftKey,
  fingerprint,
  keptText,
  readDraft,
  removeDraft,
  writeDraft,
  type DraftStorage,
} from "../../static/shared/draft-store";

/** Web Storage's behaviour that matters here: strings only, and a full store throws on write. */
class QuotaStorage implements DraftStorage {
  readonly items = new Map<string, string>();
  constructor(private readonly quotaChars = Infinity) {}
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    const used = [...this.items].reduce((sum, [k, v]) => sum + (k === key ? 0 : v.length), 0);
    if (used + value.length > this.quotaChars) {
      throw new Error("QuotaExceededError: the quota has been exceeded.");
    }
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** Storage the browser refuses (blocked by the person's settings): every call throws. */
const blocked: DraftStorage = {
  getItem: () => {
    throw new Error("SecurityError: access is denied");
  },
  setItem: () => {
    throw new Error("SecurityError: access is denied");
  },
  removeItem: () => {
    throw new Error("SecurityError: access is denied");
  },
};

const schema = z.strictObject({ share: keptText(8), reason: keptText(40) });
const KEY = draftKey({ site: "cloud-1", account: "acc-1", form: "board:1" });
const NOW = Date.parse("2026-11-27T20:00:00.000Z");
const draft = {
  value: { share: "45", reason: "Platform push" },
  keptAt: "2026-11-27T19:55:00.000Z",
  base: fingerprint({ entries: [] }),
};

describe("draft keys", () => {
  it("differ for every site, person and form, and a separator in a part cannot join two", () => {
    const keys = [
      KEY,
      draftKey({ site: "cloud-2", account: "acc-1", form: "board:1" }),
      draftKey({ site: "cloud-1", account: "acc-2", form: "board:1" }),
      draftKey({ site: "cloud-1", account: "acc-1", form: "board:2" }),
      draftKey({ site: "cloud-1", account: "acc-1", form: "company" }),
      draftKey({ site: "cloud-1:acc-1", account: "", form: "board:1" }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(KEY).toBe("capacity-split:draft:v1:cloud-1:acc-1:board%3A1");
  });
});

describe("reading and writing a draft", () => {
  it("reads back what was written", () => {
    const storage = new QuotaStorage();
    expect(writeDraft(storage, KEY, draft)).toBe(true);
    expect(readDraft(storage, KEY, schema, NOW)).toEqual(draft);
  });

  it("has nothing for a key never written, and leaves other keys alone", () => {
    const storage = new QuotaStorage();
    storage.setItem("someone-else", "not ours");
    expect(readDraft(storage, KEY, schema, NOW)).toBeNull();
    expect(storage.getItem("someone-else")).toBe("not ours");
  });

  const stored: readonly (readonly [string, string])[] = [
    ["text that is no JSON", "{not json"],
    ["JSON that is no draft", JSON.stringify([1, 2, 3])],
    ["a draft without its time", JSON.stringify({ base: "x", value: draft.value })],
    ["a time that is no instant", JSON.stringify({ ...draft, keptAt: "yesterday" })],
    ["a field of another form", JSON.stringify({ ...draft, value: { share: "45", unit: "x" } })],
    ["a field of the wrong type", JSON.stringify({ ...draft, value: { share: 45, reason: "" } })],
    [
      "a value longer than the form holds",
      JSON.stringify({ ...draft, value: { ...draft.value, share: "9".repeat(9) } }),
    ],
    [
      "markup where text belongs",
      JSON.stringify({ ...draft, value: { share: "<b>", reason: { html: "<img>" } } }),
    ],
    ["an envelope with more fields", JSON.stringify({ ...draft, extra: true })],
    [
      "a draft older than its lifetime",
      JSON.stringify({ ...draft, keptAt: new Date(NOW - DRAFT_LIFETIME_MS - 1).toISOString() }),
    ],
  ];
  for (const [name, text] of stored) {
    it(`ignores and removes ${name}`, () => {
      const storage = new QuotaStorage();
      storage.setItem(KEY, text);
      expect(readDraft(storage, KEY, schema, NOW)).toBeNull();
      expect(storage.getItem(KEY)).toBeNull();
    });
  }

  it("keeps a draft just younger than its lifetime", () => {
    const storage = new QuotaStorage();
    const keptAt = new Date(NOW - DRAFT_LIFETIME_MS + 60_000).toISOString();
    writeDraft(storage, KEY, { ...draft, keptAt });
    expect(readDraft(storage, KEY, schema, NOW)?.keptAt).toBe(keptAt);
  });

  it("does not keep a draft larger than the limit, and drops the older one it would replace", () => {
    const storage = new QuotaStorage();
    writeDraft(storage, KEY, draft);
    const huge = { ...draft, value: { share: "1", reason: "x".repeat(DRAFT_MAX_CHARS) } };
    expect(writeDraft(storage, KEY, huge)).toBe(false);
    expect(storage.getItem(KEY)).toBeNull();
  });

  it("reports a full store as not kept instead of throwing, and keeps what was there", () => {
    const storage = new QuotaStorage(450);
    storage.setItem("other-app", "y".repeat(400));
    expect(writeDraft(storage, KEY, draft)).toBe(false);
    expect(storage.getItem(KEY)).toBeNull();
    expect(storage.getItem("other-app")).toHaveLength(400);
  });

  it("works without storage: blocked or missing, nothing is kept and nothing throws", () => {
    for (const storage of [blocked, null]) {
      expect(writeDraft(storage, KEY, draft)).toBe(false);
      expect(readDraft(storage, KEY, schema, NOW)).toBeNull();
      expect(() => removeDraft(storage, KEY)).not.toThrow();
    }
  });
});

describe("fingerprints of what is saved", () => {
  it("are equal for equal states and differ when anything changes", () => {
    const saved = { history: [{ share: 0.3, reason: "Q1" }], settings: { unit: "points" } };
    expect(fingerprint(structuredClone(saved))).toBe(fingerprint(saved));
    expect(fingerprint({ ...saved, settings: { unit: "issues" } })).not.toBe(fingerprint(saved));
    expect(fingerprint({ ...saved, history: [] })).not.toBe(fingerprint(saved));
    expect(fingerprint(saved).length).toBeLessThanOrEqual(64);
  });
});
