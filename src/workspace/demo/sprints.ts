import { addDays, daysBetween, localDate, MINUTE, zonedInstant } from "./calendar";
import type { TeamRun } from "./plan";
import type { SprintSlot } from "./types";

export function buildSprints(run: TeamRun, now: number): SprintSlot[] {
  const { profile, calendar, rng } = run;
  const { anchor, days, hour, firstNumber } = profile.cadence;
  const zone = profile.timezone;
  const starts = new Map<number, number>();
  const startOf = (index: number) => {
    let start = starts.get(index);
    if (start === undefined) {
      start = zonedInstant(addDays(anchor, index * days), hour, zone);
      starts.set(index, start);
    }
    return start;
  };

  let first = Math.ceil(daysBetween(anchor, calendar.first.firstDay) / days);
  while (startOf(first) < calendar.first.start) first++;
  let active = Math.floor(daysBetween(anchor, localDate(now, zone)) / days);
  while (startOf(active) > now) active--;
  while (startOf(active + 1) <= now) active++;

  const jira = profile.source === "jira";
  const slots: SprintSlot[] = [];
  for (let index = first; index <= active + 1; index++) {
    const number = firstNumber + index - first;
    const startAt = startOf(index);
    const endAt = startOf(index + 1);
    const state = index < active ? "closed" : index === active ? "active" : "future";
    // Jira sprints are closed by hand at the retro just before the next one starts; Linear
    // closes a cycle automatically at its end.
    const completeAt = state !== "closed" ? null : jira ? endAt - rng.int(10, 50) * MINUTE : endAt;
    slots.push({
      id: jira ? `${profile.id}-S${number}` : `${profile.id}-C${number}`,
      name: jira ? `${profile.id} Sprint ${number}` : `Cycle ${number}`,
      state,
      startAt,
      endAt,
      completeAt,
      closeAt: completeAt ?? endAt - 60 * MINUTE,
    });
  }
  return slots;
}
