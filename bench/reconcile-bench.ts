/**
 * `npm run bench:reconcile`: a site's daily Jira reconcile as the hourly tick plans it, over 48
 * hours, for a few sites of different shapes. Each board's full pull is priced as `npm run
 * bench:jira` measures it (`fullPullPoints`: 4,072 points at 2,000 issues, 40,630 at 20,000). Prints
 * the most points one hour queued against the site's hourly budget (10 % of the app's 65,000),
 * the most pushes one minute against Forge's 500, the hours the round took, and the day's points
 * against the lower bound of a reconcile: an ids-only search of each board (1 point per issue
 * returned plus 1 per request of up to 5,000 ids). Asserts nothing about wall-clock time.
 */
import { RateLimitError } from "@forge/events";
import {
  APP_POINTS_PER_HOUR,
  fullPullPoints,
  reconcileBudget,
  reconcileTick,
} from "../src/app/board-reconcile";
import { claimBoardSync } from "../src/app/board-sync-queue";
import { forgeQueue, siteWithBoards } from "../tests/helpers/reconcile-site";
import { BENCH_NOW, printColumns } from "./synthetic-jira";

const HOUR = 3_600_000;
const SITES = [
  { name: "600 boards × 100", boards: Array.from({ length: 600 }, () => 100) },
  { name: "50 boards × 2,000", boards: Array.from({ length: 50 }, () => 2_000) },
  { name: "3 boards × 20,000", boards: [20_000, 20_000, 20_000] },
  {
    name: "mixed (1 × 20,000, 20 × 1,000)",
    boards: [20_000, ...Array.from({ length: 20 }, () => 1_000)],
  },
];

const idsOnlyPoints = (issues: number): number => issues + Math.max(1, Math.ceil(issues / 5_000));

async function run(sizes: readonly number[]) {
  const store = await siteWithBoards(sizes, BENCH_NOW - 3 * 24 * HOUR);
  const budget = reconcileBudget(undefined);
  const clock = { now: BENCH_NOW };
  const queue = forgeQueue(clock);
  let doneAt: number | null = null;
  for (let hour = 0; hour < 48 && doneAt === null; hour++) {
    clock.now = BENCH_NOW + hour * HOUR;
    const tick = await reconcileTick({
      store,
      now: () => clock.now,
      enqueue: queue.enqueue,
      isQueueLimit: (error) => error instanceof RateLimitError,
      budget,
    });
    for (const push of queue.pushes) await claimBoardSync(store, push.request.boardId);
    if (tick.due === 0) doneAt = hour + 1;
  }
  const byHour = new Map<number, number>();
  const byMinute = new Map<number, number>();
  const pushes = queue.pushes.map((p) => ({ at: p.at, boardId: p.request.boardId }));
  for (const push of pushes) {
    const points = fullPullPoints(sizes[push.boardId - 1] ?? 0);
    const hour = Math.floor(push.at / HOUR);
    byHour.set(hour, (byHour.get(hour) ?? 0) + points);
    const minute = Math.floor(push.at / 60_000);
    byMinute.set(minute, (byMinute.get(minute) ?? 0) + 1);
  }
  const total = [...byHour.values()].reduce((a, b) => a + b, 0);
  const bound = sizes.reduce((sum, issues) => sum + idsOnlyPoints(issues), 0);
  return {
    budget,
    maxHour: Math.max(...byHour.values()),
    maxMinute: Math.max(...byMinute.values()),
    hours: doneAt,
    boards: new Set(pushes.map((p) => p.boardId)).size,
    total,
    bound,
  };
}

const rows: string[][] = [
  [
    "site",
    "boards queued",
    "hours",
    "most points an hour",
    "× budget",
    "× app's hour",
    "most pushes a minute",
    "× 500",
    "points",
    "× ids-only bound",
  ],
];
for (const site of SITES) {
  const r = await run(site.boards);
  rows.push([
    site.name,
    `${r.boards} / ${site.boards.length}`,
    r.hours === null ? "> 48" : String(r.hours),
    r.maxHour.toLocaleString("en-US"),
    (r.maxHour / r.budget).toFixed(2),
    (r.maxHour / APP_POINTS_PER_HOUR).toFixed(3),
    String(r.maxMinute),
    (r.maxMinute / 500).toFixed(2),
    r.total.toLocaleString("en-US"),
    (r.total / r.bound).toFixed(2),
  ]);
}
console.log(
  `Reconcile budget: ${reconcileBudget(undefined).toLocaleString("en-US")} points an hour a site.`,
);
printColumns(rows);
