/**
 * A settings form's unsaved edits, kept in the browser while they differ from what is saved and
 * offered back when the form opens again (see `draft-store.ts` for where and why). One hook for
 * every form that can lose edits: the project settings and the company target.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import type { ZodMiniType } from "zod/mini";
import { getPageContext } from "./client";
import { Button, SectionMessage } from "./ds";
import { draftKey, fingerprint, readDraft, removeDraft, writeDraft } from "./draft-store";
import { formatUtcMinute } from "./ui";

/** Waits this long after the last edit before keeping the draft, so typing writes rarely. */
const KEEP_DELAY_MS = 300;

/** Edits found on opening the form, waiting for the person to restore or discard them. */
export interface DraftOffer<T> {
  readonly value: T;
  readonly keptAt: string;
  /** Whether the saved settings changed since the edits began (someone saved meanwhile). */
  readonly stale: boolean;
}

export interface KeptDraftState<T> {
  readonly offer: DraftOffer<T> | null;
  /** Ends the offer and hands its edits over, for the form to take; they are kept again as edits. */
  readonly restore: () => T | null;
  /** Ends the offer and removes its edits. */
  readonly discard: () => void;
}

/** The browser's `localStorage`, or null where reading it throws (blocked, some private modes). */
function openDraftStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The site and person drafts belong to, once the page's context is read. */
function useDraftOwner(): { site: string; account: string } | null {
  const [owner, setOwner] = useState<{ site: string; account: string } | null>(null);
  useEffect(() => {
    void getPageContext().then(
      (context) => setOwner({ site: context.site ?? "", account: context.accountId ?? "" }),
      () => setOwner({ site: "", account: "" }),
    );
  }, []);
  return owner;
}

/**
 * Keeps `edits` for `form` while there are any, and offers back what was kept when the form
 * opens. `form` is null and `saved` (what the form holds when unedited) undefined until the form
 * shows a loaded state: nothing is read or kept before then, so one board's edits never land
 * under another's key. `edits` is null while the form equals what is saved. `isSaved` tells a
 * draft whose edits are what is saved now (nothing to offer).
 */
export function useKeptDraft<T>({
  form,
  saved,
  edits,
  schema,
  isSaved,
}: {
  readonly form: string | null;
  readonly saved: unknown;
  readonly edits: T | null;
  readonly schema: ZodMiniType<T>;
  readonly isSaved: (value: T) => boolean;
}): KeptDraftState<T> {
  const owner = useDraftOwner();
  const [storage] = useState(openDraftStorage);
  const [offer, setOffer] = useState<DraftOffer<T> | null>(null);
  const key = owner && form !== null ? draftKey({ ...owner, form }) : null;
  const base = saved === undefined ? null : fingerprint(saved);
  // Set in the same commit as the offer, so keeping below never overwrites a draft not yet answered.
  const offered = useRef<string | null>(null);
  const checked = useRef<string | null>(null);
  const latest = useRef({ schema, isSaved });
  latest.current = { schema, isSaved };

  useEffect(() => {
    if (key === null || base === null || checked.current === key) return;
    checked.current = key;
    const found = readDraft(storage, key, latest.current.schema);
    if (found === null) return;
    if (latest.current.isSaved(found.value)) return removeDraft(storage, key);
    offered.current = key;
    setOffer({ value: found.value, keptAt: found.keptAt, stale: found.base !== base });
  }, [key, base, storage]);

  // What waits to be written, written at once when the page is hidden or left.
  const waiting = useRef<(() => void) | null>(null);
  const flush = useCallback(() => {
    const write = waiting.current;
    waiting.current = null;
    write?.();
  }, []);
  const editsText = edits === null ? null : JSON.stringify(edits);
  useEffect(() => {
    if (key === null || base === null || checked.current !== key || offered.current === key) {
      return;
    }
    if (editsText === null) return removeDraft(storage, key);
    waiting.current = () =>
      writeDraft(storage, key, {
        value: JSON.parse(editsText) as unknown,
        keptAt: new Date().toISOString(),
        base,
      });
    const timer = setTimeout(flush, KEEP_DELAY_MS);
    return () => clearTimeout(timer);
    // `offer` too: once an offer is answered, the edits on screen are kept again.
  }, [key, base, editsText, storage, flush, offer]);

  useEffect(() => {
    // `pagehide` also fires in an iframe its host removes; `visibilitychange` covers a tab
    // switched away from and then discarded by the browser.
    const onHide = (): void => {
      if (document.visibilityState === "hidden") flush();
    };
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", onHide);
    return () => {
      window.removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", onHide);
      flush();
    };
  }, [flush]);

  const end = (): T | null => {
    offered.current = null;
    setOffer(null);
    return offer?.value ?? null;
  };
  return {
    offer,
    restore: end,
    discard: () => {
      end();
      if (key !== null) removeDraft(storage, key);
    },
  };
}

/** `5 minutes ago`, `2 hours ago`, else the minute in UTC: when edits were left. */
export function describeKeptAt(keptAt: string, now = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(keptAt)) / 60_000);
  const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  if (minutes < 1) return "a moment ago";
  if (minutes < 60) return relative.format(-minutes, "minute");
  if (minutes < 24 * 60) return relative.format(-Math.floor(minutes / 60), "hour");
  return formatUtcMinute(keptAt);
}

/** The offer at the top of a form: when the edits were left, and whether the saved state moved on. */
export function DraftNotice<T>({
  state,
  what,
  onRestore,
}: {
  readonly state: KeptDraftState<T>;
  /** What may have changed meanwhile, as the stale case names it: "the saved settings". */
  readonly what: string;
  readonly onRestore: (value: T) => void;
}): ReactNode {
  const { offer } = state;
  if (offer === null) return null;
  return (
    <SectionMessage
      appearance={offer.stale ? "warning" : "info"}
      title={`You have unsaved changes from ${describeKeptAt(offer.keptAt)}`}
      testId="draft-notice"
      actions={
        <>
          <Button
            appearance="primary"
            onClick={() => {
              const value = state.restore();
              if (value !== null) onRestore(value);
            }}
          >
            Restore
          </Button>
          <Button onClick={state.discard}>Discard</Button>
        </>
      }
    >
      {offer.stale
        ? `They were started from an older version: ${what} changed since they were made. Restoring them and saving replaces those newer changes.`
        : "They were not saved when this page was last left. Restore them to go on editing, or discard them."}
    </SectionMessage>
  );
}
