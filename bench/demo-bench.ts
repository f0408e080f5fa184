/**
 * `npm run bench:demo`: the embedded demo's generation time, which `npm start` and `--demo` pay on
 * every start, against two costs in the same run: a deep copy of the file it makes (a lower bound
 * for building that many objects) and the report computed on it. Prints ratios, never asserts.
 */
import { computeReport } from "../src/domain/report";
import { generateDemoWorkspace } from "../src/workspace/demo";
import { parseWorkspace } from "../src/workspace/load-workspace";

const NOW = Date.parse("2026-12-24T12:00:00Z");
const RUNS = 5;

/** The fastest of `RUNS` after one warm-up run, in ms. */
function fastest(run: () => unknown): number {
  run();
  let best = Number.POSITIVE_INFINITY;
  for (let index = 0; index < RUNS; index++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function main(): void {
  const file = generateDemoWorkspace(NOW);
  const parsed = parseWorkspace(file);
  if (!parsed.ok)
    throw new Error(`The demo is not a valid workspace: ${parsed.problems.join("; ")}`);
  const generateMs = fastest(() => generateDemoWorkspace(NOW));
  const copyMs = fastest(() => structuredClone(file));
  const reportMs = fastest(() => computeReport(parsed.workspace, { now: NOW }));
  const rows: [string, number][] = [
    ["generate the demo", generateMs],
    ["deep copy of its file (lower bound)", copyMs],
    ["report on it", reportMs],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(
    `demo: ${(file.items ?? []).length} items, ${(file.sprints ?? []).length} sprints; fastest of ${RUNS}`,
  );
  for (const [name, ms] of rows) {
    console.log(
      `${name.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms  ${(ms / copyMs).toFixed(1).padStart(6)}× copy`,
    );
  }
}

main();
