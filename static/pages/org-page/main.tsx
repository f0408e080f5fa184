/**
 * The whole company (SPEC §7): the org's current quarter against the company target, the teams
 * that hold it off that target, and every team's current quarter against its own target with its
 * last sprints and open flags; a link to each team's project page. Jira's global page and the
 * self-hosted server's home page. A site administrator declares the company target here too.
 */
import { useCallback, useEffect, useId, useState, type MouseEvent, type ReactNode } from "react";
import type { OrgOverview, OrgTeamRow } from "../../../src/app/index";
import { callResolver } from "../../shared/client";
import { CompanyTarget } from "../../shared/company-target";
import { ErrorMessage, FlagList, Loading, formatShare, mountPage } from "../../shared/ui";
import {
  Trend,
  VerdictLozenge,
  describeAgainst,
  describeFlagCounts,
  describeRequired,
} from "../../shared/verdict";
import { navigate, pageLinks, type PageLinks, type ProjectPageLink } from "./links";

/** How often the page asks again while a board's first read runs. */
const SYNC_POLL_MS = 10_000;

const MEASURE_WORDS = { delivered: "delivered", spent: "spent" } as const;

function formatDays(days: number): string {
  return `${Math.abs(days).toFixed(1)} day${Math.abs(days) === 1 ? "" : "s"}`;
}

function OrgPage(): ReactNode {
  const ids = useId();
  const [overview, setOverview] = useState<OrgOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [links, setLinks] = useState<PageLinks | null>(null);
  const linkOf = links?.projectPage ?? null;

  const load = useCallback(async (): Promise<void> => {
    const outcome = await callResolver("org/get", {});
    if (!outcome.ok) return setError(outcome.message);
    setError(null);
    setOverview(outcome.data);
  }, []);

  useEffect(() => {
    void load();
    void pageLinks().then(setLinks);
  }, [load]);

  const syncing = overview?.teams.some((team) => team.syncing !== null) ?? false;
  useEffect(() => {
    if (!syncing) return;
    const timer = setTimeout(() => void load(), SYNC_POLL_MS);
    return () => clearTimeout(timer);
  }, [syncing, overview, load]);

  return (
    <main style={{ maxWidth: 1100 }} aria-busy={overview === null && error === null}>
      <h1>Capacity split · the whole company</h1>
      {links?.boardsPage && (
        <p>
          <a href={links.boardsPage}>Every page of every board</a> ·{" "}
          <a href="/pages/admin-page/">Admin page</a>
        </p>
      )}
      {error !== null && (
        <>
          <ErrorMessage message={error} />
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </>
      )}
      {overview === null ? (
        error === null && <Loading what="every team's split" />
      ) : (
        <>
          <OrgVerdict overview={overview} />
          <HoldingOff overview={overview} linkOf={linkOf} headingId={`${ids}-holding`} />
          <section aria-labelledby={`${ids}-teams`}>
            <h2 id={`${ids}-teams`}>Teams</h2>
            <TeamTable teams={overview.teams} linkOf={linkOf} />
          </section>
        </>
      )}
      <CompanyTarget heading="h2" onDeclared={() => void load()} />
    </main>
  );
}

function OrgVerdict({ overview }: { overview: OrgOverview }): ReactNode {
  const { quarter, verdict, flags } = overview.org;
  if (quarter === null) {
    return (
      <section className="card" data-testid="org-verdict">
        <p>
          No team has a report yet. Open a project page of a board, or wait for the first sync to
          finish.
        </p>
      </section>
    );
  }
  const required = describeRequired(quarter.requiredShare);
  return (
    <section className="card" data-testid="org-verdict" aria-label="The company this quarter">
      <p className="subtle" style={{ margin: 0 }}>
        The company · {quarter.id} · time spent on investment across every team
      </p>
      <p className="headline">
        {describeAgainst(quarter.investmentShare, quarter.target)}{" "}
        <VerdictLozenge verdict={verdict} />
      </p>
      {quarter.target === null && (
        <p>
          No company target is declared for {quarter.id}: a site administrator declares one below.
        </p>
      )}
      {required !== null && <p>{required}</p>}
      <FlagList flags={flags} empty="No open flags on the company's quarter." />
    </section>
  );
}

function HoldingOff({
  overview,
  linkOf,
  headingId,
}: {
  overview: OrgOverview;
  linkOf: ProjectPageLink | null;
  headingId: string;
}): ReactNode {
  const { gap } = overview.org;
  if (gap === null || overview.holdingOff.length === 0) return null;
  const below = gap > 0;
  const byId = new Map(overview.teams.map((team) => [team.boardId, team]));
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>
        {below
          ? `What holds the company below its ${formatShare(overview.org.quarter?.target?.investmentShare ?? null)} target`
          : `What holds the company above its ${formatShare(overview.org.quarter?.target?.investmentShare ?? null)} target`}
      </h2>
      <p className="subtle">
        {below
          ? `The company is ${formatDays(gap)} of investment short of its target this quarter. Each team's part, largest first:`
          : `The company spent ${formatDays(gap)} more on investment than its target this quarter. Each team's part, largest first:`}
      </p>
      <ol data-testid="holding-off">
        {overview.holdingOff.map((boardId) => {
          const team = byId.get(boardId);
          if (!team || team.contribution === null) return null;
          return (
            <li key={boardId}>
              <TeamLink team={team} linkOf={linkOf} />:{" "}
              {below
                ? `${formatDays(team.contribution)} of investment short`
                : `${formatDays(team.contribution)} of investment over`}{" "}
              <span className="subtle">
                ({describeAgainst(team.quarter?.share ?? null, team.quarter?.target ?? null)} on{" "}
                {MEASURE_WORDS[team.measure ?? "delivered"]} in its own quarter)
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function TeamLink({
  team,
  linkOf,
}: {
  team: OrgTeamRow;
  linkOf: ProjectPageLink | null;
}): ReactNode {
  if (team.projectKey === null || linkOf === null) return <strong>{team.name}</strong>;
  const url = linkOf(team.projectKey, team.boardId);
  const follow = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(url);
  };
  return (
    <a href={url} onClick={follow} target="_top" data-board={team.boardId}>
      <strong>{team.name}</strong>
    </a>
  );
}

function TeamTable({
  teams,
  linkOf,
}: {
  teams: readonly OrgTeamRow[];
  linkOf: ProjectPageLink | null;
}): ReactNode {
  if (teams.length === 0) {
    return (
      <p className="subtle">
        No boards are known yet. Open a project page of a board with sprints, and it appears here
        once its first read finishes.
      </p>
    );
  }
  return (
    <div style={{ overflowX: "auto" }}>
      <table data-testid="org-teams">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Quarter</th>
            <th scope="col">Investment share</th>
            <th scope="col">Status</th>
            <th scope="col">Last six sprints</th>
            <th scope="col">Open flags</th>
            <th scope="col">Company's spent days (R / I)</th>
          </tr>
        </thead>
        <tbody>
          {teams.map((team) => (
            <tr key={team.boardId} data-board={team.boardId}>
              <th scope="row">
                <TeamLink team={team} linkOf={linkOf} />
                {team.projectKey !== null && <div className="subtle">{team.projectKey}</div>}
              </th>
              {team.syncing !== null ? (
                <td colSpan={6} role="status">
                  Reading the board from Jira: {team.syncing.done} of {team.syncing.total ?? "?"}{" "}
                  issues so far.
                </td>
              ) : (
                <>
                  <td>{team.quarter?.id ?? "—"}</td>
                  <td>
                    {describeAgainst(team.quarter?.share ?? null, team.quarter?.target ?? null)}
                    <div className="subtle">
                      on {MEASURE_WORDS[team.measure ?? "delivered"]}
                      {team.measure === "spent"
                        ? ` · delivered ${formatShare(team.quarter?.delivered ?? null)}`
                        : ` · spent ${formatShare(team.quarter?.spent ?? null)}`}
                    </div>
                  </td>
                  <td>
                    <VerdictLozenge verdict={team.verdict} />
                  </td>
                  <td>
                    <Trend points={team.trend} />
                  </td>
                  <td>{describeFlagCounts(team.openFlags)}</td>
                  <td>
                    {team.orgSpent === null ? (
                      <span className="subtle">not summed: {team.notSummed ?? "no report"}</span>
                    ) : (
                      `${team.orgSpent.roadmap.toFixed(1)} / ${team.orgSpent.investment.toFixed(1)}`
                    )}
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

mountPage(<OrgPage />);
