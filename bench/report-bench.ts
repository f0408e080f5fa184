/**
 * `npm run bench`: report time and peak memory on synthetic workspaces of growing size, against a
 * baseline that recomputes every sprint by scanning every item, and against the same workspace
 * without assignees (a version 1 file: status history, no person to share time between). Each size runs in its own process
 * so peak memory (max RSS) belongs to that size alone. Prints ratios, never asserts wall-clock.
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { resourceUsage } from "node:process";
import { computeReport } from "../src/domain/report";
import { computeSprintSplit, sprintStateAt, type SplitCandidate } from "../src/domain/sprint-split";
import { buildTimeline } from "../src/domain/timeline";
import { createContext } from "../src/domain/report";
import { classifyItem } from "../src/domain/classify";
import { generateSyntheticWorkspace, withoutAssignees } from "./synthetic-workspace";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const SIZES = [10_000, 100_000, 300_000];
/** The baseline is quadratic: it is timed on this many sprints and scaled to all of them. */
const BASELINE_SPRINT_SAMPLE = 40;

interface Measurement {
  items: number;
  sprints: number;
  events: number;
  generateMs: number;
  reportMs: number;
  /** The same workspace without assignees, timed in the same process. */
  v1StyleMs: number;
  baselineMs: number;
  baselineSampled: boolean;
  maxRssMb: number;
  rssBeforeMb: number;
}

function measure(itemCount: number): Measurement {
  let start = performance.now();
  const workspace = generateSyntheticWorkspace({ itemCount, now: NOW });
  const generateMs = performance.now() - start;
  const events = workspace.items.reduce((sum, item) => sum + item.history.length, 0);
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;

  const v1Style = withoutAssignees(workspace);
  computeReport(workspace, { now: NOW }); // warm-up: JIT and Intl caches
  computeReport(v1Style, { now: NOW });
  const runs = itemCount >= 300_000 ? 2 : 3;
  let best = Number.POSITIVE_INFINITY;
  let bestV1Style = Number.POSITIVE_INFINITY;
  // Interleaved, so a busy machine slows both alike.
  for (let i = 0; i < runs; i++) {
    start = performance.now();
    computeReport(workspace, { now: NOW });
    best = Math.min(best, performance.now() - start);
    start = performance.now();
    computeReport(v1Style, { now: NOW });
    bestV1Style = Math.min(bestV1Style, performance.now() - start);
  }

  // Baseline: every sprint scans every item.
  const context = createContext(workspace);
  const teamById = context.teamById;
  const all: SplitCandidate[] = workspace.items
    .filter((item) => item.status !== "canceled")
    .map((item) => ({
      timeline: buildTimeline(item),
      category: classifyItem(item, context).category,
      deliveredIn: null,
    }));
  const sample = workspace.sprints.slice(0, BASELINE_SPRINT_SAMPLE);
  start = performance.now();
  for (const sprint of sample) {
    const team = teamById.get(sprint.teamId);
    if (team) computeSprintSplit(sprint, sprintStateAt(sprint, NOW), NOW, all, team);
  }
  const baselineMs = ((performance.now() - start) * workspace.sprints.length) / sample.length;

  return {
    items: itemCount,
    sprints: workspace.sprints.length,
    events,
    generateMs,
    reportMs: best,
    v1StyleMs: bestV1Style,
    baselineMs,
    baselineSampled: sample.length < workspace.sprints.length,
    maxRssMb: resourceUsage().maxRSS / 1024,
    rssBeforeMb,
  };
}

/** `--sizes=100000,300000` picks the sizes; the default runs all three. */
function sizesFromArgs(args: readonly string[]): number[] {
  const option = args.find((arg) => arg.startsWith("--sizes="));
  if (option === undefined) return SIZES;
  const sizes = option
    .slice("--sizes=".length)
    .split(",")
    .map((text) => Number(text.replace(/_/g, "")));
  if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 1_000)) {
    throw new Error(
      `Invalid ${option}: expected item counts of at least 1000, separated by commas.`,
    );
  }
  return sizes;
}

function formatLoad(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(", ");
}

function main(): void {
  const child = process.argv[2];
  if (child && !child.startsWith("--")) {
    process.stdout.write(JSON.stringify(measure(Number(child))));
    return;
  }
  const loadBefore = formatLoad();
  const rows: Measurement[] = [];
  for (const size of sizesFromArgs(process.argv.slice(2))) {
    process.stderr.write(`measuring ${size.toLocaleString("en-US")} items...\n`);
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, process.argv[1] ?? "", String(size)],
      {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      },
    );
    rows.push(JSON.parse(out) as Measurement);
  }
  const first = rows[0];
  const header = [
    "items",
    "sprints",
    "events",
    "report ms",
    "v1-style ms",
    "×v1-style",
    "items/s",
    "×time vs 10k",
    "×items",
    "baseline ms",
    "speed-up",
    "peak RSS MB",
    "RSS before MB",
  ];
  const table = rows.map((r) => [
    r.items.toLocaleString("en-US"),
    String(r.sprints),
    r.events.toLocaleString("en-US"),
    r.reportMs.toFixed(0),
    r.v1StyleMs.toFixed(0),
    (r.reportMs / r.v1StyleMs).toFixed(2),
    Math.round((r.items / r.reportMs) * 1000).toLocaleString("en-US"),
    first ? (r.reportMs / first.reportMs).toFixed(1) : "",
    first ? (r.items / first.items).toFixed(0) : "",
    `${r.baselineMs.toFixed(0)}${r.baselineSampled ? "*" : ""}`,
    `${(r.baselineMs / r.reportMs).toFixed(0)}×`,
    r.maxRssMb.toFixed(0),
    r.rssBeforeMb.toFixed(0),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...table.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  for (const row of table) console.log(line(row));
  console.log(
    `\n* baseline timed on ${BASELINE_SPRINT_SAMPLE} sprints and scaled to all; it scans every item for every sprint.` +
      `\nTime grows ${first && rows.at(-1) ? ((rows.at(-1) as Measurement).reportMs / first.reportMs).toFixed(1) : "?"}× for ${first && rows.at(-1) ? ((rows.at(-1) as Measurement).items / first.items).toFixed(0) : "?"}× the items (linear would be equal).` +
      `\nv1-style: the same workspace without assignees (a version 1 file), in the same process.` +
      `\nPeak RSS includes the generated workspace itself (RSS before = after generating it).` +
      // Other work on the machine slows both columns alike; the ratios are what to read.
      `\nLoad average (1, 5, 15 min): ${loadBefore} before, ${formatLoad()} after, on ${cpus().length} CPUs.`,
  );
}

main();
