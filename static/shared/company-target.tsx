/**
 * The company target (SPEC §2, §8): the split the CTO and CPO agreed for the whole workspace,
 * declared by a site administrator, with every declaration kept: who, when, and why.
 */
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import type { OrgTargetEntry } from "../../src/app/index";
import { callResolver, newRequestId } from "./client";
import { DraftNotice, useKeptDraft } from "./kept-draft";
import { TargetForm, sameDraft, targetDraftSchema, useTargetDraft } from "./target-form";
import { ErrorMessage, Loading, formatShare } from "./ui";

/**
 * The form and the history, on the admin page and the org page. `onDeclared` runs after a
 * declaration is stored, so a page showing numbers judged against the target reloads them.
 */
export function CompanyTarget({
  heading: Heading = "h1",
  onDeclared,
}: {
  readonly heading?: "h1" | "h2";
  readonly onDeclared?: () => void;
} = {}): ReactNode {
  const ids = useId();
  const [history, setHistory] = useState<readonly OrgTargetEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = useTargetDraft();
  const { startFrom } = target;
  // One id per submission: a retry of the same submission never adds a second entry.
  const [requestId, setRequestId] = useState(newRequestId);
  // Kept against the history as read; a form that could not read it keeps nothing.
  const kept = useKeptDraft({
    form: history === null ? null : "company",
    saved: history ?? undefined,
    edits: target.dirty ? target.draft : null,
    schema: targetDraftSchema,
    isSaved: (draft) => target.start !== null && sameDraft(draft, target.start),
  });

  const load = useCallback(async (): Promise<void> => {
    const outcome = await callResolver("org-target/list", {});
    if (!outcome.ok) {
      // The form still declares; it starts from 30 ± 5.
      startFrom([]);
      return setError(outcome.message);
    }
    setHistory(outcome.data.entries);
    startFrom(outcome.data.entries);
  }, [startFrom]);

  useEffect(() => {
    void load();
  }, [load]);

  const declare = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setNotice(null);
    const outcome = await callResolver("org-target/add", {
      ...target.proposal,
      reason: target.draft.reason,
      requestId,
    });
    setBusy(false);
    if (!outcome.ok) return setError(outcome.message);
    setError(null);
    setRequestId(newRequestId());
    setNotice("Company target declared.");
    onDeclared?.();
    await load();
  };

  return (
    <section aria-labelledby={`${ids}-company`}>
      <Heading id={`${ids}-company`}>Company target</Heading>
      <p className="subtle">
        The investment share agreed for the whole company; the org rollup of every report is judged
        against it. Each declaration is kept.
      </p>
      {error !== null && <ErrorMessage message={error} />}
      {notice !== null && (
        <div className="message message-info" role="status">
          {notice}
        </div>
      )}
      <DraftNotice
        state={kept}
        what="the company target"
        onRestore={(draft) => {
          target.edit(draft);
          setNotice("Your unsaved changes are back in the form: declare the target to keep them.");
        }}
      />
      <TargetForm
        state={target}
        submitLabel="Declare company target"
        submitDisabled={busy}
        onSubmit={(event) => void declare(event)}
      />
      {Heading === "h1" ? <h2>History</h2> : <h3>History</h3>}
      {history === null ? (
        error === null && <Loading what="the company target's history" />
      ) : history.length === 0 ? (
        <p className="subtle">No company target declared yet.</p>
      ) : (
        <div className="stack-narrow">
          <table data-testid="org-target-history">
            <thead>
              <tr>
                <th scope="col">Effective</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">Declared by</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {[...history].reverse().map((entry) => (
                <tr key={`${entry.declaredAt}-${entry.effectiveFrom}-${entry.reason}`}>
                  <td data-label="Effective">{entry.effectiveFrom}</td>
                  <td data-label="Target">
                    {formatShare(entry.investmentShare)} ± {formatShare(entry.tolerance)}
                  </td>
                  <td data-label="Reason">{entry.reason}</td>
                  <td data-label="Declared by">{entry.setBy}</td>
                  <td data-label="When">{entry.declaredAt.slice(0, 16).replace("T", " ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
