import { DAY, HOUR } from "./calendar";
import { lastEvent, newPlanItem, type OpenEpic, setStatus, statusOf, type TeamRun } from "./plan";
import { explicitLabel } from "./shapes";
import type { Classified } from "./types";

export function epicFor(run: TeamRun, category: Classified, childCreatedAt: number): OpenEpic {
  const open = run.openEpics[category];
  // A child never predates its epic, so cutting the plan at `now` cannot orphan it.
  const age = open === undefined ? -1 : childCreatedAt - open.item.createdAt;
  if (open !== undefined && open.slots > 0 && age > HOUR && age < 90 * DAY) {
    return open;
  }
  const topics = run.profile.vocabulary.epics[category];
  const count = run.epicCount[category]++;
  const topic = topics[count % topics.length] ?? "Follow-up";
  const round = Math.floor(count / topics.length);
  const project =
    run.profile.source === "linear" ? run.rng.pick(run.profile.vocabulary.projects) : null;
  const item = newPlanItem(run, {
    category,
    epic: true,
    title: round === 0 ? topic : `${topic} (phase ${round + 1})`,
    type: run.profile.source === "jira" ? "Epic" : "Issue",
    labels: [explicitLabel(run, category)],
    components: [],
    project: project ?? (run.profile.source === "jira" ? run.profile.id : null),
    parent: null,
    createdAt: run.rng.time(childCreatedAt - 14 * DAY, childCreatedAt - HOUR),
    initialSprints: [],
    initialEstimate: null,
  });
  const epic = { item, topic, slots: run.rng.int(6, 12) };
  run.openEpics[category] = epic;
  return epic;
}

/** An epic starts with its first child and is done a little after its last child is. */
export function settleEpics(run: TeamRun): void {
  const { rng } = run;
  for (const epic of run.items) {
    if (!epic.epic || epic.children.length === 0) continue;
    let started = Number.POSITIVE_INFINITY;
    let finished = Number.NEGATIVE_INFINITY;
    let open = false;
    for (const child of epic.children) {
      for (const event of child.events) {
        if (event.field === "status" && event.to === "inProgress")
          started = Math.min(started, event.at);
      }
      const status = statusOf(child);
      if (status === "done") finished = Math.max(finished, lastEvent(child, "status")?.at ?? 0);
      else if (status !== "canceled") open = true;
    }
    if (started === Number.POSITIVE_INFINITY) continue;
    setStatus(epic, started, "inProgress");
    if (!open && finished > started) {
      setStatus(epic, rng.time(finished + HOUR, finished + 2 * DAY), "done");
    }
  }
}
