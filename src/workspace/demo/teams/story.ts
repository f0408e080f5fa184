import type { TeamCalendar } from "../calendar";
import type { Rng } from "../random";
import type { Declaration, SprintSlot } from "../types";

export const steady =
  (share: number, spread: number) => (_s: SprintSlot, _c: TeamCalendar, rng: Rng) => {
    const deliver = share + rng.range(-spread, spread);
    return { deliver, commit: deliver, squeeze: false };
  };

export const confirm = (
  investmentShare: number,
  tolerance: number,
  setBy: string,
): Declaration => ({
  investmentShare,
  tolerance,
  setBy,
  reason: "Quarterly confirmation",
});
