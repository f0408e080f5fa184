/**
 * The issue panel: category with provenance, one-click classification, the sprint the issue is in
 * and, when that sprint is active, its committed split beside what it has delivered so far. The
 * panel keeps its size from the first paint, so nothing below it jumps when the answer arrives.
 */
import { useCallback, useEffect, useState, type ReactNode } from "react";
import {
  investmentShareOf,
  unclassifiedShareOf,
  type DrillReason,
  type ItemCategory,
  type Split,
  type TargetRef,
} from "../../../src/domain/index";
import {
  callResolver,
  findBoardId,
  getPageContext,
  type ItemView,
  type PageContext,
} from "../../shared/client";
import { describeActiveSprint, describeIssueSprint } from "../../../src/render/index";
import { Button, Heading, SectionMessage, Text } from "../../shared/ds";
import { DrillDialog, askForFlag, type DrillAsk } from "../../shared/drill-dialog";
import "../../shared/org-drill.css";
import {
  CATEGORY_NAMES,
  FlagList,
  Lozenge,
  describeProvenance,
  formatShare,
  mountPage,
  TargetBand,
  targetCaption,
} from "../../shared/ui";

type Choice = Exclude<ItemCategory, "unclassified"> | null;
const CHOICES: readonly { value: Choice; label: string }[] = [
  { value: "roadmap", label: CATEGORY_NAMES.roadmap },
  { value: "investment", label: CATEGORY_NAMES.investment },
  { value: null, label: "Clear" },
];

/** The height the sprint section keeps while loading and when it is short, so the panel never jumps. */
const SPRINT_MIN_HEIGHT = 200;

/**
 * One split as every surface shows it (SPEC §6): the investment share of classified work,
 * I ÷ (R + I), as the bar and in words, with unclassified work named beside it, not in the share.
 */
function ShareBar({
  label,
  split,
  target,
  testId,
  onOpen,
}: {
  label: string;
  split: Split;
  target: TargetRef | null;
  testId: string;
  /** Opens the issues behind the split. */
  onOpen: () => void;
}): ReactNode {
  const share = investmentShareOf(split);
  const unclassified = unclassifiedShareOf(split);
  const text =
    share === null
      ? `${label}: no classified work yet`
      : `${label}: investment ${formatShare(share)} of classified work`;
  const extra =
    unclassified === null || unclassified === 0
      ? ""
      : `, ${formatShare(unclassified)} unclassified`;
  return (
    <figure style={{ margin: "8px 0" }} data-testid={testId}>
      <div className="bar" role="img" aria-label={`${text}${extra}`}>
        {share !== null && (
          <>
            <div className="bar-investment" style={{ width: `${share * 100}%` }} />
            <div className="bar-roadmap" style={{ width: `${(1 - share) * 100}%` }} />
          </>
        )}
        {target && <TargetBand target={target} />}
      </div>
      <figcaption className="subtle">
        <button type="button" className="number-button" onClick={onOpen}>
          {text}
          {extra}
        </button>
        {targetCaption(target)}
      </figcaption>
    </figure>
  );
}

function SprintSection({
  view,
  onDrill,
}: {
  view: ItemView;
  onDrill: (ask: DrillAsk) => void;
}): ReactNode {
  const { sprint, sprintReport } = view;
  if (sprint === null) {
    return (
      <Text as="p" color="subtle">
        Not in a sprint: this issue is in the backlog and never was in a sprint.
      </Text>
    );
  }
  if (sprint.backlog) {
    return (
      <Text as="p" color="subtle">
        {describeIssueSprint(sprint)}: that sprint closed before this issue was done, so it is in
        the backlog now.
      </Text>
    );
  }
  if (sprint.state === "closed" && sprintReport === null) {
    return (
      <Text as="p" color="subtle">
        {sprint.name} (closed): this issue was finished there and stays in it.
      </Text>
    );
  }
  if (sprintReport === null) {
    return (
      <Text as="p" color="subtle">
        {sprint.name}
        {sprint.state === "future" ? " (planned, not started yet)" : " (not computed yet)"}.
      </Text>
    );
  }
  const actual = view.actual ?? "delivered";
  const judged = (measure: "delivered" | "spent"): string =>
    measure === actual ? " (this team is judged on it)" : "";
  const closed = sprint.state === "closed";
  const soFar = closed ? "" : " so far";
  const open = (reason: DrillReason, what: string) => () =>
    onDrill({
      title: `${sprintReport.name}: the issues behind its ${what}`,
      request: { period: { kind: "sprint", id: sprintReport.id }, reasons: [reason] },
    });
  const openFlag = (flag: ItemView["sprintFlags"][number]) => {
    const ask = askForFlag(sprintReport.name, flag, actual);
    return ask === null ? null : () => onDrill(ask);
  };
  return (
    <div data-testid="active-sprint-shares">
      <Text as="p">
        {sprintReport.name}{" "}
        <span className="subtle">
          {closed ? "(closed): this issue was finished there and stays in it." : "(active)"}
        </span>
      </Text>
      <p data-testid="sprint-summary">{describeActiveSprint(sprintReport, actual)}</p>
      <ShareBar
        label="Committed at start"
        split={sprintReport.committed}
        target={sprintReport.target}
        testId="committed-split"
        onOpen={open("committed", "committed work")}
      />
      <ShareBar
        label={`Delivered${soFar}${judged("delivered")}`}
        split={sprintReport.delivered}
        target={sprintReport.target}
        testId="delivered-split"
        onOpen={open("delivered", "delivered work")}
      />
      {sprintReport.spent && (
        <ShareBar
          label={`Spent${soFar}${judged("spent")}`}
          split={sprintReport.spent}
          target={sprintReport.target}
          testId="spent-split"
          onOpen={open("spent", "time spent")}
        />
      )}
      <FlagList flags={view.sprintFlags} empty="No flags on this sprint." open={openFlag} />
    </div>
  );
}

function IssuePanel(): ReactNode {
  const [context, setContext] = useState<PageContext | null>(null);
  const [view, setView] = useState<ItemView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [drill, setDrill] = useState<DrillAsk | null>(null);

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

  if (!view && error) {
    return (
      <SectionMessage appearance="error" live>
        {error}
      </SectionMessage>
    );
  }
  // Until the answer comes, the same blocks at the same heights, empty.
  const loading = view === null;
  return (
    <main aria-busy={busy || loading}>
      {/* Jira titles the panel; the heading names it for a screen reader's list of headings. */}
      <h1 className="ds-visually-hidden">Capacity split of this issue</h1>
      {/* Live: a click on a category is answered here. */}
      <p className="row" data-testid="provenance" style={{ minHeight: 24 }} aria-live="polite">
        {view ? (
          <>
            <Lozenge category={view.item.category} />
            <span>{describeProvenance(view.item)}</span>
          </>
        ) : (
          <span className="subtle">Loading the issue's category…</span>
        )}
      </p>
      <div className="row" role="group" aria-label="Classify this issue">
        {CHOICES.map((choice) => (
          <Button
            key={choice.label}
            disabled={busy || loading}
            aria-pressed={
              view !== null &&
              choice.value !== null &&
              view.item.source === "explicit" &&
              view.item.category === choice.value
            }
            onClick={() => void classify(choice.value)}
          >
            {choice.label}
          </Button>
        ))}
      </div>
      {error && (
        <SectionMessage appearance="error" live>
          {error}
        </SectionMessage>
      )}
      <Heading size="small" as="h2">
        Sprint
      </Heading>
      <section data-testid="sprint-split" style={{ minHeight: SPRINT_MIN_HEIGHT }}>
        {view ? <SprintSection view={view} onDrill={setDrill} /> : null}
      </section>
      {drill && view && context?.boardId && (
        <DrillDialog
          ask={drill}
          boardId={context.boardId}
          at={view.computedAt}
          measure={view.actual ?? "delivered"}
          onClose={() => setDrill(null)}
        />
      )}
    </main>
  );
}

mountPage(<IssuePanel />);
