/**
 * The whole company (SPEC §7): the org's current quarter against the company target, the teams
 * that hold it off that target, and every team's current quarter against its own target with its
 * last sprints and open flags; a link to each team's project page (a Linear team's page in
 * Linear). Every number opens the issues behind it. Jira's global page and the self-hosted
 * server's home page. A site administrator declares the company target here too.
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from "react";
import type { OrgOverview, OrgTeamRow } from "../../../src/app/index";
import { describeUnflaggedBelow, explainTeamPart, isLinearAppUrl } from "../../../src/render/index";
import { possessive, type TargetRef } from "../../../src/domain/index";
import { callResolver } from "../../shared/client";
import { CompanyTarget } from "../../shared/company-target";
import {
  EmptyState,
  ErrorState,
  Heading,
  LoadingState,
  SectionMessage,
  StatusLozenge,
  Table,
  type Column,
} from "../../shared/ds";
import {
  DrillNumber,
  OrgDrillDialog,
  describeOrgSpent,
  drillTeamPart,
  drillTeamQuarter,
  type OrgDrill,
} from "../../shared/org-drill";
import {
  followInHost,
  openOutside,
  pageLinks,
  type PageLinks,
  type ProjectPageLink,
} from "../../shared/page-links";
import { FlagList, formatShare, mountPage } from "../../shared/ui";
import "./org-page.css";
import {
  Trend,
  VerdictLozenge,
  describeAgainst,
  describeFlagCounts,
  describeRequired,
  formatDays,
} from "../../shared/verdict";

/** How often the page asks again while a board's first read runs. */
const SYNC_POLL_MS = 10_000;

const MEASURE_WORDS = { delivered: "delivered", spent: "spent" } as const;

function OrgPage(): ReactNode {
  const ids = useId();
  const [overview, setOverview] = useState<OrgOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [links, setLinks] = useState<PageLinks | null>(null);
  const [drill, setDrill] = useState<OrgDrill | null>(null);
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
      {/* The line keeps its height while the links load, so nothing below it moves when they arrive. */}
      <p className="org-links">
        {links?.boardsPage && (
          <>
            <a href={links.boardsPage}>Every page of every board</a> ·{" "}
            <a href="/pages/admin-page/">Admin page</a>
          </>
        )}
      </p>
      {error !== null && <ErrorState message={error} onRetry={() => void load()} />}
      {overview === null ? (
        error === null && <LoadingState what="every team's split" />
      ) : (
        <>
          <OrgVerdict overview={overview} onDrill={setDrill} />
          <HoldingOff
            overview={overview}
            linkOf={linkOf}
            headingId={`${ids}-holding`}
            onDrill={setDrill}
          />
          <section aria-labelledby={`${ids}-teams`}>
            <Heading size="medium" id={`${ids}-teams`}>
              Teams
            </Heading>
            <TeamTable
              teams={overview.teams}
              orgQuarterId={overview.org.quarter?.id ?? null}
              companyTarget={overview.org.quarter?.target ?? null}
              gapSign={overview.org.gapSign}
              linkOf={linkOf}
              onDrill={setDrill}
            />
          </section>
          {drill && (
            <OrgDrillDialog
              drill={drill}
              overview={overview}
              onDrill={setDrill}
              onClose={() => setDrill(null)}
            />
          )}
        </>
      )}
      {/* Below the overview once it is there (or failed), so the overview never pushes it down. */}
      {(overview !== null || error !== null) && (
        <CompanyTarget heading="h2" onDeclared={() => void load()} />
      )}
    </main>
  );
}

function OrgVerdict({
  overview,
  onDrill,
}: {
  overview: OrgOverview;
  onDrill: (drill: OrgDrill) => void;
}): ReactNode {
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
  const required = describeRequired(quarter);
  const unflagged = flags.length === 0 ? describeUnflaggedBelow(quarter) : null;
  return (
    <section className="card" data-testid="org-verdict" aria-label="The company this quarter">
      <p className="subtle" style={{ margin: 0 }}>
        The company · {quarter.id} · time spent on investment across every team
      </p>
      <p className="headline">
        <DrillNumber
          drill={{ kind: "org" }}
          onDrill={onDrill}
          label={`The company's ${quarter.id}: ${describeAgainst(quarter.investmentShare, quarter.target)} Show the issues: the teams it sums and what their time went to`}
          cue="Show the issues"
        >
          {describeAgainst(quarter.investmentShare, quarter.target)}
        </DrillNumber>{" "}
        <VerdictLozenge verdict={verdict} words={overview.org.words} />
      </p>
      <HiddenTeams count={overview.hiddenTeams} />
      {quarter.target === null && (
        <SectionMessage appearance="warning" title="No company target">
          No company target is declared for {quarter.id}: a site administrator declares one below.
        </SectionMessage>
      )}
      {required !== null && <p data-testid="org-required">{required}</p>}
      {unflagged === null ? (
        <FlagList
          flags={flags}
          empty="No open flags on the company's quarter."
          open={() => () => onDrill({ kind: "org" })}
        />
      ) : (
        <p data-testid="org-unflagged">{unflagged}</p>
      )}
    </section>
  );
}

/**
 * How the company's numbers treat the teams the person cannot see: they are the company's, the
 * same for everyone, so every team is summed; the hidden ones are not named, and the company's
 * day totals are left out, so theirs cannot be worked out from what is shown.
 */
function HiddenTeams({ count }: { count: number }): ReactNode {
  if (count === 0) return null;
  return (
    <SectionMessage appearance="info" title={`${count} team${count === 1 ? "" : "s"} not shown`}>
      <span data-testid="hidden-teams">
        {count === 1 ? "One team is" : `${count} teams are`} not yours to see in Jira: a board in a
        project you cannot browse, or a Linear team shown to the people of another project or to
        Jira administrators. The company&apos;s share counts every team, so it is the same number
        everyone sees; {count === 1 ? "that team is" : "those teams are"} not listed, and the
        company&apos;s totals in days are left out so no team&apos;s days can be worked out from
        them.
      </span>
    </SectionMessage>
  );
}

function HoldingOff({
  overview,
  linkOf,
  headingId,
  onDrill,
}: {
  overview: OrgOverview;
  linkOf: ProjectPageLink | null;
  headingId: string;
  onDrill: (drill: OrgDrill) => void;
}): ReactNode {
  const { gap, gapSign } = overview.org;
  const quarterId = overview.org.quarter?.id ?? "";
  if (gapSign === null || gapSign === 0 || overview.holdingOff.length === 0) return null;
  const below = gapSign > 0;
  const target = overview.org.quarter?.target ?? null;
  const byKey = new Map(overview.teams.map((team) => [team.key, team]));
  return (
    <section aria-labelledby={headingId}>
      <Heading size="medium" id={headingId}>
        {below
          ? `What holds the company below its ${formatShare(overview.org.quarter?.target?.investmentShare ?? null)} target`
          : `What holds the company above its ${formatShare(overview.org.quarter?.target?.investmentShare ?? null)} target`}
      </Heading>
      <p className="subtle">
        {gap === null ? (
          `The company is ${below ? "below" : "above"} its target this quarter. The teams you can see that hold it there, largest part first:`
        ) : (
          <>
            {below ? "The company is " : "The company spent "}
            <DrillNumber
              drill={{ kind: "org" }}
              onDrill={onDrill}
              label={`${formatDays(gap)} of investment ${below ? "short" : "over"}. Show the issues: the teams it sums and what their time went to`}
            >
              {formatDays(gap)}
            </DrillNumber>
            {below
              ? " of investment short of its target this quarter, in days spent (the company target judges time spent). Each team's part, largest first:"
              : " more on investment than its target this quarter, in days spent (the company target judges time spent). Each team's part, largest first:"}
          </>
        )}
      </p>
      <ol data-testid="holding-off">
        {overview.holdingOff.map((key) => {
          const team = byKey.get(key);
          if (!team || team.contribution === null) return null;
          const part = `${formatDays(team.contribution)} of investment ${below ? "short" : "over"}`;
          return (
            <li key={key}>
              <TeamLink team={team} linkOf={linkOf} />:{" "}
              <DrillNumber
                drill={drillTeamPart(team, quarterId)}
                onDrill={onDrill}
                label={`${team.name}: ${part}. Show the issues its time went to.`}
              >
                {part}
              </DrillNumber>{" "}
              {target !== null && (
                <span className="subtle">
                  ({explainTeamPart({ ...team, ownTarget: team.quarter?.target ?? null }, target)})
                </span>
              )}
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
  if (team.source === "linear") {
    const name = (
      <>
        <strong>{team.name}</strong> <StatusLozenge appearance="new">Linear</StatusLozenge>
      </>
    );
    // Only a page of Linear's app becomes a link.
    if (team.teamUrl === null || !isLinearAppUrl(team.teamUrl)) return name;
    return (
      <a
        href={team.teamUrl}
        onClick={openOutside(team.teamUrl)}
        target="_blank"
        rel="noreferrer"
        data-team={team.key}
        aria-label={`${team.name}, a Linear team: open it in Linear`}
      >
        {name}
      </a>
    );
  }
  if (team.projectKey === null || team.boardId === null || linkOf === null) {
    return <strong>{team.name}</strong>;
  }
  const url = linkOf(team.projectKey, team.boardId);
  return (
    <a href={url} onClick={followInHost(url)} target="_top" data-board={team.boardId}>
      <strong>{team.name}</strong>
    </a>
  );
}

function TeamTable({
  teams,
  orgQuarterId,
  companyTarget,
  gapSign,
  linkOf,
  onDrill,
}: {
  teams: readonly OrgTeamRow[];
  orgQuarterId: string | null;
  companyTarget: TargetRef | null;
  gapSign: OrgOverview["org"]["gapSign"];
  linkOf: ProjectPageLink | null;
  onDrill: (drill: OrgDrill) => void;
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
      header: "This quarter",
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
            <DrillNumber
              drill={drillTeamQuarter(team)}
              onDrill={onDrill}
              label={`${team.name}: ${describeAgainst(team.quarter?.share ?? null, team.quarter?.target ?? null)}. Show the issues behind it.`}
            >
              {describeAgainst(team.quarter?.share ?? null, team.quarter?.target ?? null)}
            </DrillNumber>
            <div className="subtle">
              on {MEASURE_WORDS[team.measure ?? "delivered"]} ·{" "}
              <OtherMeasure team={team} onDrill={onDrill} />, in the team&apos;s quarter
            </div>
          </>
        ),
    },
    {
      key: "status",
      header: "Status",
      // Worst first, then the larger part of the company's gap.
      sortValue: (team) =>
        SEVERITY_ORDER[team.verdict.severity ?? "none"] * 1_000_000 + (team.contribution ?? 0),
      cell: (team) =>
        team.syncing !== null ? "—" : <VerdictLozenge verdict={team.verdict} words={team.words} />,
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
      cell: (team) => (team.syncing !== null ? "—" : <FlagCounts team={team} linkOf={linkOf} />),
    },
  ];
  // Without a company target there is no gap to have a part in: the column is left out.
  const gapColumn: Column<OrgTeamRow> = {
    key: "gap",
    header: "Part of the company's gap",
    align: "end",
    sortValue: (team) => team.contribution ?? 0,
    cell: (team) =>
      team.orgSpent === null ? (
        <span className="subtle">not summed: {team.notSummed ?? "no report"}</span>
      ) : (
        <DrillNumber
          drill={orgQuarterId === null ? null : drillTeamPart(team, orgQuarterId)}
          onDrill={onDrill}
          label={`${possessive(team.name)} part of the company's gap: ${partOf(team, gapSign)} ${describeOrgSpent(team.orgSpent)}, in the company's quarter. Show the issues its time went to.`}
        >
          {partOf(team, gapSign)}
          <span className="subtle org-part-days">
            {" "}
            {describeOrgSpent(team.orgSpent)}, in the company&apos;s quarter
          </span>
        </DrillNumber>
      ),
  };
  return (
    <div className="org-teams">
      <p className="subtle" data-testid="org-teams-note">
        This quarter: each team&apos;s investment share on the measure its target judges, in the
        team&apos;s own quarter (its timezone).
        {companyTarget !== null &&
          " Part of the company's gap: the days of investment a team is short of the company's target (ahead of it, it offsets the gap), from its time spent in the company's quarter (UTC)."}
      </p>
      <Table
        columns={companyTarget === null ? columns : [...columns, gapColumn]}
        defaultSort={{ key: "status", direction: "descending" }}
        rows={teams}
        rowKey={(team) => team.key}
        caption={{ text: "Every team's current quarter", hidden: true }}
        testId="org-teams"
        empty={
          <EmptyState
            header="No boards yet"
            description="Open a project page of a board with sprints: it appears here once its first read finishes."
          />
        }
      />
    </div>
  );
}

const OFFSETS = "offsets the gap";

/** A team's part as its cell shows it and its button's name begins: "7.4 days ahead, offsets the gap". */
const partOf = (team: OrgTeamRow, gapSign: OrgOverview["org"]["gapSign"]): string =>
  team.contribution === null ? "—" : describePart(team.contribution, gapSign);

/** Whether a team's part points against the company's gap: ahead while the company is short. */
const offsets = (contribution: number, gapSign: OrgOverview["org"]["gapSign"]): boolean =>
  gapSign !== null && gapSign !== 0 && Math.sign(contribution) === -gapSign;

/**
 * A team's part of the company's gap, in days: "7.4 days short" of the company's target, or
 * "7.4 days ahead"; with `gapSign`, whether that offsets the company's gap.
 */
function describePart(contribution: number, gapSign: OrgOverview["org"]["gapSign"]): string {
  const days = `${formatDays(contribution)} ${contribution >= 0 ? "short" : "ahead"}`;
  return offsets(contribution, gapSign) ? `${days}, ${OFFSETS}` : days;
}

/** The team's share on the measure it is not judged on, opening the issues behind it. */
function OtherMeasure({
  team,
  onDrill,
}: {
  team: OrgTeamRow;
  onDrill: (drill: OrgDrill) => void;
}): ReactNode {
  const other = team.measure === "spent" ? "delivered" : "spent";
  const share = formatShare(team.quarter?.[other] ?? null);
  return (
    <DrillNumber
      drill={drillTeamQuarter(team, other)}
      onDrill={onDrill}
      label={`${team.name}: ${MEASURE_WORDS[other]} ${share}. Show the issues behind it.`}
    >
      {`${MEASURE_WORDS[other]} ${share}`}
    </DrillNumber>
  );
}

/** The team's open flags by severity, opening its page, where each flag opens its issues. */
function FlagCounts({
  team,
  linkOf,
}: {
  team: OrgTeamRow;
  linkOf: ProjectPageLink | null;
}): ReactNode {
  const words = describeFlagCounts(team.openFlags);
  const { critical, warning, info } = team.openFlags;
  if (critical + warning + info === 0 || team.projectKey === null || team.boardId === null)
    return words;
  if (linkOf === null) return words;
  const url = linkOf(team.projectKey, team.boardId);
  return (
    <a
      href={url}
      onClick={followInHost(url)}
      target="_top"
      aria-label={`${words}: open them on ${possessive(team.name)} page, where each flag opens its issues`}
    >
      {words}
    </a>
  );
}

/** Worst first when sorted descending. */
const SEVERITY_ORDER = { none: 0, info: 1, warning: 2, critical: 3 } as const;

mountPage(<OrgPage />);
