/**
 * The project page: a board's sprints as the same split chart the CLI's HTML report draws, its
 * quarter cards, open flags and the triage list with bulk classify.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { findOpenFlags } from "../../../src/domain/index";
import { renderSplitChartSvg } from "../../../src/render/index";
import type { Report, TeamReport } from "../../../src/domain/types";
import { BoardPicker, useBoards } from "../../shared/boards";
import { callResolver, isSyncing, type Syncing, type TriageItem } from "../../shared/client";
import {
  ErrorMessage,
  FlagList,
  Loading,
  formatShare,
  formatUtcMinute,
  mountPage,
} from "../../shared/ui";

type Basis = "delivered" | "committed";

/** How often the page asks again while the board's first read from Jira runs. */
const SYNC_POLL_MS = 5_000;
/** The most issues one `item/classify` call takes. */
const CLASSIFY_BATCH = 50;

/** The chart shows delivered for closed sprints; "committed" re-reads every sprint by its plan. */
function withBasis(team: TeamReport, basis: Basis): TeamReport {
  if (basis === "delivered") return team;
  return {
    ...team,
    sprints: team.sprints.map((sprint) => ({
      ...sprint,
      delivered: sprint.committed,
      investmentShare: { ...sprint.investmentShare, delivered: sprint.investmentShare.committed },
    })),
  };
}

function ProjectPage(): ReactNode {
  const boards = useBoards();
  const [report, setReport] = useState<Report | null>(null);
  const [computed, setComputed] = useState<{
    at: string;
    cached: boolean;
    recomputing: boolean;
  } | null>(null);
  const [triage, setTriage] = useState<readonly TriageItem[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [basis, setBasis] = useState<Basis>("delivered");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [syncing, setSyncing] = useState<Syncing["syncing"] | null>(null);
  const [classifying, setClassifying] = useState<{ done: number; total: number } | null>(null);
  const boardId = boards.boardId;

  const load = useCallback(async (id: number) => {
    const [reportOutcome, triageOutcome] = await Promise.all([
      callResolver("report/get", { boardId: id }),
      callResolver("triage/list", { boardId: id }),
    ]);
    if (!reportOutcome.ok) return setError(reportOutcome.message);
    if (!triageOutcome.ok) return setError(triageOutcome.message);
    setError(null);
    const reportData = reportOutcome.data;
    const triageData = triageOutcome.data;
    if (isSyncing(reportData) || isSyncing(triageData)) {
      setSyncing(isSyncing(reportData) ? reportData.syncing : { done: 0, total: null });
      return;
    }
    setSyncing(null);
    setReport(reportData);
    setComputed({
      at: reportData.computedAt,
      cached: reportData.cached,
      recomputing: reportData.recomputing === true,
    });
    setTriage(triageData);
    setSelected(new Set());
  }, []);

  useEffect(() => {
    if (boardId !== null) void load(boardId);
  }, [boardId, load]);

  // The board's first read from Jira runs in the background: ask again until it is there.
  useEffect(() => {
    if (boardId === null || syncing === null) return;
    const timer = setTimeout(() => void load(boardId), SYNC_POLL_MS);
    return () => clearTimeout(timer);
  }, [boardId, syncing, load]);

  const team = report?.teams[0];
  const chart = useMemo(
    () => (team ? renderSplitChartSvg(withBasis(team, basis)) : ""),
    [team, basis],
  );

  const classify = async (category: "roadmap" | "investment"): Promise<void> => {
    if (boardId === null || selected.size === 0) return;
    setBusy(true);
    // Fifty at a time, each call well inside a resolver's time, with progress in between.
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
    await load(boardId);
    setBusy(false);
  };

  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  // Open = the periods that are current now (the CLI's `check` uses the same rule), not history.
  const openFlags = report ? findOpenFlags(report, "warning").map((open) => open.flag) : [];
  const critical = openFlags.filter((flag) => flag.severity === "critical").length;

  return (
    <main>
      <h1>Capacity split</h1>
      <BoardPicker state={boards} />
      {(error ?? boards.error) && <ErrorMessage message={error ?? boards.error ?? ""} />}
      {syncing && (
        <p className="message" role="status" data-testid="syncing">
          Reading this board from Jira for the first time: {syncing.done.toLocaleString("en")}
          {syncing.total === null ? "" : ` of ${syncing.total.toLocaleString("en")}`} issues so far.
          The report appears here when it is done.
        </p>
      )}
      {!team ? (
        !error && !syncing && <Loading what="the board's report" />
      ) : (
        <>
          {openFlags.length > 0 && (
            <div className="message message-warning" role="status">
              {openFlags.length} open flag{openFlags.length === 1 ? "" : "s"}
              {critical > 0 ? `, ${critical} critical` : ""} — see below.
            </div>
          )}
          {computed && (
            <p className="subtle" data-testid="computed-at">
              Computed {formatUtcMinute(computed.at)}
              {computed.cached ? " by the last recompute of this board" : ""}.
            </p>
          )}
          {computed?.recomputing && (
            <p className="message" role="status" data-testid="recomputing">
              The settings or targets changed: the board is being computed again, and this is its
              report from before. Reload in a moment.
            </p>
          )}
          <h2>Sprints</h2>
          <div className="row" role="radiogroup" aria-label="Which split the bars show">
            {(["delivered", "committed"] as const).map((value) => (
              <label key={value} style={{ flexDirection: "row", fontWeight: 400 }}>
                <input
                  type="radio"
                  name="basis"
                  checked={basis === value}
                  onChange={() => setBasis(value)}
                />
                {value === "delivered" ? "Delivered (closed sprints)" : "Committed at sprint start"}
              </label>
            ))}
          </div>
          {team.sprints.length === 0 ? (
            <p className="subtle">No sprints on this board yet.</p>
          ) : (
            <div
              className="chart"
              data-testid="split-chart"
              dangerouslySetInnerHTML={{ __html: chart }}
            />
          )}
          <h2>Quarters</h2>
          <div className="cards">
            {team.quarters.map((quarter) => (
              <section key={quarter.id} className="card" aria-label={`Quarter ${quarter.id}`}>
                <strong>{quarter.id}</strong> <span className="subtle">({quarter.state})</span>
                <div>Investment {formatShare(quarter.investmentShare.delivered)}</div>
                <div className="subtle">
                  Target{" "}
                  {quarter.target
                    ? `${formatShare(quarter.target.investmentShare)} ± ${formatShare(quarter.target.tolerance)}`
                    : "none"}
                </div>
                {quarter.state === "current" && (
                  <div className="subtle">
                    Required for the rest: {formatShare(quarter.requiredShare)}
                  </div>
                )}
              </section>
            ))}
          </div>
          <h2>Open flags</h2>
          <FlagList flags={openFlags} empty="No open flags." />
          <h2>Triage ({triage.length} unclassified)</h2>
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
      )}
    </main>
  );
}

mountPage(<ProjectPage />);
