import type { WorkspaceFile } from "../schema";
import { buildCalendar, iso } from "./calendar";
import { settleEpics } from "./epics";
import { planLongWork } from "./long-work";
import { toItemFile, toTeamFile } from "./output";
import { peopleOf } from "./people";
import type { PlanItem, TeamRun } from "./plan";
import { hashText, Rng } from "./random";
import { planFuture, planSprint } from "./sprint-plan";
import { buildSprints } from "./sprints";
import { declareTargets } from "./targets";
import { PROFILES } from "./teams/index";
import type { ItemFile, SprintFile, TeamProfile } from "./types";
import { planBacklogNoise } from "./work";

/** The seed of the demo's random choices (titles, sizes, timings). */
export const DEMO_SEED = 20_260_701;

function runTeam(
  profile: TeamProfile,
  teamIndex: number,
  now: number,
): { sprints: SprintFile[]; items: ItemFile[] } {
  const run: TeamRun = {
    profile,
    people: peopleOf(teamIndex),
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

/**
 * The embedded demo workspace at `now` (epoch ms): seven teams over the six calendar quarters
 * ending at the quarter holding `now`, in the workspace file format of SPEC §11. Deterministic:
 * the same `now` gives the same file, byte for byte.
 */
export function generateDemoWorkspace(now: number): WorkspaceFile {
  const sprints: SprintFile[] = [];
  const items: ItemFile[] = [];
  for (const [teamIndex, profile] of PROFILES.entries()) {
    const team = runTeam(profile, teamIndex, now);
    sprints.push(...team.sprints);
    items.push(...team.items);
  }
  return {
    version: 1,
    settings: { fiscalYearStartMonth: 1 },
    teams: PROFILES.map(toTeamFile),
    targets: declareTargets(PROFILES, now),
    sprints,
    items,
  };
}
