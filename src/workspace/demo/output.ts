import { iso } from "./calendar";
import { TEAM_SIZE } from "./people";
import type { PlanItem, TeamRun } from "./plan";
import { hashText } from "./random";
import type { HistoryFile, ItemFile, Status, TeamFile, TeamProfile } from "./types";

function sameSprints(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * The person who starts an item: from the item's own number, not the team's random stream, so
 * assigning work changes no other choice the demo makes. Reopened work goes back to them.
 */
function assigneeOf(run: TeamRun, item: PlanItem): string {
  const others = TEAM_SIZE - (run.profile.longWork?.people.investment ?? 0);
  const slot = run.owners.get(item) ?? hashText(`${run.profile.id}:${item.seq}`) % others;
  const person = run.people[slot];
  if (person === undefined) throw new Error(`Team ${run.profile.id} has no person ${slot}.`);
  return person;
}

/** Applies `now`: later events never happened, and every `from` is the `to` before it. */
export function toItemFile(
  run: TeamRun,
  item: PlanItem,
  keys: ReadonlyMap<PlanItem, string>,
  now: number,
): ItemFile {
  const id = keys.get(item) ?? "";
  const events = item.events.filter((event) => event.at <= now).sort((a, b) => a.at - b.at);
  let sprints = item.initialSprints;
  let estimate = item.initialEstimate;
  let status: Status = "todo";
  let doneAt: number | null = null;
  let assignee: string | null = null;
  const history: HistoryFile[] = [];
  for (const event of events) {
    const at = iso(event.at);
    if (event.field === "sprint") {
      if (sameSprints(sprints, event.to)) continue;
      history.push({ at, field: "sprint", from: [...sprints], to: [...event.to] });
      sprints = event.to;
    } else if (event.field === "estimate") {
      if (estimate === event.to) continue;
      history.push({ at, field: "estimate", from: estimate, to: event.to });
      estimate = event.to;
    } else {
      if (status === event.to) continue;
      if (event.to === "inProgress" && assignee === null) {
        assignee = assigneeOf(run, item);
        history.push({ at, field: "assignee", from: null, to: assignee });
      }
      history.push({ at, field: "status", from: status, to: event.to });
      status = event.to;
      doneAt = event.to === "done" || event.to === "canceled" ? event.at : null;
    }
  }
  // Jira stamps a resolution date on dropped work too; Linear keeps completedAt for done work.
  const completedAt =
    status === "done" || (status === "canceled" && run.profile.source === "jira") ? doneAt : null;
  return {
    id,
    teamId: run.profile.id,
    title: item.title,
    type: item.type,
    labels: [...item.labels],
    components: [...item.components],
    project: item.project,
    parentId: item.parent === null ? null : (keys.get(item.parent) ?? null),
    estimate,
    status,
    assignee,
    createdAt: iso(item.createdAt),
    completedAt: completedAt === null ? null : iso(completedAt),
    sprintIds: [...sprints],
    history,
  };
}

export function toTeamFile(profile: TeamProfile): TeamFile {
  const team: TeamFile = {
    id: profile.id,
    name: profile.name,
    source: profile.source,
    unit: profile.unit,
    unestimatedWeight: 1,
    timezone: profile.timezone,
  };
  if (profile.source === "linear") team.labels = { roadmap: "Roadmap", investment: "Investment" };
  team.rules =
    profile.rules === undefined ? [] : profile.rules.map((rule) => structuredClone(rule));
  if (profile.actual !== undefined) team.actual = profile.actual;
  return team;
}
