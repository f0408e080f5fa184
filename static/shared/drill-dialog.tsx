/**
 * The issues behind a number, in a modal dialog: key (a link to the issue), title, category,
 * provenance, why it counts and its weight, with each reason's sums under the table. The project
 * page asks `report/drill` (a board of its project); the org page and the gadget, which belong to
 * no project, ask `org/drill`.
 */
import { useEffect, useState, type ReactNode } from "react";
import type { DrillRow, ResolverResult } from "../../src/app/index";
import { drillRequestsOfFlag, withUnit } from "../../src/domain/index";
import type {
  ActualMeasure,
  DrillReason,
  DrillRequest,
  Flag,
  Split,
  Unit,
} from "../../src/domain/index";
import { callResolver } from "./client";
import { Announcer, ErrorState, LoadingState, ModalDialog, Table, type Column } from "./ds";
import { isLinearAppUrl } from "../../src/render/index";
import { openOutside } from "./page-links";
import { CATEGORY_NAMES, IssueLink, Lozenge, formatShare } from "./ui";
import "./drill-dialog.css";

/** What the person clicked, and the question the dialog answers. */
export interface DrillAsk {
  readonly title: string;
  /** What the numbers said, e.g. the flag's message. */
  readonly context?: string;
  /** One period, or several (a flag about a run of sprints), listed one after the other. */
  readonly request: DrillRequest | readonly DrillRequest[];
}

/**
 * The issues behind a flag, as every page asks for them: the periods it names and the measure it
 * judges (`drillRequestsOfFlag`); null for a flag about the team's declaration, not its issues.
 */
export function askForFlag(
  periodName: string,
  flag: Flag,
  measure: ActualMeasure,
): DrillAsk | null {
  const requests = drillRequestsOfFlag(flag, measure);
  if (requests === null) return null;
  return {
    title:
      requests.length > 1
        ? `The issues behind this flag, sprint by sprint`
        : `${periodName}: the issues behind this flag`,
    context: flag.message,
    request: requests,
  };
}

const requestsOf = (ask: DrillAsk): readonly DrillRequest[] =>
  "period" in ask.request ? [ask.request] : ask.request;

const REASON_WORDS: Readonly<Record<DrillReason, string>> = {
  committed: "Committed at sprint start",
  added: "Added during the sprint",
  removed: "Removed before the end",
  delivered: "Delivered",
  carriedOver: "Carried over, not done",
  spent: "Time spent in progress",
};

export function describeSource(row: DrillRow): string {
  switch (row.source) {
    case "explicit":
      return "Label on the issue";
    case "conflict":
      return "Both labels: remove one";
    case "inherited":
      return `Inherited from ${row.via ?? "a parent"}`;
    case "rule":
      return row.ruleText ? `Rule: ${row.ruleText}` : "A team rule";
    case "none":
      return "Nothing decides it yet";
  }
}

const number = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toFixed(1);

const weightText = (row: DrillRow, unit: Unit): string =>
  row.reason === "spent"
    ? withUnit(row.weight, number(row.weight), "person-days")
    : withUnit(row.weight, number(row.weight), unit);

/**
 * "9 issues, 22 entries: an issue is listed once for each way it counts", or "3 issues" when each
 * is listed once.
 */
export function describeDrillCount(rows: readonly { readonly id: string }[]): string {
  const issues = new Set(rows.map((row) => row.id)).size;
  const counted = `${issues} issue${issues === 1 ? "" : "s"}`;
  return rows.length === issues
    ? `${counted} behind it.`
    : `${counted}, ${rows.length} entries: an issue is listed once for each way it counts.`;
}

function totalLine(reason: DrillReason, split: Split, unit: Unit): string {
  const what = reason === "spent" ? "person-days" : unit;
  const classified = split.roadmap + split.investment;
  const share = classified === 0 ? null : split.investment / classified;
  return `${REASON_WORDS[reason]}: roadmap ${number(split.roadmap)}, investment ${number(split.investment)}, unclassified ${number(split.unclassified)} ${what}; investment share ${formatShare(share)}.`;
}

type Answer = ResolverResult<"report/drill">;

export function DrillDialog({
  ask,
  boardId,
  linearTeam,
  at,
  measure,
  onClose,
  from = "report/drill",
}: {
  ask: DrillAsk;
  boardId: number;
  /** A Linear team of the company page instead of a board (`org/drill` only), by its key. */
  linearTeam?: string;
  /** The resolver that answers: the project page's, or the company page's. */
  from?: "report/drill" | "org/drill";
  /** The moment of the report on the page, so the rows add up to what it shows. */
  at: string;
  measure: ActualMeasure;
  onClose: () => void;
}): ReactNode {
  const [answers, setAnswers] = useState<readonly Answer[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setAnswers(null);
    setError(null);
    void Promise.all(
      requestsOf(ask).map((request) =>
        linearTeam === undefined
          ? callResolver(from, { boardId, at, ...request })
          : callResolver("org/drill", { linearTeam, at, ...request }),
      ),
    ).then((outcomes) => {
      if (!live) return;
      const failed = outcomes.find((outcome) => !outcome.ok);
      if (failed && !failed.ok) setError(failed.message);
      else setAnswers(outcomes.flatMap((outcome) => (outcome.ok ? [outcome.data] : [])));
    });
    return () => {
      live = false;
    };
  }, [ask, boardId, linearTeam, at, attempt, from]);

  const allRows = answers?.flatMap((answer) => answer.rows) ?? [];
  const grouped = (answers?.length ?? 0) > 1;
  const columnsFor = (answer: Answer): readonly Column<DrillRow>[] => [
    {
      key: "id",
      header: "Issue",
      cell: (row) =>
        linearTeam === undefined ? (
          <IssueLink issueKey={row.id} />
        ) : (
          <LinearIssueLink issueKey={row.id} url={answer.issueUrls?.[row.id] ?? null} />
        ),
      sortValue: (row) => row.id,
    },
    { key: "title", header: "Title", cell: (row) => row.title, sortValue: (row) => row.title },
    {
      key: "category",
      header: "Category",
      cell: (row) => <Lozenge category={row.category} />,
      sortValue: (row) => CATEGORY_NAMES[row.category],
    },
    { key: "source", header: "Why this category", cell: describeSource, sortValue: describeSource },
    {
      key: "reason",
      header: "Why it counts",
      cell: (row) => REASON_WORDS[row.reason],
      sortValue: (row) => REASON_WORDS[row.reason],
    },
    {
      key: "weight",
      header: "Weight",
      cell: (row) => weightText(row, answer.unit),
      sortValue: (row) => row.weight,
      align: "end",
    },
  ];

  return (
    <ModalDialog title={ask.title} onClose={onClose} className="stack-narrow" testId="drill-dialog">
      {ask.context && <p className="drill-context">{ask.context}</p>}
      <Announcer testId="drill-announcer" message={answers ? describeDrillCount(allRows) : ""} />
      {error ? (
        <ErrorState message={error} onRetry={() => setAttempt((n) => n + 1)} />
      ) : !answers ? (
        <LoadingState what="the issues behind it" />
      ) : (
        <>
          <p data-testid="drill-count">{describeDrillCount(allRows)}</p>
          {answers.map((answer) => (
            <section
              key={answer.period.id}
              data-testid="drill-period"
              data-period={answer.period.id}
              aria-label={answer.period.name}
            >
              {grouped && <h3 className="ds-heading-xsmall">{answer.period.name}</h3>}
              <p className="ds-text-subtle">
                {answer.period.name} ({answer.period.state}) · weights in{" "}
                {answer.unit === "issues" ? "issues" : "story points"}
                {answer.reasons.includes("spent") ? ", spent in person-days" : ""} · this team
                judges on {measure === "spent" ? "time spent" : "delivered work"}.
              </p>
              <Table
                caption={{ text: tableCaption(answer, grouped), hidden: true }}
                columns={columnsFor(answer)}
                rows={answer.rows}
                rowKey={(row) => `${row.reason}:${row.id}`}
                empty={<p className="ds-text-subtle">No issue counts here.</p>}
                testId="drill-rows"
              />
              {answer.withheld > 0 && (
                <p className="ds-text-subtle" data-testid="drill-withheld">
                  {answer.withheld} issue{answer.withheld === 1 ? "" : "s"} you cannot view in Jira
                  count here too; {answer.withheld === 1 ? "it is" : "they are"} left out of the
                  list.
                </p>
              )}
              <ul className="drill-totals ds-text-small" data-testid="drill-totals">
                {answer.reasons.map((reason) => {
                  const split = answer.totals[reason];
                  return split ? (
                    <li key={reason}>{totalLine(reason, split, answer.unit)}</li>
                  ) : null;
                })}
              </ul>
            </section>
          ))}
          {linearTeam !== undefined && (
            <p className="ds-text-subtle">Each issue opens in Linear.</p>
          )}
        </>
      )}
    </ModalDialog>
  );
}

/**
 * A Linear issue's key, linked to the issue in Linear when its address is a page of Linear's app
 * (`https://linear.app/…`); any other address stays text.
 */
function LinearIssueLink({ issueKey, url }: { issueKey: string; url: string | null }): ReactNode {
  if (url === null || !isLinearAppUrl(url)) return <span className="issue-key">{issueKey}</span>;
  return (
    <a
      href={url}
      onClick={openOutside(url)}
      target="_blank"
      rel="noreferrer"
      className="issue-key"
      aria-label={`${issueKey}: open it in Linear`}
    >
      {issueKey}
    </a>
  );
}

/**
 * The table's name for a screen reader: what a row is and in which unit, not the dialog's title
 * again (the dialog is named by it); the period only when the dialog lists several.
 */
function tableCaption(answer: Answer, grouped: boolean): string {
  const unit = answer.unit === "issues" ? "issues" : "story points";
  return `${grouped ? `${answer.period.name}: ` : ""}one issue a row, weights in ${unit}`;
}
