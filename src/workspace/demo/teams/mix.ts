import type { TeamCalendar } from "../calendar";
import type { Rng } from "../random";
import type { SprintSlot } from "../types";

/** A team that delivers and commits about `share` investment, give or take `spread`, every sprint. */
export const steady =
  (share: number, spread: number) => (_s: SprintSlot, _c: TeamCalendar, rng: Rng) => {
    const deliver = share + rng.range(-spread, spread);
    return { deliver, commit: deliver, squeeze: false };
  };
