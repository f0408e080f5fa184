/** The issue context: the category lozenge alone, with provenance for screen readers and on hover. */
import { useEffect, useState, type ReactNode } from "react";
import { callResolver, findBoardId, getPageContext, type ItemView } from "../../shared/client";
import { ErrorMessage, Lozenge, describeProvenance, mountPage } from "../../shared/ui";

function IssueContext(): ReactNode {
  const [item, setItem] = useState<ItemView["item"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      const ctx = await getPageContext();
      const board = await findBoardId(ctx);
      if (!ctx.issueKey || !board.ok) {
        setError(board.ok ? "Open this from an issue." : board.message);
        return;
      }
      const outcome = await callResolver("item/get", {
        boardId: board.data,
        issueKey: ctx.issueKey,
      });
      if (outcome.ok) setItem(outcome.data.item);
      else setError(outcome.message);
    })();
  }, []);
  return (
    <main>
      <h1 className="ds-visually-hidden">Capacity split category</h1>
      <Category item={item} error={error} />
    </main>
  );
}

function Category({
  item,
  error,
}: {
  item: ItemView["item"] | null;
  error: string | null;
}): ReactNode {
  if (error) return <ErrorMessage message={error} />;
  if (!item) return <span className="subtle">Loading…</span>;
  const words = describeProvenance(item);
  return (
    <span title={words} aria-label={words} role="img">
      <Lozenge category={item.category} />
    </span>
  );
}

mountPage(<IssueContext />);
