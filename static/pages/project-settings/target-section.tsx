/**
 * A team's target: declare one (starting from the one in force, with a confirmation when a
 * back-dated one re-judges closed periods), and its whole history with the entry in force marked.
 */
import { useCallback, useState, type FormEvent, type ReactNode } from "react";
import type { RejudgedPeriod, TargetEntry } from "../../../src/app/index";
import { callResolver, newRequestId, type Outcome } from "../../shared/client";
import { Button, SectionMessage, StatusLozenge } from "../../shared/ds";
import {
  TargetForm,
  entryInForce,
  today,
  useTargetDraft,
  type TargetDraftState,
} from "../../shared/target-form";
import { Loading, formatShare } from "../../shared/ui";

export interface Declaration extends TargetDraftState {
  /** A back-dated declaration waiting for the person to confirm the periods it re-judges. */
  readonly pending: readonly RejudgedPeriod[] | null;
  readonly setPending: (periods: readonly RejudgedPeriod[] | null) => void;
}

/** The form's state lives with the page, which fills it each time it reads the history. */
export function useDeclaration(): Declaration {
  const target = useTargetDraft();
  const [pending, setPending] = useState<readonly RejudgedPeriod[] | null>(null);
  const { startFrom: fill } = target;
  const startFrom = useCallback<Declaration["startFrom"]>(
    (entries) => {
      fill(entries);
      setPending(null);
    },
    [fill],
  );
  return { ...target, startFrom, pending, setPending };
}

function describePeriods(periods: readonly RejudgedPeriod[]): string {
  const names = (kind: RejudgedPeriod["kind"]) =>
    periods.filter((period) => period.kind === kind).map((period) => period.name);
  const sprints = names("sprint");
  const quarters = names("quarter");
  return [
    sprints.length > 0
      ? `${sprints.length} closed sprint${sprints.length === 1 ? "" : "s"} (${sprints.join(", ")})`
      : "",
    quarters.length > 0
      ? `${quarters.length} closed quarter${quarters.length === 1 ? "" : "s"} (${quarters.join(", ")})`
      : "",
  ]
    .filter(Boolean)
    .join(" and ");
}

export function TargetSection({
  boardId,
  history,
  declaration,
  busy,
  call,
  onDeclared,
}: {
  readonly boardId: number | null;
  /** Null while loading. */
  readonly history: readonly TargetEntry[] | null;
  readonly declaration: Declaration;
  readonly busy: boolean;
  /** Runs one resolver call with the page busy; a failure becomes the page's error. */
  readonly call: <T>(request: () => Promise<Outcome<T>>) => Promise<Outcome<T>>;
  readonly onDeclared: () => Promise<void>;
}): ReactNode {
  const { draft, proposal, pending, setPending } = declaration;

  const declare = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (boardId === null) return;
    if (draft.effectiveFrom < today()) {
      // Back-dated: say which closed periods it re-judges and ask before declaring it.
      const impact = await call(() => callResolver("target/impact", { boardId, ...proposal }));
      if (!impact.ok) return;
      if (impact.data.length > 0) return setPending(impact.data);
    }
    await append();
  };

  const append = async (): Promise<void> => {
    if (boardId === null) return;
    setPending(null);
    const outcome = await call(() =>
      callResolver("target/append", {
        boardId,
        ...proposal,
        reason: draft.reason,
        requestId: newRequestId(),
      }),
    );
    if (outcome.ok) await onDeclared();
  };

  const inForce = history === null ? null : entryInForce(history);
  return (
    <>
      <h2>Declare a target</h2>
      <TargetForm
        state={declaration}
        submitLabel="Declare target"
        submitDisabled={busy || boardId === null}
        onSubmit={(event) => void declare(event)}
      />
      {pending && (
        <SectionMessage
          appearance="warning"
          title="This target is dated before today"
          live
          testId="rejudge-confirm"
          actions={
            <>
              <Button appearance="primary" disabled={busy} onClick={() => void append()}>
                Declare and re-judge
              </Button>
              <Button onClick={() => setPending(null)}>Change the date</Button>
            </>
          }
        >
          From {draft.effectiveFrom} it replaces the target of {describePeriods(pending)}: their
          flags and verdicts are judged against {formatShare(proposal.investmentShare)} ±{" "}
          {formatShare(proposal.tolerance)} from then on.
        </SectionMessage>
      )}
      <h2>History</h2>
      {history === null ? (
        <Loading what="the target history" />
      ) : history.length === 0 ? (
        <p className="subtle">No target declared yet.</p>
      ) : (
        <div className="stack-narrow">
          <table data-testid="target-history" className="history">
            <thead>
              <tr>
                <th scope="col">Effective</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">Declared</th>
              </tr>
            </thead>
            <tbody>
              {byEffectiveDate(history).map((entry) => (
                <tr
                  key={`${entry.declaredAt}-${entry.effectiveFrom}-${entry.reason}`}
                  aria-current={entry === inForce ? "true" : undefined}
                >
                  <td data-label="Effective">
                    <span className="nowrap">{entry.effectiveFrom}</span>{" "}
                    {entry === inForce ? (
                      <StatusLozenge appearance="success">In force</StatusLozenge>
                    ) : entry.effectiveFrom > today() ? (
                      <StatusLozenge appearance="inprogress">Scheduled</StatusLozenge>
                    ) : null}
                  </td>
                  <td data-label="Target" className="nowrap">
                    {formatShare(entry.investmentShare)} ± {formatShare(entry.tolerance)}
                  </td>
                  <td data-label="Reason">{entry.reason}</td>
                  <td data-label="Declared">
                    <BreakableAddress text={entry.setBy} />,{" "}
                    <span className="nowrap">{entry.declaredAt.slice(0, 10)}</span>{" "}
                    <span className="nowrap">{entry.declaredAt.slice(11, 16)} UTC</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Newest effective date first; of two from the same date, the later declared (the one that counts). */
export function byEffectiveDate(history: readonly TargetEntry[]): TargetEntry[] {
  return history
    .map((entry, order) => ({ entry, order }))
    .sort(
      (a, b) =>
        b.entry.effectiveFrom.localeCompare(a.entry.effectiveFrom) ||
        b.entry.declaredAt.localeCompare(a.entry.declaredAt) ||
        b.order - a.order,
    )
    .map(({ entry }) => entry);
}

/** An address that may wrap after its "@" and at its dots, never inside a word. */
function BreakableAddress({ text }: { readonly text: string }): ReactNode {
  const parts = text.split(/(?<=[@.])/);
  return parts.map((part, index) => (
    <span key={index}>
      {part}
      {index < parts.length - 1 && <wbr />}
    </span>
  ));
}
