/**
 * Unsaved edits kept in the browser, so they outlive the page. Inside Jira a Custom UI page is an
 * iframe that Jira's own in-page navigation removes without asking, and `@forge/bridge` tells a
 * full page nothing before that happens (`view.onClose` serves closable views, such as modals), so
 * `beforeunload` alone cannot keep a person's edits.
 *
 * The store is `localStorage`: it outlives the iframe, a reload, the tab and the browser, as a
 * person's edits should. `sessionStorage` ends with the tab, and settings are often opened in a
 * tab of their own. Keys name the site, the account and the form, so two sites, two people on
 * one browser, two boards and the company target never see each other's edits; a draft older
 * than `DRAFT_LIFETIME_MS` is dropped rather than offered. Whatever is read back is validated: a
 * value that does not parse is removed and never reaches a form. Storage that is blocked or full
 * keeps nothing and breaks nothing.
 */
import * as z from "zod/mini";

const PREFIX = "capacity-split:draft:v1";

/** Edits left this long are no longer offered back: by then the saved settings have moved on. */
export const DRAFT_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

/** Larger drafts are not kept: the settings forms' are well under 10 KiB, an origin's quota 5 MiB. */
export const DRAFT_MAX_CHARS = 64 * 1024;

/** Where a draft belongs: the Jira site, the person, and the form (`board:12`, `company`). */
export interface DraftPlace {
  readonly site: string;
  readonly account: string;
  readonly form: string;
}

export function draftKey(place: DraftPlace): string {
  return [PREFIX, ...[place.site, place.account, place.form].map(encodeURIComponent)].join(":");
}

/** Text as a kept draft may hold it: at most `max` characters. */
export const keptText = (max: number) => z.string().check(z.maxLength(max));

/** A list as a kept draft may hold it: at most `max` entries. */
export const keptList = <T extends z.ZodMiniType>(item: T, max: number) =>
  z.array(item).check(z.maxLength(max));

export interface KeptDraft<T> {
  readonly value: T;
  /** When the edits were last kept, an ISO instant. */
  readonly keptAt: string;
  /** The fingerprint of what was saved when the edits were made (see `fingerprint`). */
  readonly base: string;
}

const envelope = z.strictObject({
  keptAt: z.iso.datetime(),
  base: keptText(64),
  value: z.unknown(),
});

/** What is used of the Web Storage API (`localStorage`), so this file runs outside a browser too. */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The draft kept at `key` when it is one `schema` accepts and younger than `DRAFT_LIFETIME_MS`;
 * anything else stored there (corrupt, another version's, expired) is removed and null returned.
 */
export function readDraft<T>(
  storage: DraftStorage | null,
  key: string,
  schema: z.ZodMiniType<T>,
  now = Date.now(),
): KeptDraft<T> | null {
  let text: string | null = null;
  try {
    text = storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
  if (text === null) return null;
  const kept = envelope.safeParse(parseJson(text));
  const value = kept.success ? schema.safeParse(kept.data.value) : null;
  const age = kept.success ? now - Date.parse(kept.data.keptAt) : NaN;
  if (!kept.success || !value?.success || !(age < DRAFT_LIFETIME_MS)) {
    removeDraft(storage, key);
    return null;
  }
  return { value: value.data, keptAt: kept.data.keptAt, base: kept.data.base };
}

/** Keeps `draft` at `key`; false when it was not kept (no storage, quota reached, too large). */
export function writeDraft<T>(
  storage: DraftStorage | null,
  key: string,
  draft: KeptDraft<T>,
): boolean {
  if (storage === null) return false;
  const text = JSON.stringify(draft);
  if (text.length > DRAFT_MAX_CHARS) {
    // An older, smaller draft would be offered back as if it were the latest edits.
    removeDraft(storage, key);
    return false;
  }
  try {
    storage.setItem(key, text);
    return true;
  } catch {
    return false;
  }
}

export function removeDraft(storage: DraftStorage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Storage that cannot be written holds nothing of ours to remove.
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A short fingerprint of a saved state (FNV-1a over its JSON), so a draft can tell whether what
 * is saved changed since its edits began without keeping a copy of it.
 */
export function fingerprint(saved: unknown): string {
  const text = JSON.stringify(saved) ?? "";
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${text.length.toString(36)}-${(hash >>> 0).toString(36)}`;
}
