/** The project page's triage list: the board's unclassified items, with bulk classify. */
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { callResolver, isSyncing, type TriageItem } from "../../shared/client";
import { ErrorMessage } from "../../shared/ui";

/** The most issues one `item/classify` call takes. */
const CLASSIFY_BATCH = 50;

export function Triage({
  boardId,
  onClassified,
}: {
  readonly boardId: number;
  /** Called after a bulk classify, so the rest of the page reads the board again. */
  readonly onClassified: () => void;
}): ReactNode {
  const [triage, setTriage] = useState<readonly TriageItem[] | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [classifying, setClassifying] = useState<{ done: number; total: number } | null>(null);

  const load = useCallback(async () => {
    const outcome = await callResolver("triage/list", { boardId });
    if (!outcome.ok) return setError(outcome.message);
    // The page shows the board's first read from Jira; the list appears with the report.
    if (isSyncing(outcome.data)) return;
    setError(null);
    setTriage(outcome.data);
    setSelected(new Set());
  }, [boardId]);

  useEffect(() => {
    void load();
  }, [load]);

  const classify = async (category: "roadmap" | "investment"): Promise<void> => {
    if (selected.size === 0) return;
    setBusy(true);
    const keys = [...selected];
    for (let start = 0; start < keys.length; start += CLASSIFY_BATCH) {
      setClassifying({ done: start, total: keys.length });
      const outcome = await callResolver("item/classify", {
        boardId,
        issueKeys: keys.slice(start, start + CLASSIFY_BATCH),
        category,
      });
      if (!outcome.ok) {
        setError(outcome.message);
        break;
      }
    }
    setClassifying(null);
    await load();
    onClassified();
    setBusy(false);
  };

  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  if (triage === null) return error ? <ErrorMessage message={error} /> : null;
  return (
    <>
      <h2>Triage ({triage.length} unclassified)</h2>
      {error && <ErrorMessage message={error} />}
      {triage.length === 0 ? (
        <p className="subtle">Every item is classified.</p>
      ) : (
        <>
          <div className="row" role="group" aria-label="Classify the selected items">
            <span>
              {classifying
                ? `Classifying ${classifying.done} of ${classifying.total}…`
                : `${selected.size} selected`}
            </span>
            <button
              type="button"
              disabled={busy || selected.size === 0}
              onClick={() => void classify("roadmap")}
            >
              Mark roadmap
            </button>
            <button
              type="button"
              disabled={busy || selected.size === 0}
              onClick={() => void classify("investment")}
            >
              Mark investment
            </button>
          </div>
          <table>
            <thead>
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Issue</th>
                <th scope="col">Title</th>
              </tr>
            </thead>
            <tbody>
              {triage.slice(0, 200).map((item) => (
                <tr key={item.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${item.id}`}
                      checked={selected.has(item.id)}
                      onChange={() => toggle(item.id)}
                    />
                  </td>
                  <td>{item.id}</td>
                  <td>{item.title}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
