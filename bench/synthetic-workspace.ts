import type { HistoryEvent, Item, Sprint, Target, Team, Workspace } from "../src/domain/types";

const DAY = 86_400_000;

/** mulberry32: a small seeded generator, so every run measures the same workspace. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** People per team: the assignees of its started work (SPEC §6a splits their time). */
const PEOPLE_PER_TEAM = 8;

/**
 * A large synthetic workspace: `teams` teams of `sprintsPerTeam` two-week sprints ending at `now`,
 * and `itemCount` items spread over them with sprint moves, re-estimates, status histories and
 * assignee histories (assigned when started, some reassigned, some handed to another team's person).
 */
export function generateSyntheticWorkspace(options: {
  readonly itemCount: number;
  readonly teams?: number;
  readonly sprintsPerTeam?: number;
  readonly now: number;
  readonly seed?: number;
}): Workspace {
  const rand = random(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const teamCount = options.teams ?? 20;
  const perTeam = options.sprintsPerTeam ?? 100;
  const now = options.now;
  const first = now - perTeam * 14 * DAY + 7 * DAY;

  const teams: Team[] = [];
  const targets: Target[] = [];
  const sprints: Sprint[] = [];
  const sprintsByTeam: Sprint[][] = [];
  for (let t = 0; t < teamCount; t++) {
    const id = `T${t}`;
    teams.push({
      id,
      name: `Team ${t}`,
      source: "file",
      unit: t % 5 === 4 ? "issues" : "points",
      unestimatedWeight: 1,
      timezone: pick(["UTC", "Europe/Zurich", "America/New_York"]),
      labels: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
      rules: [],
    });
    targets.push({
      teamId: id,
      investmentShare: 0.3,
      tolerance: 0.05,
      effectiveFrom: "2020-01-01",
      setBy: "bench",
      reason: "bench",
    });
    const own: Sprint[] = [];
    for (let s = 0; s < perTeam; s++) {
      const startAt = first + s * 14 * DAY;
      const endAt = startAt + 14 * DAY;
      own.push({
        id: `${id}-S${s}`,
        teamId: id,
        name: `${id} ${s}`,
        startAt,
        endAt,
        completeAt: endAt <= now ? endAt : null,
      });
    }
    sprints.push(...own);
    sprintsByTeam.push(own);
  }

  const items: Item[] = [];
  const labelSets = [["capacity-roadmap"], ["capacity-investment"], ["tech-debt"], [], []];
  const types = ["Story", "Task", "Bug", "Tech Debt"];
  for (let i = 0; i < options.itemCount; i++) {
    const t = Math.floor(rand() * teamCount);
    const own = sprintsByTeam[t] as Sprint[];
    const index = Math.floor(rand() * own.length);
    const home = own[index] as Sprint;
    const createdAt = home.startAt - Math.floor(rand() * 20) * DAY;
    const history: HistoryEvent[] = [];
    const joinAt = rand() < 0.8 ? home.startAt - DAY : home.startAt + Math.floor(rand() * 10) * DAY;
    history.push({ at: joinAt, field: "sprint", from: [], to: [home.id] });
    let member: string[] = [home.id];
    const estimate = pick([1, 2, 3, 5, 8, null]);
    let current = estimate;
    if (rand() < 0.3) {
      const next = pick([2, 3, 5, 8, 13]);
      history.push({ at: joinAt + 2 * DAY, field: "estimate", from: current, to: next });
      current = next;
    }
    const next = own[index + 1];
    if (next && rand() < 0.25) {
      member = [...member, next.id];
      history.push({ at: home.endAt, field: "sprint", from: [home.id], to: member });
    }
    const r = rand();
    const status = r < 0.65 ? "done" : r < 0.8 ? "inProgress" : r < 0.95 ? "todo" : "canceled";
    let completedAt: number | null = null;
    let assignee: string | null = null;
    if (status !== "todo") {
      history.push({ at: joinAt + DAY, field: "status", from: "todo", to: "inProgress" });
      // Mostly the team's own people; a few items go to a person of a neighbouring team.
      const team = rand() < 0.05 ? (t + 1) % teamCount : t;
      assignee = `T${team}-P${Math.floor(rand() * PEOPLE_PER_TEAM)}`;
      history.push({ at: joinAt + DAY, field: "assignee", from: null, to: assignee });
      if (rand() < 0.2) {
        const next = `T${t}-P${Math.floor(rand() * PEOPLE_PER_TEAM)}`;
        history.push({
          at: joinAt + DAY + 6 * 3_600_000,
          field: "assignee",
          from: assignee,
          to: next,
        });
        assignee = next;
      }
    }
    if (status === "done") {
      completedAt = Math.min(now, joinAt + Math.floor(2 + rand() * 20) * DAY);
      history.push({ at: completedAt, field: "status", from: "inProgress", to: "done" });
    } else if (status === "canceled") {
      history.push({ at: joinAt + 3 * DAY, field: "status", from: "inProgress", to: "canceled" });
    }
    items.push({
      id: `T${t}-${i}`,
      teamId: `T${t}`,
      title: `Item ${i}`,
      type: pick(types),
      labels: pick(labelSets),
      components: [],
      project: null,
      parentId: null,
      estimate: current,
      status,
      assignee,
      createdAt: Math.min(createdAt, joinAt),
      completedAt,
      sprintIds: member,
      history,
    });
  }
  return { version: 1, settings: { fiscalYearStartMonth: 1 }, teams, targets, sprints, items };
}

/**
 * The same workspace as a version 1 file holds it: sprint, estimate and status history, but no
 * assignees. The report-time baseline of `npm run bench` (its spent has no person to sweep).
 */
export function withoutAssignees(workspace: Workspace): Workspace {
  return {
    ...workspace,
    items: workspace.items.map((item) => ({
      ...item,
      assignee: null,
      history: item.history.filter((e) => e.field !== "assignee"),
    })),
  };
}
