import { emptySplit, findOpenFlags, quarterOf, reportOrg } from "../domain/index";

import { currentStatus, judge, verdictOf, type Judgement } from "../render/index";

export { judge };
export type { VerdictStatus } from "../render/index";
/** A verdict at a glance: what the lozenge says and how bad it is. */
export type Verdict = Judgement;
import type {
  ActualMeasure,
  Flag,
  OrgQuarterReport,
  Report,
  Split,
  SprintState,
  Target,
  TargetRef,
} from "../domain/index";

/**
 * The whole company on one page (SPEC §7): every team's current quarter against its own target,
 * the org rollup of the teams' spent effort against the org target, and which teams hold the
 * company off that target. Computed from each team's last report, so a page answers from what the
 * host already keeps; no item-level text reaches it.
 */

/**
 * Where a team comes from: a board the host's own pages show (a Jira board, or a board of the
 * self-hosted server's workspace), or a Linear team the Forge app knows only by the summary its
 * Linear sync keeps, which the page links to in Linear.
 */
export type OrgTeamSource = "board" | "linear";

/** A team as the host knows it: its last report, or how far its first read has got. */
export interface OrgTeamInput {
  /** Unique among the teams: `board:{boardId}` or `linear:{teamKey}` ({@link orgTeamKey}). */
  readonly key: string;
  readonly source: OrgTeamSource;
  /** The board's id; null for a Linear team. */
  readonly boardId: number | null;
  readonly projectKey: string | null;
  /**
   * Jira's id of the project whose browse permission governs who sees the team, for the browse
   * check: a board's own project, or the one chosen for a Linear team; null when not known (a
   * Linear team's: none chosen, Jira administrators only).
   */
  readonly projectId?: number | null;
  /** The team's page in its tracker when the page links there (a Linear team); else null. */
  readonly teamUrl?: string | null;
  readonly name: string;
  readonly state:
    | {
        /** The team's report: one team, and an `org` that sums that team alone. */
        readonly report: Report;
        readonly computedAt: string;
      }
    | { readonly syncing: { readonly done: number; readonly total: number | null } };
}

export interface OrgOverviewInput {
  readonly now: number;
  /** The org's fiscal year (SPEC §7): teams whose reports use another one are not summed. */
  readonly fiscalYearStartMonth: number;
  /** The org target's declarations (`teamId: null`), in declaration order. */
  readonly orgTargets: readonly Target[];
  readonly teams: readonly OrgTeamInput[];
  /**
   * Teams (by key) the caller may not see in Jira: still summed in the company's numbers, which
   * are the same for everyone, but not listed, and the company's day totals are left out so no
   * hidden team's days can be worked out from them.
   */
  readonly hidden?: ReadonlySet<string>;
}

/** The key of a board's or a Linear team's row. */
export function orgTeamKey(
  team:
    | { readonly source: "board"; readonly boardId: number }
    | { readonly source: "linear"; readonly teamKey: string },
): string {
  return team.source === "board" ? `board:${team.boardId}` : `linear:${team.teamKey}`;
}

export interface FlagCounts {
  readonly critical: number;
  readonly warning: number;
  readonly info: number;
}

/** A team's open flag and the name of the sprint, quarter or team it is about. */
export interface TeamFlag {
  readonly periodName: string;
  readonly flag: Flag;
}

export interface TrendPoint {
  readonly id: string;
  readonly name: string;
  readonly state: SprintState;
  /** The sprint's investment share on the team's actual measure; null when nothing counted. */
  readonly share: number | null;
  readonly target: TargetRef | null;
}

export interface OrgTeamRow {
  readonly key: string;
  readonly source: OrgTeamSource;
  readonly boardId: number | null;
  readonly projectKey: string | null;
  readonly teamUrl: string | null;
  readonly name: string;
  readonly syncing: { readonly done: number; readonly total: number | null } | null;
  readonly computedAt: string | null;
  readonly measure: ActualMeasure | null;
  /** The team's current quarter on its own calendar and measure; null while syncing. */
  readonly quarter: {
    readonly id: string;
    readonly share: number | null;
    readonly delivered: number | null;
    readonly spent: number | null;
    readonly target: TargetRef | null;
    readonly requiredShare: number | null;
  } | null;
  readonly verdict: Verdict;
  /** The status in the words the team's project page uses ("Below target so far"). */
  readonly words: string;
  /** The first sentence of the team's verdict on its project page; null while syncing. */
  readonly sentence: string | null;
  /** The last six sprints that have begun, oldest first. */
  readonly trend: readonly TrendPoint[];
  /** Flags open now, as `capacity-split check` counts them. */
  readonly openFlags: FlagCounts;
  /**
   * Those flags, as the team's project page lists them: each with the name of its period, so a
   * page can open the issues behind each one (`drillRequestsOfFlag`).
   */
  readonly flags: readonly TeamFlag[];
  /** The team's spent days in the org's current quarter; null when it is not in the rollup. */
  readonly orgSpent: Split | null;
  /**
   * Investment days the team is short of the org target in the org's current quarter,
   * t × (roadmap + investment) − investment: positive holds the company below its target,
   * negative above. The teams' contributions add up to the org's gap. Null without a target.
   */
  readonly contribution: number | null;
  /** Why the team is not in the org rollup, in words; null when it is. */
  readonly notSummed: string | null;
}

/** An org quarter as the page gets it: its day totals null when teams are hidden from the caller. */
export type OrgQuarterView = Omit<OrgQuarterReport, "spent"> & { readonly spent: Split | null };

export interface OrgOverview {
  readonly now: string;
  readonly org: {
    /** The org's current quarter; null when no team has a report yet. */
    readonly quarter: OrgQuarterView | null;
    readonly quarters: readonly OrgQuarterView[];
    readonly verdict: Verdict;
    /** The status in the words a team's page uses for a current quarter. */
    readonly words: string;
    /** Flags open on the org's current quarter. */
    readonly flags: readonly Flag[];
    /**
     * t × (roadmap + investment) − investment over the current quarter, in days; null without a
     * target, or when teams are hidden from the caller (see `hiddenTeams`).
     */
    readonly gap: number | null;
    /** Which way the gap points: 1 below the target, −1 above, 0 on it; null without a target. */
    readonly gapSign: 1 | 0 | -1 | null;
  };
  /** The teams the caller may see. */
  readonly teams: readonly OrgTeamRow[];
  /**
   * The teams that hold the company off its target (row keys), largest contribution to the gap
   * first: those whose contribution points the way the org's gap does. Empty when the org is
   * exactly on it. Only teams the caller may see.
   */
  readonly holdingOff: readonly string[];
  /** How many teams the caller may not see: summed in the company's numbers, not listed. */
  readonly hiddenTeams: number;
}

const TREND_LENGTH = 6;
const NO_FLAGS: FlagCounts = { critical: 0, warning: 0, info: 0 };

/** The org page's answer: every team, the org rollup, and who holds the company off target. */
export function computeOrgOverview(input: OrgOverviewInput): OrgOverview {
  const { now } = input;
  const ready = input.teams.flatMap((team) =>
    "report" in team.state ? [{ team, report: team.state.report }] : [],
  );

  // The org's quarters from what each team's report already summed for itself (SPEC §7): the
  // sums of teams' splits are the teams' own org splits added up.
  const currentStart = quarterOf(now, "UTC", input.fiscalYearStartMonth).start;
  const ownOrg = new Map<string, ReadonlyMap<number, Split>>();
  const notSummed = new Map<string, string>();
  for (const { team, report } of ready) {
    const teamId = report.teams[0]?.id;
    const quarters = report.org.quarters;
    if (teamId === undefined) {
      notSummed.set(team.key, "its report holds no team");
    } else if (quarters.length > 0 && !quarters.some((q) => Date.parse(q.start) === currentStart)) {
      notSummed.set(
        team.key,
        Date.parse(quarters.at(-1)?.start ?? "") < currentStart
          ? "its last report is from an earlier quarter"
          : "its fiscal year starts in another month than the company's",
      );
    } else {
      ownOrg.set(teamId, new Map(quarters.map((q) => [Date.parse(q.start), q.spent])));
    }
  }
  const summedIds = [...ownOrg.keys()];
  const earliest = Math.min(
    ...ready.flatMap(({ report }) => {
      const start = report.teams[0]?.quarters[0]?.start;
      return start === undefined ? [] : [Date.parse(start)];
    }),
  );
  const org =
    ready.length === 0
      ? null
      : reportOrg({
          now,
          fiscalYearStartMonth: input.fiscalYearStartMonth,
          teamIds: summedIds,
          earliestTeamQuarter: earliest,
          targets: input.orgTargets,
          ledger: {
            spentBetween: (teamId, start) => ownOrg.get(teamId)?.get(start) ?? emptySplit(),
          },
        });
  const orgQuarter = org?.quarters.at(-1) ?? null;
  const orgTarget = orgQuarter?.target ?? null;
  const gap = orgTarget && orgQuarter ? shortfall(orgQuarter.spent, orgTarget) : null;

  const teams = input.teams.map((team): OrgTeamRow => {
    const base = {
      key: team.key,
      source: team.source,
      boardId: team.boardId,
      projectKey: team.projectKey,
      teamUrl: team.teamUrl ?? null,
      name: team.name,
    };
    if (!("report" in team.state)) {
      return {
        ...base,
        syncing: team.state.syncing,
        computedAt: null,
        measure: null,
        quarter: null,
        verdict: { status: "no-data", severity: null },
        words: "No data yet",
        sentence: null,
        trend: [],
        openFlags: NO_FLAGS,
        flags: [],
        orgSpent: null,
        contribution: null,
        notSummed: "its first read is still running",
      };
    }
    const { report, computedAt } = team.state;
    const teamReport = report.teams[0];
    const reason = notSummed.get(team.key) ?? null;
    const orgSpent =
      teamReport && reason === null && orgQuarter
        ? (ownOrg.get(teamReport.id)?.get(Date.parse(orgQuarter.start)) ?? emptySplit())
        : null;
    const measure = teamReport?.actual ?? "delivered";
    const current = teamReport?.quarters.find((q) => q.state === "current") ?? null;
    const share = current ? current.investmentShare[measure] : null;
    const open = findOpenFlags(report, "info");
    return {
      ...base,
      syncing: null,
      computedAt,
      measure,
      quarter: current && {
        id: current.id,
        share,
        delivered: current.investmentShare.delivered,
        spent: current.investmentShare.spent,
        target: current.target,
        requiredShare: current.requiredShare,
      },
      verdict: judge(share, current?.target ?? null, current?.flags ?? []),
      ...(teamReport
        ? {
            words: verdictOf(teamReport).status.label,
            sentence: verdictOf(teamReport).headline.label,
          }
        : { words: "No data yet", sentence: null }),
      trend: (teamReport?.sprints ?? [])
        .filter((sprint) => sprint.state !== "future")
        .slice(-TREND_LENGTH)
        .map((sprint) => ({
          id: sprint.id,
          name: sprint.name,
          state: sprint.state,
          share: sprint.investmentShare[measure],
          target: sprint.target,
        })),
      openFlags: countBySeverity(open.map(({ flag }) => flag)),
      flags: open.map(({ periodName, flag }) => ({ periodName, flag })),
      orgSpent,
      contribution: orgSpent && orgTarget ? shortfall(orgSpent, orgTarget) : null,
      notSummed: reason,
    };
  });

  const hidden = input.hidden ?? new Set<string>();
  const shown = teams.filter((team) => !hidden.has(team.key));
  const hiddenTeams = teams.length - shown.length;
  const gapSign = gap === null ? null : gap > 0 ? 1 : gap < 0 ? -1 : 0;
  const holdingOff = shown
    .filter((team) => team.contribution !== null && Math.sign(team.contribution) === (gapSign ?? 0))
    .sort((a, b) => Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0))
    .map((team) => team.key);
  const orgFlags = (org?.flags ?? []).filter(
    (flag) => flag.period.kind === "org-quarter" && flag.period.id === orgQuarter?.id,
  );

  const orgVerdict = judge(orgQuarter?.investmentShare ?? null, orgTarget, orgQuarter?.flags ?? []);
  // With a team hidden, the company's days less the shown teams' would be the hidden ones'.
  const view = (quarter: OrgQuarterReport): OrgQuarterView =>
    hiddenTeams === 0 ? quarter : { ...quarter, spent: null };
  return {
    now: new Date(now).toISOString(),
    org: {
      quarter: orgQuarter && view(orgQuarter),
      quarters: (org?.quarters ?? []).map(view),
      verdict: orgVerdict,
      words: currentStatus(orgVerdict).label,
      flags: orgFlags,
      gap: hiddenTeams === 0 ? gap : null,
      gapSign,
    },
    teams: shown,
    holdingOff,
    hiddenTeams,
  };
}

/** t × (roadmap + investment) − investment: the investment missing for the split to be on t. */
function shortfall(split: Split, target: TargetRef): number {
  return target.investmentShare * (split.roadmap + split.investment) - split.investment;
}

function countBySeverity(flags: readonly Flag[]): FlagCounts {
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const flag of flags) counts[flag.severity]++;
  return counts;
}
