import { classifyItem, type ClassificationContext } from "./classify";
import {
  detectQuarterFlags,
  detectSprintFlags,
  detectTeamFlags,
  type SprintFlagInput,
} from "./flags";
import { localDate } from "./quarter-calendar";
import { reportOrg } from "./org";
import { computeQuarterSplits, computeRequired } from "./quarter-split";
import { computeSpent, type SpentInput, type SpentLedger } from "./spent";
import { investmentShareOf, unclassifiedShareOf } from "./split";
import {
  computeSprintSplit,
  findDeliverySprint,
  sprintEnd,
  sprintStateAt,
  type SplitCandidate,
} from "./sprint-split";
import { latestTarget, resolveTarget } from "./targets";
import { buildTimeline, type Timeline } from "./timeline";
import type {
  Classification,
  Flag,
  Item,
  QuarterReport,
  Report,
  Sprint,
  SprintReport,
  SprintState,
  Target,
  TargetRef,
  Team,
  TeamReport,
  Workspace,
} from "./types";

export interface ReportOptions {
  /** The moment the report describes, epoch ms. */
  readonly now: number;
  /** Only these teams, in workspace order; all when absent. */
  readonly teamIds?: readonly string[];
}

interface SprintEntry {
  readonly sprint: Sprint;
  readonly state: SprintState;
  readonly order: number;
}

/**
 * SPEC §10: the report of a workspace at `now`. Items are indexed by every sprint they ever
 * belonged to, so the cost grows with items plus history events, not sprints × items.
 */
export function computeReport(workspace: Workspace, options: ReportOptions): Report {
  const { now } = options;
  const context = createContext(workspace);
  const sprintById = new Map<string, SprintEntry>();
  const sortedSprints = sortByStart(workspace.sprints);
  sortedSprints.forEach((sprint, order) =>
    sprintById.set(sprint.id, { sprint, state: sprintStateAt(sprint, now), order }),
  );

  const candidates = new Map<string, SplitCandidate[]>();
  const deliveredByTeam = new Map<
    string,
    { timeline: Timeline; category: Classification["category"] }[]
  >();
  const wanted = options.teamIds ? new Set(options.teamIds) : null;
  const classifications = new Map<Item, Classification>();
  // SPEC §6a: n counts every item of the workspace, whatever the teams reported.
  const spentInputs: SpentInput[] = [];
  for (const item of workspace.items) {
    const timeline = buildTimeline(item);
    const reported = !wanted || wanted.has(item.teamId);
    if (!reported && item.sprintIds.length === 0 && item.history.length === 0) {
      spentInputs.push({ timeline, book: null });
      continue;
    }
    const classification = classifyItem(item, context);
    classifications.set(item, classification);
    const category = classification.category;
    spentInputs.push({ timeline, book: reported ? { teamId: item.teamId, category } : null });
    if (item.status === "canceled") continue;
    const candidate: SplitCandidate = {
      timeline,
      category,
      deliveredIn: findDeliverySprint(timeline, sprintById, now),
    };
    for (const sprintId of timeline.everSprintIds) {
      const entry = sprintById.get(sprintId);
      if (!entry || (wanted && !wanted.has(entry.sprint.teamId))) continue;
      let list = candidates.get(sprintId);
      if (!list) candidates.set(sprintId, (list = []));
      list.push(candidate);
    }
    if (timeline.completion !== null && (!wanted || wanted.has(item.teamId))) {
      let list = deliveredByTeam.get(item.teamId);
      if (!list) deliveredByTeam.set(item.teamId, (list = []));
      list.push(candidate);
    }
  }

  const ledger = computeSpent(spentInputs, now);
  const teams = workspace.teams.filter((team) => !wanted || wanted.has(team.id));
  const itemsByTeam = groupBy(workspace.items, (item) => item.teamId);
  const sprintsByTeam = groupBy(sortedSprints, (sprint) => sprint.teamId);
  const targetsByTeam = groupBy(workspace.targets, (target) => target.teamId ?? "");
  const fiscalYearStartMonth = workspace.settings.fiscalYearStartMonth;
  const teamReports = teams.map((team) =>
    reportTeam(team, {
      now,
      fiscalYearStartMonth,
      targets: targetsByTeam.get(team.id) ?? [],
      sprints: (sprintsByTeam.get(team.id) ?? []).map((s) => sprintById.get(s.id) as SprintEntry),
      candidates,
      delivered: deliveredByTeam.get(team.id) ?? [],
      items: itemsByTeam.get(team.id) ?? [],
      classifications,
      itemById: context.itemById,
      ledger,
    }),
  );
  return {
    version: 2,
    now: iso(now),
    teams: teamReports,
    org: reportOrg({
      now,
      fiscalYearStartMonth,
      teamIds: teams.map((team) => team.id),
      earliestTeamQuarter: Math.min(
        ...teamReports.map((team) => Date.parse(team.quarters[0]?.start ?? iso(now))),
      ),
      targets: workspace.targets.filter((target) => target.teamId === null),
      ledger,
    }),
  };
}

interface TeamInputs {
  readonly now: number;
  readonly fiscalYearStartMonth: number;
  readonly targets: readonly Target[];
  readonly sprints: readonly SprintEntry[];
  readonly candidates: ReadonlyMap<string, readonly SplitCandidate[]>;
  readonly delivered: readonly { timeline: Timeline; category: Classification["category"] }[];
  readonly items: readonly Item[];
  readonly classifications: ReadonlyMap<Item, Classification>;
  readonly itemById: ReadonlyMap<string, Item>;
  readonly ledger: SpentLedger;
}

function reportTeam(team: Team, input: TeamInputs): TeamReport {
  const { now, targets, ledger } = input;
  const zone = team.timezone;
  const measure = team.actual ?? "delivered";

  const sprintFacts = input.sprints.map(({ sprint, state }) => {
    const split = computeSprintSplit(
      sprint,
      state,
      now,
      input.candidates.get(sprint.id) ?? [],
      team,
    );
    const target = toRef(
      resolveTarget(targets, localDate(sprint.startAt, zone), localDate(sprint.endAt, zone)),
    );
    const spent =
      state === "future"
        ? null
        : ledger.spentBetween(team.id, sprint.startAt, sprintEnd(sprint, state, now));
    const actual = measure === "spent" ? spent : split.delivered;
    const flagInput: SprintFlagInput = {
      id: sprint.id,
      name: sprint.name,
      state,
      target,
      committed: split.committed,
      committedShare: investmentShareOf(split.committed),
      committedUnclassifiedShare: unclassifiedShareOf(split.committed),
      measure,
      actual,
      actualShare: actual && investmentShareOf(actual),
      actualUnclassifiedShare: actual && unclassifiedShareOf(actual),
    };
    return { sprint, state, split, spent, flagInput };
  });

  const closedSoFar: SprintFlagInput[] = [];
  const sprints: SprintReport[] = [];
  const sprintFlags: Flag[] = [];
  for (const { sprint, state, split, spent, flagInput } of sprintFacts) {
    const flags = detectSprintFlags(flagInput, closedSoFar, team.unit);
    if (state === "closed") closedSoFar.push(flagInput);
    sprintFlags.push(...flags);
    sprints.push({
      id: sprint.id,
      name: sprint.name,
      state,
      startAt: iso(sprint.startAt),
      endAt: iso(sprint.endAt),
      completeAt: sprint.completeAt === null ? null : iso(sprint.completeAt),
      target: flagInput.target,
      committed: { ...split.committed },
      added: { ...split.added },
      removed: { ...split.removed },
      delivered: { ...split.delivered },
      ...(split.carriedOver ? { carriedOver: { ...split.carriedOver } } : {}),
      ...(spent ? { spent } : {}),
      investmentShare: {
        committed: flagInput.committedShare,
        delivered: investmentShareOf(split.delivered),
        spent: spent && investmentShareOf(spent),
      },
      unclassifiedShare: {
        committed: flagInput.committedUnclassifiedShare,
        delivered: unclassifiedShareOf(split.delivered),
        spent: spent && unclassifiedShareOf(spent),
      },
      unestimated: split.unestimated,
      flags: flags.map(({ code, severity }) => ({ code, severity })),
    });
  }

  const quarterSplits = computeQuarterSplits(
    team,
    input.fiscalYearStartMonth,
    now,
    input.sprints.map((s) => s.sprint.startAt),
    input.delivered,
  );
  const quarterFlags: Flag[] = [];
  const quarters: QuarterReport[] = quarterSplits.map(({ bounds, state, delivered }) => {
    const target = toRef(resolveTarget(targets, bounds.firstDay, bounds.lastDay));
    const spent = ledger.spentBetween(team.id, bounds.start, Math.min(bounds.end, now));
    const actual = measure === "spent" ? spent : delivered;
    const required = computeRequired(actual, target, bounds, state, now);
    const flags = detectQuarterFlags({
      kind: "quarter",
      id: bounds.id,
      state,
      target,
      measure,
      share: investmentShareOf(actual),
      unclassifiedShare: unclassifiedShareOf(actual),
      requiredToBand: required.requiredToBand,
    });
    quarterFlags.push(...flags);
    return {
      id: bounds.id,
      start: iso(bounds.start),
      end: iso(bounds.end),
      state,
      target,
      delivered: { ...delivered },
      spent,
      investmentShare: {
        delivered: investmentShareOf(delivered),
        spent: investmentShareOf(spent),
      },
      unclassifiedShare: {
        delivered: unclassifiedShareOf(delivered),
        spent: unclassifiedShareOf(spent),
      },
      ...required,
      flags: flags.map(({ code, severity }) => ({ code, severity })),
    };
  });

  const current = quarterSplits[quarterSplits.length - 1];
  const currentReport = quarters[quarters.length - 1];
  const teamFlags =
    current && currentReport
      ? detectTeamFlags(
          team,
          {
            id: current.bounds.id,
            firstDay: current.bounds.firstDay,
            target: currentReport.target,
          },
          latestTarget(targets),
        )
      : [];

  // The default sort orders strings by UTF-16 code units, the order SPEC §10 asks for.
  const byId = input.itemById;
  const items = input.items
    .map((item) => item.id)
    .sort()
    .map((id) => {
      const { category, source, via } = input.classifications.get(
        byId.get(id) as Item,
      ) as Classification;
      return { id, category, source, via };
    });

  return {
    id: team.id,
    name: team.name,
    unit: team.unit,
    actual: measure,
    sprints,
    quarters,
    flags: [...teamFlags, ...sprintFlags, ...quarterFlags],
    items,
  };
}

/** Lookup tables for classifying a workspace's items. */
export function createContext(workspace: Workspace): ClassificationContext {
  const itemById = new Map<string, Item>();
  for (const item of workspace.items) itemById.set(item.id, item);
  const teamById = new Map<string, Team>();
  for (const team of workspace.teams) teamById.set(team.id, team);
  return { itemById, teamById };
}

function groupBy<T>(list: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of list) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}

function sortByStart(sprints: readonly Sprint[]): Sprint[] {
  // Stable: sprints starting at the same instant keep their workspace order.
  return [...sprints].sort((a, b) => a.startAt - b.startAt);
}

function toRef(target: Target | null): TargetRef | null {
  return target === null
    ? null
    : { investmentShare: target.investmentShare, tolerance: target.tolerance };
}

/** ISO 8601 in UTC with milliseconds (SPEC §10). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
