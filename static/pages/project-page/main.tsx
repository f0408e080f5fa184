/**
 * The project page: the board's verdict first (the current quarter against target, what the rest
 * needs, the trend, every open flag by severity), then the sprints, the quarters and the triage
 * list. A bar, a quarter, a flag or a number opens the issues behind it.
 */
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { findOpenFlags, type ActualMeasure, type Report } from "../../../src/domain/index";
import { BoardPicker, useBoards } from "../../shared/boards";
import { callResolver, isSyncing, type Syncing } from "../../shared/client";
import { followInHost, pageLinks, type PageLinks } from "../../shared/page-links";
import { ErrorMessage, Loading, formatUtcMinute, mountPage } from "../../shared/ui";
import { DrillDialog, type DrillAsk } from "../../shared/drill-dialog";
import { ChartLegend, SprintChart } from "./sprint-chart";
import { Triage } from "./triage";
import { OpenFlags, QuarterCards, Verdict, askForSprint } from "./verdict";
import "./project-page.css";

/** How often the page asks again while the board's first read from Jira runs. */
const SYNC_POLL_MS = 5_000;

function ProjectPage(): ReactNode {
  const boards = useBoards();
  const [report, setReport] = useState<Report | null>(null);
  const [computed, setComputed] = useState<{
    at: string;
    cached: boolean;
    recomputing: boolean;
  } | null>(null);
  const [measure, setMeasure] = useState<ActualMeasure | null>(null);
  const [drill, setDrill] = useState<DrillAsk | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [syncing, setSyncing] = useState<Syncing["syncing"] | null>(null);
  const boardId = boards.boardId;
  const [links, setLinks] = useState<PageLinks | null>(null);
  useEffect(() => void pageLinks().then(setLinks), []);
  const board = boards.boards.find((entry) => entry.boardId === boardId);
  const projectKey = board?.projectKey ?? null;
  const settingsUrl =
    links && projectKey !== null && boardId !== null
      ? links.settingsPage(projectKey, boardId)
      : null;

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
  const shown = measure ?? team?.actual ?? "delivered";

  // Open = the periods that are current now (the CLI's `check` uses the same rule), not history;
  // notes (info) included, so unclassified work and unconfirmed targets show too.
  const openFlags = report ? findOpenFlags(report, "info") : [];

  return (
    <main>
      <nav
        aria-label="Breadcrumb"
        className="ds-text-small ds-text-subtle"
        style={{ overflowWrap: "anywhere" }}
      >
        Capacity split
        {links?.companyPage && (
          <>
            {" · "}
            <a href={links.companyPage}>The whole company</a>
          </>
        )}
        {board && ` › ${board.name}`}
        {settingsUrl && (
          <>
            {" · "}
            <a href={settingsUrl} onClick={followInHost(settingsUrl)} data-testid="settings-link">
              Settings of {team?.name ?? board?.name ?? "this team"}
            </a>
          </>
        )}
      </nav>
      <h1 style={{ overflowWrap: "anywhere" }}>{team?.name ?? board?.name ?? "Capacity split"}</h1>
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
        !error && !boards.error && !syncing && <Loading what="the board's report" />
      ) : (
        <>
          <Verdict team={team} onDrill={setDrill} />
          <h2 id="open-flags-title">Open flags ({openFlags.length})</h2>
          <OpenFlags
            flags={openFlags}
            measure={team.actual}
            onDrill={setDrill}
            settingsUrl={settingsUrl}
          />
          {computed && (
            <p
              className="ds-text-small ds-text-subtle"
              data-testid="computed-at"
              data-at={report?.now}
            >
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
          <fieldset className="measure-toggle">
            <legend>Right-hand bar of each sprint shows</legend>
            {(["delivered", "spent"] as const).map((value) => (
              <label key={value} className="radio">
                <input
                  type="radio"
                  name="measure"
                  checked={shown === value}
                  onChange={() => setMeasure(value)}
                />
                {value === "delivered"
                  ? `Work delivered (${team.unit} done in the sprint)`
                  : "Time spent (person-days in progress)"}
                {team.actual === value ? " — the measure this team is judged on" : ""}
              </label>
            ))}
          </fieldset>
          <ChartLegend measure={shown} />
          {team.sprints.length === 0 ? (
            <p className="subtle">No sprints on this board yet.</p>
          ) : (
            <SprintChart
              sprints={team.sprints}
              flags={team.flags}
              measure={shown}
              onOpen={(sprint) => setDrill(askForSprint(sprint))}
            />
          )}
          <h2>Quarters</h2>
          <QuarterCards quarters={team.quarters} measure={team.actual} onDrill={setDrill} />
          {drill && boardId !== null && report && (
            <DrillDialog
              ask={drill}
              boardId={boardId}
              at={report.now}
              measure={team.actual}
              onClose={() => setDrill(null)}
            />
          )}
          {boardId !== null && <Triage boardId={boardId} onClassified={() => void load(boardId)} />}
        </>
      )}
    </main>
  );
}

mountPage(<ProjectPage />);
