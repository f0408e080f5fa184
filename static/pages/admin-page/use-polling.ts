import { useEffect } from "react";

/**
 * Calls `tick` every `everyMs` while `watching` is set, at most `times` times, then `giveUp`. A new
 * value of `watching` starts over, with the `tick` of the render that set it.
 */
export function usePolling(
  watching: unknown,
  options: { readonly everyMs: number; readonly times: number; readonly giveUp: () => void },
  tick: () => void,
): void {
  const { everyMs, times } = options;
  useEffect(() => {
    if (watching === undefined) return;
    let polls = 0;
    const timer = setInterval(() => {
      polls += 1;
      if (polls > times) return options.giveUp();
      tick();
    }, everyMs);
    return () => clearInterval(timer);
    // The tick and give-up of the render that set `watching` are the ones to keep calling.
  }, [watching, everyMs, times]);
}
