/** The issue panel: category with provenance, one-click classification, the active sprint's split. */
import { useCallback, useEffect, useState, type ReactNode } from "react";
import type { ItemCategory } from "../../../src/domain/index";
import {
  callResolver,
  findBoardId,
  getPageContext,
  type ItemView,
  type PageContext,
} from "../../shared/client";
import {
  CATEGORY_NAMES,
  ErrorMessage,
  FlagList,
  Loading,
  Lozenge,
  SplitBar,
  describeProvenance,
  mountPage,
} from "../../shared/ui";

type Choice = Exclude<ItemCategory, "unclassified"> | null;
const CHOICES: readonly { value: Choice; label: string }[] = [
  { value: "roadmap", label: CATEGORY_NAMES.roadmap },
  { value: "investment", label: CATEGORY_NAMES.investment },
  { value: null, label: "Clear" },
];

function IssuePanel(): ReactNode {
  const [context, setContext] = useState<PageContext | null>(null);
  const [view, setView] = useState<ItemView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (ctx: PageContext) => {
    if (!ctx.issueKey || !ctx.boardId) {
      setError("Open this panel from an issue on a board that Capacity Split knows.");
      return;
    }
    const outcome = await callResolver("item/get", {
      boardId: ctx.boardId,
      issueKey: ctx.issueKey,
    });
    if (outcome.ok) {
      setView(outcome.data);
      setError(null);
    } else setError(outcome.message);
  }, []);

  useEffect(() => {
    void (async () => {
      const ctx = await getPageContext();
      const board = await findBoardId(ctx);
      if (!board.ok) return setError(board.message);
      const withBoard = { ...ctx, boardId: board.data };
      setContext(withBoard);
      await load(withBoard);
    })();
  }, [load]);

  const classify = async (category: Choice): Promise<void> => {
    if (!context?.boardId || !context.issueKey) return;
    setBusy(true);
    const outcome = await callResolver("item/classify", {
      boardId: context.boardId,
      issueKeys: [context.issueKey],
      category,
    });
    if (outcome.ok) await load(context);
    else setError(outcome.message);
    setBusy(false);
  };

  if (!view)
    return error ? <ErrorMessage message={error} /> : <Loading what="the issue's category" />;
  const sprint = view.activeSprint;
  return (
    <main aria-busy={busy}>
      <p className="row" data-testid="provenance">
        <Lozenge category={view.item.category} />
        <span>{describeProvenance(view.item)}</span>
      </p>
      <div className="row" role="group" aria-label="Classify this issue">
        {CHOICES.map((choice) => (
          <button
            key={choice.label}
            type="button"
            disabled={busy}
            aria-pressed={
              choice.value !== null &&
              view.item.source === "explicit" &&
              view.item.category === choice.value
            }
            onClick={() => void classify(choice.value)}
          >
            {choice.label}
          </button>
        ))}
      </div>
      {error && <ErrorMessage message={error} />}
      <h2>Active sprint</h2>
      {sprint ? (
        <section data-testid="sprint-split">
          <p className="subtle">{sprint.name}</p>
          <SplitBar label="Committed" split={sprint.committed} target={sprint.target} />
          <SplitBar
            label="Current scope"
            split={{
              roadmap: sprint.committed.roadmap + sprint.added.roadmap - sprint.removed.roadmap,
              investment:
                sprint.committed.investment + sprint.added.investment - sprint.removed.investment,
              unclassified:
                sprint.committed.unclassified +
                sprint.added.unclassified -
                sprint.removed.unclassified,
            }}
            target={sprint.target}
          />
          <FlagList flags={view.activeSprintFlags} empty="No flags on this sprint." />
        </section>
      ) : (
        <p className="subtle">No active sprint on this board.</p>
      )}
    </main>
  );
}

mountPage(<IssuePanel />);
