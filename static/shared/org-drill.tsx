/**
 * The issues behind the company page's and the gadget's numbers. A team's number opens its board's
 * issues (`org/drill`, which answers for any board whose project the person may browse), or a
 * Linear team's as the Jira app's Linear sync keeps them, each linked to the issue in Linear; the
 * company's quarter opens the teams it sums, each opening its own issues.
 */
import type { ReactNode } from "react";
import type { OrgOverview, OrgTeamRow, TeamFlag } from "../../src/app/index";
import type { Split } from "../../src/domain/index";
import { Button, ModalDialog } from "./ds";
import { DrillDialog, askForFlag, type DrillAsk } from "./drill-dialog";
import { formatShare } from "./ui";
import "./drill-dialog.css";
import "./org-drill.css";

/** What the person opened: one team's issues, or the company's quarter team by team. */
export type OrgDrill =
  | { readonly kind: "team"; readonly team: OrgTeamRow; readonly ask: DrillAsk }
  | { readonly kind: "org" };

const MEASURE_WORDS = { delivered: "delivered work", spent: "time spent" } as const;

/** Whether the team's issues can be opened: a board's, or a Linear team's the app keeps. */
const drillable = (team: OrgTeamRow): boolean => team.boardId !== null || team.source === "linear";

/** The key of a Linear team's row (`linear:{KEY}`), or undefined for a board's. */
const linearTeamOf = (team: OrgTeamRow): string | undefined =>
  team.source === "linear" ? team.key.replace(/^linear:/, "") : undefined;

/**
 * The team's current quarter on its own measure, or on `measure`; null when it has nothing to
 * drill.
 */
export function drillTeamQuarter(
  team: OrgTeamRow,
  measure: "delivered" | "spent" = team.measure ?? "delivered",
): OrgDrill | null {
  if (!drillable(team) || team.quarter === null) return null;
  return {
    kind: "team",
    team,
    ask: {
      title: `${team.name}, ${team.quarter.id}: the issues behind its ${MEASURE_WORDS[measure]}`,
      request: { period: { kind: "quarter", id: team.quarter.id }, reasons: [measure] },
    },
  };
}

/** The team's time spent in the company's quarter: its part in the company's numbers. */
export function drillTeamPart(team: OrgTeamRow, orgQuarterId: string): OrgDrill | null {
  if (!drillable(team) || team.orgSpent === null) return null;
  return {
    kind: "team",
    team,
    ask: {
      title: `${team.name}, ${orgQuarterId}: the time spent behind its part of the company's split`,
      request: { period: { kind: "org-quarter", id: orgQuarterId }, reasons: ["spent"] },
    },
  };
}

/**
 * One of the team's open flags: the issues its project page's flag opens, asked the same way
 * ({@link askForFlag}); null for a flag about the team's declaration, or a team with nothing to drill.
 */
export function drillTeamFlag(team: OrgTeamRow, open: TeamFlag): OrgDrill | null {
  const ask = drillable(team)
    ? askForFlag(open.periodName, open.flag, team.measure ?? "delivered")
    : null;
  return ask && { kind: "team", team, ask };
}

/**
 * A team's time spent in the company's quarter, rounded once from its sums, so the teams table
 * and the company's dialog say the same: "66.5 of 206.6 classified days on investment (32.2%)".
 */
export function describeOrgSpent(spent: Split): string {
  const classified = spent.roadmap + spent.investment;
  const share = formatShare(classified === 0 ? null : spent.investment / classified);
  return `${spent.investment.toFixed(1)} of ${classified.toFixed(1)} classified days on investment (${share})`;
}

/** A number that opens what is behind it, or the number alone when nothing can be opened. */
export function DrillNumber({
  drill,
  onDrill,
  label,
  cue,
  children,
}: {
  drill: OrgDrill | null;
  onDrill: (drill: OrgDrill) => void;
  /** What a screen reader hears: the number and what opening it shows. */
  label: string;
  /** Words beside the number that say it opens ("Show the issues"), for a headline number. */
  cue?: string;
  children: ReactNode;
}): ReactNode {
  if (drill === null) return <>{children}</>;
  return (
    <button
      type="button"
      className="number-button"
      aria-label={label}
      data-testid="drill-number"
      onClick={() => onDrill(drill)}
    >
      {children}
      {cue !== undefined && (
        <span className="open-cue" aria-hidden="true">
          {cue} ›
        </span>
      )}
    </button>
  );
}

/** The dialog of what is open: a team's issues, or the company's quarter by team. */
export function OrgDrillDialog({
  drill,
  overview,
  onDrill,
  onClose,
}: {
  drill: OrgDrill;
  overview: OrgOverview;
  onDrill: (drill: OrgDrill) => void;
  onClose: () => void;
}): ReactNode {
  if (drill.kind === "team") {
    const linearTeam = linearTeamOf(drill.team);
    return (
      <DrillDialog
        key={`${drill.team.key} ${drill.ask.title}`}
        from="org/drill"
        ask={drill.ask}
        boardId={drill.team.boardId ?? 0}
        {...(linearTeam === undefined ? {} : { linearTeam })}
        at={drill.team.computedAt ?? overview.now}
        measure={drill.team.measure ?? "delivered"}
        onClose={onClose}
      />
    );
  }
  return <OrgQuarterDialog overview={overview} onDrill={onDrill} onClose={onClose} />;
}

/** The company's quarter, team by team: each team's time spent in it, each opening its issues. */
function OrgQuarterDialog({
  overview,
  onDrill,
  onClose,
}: {
  overview: OrgOverview;
  onDrill: (drill: OrgDrill) => void;
  onClose: () => void;
}): ReactNode {
  const quarter = overview.org.quarter;
  if (quarter === null) return null;
  const summed = overview.teams.filter((team) => team.orgSpent !== null);
  return (
    <ModalDialog
      title={`The company's ${quarter.id}: the teams it sums`}
      testId="org-quarter-dialog"
      onClose={onClose}
    >
      <p className="drill-context">
        The company&apos;s share is the time every team spent on investment:{" "}
        {formatShare(quarter.investmentShare)} this quarter so far. Each team&apos;s part opens the
        issues it spent that time on.
      </p>
      <ul className="org-quarter-teams" data-testid="org-quarter-teams">
        {summed.map((team) => {
          const part = drillTeamPart(team, quarter.id);
          if (team.orgSpent === null) return null;
          return (
            <li key={team.key}>
              <strong>{team.name}</strong>: {describeOrgSpent(team.orgSpent)}{" "}
              {part && (
                <Button spacing="compact" onClick={() => onDrill(part)}>
                  Show the issues
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      <CompanyTotal spent={quarter.spent} />
      {overview.hiddenTeams > 0 && (
        <p className="ds-text-subtle">
          {overview.hiddenTeams} team{overview.hiddenTeams === 1 ? "" : "s"} you cannot see in Jira{" "}
          {overview.hiddenTeams === 1 ? "is" : "are"} summed too and not listed.
        </p>
      )}
    </ModalDialog>
  );
}

/**
 * The teams' days added up: the company's share, the number the headline states. Left out when
 * teams are hidden from the person, whose days the total less the listed ones would give away.
 */
function CompanyTotal({ spent }: { spent: Split | null }): ReactNode {
  if (spent === null) return null;
  const classified = spent.roadmap + spent.investment;
  return (
    <p className="org-quarter-total" data-testid="org-quarter-total">
      <strong>Every team</strong>: {spent.investment.toFixed(1)} of {classified.toFixed(1)}{" "}
      classified days on investment (
      {formatShare(classified === 0 ? null : spent.investment / classified)})
    </p>
  );
}
