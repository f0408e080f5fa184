/**
 * `npx tsx bench/text-width-bench.ts`: the cost of measuring and cutting names by grapheme
 * cluster and display width (string-width), as ratios against a lower bound that cuts by UTF-16
 * units (`String.prototype.slice`, which would break wide and emoji names), and the terminal
 * table's share of a report's cost on the demo. Prints ratios, never asserts wall-clock.
 */
import { performance } from "node:perf_hooks";
import { renderTable } from "../src/render/index";
import { truncateToWidth } from "../src/render/text-width";
import { computeReport } from "../src/domain/report";
import { generateDemoWorkspace } from "../src/workspace/demo";
import { parseWorkspace } from "../src/workspace/load-workspace";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const COUNT = 20_000;
const WIDTH = 15;

function median(run: () => void, runs = 5): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
}

const sets = {
  ascii: Array.from(
    { length: COUNT },
    (_, i) => `PAY ${i} Checkout hardening ${"x".repeat(i % 30)}`,
  ),
  mixed: Array.from(
    { length: COUNT },
    (_, i) => `PAY ${i} 決済 👨‍👩‍👧 🇨🇭 hardening ${"x".repeat(i % 30)}`,
  ),
};

console.log(`truncate ${COUNT} names to ${WIDTH} columns`);
console.log("names   slice (lower bound)   truncateToWidth   ratio");
for (const [kind, names] of Object.entries(sets)) {
  const bound = median(() => {
    for (const name of names) name.slice(0, WIDTH);
  });
  const measured = median(() => {
    for (const name of names) truncateToWidth(name, WIDTH);
  });
  console.log(
    `${kind.padEnd(7)} ${`${bound.toFixed(1)} ms`.padStart(19)}   ${`${measured.toFixed(1)} ms`.padStart(15)}   ${(measured / bound).toFixed(0).padStart(5)}×`,
  );
}

const loaded = parseWorkspace(generateDemoWorkspace(NOW));
if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
const workspace = loaded.workspace;
const report = computeReport(workspace, { now: NOW });
const reportMs = median(() => computeReport(workspace, { now: NOW }));
const tableMs = median(() => renderTable(report, { color: false }));
console.log(
  `\ndemo (${workspace.items.length} items): renderTable ${tableMs.toFixed(1)} ms = ${(tableMs / reportMs).toFixed(2)} × computeReport (${reportMs.toFixed(1)} ms)`,
);
