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
import {
  EmptyState,
  ErrorState,
  Heading,
  LoadingState,
  SectionMessage,
  Table,
  type Column,
} from "../../shared/ds";
import { FlagList, formatShare, mountPage } from "../../shared/ui";
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
      <Heading size="large">Capacity split · the whole company</Heading>
      {links?.boardsPage && (
        <p>
          <a href={links.boardsPage}>Every page of every board</a> ·{" "}
          <a href="/pages/admin-page/">Admin page</a>
        </p>
      )}
      {error !== null && <ErrorState message={error} onRetry={() => void load()} />}
      {overview === null ? (
        error === null && <LoadingState what="every team's split" />
      ) : (
        <>
          <OrgVerdict overview={overview} />
          <HoldingOff overview={overview} linkOf={linkOf} headingId={`${ids}-holding`} />
          <section aria-labelledby={`${ids}-teams`}>
            <Heading size="medium" id={`${ids}-teams`}>
              Teams
            </Heading>
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
      <section data-testid="org-verdict">
        <EmptyState
          header="No team has a report yet"
          description="Open a project page of a board, or wait for its first sync to finish."
          headingLevel={2}
        />
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
        <SectionMessage appearance="warning" title="No company target">
          No company target is declared for {quarter.id}: a site administrator declares one below.
        </SectionMessage>
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
      <Heading size="medium" id={headingId}>
        {below
          ? `What holds the company below its ${formatShare(overview.org.quarter?.target?.investmentShare ?? null)} target`
          : `What holds the company above its ${formatShare(overview.org.quarter?.target?.investmentShare ?? null)} target`}
      </Heading>
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
  const columns: readonly Column<OrgTeamRow>[] = [
    {
      key: "team",
      header: "Team",
      sortValue: (team) => team.name,
      cell: (team) => (
        <>
          <TeamLink team={team} linkOf={linkOf} />
          {team.projectKey !== null && <div className="subtle">{team.projectKey}</div>}
        </>
      ),
    },
    {
      key: "share",
      header: "Investment share this quarter",
      sortValue: (team) => team.quarter?.share ?? -1,
      cell: (team) =>
        team.syncing !== null ? (
          <span role="status">
            Reading the board from Jira: {team.syncing.done} of {team.syncing.total ?? "?"} issues
            so far.
          </span>
        ) : (
          <>
            {team.quarter?.id ?? "—"}:{" "}
            {describeAgainst(team.quarter?.share ?? null, team.quarter?.target ?? null)}
            <div className="subtle">
              on {MEASURE_WORDS[team.measure ?? "delivered"]}
              {team.measure === "spent"
                ? ` · delivered ${formatShare(team.quarter?.delivered ?? null)}`
                : ` · spent ${formatShare(team.quarter?.spent ?? null)}`}
            </div>
          </>
        ),
    },
    {
      key: "status",
      header: "Status",
      sortValue: (team) => SEVERITY_ORDER[team.verdict.severity ?? "none"],
      cell: (team) => (team.syncing !== null ? "—" : <VerdictLozenge verdict={team.verdict} />),
    },
    {
      key: "trend",
      header: "Last six sprints",
      cell: (team) => (team.syncing !== null ? "—" : <Trend points={team.trend} />),
    },
    {
      key: "flags",
      header: "Open flags",
      sortValue: (team) =>
        team.openFlags.critical * 10_000 + team.openFlags.warning * 100 + team.openFlags.info,
      cell: (team) => (team.syncing !== null ? "—" : describeFlagCounts(team.openFlags)),
    },
    {
      key: "gap",
      header: "Part of the company's gap",
      align: "end",
      sortValue: (team) => team.contribution ?? 0,
      cell: (team) =>
        team.orgSpent === null ? (
          <span className="subtle">not summed: {team.notSummed ?? "no report"}</span>
        ) : (
          <>
            {team.contribution === null
              ? "—"
              : `${team.contribution >= 0 ? "" : "−"}${formatDays(team.contribution)}`}
            <div className="subtle">
              spent {team.orgSpent.roadmap.toFixed(1)} d roadmap,{" "}
              {team.orgSpent.investment.toFixed(1)} d investment
            </div>
          </>
        ),
    },
  ];
  return (
    <Table
      columns={columns}
      rows={teams}
      rowKey={(team) => String(team.boardId)}
      caption={{ text: "Every team's current quarter", hidden: true }}
      testId="org-teams"
      empty={
        <EmptyState
          header="No boards yet"
          description="Open a project page of a board with sprints: it appears here once its first read finishes."
        />
      }
    />
  );
}

/** Worst first when sorted descending. */
const SEVERITY_ORDER = { none: 0, info: 1, warning: 2, critical: 3 } as const;

mountPage(<OrgPage />);
