/**
 * The project page: a board's sprints as the same split chart the CLI's HTML report draws, its
 * quarter cards, open flags and the triage list with bulk classify.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { findOpenFlags, type Report, type TeamReport } from "../../../src/domain/index";
import { renderSplitChartSvg } from "../../../src/render/index";
import { BoardPicker, useBoards } from "../../shared/boards";
import { callResolver, isSyncing, type Syncing } from "../../shared/client";
import {
  ErrorMessage,
  FlagList,
  Loading,
  formatShare,
  formatUtcMinute,
  mountPage,
} from "../../shared/ui";
import { Triage } from "./triage";

type Basis = "delivered" | "committed";

/** How often the page asks again while the board's first read from Jira runs. */
const SYNC_POLL_MS = 5_000;

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
  const [basis, setBasis] = useState<Basis>("delivered");
  const [error, setError] = useState<string | null>(null);
  const [syncing, setSyncing] = useState<Syncing["syncing"] | null>(null);
  const boardId = boards.boardId;

  const load = useCallback(async (id: number) => {
    const reportOutcome = await callResolver("report/get", { boardId: id });
    if (!reportOutcome.ok) return setError(reportOutcome.message);
    setError(null);
    const reportData = reportOutcome.data;
    if (isSyncing(reportData)) {
      setSyncing(reportData.syncing);
      return;
    }
    setSyncing(null);
    setReport(reportData);
    setComputed({
      at: reportData.computedAt,
      cached: reportData.cached,
      recomputing: reportData.recomputing === true,
    });
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
          {boardId !== null && <Triage boardId={boardId} onClassified={() => void load(boardId)} />}
        </>
      )}
    </main>
  );
}

mountPage(<ProjectPage />);
