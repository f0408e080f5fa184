/**
 * Runs one job (a tracker refresh) on a fixed interval and on request, never two at once. A request
 * that arrives while a run is going starts one more run after it, so a webhook received mid-run is
 * never lost; requests that pile up during the debounce window collapse into one run.
 */
export interface Scheduler {
  /** Runs now, or right after the current run; resolves with that run's outcome. */
  runNow(): Promise<RunOutcome>;
  /** Asks for a run after the debounce window (webhooks: a burst of events gives one run). */
  requestSoon(): void;
  /** The last run's outcome, or null before the first one ends. */
  last(): RunOutcome | null;
  stop(): Promise<void>;
}

export interface RunOutcome {
  readonly ok: boolean;
  readonly message: string;
  readonly at: number;
}

export interface SchedulerOptions {
  readonly run: () => Promise<string>;
  /** 0 or less: no periodic runs. */
  readonly everyMs: number;
  readonly debounceMs: number;
  readonly now?: () => number;
  readonly onOutcome?: (outcome: RunOutcome) => void;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? Date.now;
  let current: Promise<RunOutcome> | null = null;
  let next: Promise<RunOutcome> | null = null;
  let lastOutcome: RunOutcome | null = null;
  let debounce: NodeJS.Timeout | null = null;
  let stopped = false;

  const runOnce = async (): Promise<RunOutcome> => {
    let outcome: RunOutcome;
    try {
      outcome = { ok: true, message: await options.run(), at: now() };
    } catch (error) {
      outcome = {
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        at: now(),
      };
    }
    lastOutcome = outcome;
    options.onOutcome?.(outcome);
    return outcome;
  };

  const runNow = (): Promise<RunOutcome> => {
    if (current === null) {
      current = runOnce().finally(() => {
        current = null;
      });
      return current;
    }
    // One queued run serves every request made while the current one is going.
    next ??= current.then(() => {
      next = null;
      return runNow();
    });
    return next;
  };

  const interval =
    options.everyMs > 0
      ? setInterval(() => {
          if (!stopped) void runNow();
        }, options.everyMs)
      : null;
  interval?.unref();

  return {
    runNow: () =>
      stopped
        ? Promise.resolve({ ok: false, message: "The server is shutting down.", at: now() })
        : runNow(),
    requestSoon() {
      if (stopped || debounce !== null) return;
      debounce = setTimeout(() => {
        debounce = null;
        void runNow();
      }, options.debounceMs);
      debounce.unref();
    },
    last: () => lastOutcome,
    async stop() {
      stopped = true;
      if (interval !== null) clearInterval(interval);
      if (debounce !== null) clearTimeout(debounce);
      await (next ?? current);
    },
  };
}
