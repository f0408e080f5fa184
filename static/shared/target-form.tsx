/**
 * The form that declares a target, a team's or the company's (SPEC §2, §8). It starts from the
 * target in force (else the latest declared, else 30 ± 5), effective today, and stays read-only
 * until it holds that target, so an answer arriving late never overwrites what a person typed.
 */
import { useCallback, useState, type FormEvent, type ReactNode } from "react";
import * as z from "zod/mini";
import { resolveTarget, type Target } from "../../src/domain/index";
import { keptText } from "./draft-store";

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The target a form states, as the resolvers take it. */
type Declared = Pick<Target, "investmentShare" | "tolerance" | "effectiveFrom">;

/** The entry in force on `day` (SPEC §8: the latest dated on or before it, the later entry on ties). */
export function entryInForce<T extends Target>(entries: readonly T[], day = today()): T | null {
  return resolveTarget(entries, day, day);
}

/** The form's fields as typed: shares in percent. */
export interface TargetDraft {
  readonly share: string;
  readonly tolerance: string;
  readonly effectiveFrom: string;
  readonly reason: string;
}

/** The form's fields as kept in the browser between visits, bounded as the inputs are. */
export const targetDraftSchema = z.strictObject({
  share: keptText(32),
  tolerance: keptText(32),
  effectiveFrom: keptText(10),
  reason: keptText(500),
});

/** A share as the form's percent field takes it. */
const asPercent = (share: number): string => String(Math.round(share * 1000) / 10);

function startingDraft(entries: readonly Target[]): TargetDraft {
  const start = entryInForce(entries) ?? entries.at(-1);
  return {
    share: start ? asPercent(start.investmentShare) : "30",
    tolerance: start ? asPercent(start.tolerance) : "5",
    effectiveFrom: today(),
    reason: "",
  };
}

export const sameDraft = (a: TargetDraft, b: TargetDraft): boolean =>
  a.share === b.share &&
  a.tolerance === b.tolerance &&
  a.effectiveFrom === b.effectiveFrom &&
  a.reason === b.reason;

export interface TargetDraftState {
  readonly draft: TargetDraft;
  /** Whether the form holds the target in force yet; until then it is read-only. */
  readonly started: boolean;
  /** The form as it was filled, before any edit; null until then. */
  readonly start: TargetDraft | null;
  /** Whether the person changed the form since it was filled. */
  readonly dirty: boolean;
  /** The target the form states, as the resolvers take it. */
  readonly proposal: Declared;
  readonly edit: (patch: Partial<TargetDraft>) => void;
  /** Fills the form from a history as just read; the same function on every render. */
  readonly startFrom: (entries: readonly Target[]) => void;
}

export function useTargetDraft(): TargetDraftState {
  const [draft, setDraft] = useState<TargetDraft>(() => startingDraft([]));
  // The form as it was filled, to tell an edit from a fresh form.
  const [start, setStart] = useState<TargetDraft | null>(null);
  const edit = useCallback((patch: Partial<TargetDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
  }, []);
  const startFrom = useCallback((entries: readonly Target[]) => {
    const filled = startingDraft(entries);
    setDraft(filled);
    setStart(filled);
  }, []);
  return {
    draft,
    started: start !== null,
    start,
    dirty: start !== null && !sameDraft(draft, start),
    proposal: {
      investmentShare: Number(draft.share) / 100,
      tolerance: Number(draft.tolerance) / 100,
      effectiveFrom: draft.effectiveFrom,
    },
    edit,
    startFrom,
  };
}

export function TargetForm({
  state,
  submitLabel,
  submitDisabled,
  onSubmit,
}: {
  readonly state: TargetDraftState;
  readonly submitLabel: string;
  /** Besides while the form is not filled yet. */
  readonly submitDisabled: boolean;
  readonly onSubmit: (event: FormEvent) => void;
}): ReactNode {
  const { draft, edit, started } = state;
  return (
    <form onSubmit={onSubmit} className="row" style={{ alignItems: "flex-end" }}>
      <label>
        Investment share (%)
        <input
          type="number"
          min={0}
          max={100}
          step="any"
          required
          value={draft.share}
          disabled={!started}
          onChange={(e) => edit({ share: e.target.value })}
        />
      </label>
      <label>
        Tolerance (± %)
        <input
          type="number"
          min={0}
          max={50}
          step="any"
          required
          value={draft.tolerance}
          disabled={!started}
          onChange={(e) => edit({ tolerance: e.target.value })}
        />
      </label>
      <label>
        Effective from
        <input
          type="date"
          required
          value={draft.effectiveFrom}
          disabled={!started}
          onChange={(e) => edit({ effectiveFrom: e.target.value })}
        />
      </label>
      <label style={{ flex: "1 1 240px" }}>
        Reason
        <input
          type="text"
          required
          maxLength={500}
          value={draft.reason}
          disabled={!started}
          onChange={(e) => edit({ reason: e.target.value })}
        />
      </label>
      <button type="submit" className="primary" disabled={submitDisabled || !started}>
        {submitLabel}
      </button>
    </form>
  );
}
