/**
 * The project page's triage list: the board's unclassified items with their columns, sorting,
 * paging and a filter; select a page or everything that matches, classify any number at once with
 * progress and a result that names each failure, and undo the last bulk change. The backend
 * answers one page at a time (filtered and sorted there), so a board of any size lists quickly
 * and its titles are checked against the person's Jira permissions a page at a time.
 */
import { router } from "@forge/bridge";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { BulkJobAnswer, ResolverPayload, TriageListAnswer } from "../../../src/app/index";
import { describeIssueSprint } from "../../../src/render/index";
import type { Category } from "../../../src/domain/index";
import {
  callResolver,
  isSyncing,
  newRequestId,
  type Outcome,
  type TriageItem,
} from "../../shared/client";
import {
  Announcer,
  Button,
  Heading,
  ProgressBar,
  SectionMessage,
  StatusLozenge,
  Table,
  Text,
  type Column,
  type SortState,
} from "../../shared/ds";
import { CATEGORY_NAMES } from "../../shared/ui";

/** Rows on one page of the list. */
const PAGE_SIZE = 50;
/** How often a running bulk change is asked how far it got. */
const POLL_MS = 700;
/** Failed asks in a row after which the page stops asking how far a bulk change got. */
const POLL_TRIES = 8;
/** The longest wait between two asks after failed ones: each failure doubles the wait up to it. */
const POLL_MAX_MS = 10_000;
/** How long typing in the filter pauses before the list is asked for again. */
const FILTER_PAUSE_MS = 250;

const STATUS_NAMES: Readonly<Record<NonNullable<TriageItem["status"]>, string>> = {
  todo: "To do",
  inProgress: "In progress",
  done: "Done",
  canceled: "Canceled",
};

const CONFLICT_NAMES = { labels: "Both labels set", rules: "Rules disagree" } as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens the issue: Jira's issue view through the bridge's router inside Jira (a Custom UI page
 * runs in a frame there), the server's issue view otherwise, which the link's own address is.
 */
function IssueLink({ issueKey, boardId }: { issueKey: string; boardId: number }): ReactNode {
  const project = issueKey.slice(0, issueKey.lastIndexOf("-"));
  const href = `/pages/issue-panel/?project=${encodeURIComponent(project)}&board=${boardId}&issue=${encodeURIComponent(issueKey)}`;
  return (
    <a
      href={href}
      style={{ whiteSpace: "nowrap" }}
      onClick={(event) => {
        if (window.self === window.top) return;
        event.preventDefault();
        void router.open({ target: "issue", issueKey });
      }}
    >
      {issueKey}
    </a>
  );
}

type SortKey = NonNullable<ResolverPayload<"triage/list">["sort"]>["key"];
/** The table's sortable columns are named after the orders the backend knows. */
const isSortKey = (key: string): key is SortKey => key !== "select";

export function Triage({
  boardId,
  onClassified,
}: {
  readonly boardId: number;
  /** Called after a bulk change, so the rest of the page reads the board again. */
  readonly onClassified: () => void;
}): ReactNode {
  const [list, setList] = useState<TriageListAnswer | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState("");
  /** The filter as last sent: typing settles first. */
  const [asked, setAsked] = useState("");
  const [conflictsOnly, setConflictsOnly] = useState(false);
  const [sort, setSort] = useState<SortState | null>(null);
  const [page, setPage] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<BulkJobAnswer | null>(null);
  /** Why the last ask after a running bulk change failed, while the page asks again. */
  const [pollTrouble, setPollTrouble] = useState<string | null>(null);
  const [result, setResult] = useState<BulkJobAnswer | null>(null);
  const [last, setLast] = useState<BulkJobAnswer | null>(null);
  const resultBox = useRef<HTMLDivElement>(null);
  /** Whether a page, order or filter asked for is still on its way: the rows shown are stale. */
  const [loading, setLoading] = useState(false);
  /** Counts the list's requests: only the answer to the latest one is shown. */
  const latest = useRef(0);

  useEffect(() => {
    if (result) resultBox.current?.focus();
  }, [result]);

  /** What the list is asked for: the page, the filter, the order. */
  const query = useMemo(
    () => ({
      boardId,
      page,
      pageSize: PAGE_SIZE,
      filter: asked,
      conflictsOnly,
      sort: sort && isSortKey(sort.key) ? { key: sort.key, direction: sort.direction } : null,
    }),
    [boardId, page, asked, conflictsOnly, sort],
  );

  /** Asks for the list as `query` says; an answer overtaken by a later request is dropped. */
  const load = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    const [answer, lastJob] = await Promise.all([
      callResolver("triage/list", query),
      callResolver("bulk/last", { boardId }),
    ]);
    if (request !== latest.current) return;
    setLoading(false);
    if (!answer.ok) return setError(answer.message);
    // The page shows the board's first read from Jira; the list appears with the report.
    if (isSyncing(answer.data)) return;
    const { rows, matching } = answer.data;
    // Past the end (a bulk change shortened the list): the last page instead.
    if (rows.length === 0 && matching > 0) return setPage(Math.ceil(matching / PAGE_SIZE) - 1);
    setList(answer.data);
    if (lastJob.ok) setLast(lastJob.data);
  }, [boardId, query]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const timer = setTimeout(() => {
      setAsked(filter);
      setPage(0);
    }, FILTER_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [filter]);

  /** Selects every row that matches, on every page: their keys, asked of the backend. */
  const selectAllMatching = async (): Promise<void> => {
    const answer = await callResolver("triage/list", { ...query, keys: true });
    if (!answer.ok) return setError(answer.message);
    if (isSyncing(answer.data)) return;
    setSelected(new Set(answer.data.keys ?? []));
  };

  /**
   * Starts a bulk change and asks after it until it has finished, showing each state the backend
   * answers, the finished one too; its last state, or null with a message. A failed ask is said
   * and asked again, waiting longer each time, up to POLL_TRIES in a row.
   */
  const follow = async (
    start: () => Promise<Outcome<BulkJobAnswer>>,
  ): Promise<BulkJobAnswer | null> => {
    setError(null);
    setResult(null);
    const started = await start();
    if (!started.ok) {
      setError(started.message);
      return null;
    }
    let job = started.data;
    setRunning(job);
    for (let failures = 0; job.finishedAt === null;) {
      const wait = Math.min(POLL_MAX_MS, POLL_MS * 2 ** failures);
      await sleep(wait);
      const outcome = await callResolver("bulk/status", { boardId, jobId: job.id });
      if (outcome.ok) {
        failures = 0;
        job = outcome.data;
        setPollTrouble(null);
        setRunning(job);
        continue;
      }
      failures++;
      if (failures >= POLL_TRIES) {
        setPollTrouble(null);
        setRunning(null);
        setError(
          `Stopped asking how far the bulk change got after ${POLL_TRIES} failed tries: ${outcome.message} It may still be running: reload the page to see how far it got.`,
        );
        return null;
      }
      const next = Math.min(POLL_MAX_MS, POLL_MS * 2 ** failures);
      setPollTrouble(
        `Could not ask how far the bulk change got: ${outcome.message} The page asks again by itself in ${Math.ceil(next / 1000)} s; the change goes on meanwhile.`,
      );
    }
    return job;
  };

  /** The list and its count read again first, so the result never disagrees with what is shown. */
  const finish = async (job: BulkJobAnswer, selection: ReadonlySet<string>): Promise<void> => {
    await load();
    setSelected(selection);
    setRunning(null);
    setResult(job);
    onClassified();
  };

  const classify = async (category: Category): Promise<void> => {
    const keys = [...selected];
    if (keys.length === 0) return;
    const requestId = newRequestId();
    const job = await follow(() =>
      callResolver("bulk/start", { boardId, issueKeys: keys, category, requestId }),
    );
    if (job === null) return;
    // What failed stays selected, so it can be tried again: every one, beyond those the job names.
    const failed = job.failures.map((failure) => failure.issueKey);
    for (let from: number | null = job.failed > failed.length ? 0 : null; from !== null;) {
      const page = await callResolver("bulk/failures", { boardId, jobId: job.id, fromBatch: from });
      if (!page.ok) break;
      failed.push(...page.data.failures.map((failure) => failure.issueKey));
      from = page.data.nextBatch;
    }
    await finish(job, new Set(failed));
  };

  const undo = async (): Promise<void> => {
    if (last === null) return;
    const job = await follow(() => callResolver("bulk/undo", { boardId, jobId: last.id }));
    if (job === null) return;
    await finish(job, new Set());
  };

  const columns = useMemo(
    (): readonly Column<TriageItem>[] => [
      {
        key: "select",
        header: "Select",
        cell: (row) => (
          <input
            type="checkbox"
            aria-label={`Select ${row.id}`}
            checked={selected.has(row.id)}
            onChange={() => {
              const next = new Set(selected);
              if (next.has(row.id)) next.delete(row.id);
              else next.add(row.id);
              setSelected(next);
            }}
          />
        ),
      },
      {
        key: "id",
        header: "Issue",
        cell: (row) => <IssueLink issueKey={row.id} boardId={boardId} />,
        sortValue: (row) => row.id,
      },
      { key: "title", header: "Title", cell: (row) => row.title, sortValue: (row) => row.title },
      {
        key: "type",
        header: "Type",
        cell: (row) => row.type ?? "—",
        sortValue: (row) => row.type ?? "",
      },
      {
        key: "status",
        header: "Status",
        cell: (row) => (row.status ? STATUS_NAMES[row.status] : "—"),
        sortValue: (row) => (row.status ? STATUS_NAMES[row.status] : ""),
      },
      {
        key: "sprint",
        header: "Sprint",
        cell: (row) => (row.hidden ? "—" : describeIssueSprint(row.sprint)),
        sortValue: (row) => (row.hidden ? "" : describeIssueSprint(row.sprint)),
      },
      {
        key: "estimate",
        header: "Estimate",
        align: "end",
        cell: (row) => (row.estimate === null ? "—" : row.estimate.toLocaleString("en")),
        sortValue: (row) => row.estimate ?? -1,
      },
      {
        key: "rules",
        header: "Rules say",
        // Labels aside: an unclassified item's rules decide nothing unless its labels conflict.
        cell: (row) =>
          row.rules
            ? `${CATEGORY_NAMES[row.rules.category]} (rule ${row.rules.rule})`
            : row.hidden
              ? "—"
              : "No rule matches",
        sortValue: (row) => (row.rules ? CATEGORY_NAMES[row.rules.category] : ""),
      },
      {
        key: "conflicts",
        header: "Conflict",
        cell: (row) =>
          row.conflicts.map((conflict) => (
            <StatusLozenge key={conflict} appearance="moved">
              {CONFLICT_NAMES[conflict]}
            </StatusLozenge>
          )),
        sortValue: (row) => row.conflicts.length,
      },
    ],
    [boardId, selected],
  );

  const shown = list?.rows ?? [];
  const matching = list?.matching ?? 0;
  const pages = Math.max(1, Math.ceil(matching / PAGE_SIZE));
  const current = list?.page ?? 0;
  const pageAllSelected = shown.length > 0 && shown.every((row) => selected.has(row.id));

  if (list === null) {
    return error ? <SectionMessage appearance="error">{error}</SectionMessage> : null;
  }
  const busy = running !== null;
  // One still under way (its run elsewhere, or lost) can be undone too: the undo stops it first.
  const canUndo =
    last !== null && last.undoneBy === null && (last.finishedAt === null || last.changed > 0);
  const conflicts = list.conflicts;

  return (
    <section
      aria-labelledby="triage-heading"
      aria-busy={loading || busy}
      data-testid="triage"
      className="triage stack-narrow"
    >
      <Heading size="medium" id="triage-heading">
        Triage ({list.total.toLocaleString("en")} unclassified)
      </Heading>
      {error && (
        <SectionMessage appearance="error" live>
          {error}
        </SectionMessage>
      )}
      <Announcer message={running?.message ?? result?.message ?? ""} testId="triage-announcer" />
      {running && (
        <div data-testid="bulk-progress" className="bulk-progress">
          <ProgressBar
            label="Bulk change progress"
            max={running.total}
            value={running.done + running.failed}
            valueText={`${(running.done + running.failed).toLocaleString("en")} of ${running.total.toLocaleString("en")}`}
          />
          <Text>{running.message}</Text>
          {pollTrouble && (
            <SectionMessage appearance="warning" live>
              {pollTrouble}
            </SectionMessage>
          )}
        </div>
      )}
      {result && (
        // Takes the focus when it appears: the button that started the change is disabled by then.
        <div ref={resultBox} tabIndex={-1} data-testid="bulk-result">
          <SectionMessage appearance={result.failed > 0 ? "warning" : "success"}>
            {result.message}
          </SectionMessage>
        </div>
      )}
      {canUndo && !busy && (
        <div className="row">
          <Text color="subtle">Last bulk change: {last.message}</Text>
          <Button onClick={() => void undo()}>Undo last bulk change</Button>
        </div>
      )}
      {list.total === 0 ? (
        <Text as="p" color="subtle">
          Every item is classified.
        </Text>
      ) : (
        <>
          <div className="row" role="group" aria-label="Filter the list">
            <label className="triage-filter">
              Filter by key, title, type, status or sprint
              <input
                type="search"
                value={filter}
                onChange={(event) => setFilter(event.target.value)}
                placeholder="e.g. PAY-12 or Bug"
              />
            </label>
            <label style={{ flexDirection: "row", fontWeight: 400 }}>
              <input
                type="checkbox"
                checked={conflictsOnly}
                onChange={(event) => {
                  setConflictsOnly(event.target.checked);
                  setPage(0);
                }}
              />
              Only conflicts ({conflicts})
            </label>
          </div>
          <div className="row" role="group" aria-label="Select and classify">
            <Button
              spacing="compact"
              disabled={busy || loading || shown.length === 0}
              onClick={() => {
                const next = new Set(selected);
                for (const row of shown) {
                  if (pageAllSelected) next.delete(row.id);
                  else next.add(row.id);
                }
                setSelected(next);
              }}
            >
              {pageAllSelected ? "Clear this page" : "Select this page"}
            </Button>
            <Button
              spacing="compact"
              disabled={busy || matching === 0}
              onClick={() => void selectAllMatching()}
            >
              Select all {matching.toLocaleString("en")} matching
            </Button>
            <Button
              spacing="compact"
              disabled={busy || selected.size === 0}
              onClick={() => setSelected(new Set())}
            >
              Clear selection
            </Button>
            <span data-testid="selected-count" aria-live="polite">
              {selected.size.toLocaleString("en")} selected
            </span>
            <Button
              appearance="primary"
              disabled={busy || selected.size === 0}
              onClick={() => void classify("roadmap")}
            >
              Mark roadmap
            </Button>
            <Button
              appearance="primary"
              disabled={busy || selected.size === 0}
              onClick={() => void classify("investment")}
            >
              Mark investment
            </Button>
          </div>
          {list.notice && (
            <SectionMessage live testId="triage-notice">
              {list.notice}
            </SectionMessage>
          )}
          <div className="triage-list" data-loading={loading || undefined}>
            {loading && (
              <p className="triage-loading" role="status" data-testid="triage-loading">
                Loading the list…
              </p>
            )}
            <Table
              columns={columns}
              rows={shown}
              rowKey={(row) => row.id}
              caption={{ text: "Unclassified items", hidden: true }}
              empty="No item matches the filter."
              sort={sort}
              onSortChange={(next) => {
                setSort(next);
                setPage(0);
              }}
              testId="triage-table"
            />
          </div>
          {pages > 1 && (
            <nav className="row" aria-label="Pages of the list">
              <Button
                spacing="compact"
                disabled={loading || current === 0}
                onClick={() => setPage(current - 1)}
              >
                Previous
              </Button>
              <Text>
                Page {current + 1} of {pages} ({current * PAGE_SIZE + 1}–
                {current * PAGE_SIZE + shown.length} of {matching.toLocaleString("en")})
              </Text>
              <Button
                spacing="compact"
                disabled={loading || current >= pages - 1}
                onClick={() => setPage(current + 1)}
              >
                Next
              </Button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
