import type { WorkspaceFile } from "../schema";
import { buildCalendar, formatDate, iso } from "./calendar";
import { settleEpics } from "./epics";
import { planLongWork } from "./long-work";
import { toItemFile, toTeamFile } from "./output";
import type { PlanItem, TeamRun } from "./plan";
import { hashText, Rng } from "./random";
import { planFuture, planSprint } from "./sprint-plan";
import { buildSprints } from "./sprints";
import { PROFILES, VOCABULARY } from "./teams/index";
import type { ItemFile, SprintFile, TargetFile, TeamProfile } from "./types";
import { planBacklogNoise } from "./work";

/**
 * The embedded demo workspace: five Jira boards and two Linear teams over six calendar quarters
 * ending at the quarter holding `now`, with the stories a first-time user should find in the report:
 *
 * - Payments (PAY) squeezes investment ahead of a launch: the previous quarter slides well below its
 *   30 % target, the last sprints before the current quarter and every sprint since deliver none
 *   although they still commit near target, so the current quarter is at risk.
 * - Platform (PLAT) had its target lowered from 50 % to 35 % last quarter and kept delivering about
 *   60 % investment: the roadmap is starved.
 * - Checkout (CHK) delivers steadily a little above its 25 % target.
 * - Mobile (MOB) never declared a target.
 * - Data (DATA) leaves about 40 % of its work unlabelled, so its numbers are low-confidence.
 * - Growth (GRO) runs one-week cycles counted in issues and has not confirmed its target lately.
 * - Identity (IDN) has two of its five people on a long investment epic, each piece weeks in
 *   progress and small in points: judged on spent effort (SPEC §6a) it is on target, while its
 *   delivered points alone would flag it below target sprint after sprint.
 *
 * Work is assigned when it is started, to one of the team's five people, so spent effort (SPEC
 * §6a) reads where each team's time went.
 *
 * Everything is derived from `now` and {@link DEMO_SEED}, so the same `now` always gives the same
 * file; the stories are built into the plan of each sprint rather than left to chance.
 */

/** The seed of the demo's random choices (titles, sizes, timings). */
export const DEMO_SEED = 20_260_701;

function runTeam(profile: TeamProfile, now: number): { sprints: SprintFile[]; items: ItemFile[] } {
  const vocabulary = VOCABULARY[profile.id];
  if (vocabulary === undefined) throw new Error(`No demo vocabulary for team ${profile.id}.`);
  const run: TeamRun = {
    profile,
    vocabulary,
    rng: new Rng(DEMO_SEED ^ hashText(profile.id)),
    calendar: buildCalendar(profile.timezone, now),
    items: [],
    backlog: [],
    openEpics: {},
    epicCount: { roadmap: 0, investment: 0 },
    titles: new Set(),
    owners: new Map(),
  };
  const sprints = buildSprints(run, now);
  let carry: PlanItem[] = [];
  sprints.forEach((sprint, index) => {
    const next = sprints[index + 1];
    if (sprint.state === "future") {
      const active = sprints[index - 1];
      if (active !== undefined) planFuture(run, sprint, active, now);
    } else {
      carry = planSprint(run, sprint, carry, next);
    }
  });
  planLongWork(run, sprints, now);
  planBacklogNoise(run, now);
  settleEpics(run);

  // Keys follow creation order, as Jira and Linear number issues.
  const alive = run.items
    .filter((item) => item.createdAt <= now)
    .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  const keys = new Map<PlanItem, string>();
  alive.forEach((item, index) => keys.set(item, `${profile.id}-${profile.firstKey + index}`));

  return {
    sprints: sprints.map((sprint) => ({
      id: sprint.id,
      teamId: profile.id,
      name: sprint.name,
      startAt: iso(sprint.startAt),
      endAt: iso(sprint.endAt),
      completeAt: sprint.completeAt === null ? null : iso(sprint.completeAt),
    })),
    items: alive.map((item) => toItemFile(run, item, keys, now)),
  };
}

function declareTargets(now: number): TargetFile[] {
  const calendars = PROFILES.map((profile) => buildCalendar(profile.timezone, now));
  const targets: TargetFile[] = [];
  for (let index = 0; index < 6; index++) {
    PROFILES.forEach((profile, teamIndex) => {
      const quarter = calendars[teamIndex]?.quarters[index];
      const declaration = quarter === undefined ? null : profile.declare(index, quarter);
      if (quarter === undefined || declaration === null) return;
      targets.push({
        teamId: profile.id,
        ...declaration,
        effectiveFrom: formatDate(quarter.firstDay),
      });
    });
  }
  // In declaration order, which is date order: teams in zones east of UTC may already be a
  // quarter ahead of the others.
  return targets.sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0,
  );
}

/**
 * The embedded demo workspace at `now` (epoch ms): seven teams over the six calendar quarters
 * ending at the quarter holding `now`, in the workspace file format of SPEC §11. Deterministic:
 * the same `now` gives the same file, byte for byte.
 */
export function generateDemoWorkspace(now: number): WorkspaceFile {
  const sprints: SprintFile[] = [];
  const items: ItemFile[] = [];
  for (const profile of PROFILES) {
    const team = runTeam(profile, now);
    sprints.push(...team.sprints);
    items.push(...team.items);
  }
  return {
    version: 1,
    settings: { fiscalYearStartMonth: 1 },
    teams: PROFILES.map(toTeamFile),
    targets: declareTargets(now),
    sprints,
    items,
  };
}
