import { DAY, HOUR } from "./calendar";
import { epicFor } from "./epics";
import { TEAM_SIZE } from "./people";
import { moveInto, newPlanItem, setStatus, type TeamRun } from "./plan";
import { distinctTitle } from "./titles";
import type { SprintSlot } from "./types";

/**
 * The profile's long work: each of its people starts a piece of an epic as the last one is done,
 * in progress for weeks, in the sprint it starts in and carried into every sprint after until
 * done (Jira's sprint field keeps them all).
 */
export function planLongWork(run: TeamRun, sprints: readonly SprintSlot[], now: number): void {
  const { rng, profile } = run;
  const long = profile.longWork;
  const first = sprints[0];
  if (long === undefined || first === undefined) return;
  const people = (["roadmap", "investment"] as const).flatMap((category) =>
    Array.from({ length: long.people[category] }, (_, i) => ({
      category,
      slot: category === "roadmap" ? i : TEAM_SIZE - long.people.investment + i,
    })),
  );
  for (const { category, slot } of people) {
    // Under way before the first sprint, so every sprint shows the split the team works at.
    let start = first.startAt - rng.int(5, 40) * DAY;
    while (start < now) {
      const end = start + rng.int(long.days[0], long.days[1]) * DAY;
      const createdAt = start - rng.int(1, 5) * DAY;
      const epic = epicFor(run, category, createdAt);
      epic.slots--;
      const steps = run.profile.vocabulary.steps[category];
      const item = newPlanItem(run, {
        category,
        epic: false,
        title: distinctTitle(run, () => `${epic.topic}: ${rng.pick(steps)}`),
        type: category === "roadmap" ? "Story" : "Task",
        labels: [],
        components: [rng.pick(run.profile.vocabulary.components)],
        project: profile.id,
        parent: epic.item,
        createdAt,
        initialSprints: [],
        initialEstimate: long.estimate[category],
      });
      epic.item.children.push(item);
      run.owners.set(item, slot);
      // An investment epic goes to its people, whose time then stays all investment.
      if (category === "investment") run.owners.set(epic.item, slot);
      for (const sprint of sprints) {
        if (sprint.state === "future" || sprint.closeAt <= start || sprint.startAt >= end) continue;
        moveInto(run, item, Math.max(start, sprint.startAt - HOUR), sprint.id);
      }
      setStatus(item, start, "inProgress");
      setStatus(item, end, "done");
      start = end + rng.int(1, 3) * HOUR;
    }
  }
}
