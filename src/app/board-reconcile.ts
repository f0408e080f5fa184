import { z } from "zod";
import { type Store, storeKeys } from "../store/index";
import { readBoardHead } from "./board-data";
import { requestBoardSync, type SyncRequest } from "./board-sync-queue";
import { listKnownBoards } from "./board-sync";

/**
 * The reconcile of a site's boards: a full pull of each, once a day, to catch what events missed.
 * Jira meters a Forge app by points, 65,000 an hour by default for the app across every site it is
 * installed on (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/), and a full
 * pull costs about 2 points an issue, so the reconcile is spread: an hourly tick queues the boards
 * still due, oldest full pull first, while the site's reconcile points this hour stay within its
 * share of the app's hour. The plan lives in the store, so a tick that fails or is stopped leaves
 * the rest to the next one.
 */

/** The app's default hourly points quota across every site (Atlassian's documented default). */
export const APP_POINTS_PER_HOUR = 65_000;
/**
 * The share of the app's hourly quota one site's reconcile may spend in an hour, in percent. 10 %
 * leaves nine tenths of the quota to what people wait for (issue events, pages, label edits) on
 * every site, even with several sites reconciling in the same hour; a site still reconciles
 * 156,000 points a day, the full pulls of about 75,000 issues. Set `RECONCILE_SHARE_PERCENT` (a
 * Forge environment variable) to change it.
 */
export const DEFAULT_RECONCILE_SHARE_PERCENT = 10;
/** A board pulled in full this recently is not pulled again by the reconcile. */
export const RECONCILE_FRESH_MS = 24 * 3_600_000;
/**
 * Pushes of one tick at most: Forge takes 500 events a minute per installation
 * (https://developer.atlassian.com/platform/forge/limits-async-events), and issue events push too.
 */
export const RECONCILE_PUSHES_PER_TICK = 200;
/** A board whose size is not known yet (never pulled whole) is counted as this many issues. */
const UNKNOWN_BOARD_ISSUES = 1_000;
const HOUR_MS = 3_600_000;

/** The reconcile's points budget for one hour of one site, from the share in percent. */
export function reconcileBudget(sharePercent: unknown): number {
  const parsed = z.coerce.number().min(1).max(100).safeParse(sharePercent);
  const share = parsed.success ? parsed.data : DEFAULT_RECONCILE_SHARE_PERCENT;
  return Math.floor((APP_POINTS_PER_HOUR * share) / 100);
}

/**
 * Points a full pull of a board of this many issues costs: one per issue searched, one per issue
 * whose history is read, and the requests (one per 32 issues or so), as `npm run bench:jira`
 * measures on boards of 2,000 to 20,000 issues (4,072 to 40,630 points).
 */
export function fullPullPoints(issues: number): number {
  return Math.ceil((issues * 2_031) / 1_000) + 10;
}

const planSchema = z.object({
  /** When this round began: a new one begins a day later, once this one is done. */
  startedAt: z.number(),
  /** Boards still to queue in this round, in order. */
  due: z.array(z.number().int()),
  /** The start of the hour the points below were spent in. */
  hourStart: z.number(),
  /** Points queued in that hour; more than the budget when one board costs more than an hour's. */
  spent: z.number().nonnegative(),
  /** Jira said the app's quota is spent: nothing is queued before this. */
  pausedUntil: z.number().nullable(),
});
export type ReconcilePlan = z.infer<typeof planSchema>;

export interface ReconcilePorts {
  readonly store: Store;
  readonly now: () => number;
  readonly enqueue: (request: SyncRequest) => Promise<void>;
  /** True for the queue's own refusal of more events now (Forge's `RateLimitError`). */
  readonly isQueueLimit: (error: unknown) => boolean;
  /** Points one site's reconcile may spend in an hour ({@link reconcileBudget}). */
  readonly budget: number;
  /** True once the invocation should leave the rest to the next tick (its time limit). */
  readonly shouldStop?: () => boolean;
}

export interface ReconcileTick {
  readonly queued: number[];
  readonly skipped: number[];
  readonly failed: number[];
  /** Points the hour has spent after this tick, and the boards left for later ticks. */
  readonly spent: number;
  readonly due: number;
  readonly stoppedBy: "done" | "budget" | "pushes" | "queue-limit" | "paused" | "time";
}

export async function readReconcilePlan(store: Store): Promise<ReconcilePlan | null> {
  const parsed = planSchema.safeParse(await store.get(storeKeys.jiraReconcile()));
  return parsed.success ? parsed.data : null;
}

/**
 * Jira refused with the app's hourly quota spent: the reconcile queues nothing before `until`
 * (the reset Jira gave, or the next hour), so reconciles do not keep the quota spent.
 */
export async function pauseReconcile(
  store: Store,
  now: number,
  until: number | null,
): Promise<void> {
  const plan = await readReconcilePlan(store);
  const pausedUntil = Math.max(until ?? 0, hourOf(now) + HOUR_MS);
  await store.set(storeKeys.jiraReconcile(), {
    ...(plan ?? { startedAt: 0, due: [], hourStart: hourOf(now), spent: 0 }),
    pausedUntil,
  } satisfies ReconcilePlan);
}

const hourOf = (at: number): number => Math.floor(at / HOUR_MS) * HOUR_MS;

/**
 * One tick: begins the day's round when the last one is done and a day old, then queues the due
 * boards while the hour's budget lasts. A board pulled in full within the day is dropped; a board
 * whose push fails stays due for the next tick and the others go on; the queue's rate limit ends
 * the tick. The plan is saved after every push, so a tick stopped midway queues nothing twice.
 */
export async function reconcileTick(ports: ReconcilePorts): Promise<ReconcileTick> {
  const { store } = ports;
  const now = ports.now();
  let plan = await readReconcilePlan(store);
  const result = { queued: [] as number[], skipped: [] as number[], failed: [] as number[] };
  const finish = (stoppedBy: ReconcileTick["stoppedBy"]): ReconcileTick => ({
    ...result,
    spent: plan?.spent ?? 0,
    due: plan?.due.length ?? 0,
    stoppedBy,
  });
  if (plan !== null && plan.pausedUntil !== null && now < plan.pausedUntil) {
    return finish("paused");
  }
  if (plan === null || (plan.due.length === 0 && now - plan.startedAt >= RECONCILE_FRESH_MS)) {
    plan = {
      startedAt: now,
      due: await boardsOldestFirst(store),
      hourStart: plan?.hourStart ?? hourOf(now),
      spent: plan?.spent ?? 0,
      pausedUntil: null,
    };
  }
  // A new hour: what a board bigger than an hour's budget overspent is carried into it.
  const hours = Math.floor((now - plan.hourStart) / HOUR_MS);
  if (hours > 0) {
    const spent = Math.max(0, plan.spent - ports.budget * hours);
    plan = { ...plan, hourStart: hourOf(now), spent };
  }
  plan = { ...plan, pausedUntil: null };
  await store.set(storeKeys.jiraReconcile(), plan);
  const failed = new Set<number>();
  let stoppedBy: ReconcileTick["stoppedBy"] = "done";
  // Failed boards go to the end of the list: once only they are left, the tick is done.
  while (plan.due.length > 0 && !failed.has(plan.due[0] as number)) {
    if (ports.shouldStop?.() === true) {
      stoppedBy = "time";
      break;
    }
    const [boardId, ...rest] = plan.due as [number, ...number[]];
    const head = await readBoardHead(store, boardId);
    if (head !== null && now - Date.parse(head.fullAt) < RECONCILE_FRESH_MS) {
      result.skipped.push(boardId);
      plan = { ...plan, due: rest };
      await store.set(storeKeys.jiraReconcile(), plan);
      continue;
    }
    const cost = fullPullPoints(head?.issues ?? UNKNOWN_BOARD_ISSUES);
    // A board bigger than the budget goes alone into an hour that has spent nothing.
    if (plan.spent > 0 && plan.spent + cost > ports.budget) {
      stoppedBy = "budget";
      break;
    }
    if (result.queued.length + result.failed.length >= RECONCILE_PUSHES_PER_TICK) {
      stoppedBy = "pushes";
      break;
    }
    let queued: boolean;
    try {
      queued = await requestBoardSync(ports, boardId, { full: true });
    } catch (error) {
      if (ports.isQueueLimit(error)) {
        stoppedBy = "queue-limit";
        break;
      }
      console.warn(
        `Reconcile: board ${boardId} could not be queued (${error instanceof Error ? error.message : String(error)}); it is tried again at the next tick.`,
      );
      result.failed.push(boardId);
      failed.add(boardId);
      plan = { ...plan, due: [...rest, boardId] };
      await store.set(storeKeys.jiraReconcile(), plan);
      continue;
    }
    // Already queued in full: that pull is the reconcile, and its points are counted then.
    if (queued) result.queued.push(boardId);
    else result.skipped.push(boardId);
    plan = { ...plan, due: rest, spent: plan.spent + (queued ? cost : 0) };
    await store.set(storeKeys.jiraReconcile(), plan);
  }
  return finish(stoppedBy);
}

/** Every known board, the one whose last full pull is oldest (or never was) first. */
async function boardsOldestFirst(store: Store): Promise<number[]> {
  const boards = await listKnownBoards(store);
  const withAge: { boardId: number; fullAt: number }[] = [];
  // A few reads at a time, not thousands at once.
  for (let start = 0; start < boards.length; start += 50) {
    const chunk = boards.slice(start, start + 50);
    withAge.push(
      ...(await Promise.all(
        chunk.map(async ({ boardId }) => {
          const head = await readBoardHead(store, boardId);
          return { boardId, fullAt: head === null ? 0 : Date.parse(head.fullAt) };
        }),
      )),
    );
  }
  return withAge.sort((a, b) => a.fullAt - b.fullAt || a.boardId - b.boardId).map((b) => b.boardId);
}
