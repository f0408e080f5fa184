/**
 * `npm run bench:patterns`: what matching `titleMatches` on RE2 (re2js) costs against V8's own
 * backtracking RegExp, on a board of 20,000 titles, and how each engine grows on the catastrophic
 * pattern `^(\w+\s?)*$`. Prints ratios measured in this run, never asserts wall-clock.
 */
import { compileTitlePattern } from "../src/domain/title-pattern";

const TITLES = 20_000;
const WORDS = ["migrate", "ledger", "checkout", "retire", "queue", "refund", "spike:", "api", "v1"];
const PATTERNS = ["^spike:", "\\b(migrat|retir)e", "ledger|postgres", "[0-9]+", "^(\\w+\\s?)*$"];

/** Deterministic titles of 3–10 words, like a board's. */
function makeTitles(): string[] {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  return Array.from({ length: TITLES }, () =>
    Array.from({ length: 3 + (next() % 8) }, () => WORDS[next() % WORDS.length]).join(" "),
  );
}

function timeMs(run: () => void, repeat = 3): number {
  run(); // warm-up
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const titles = makeTitles();
console.log(`Matching ${TITLES} titles (best of 3, ms):\n`);
console.log("pattern                  RE2      V8   RE2/V8  matches");
for (const source of PATTERNS) {
  const re2 = compileTitlePattern(source);
  const v8 = new RegExp(source, "i");
  let re2Matches = 0;
  let v8Matches = 0;
  const re2Ms = timeMs(() => {
    re2Matches = titles.filter((title) => re2.test(title)).length;
  });
  const v8Ms = timeMs(() => {
    v8Matches = titles.filter((title) => v8.test(title)).length;
  });
  if (re2Matches !== v8Matches) throw new Error(`${source}: RE2 ${re2Matches}, V8 ${v8Matches}`);
  console.log(
    `${source.padEnd(22)} ${re2Ms.toFixed(1).padStart(6)} ${v8Ms.toFixed(1).padStart(7)} ${(re2Ms / v8Ms).toPrecision(2).padStart(7)}x ${String(re2Matches).padStart(8)}`,
  );
}

// The catastrophic pattern on "aaa…a!": V8 backtracks through every split of the a's, so it is
// only run up to lengths that finish; RE2 runs the 60 characters of the hostile title too.
const catastrophic = "^(\\w+\\s?)*$";
const re2 = compileTitlePattern(catastrophic);
const v8 = new RegExp(catastrophic, "i");
console.log(`\n${catastrophic} on "a".repeat(n - 1) + "!" (ms, best of 3):\n`);
console.log("  n      RE2        V8");
for (const n of [16, 18, 20, 22, 24, 60]) {
  const title = `${"a".repeat(n - 1)}!`;
  const re2Ms = timeMs(() => re2.test(title));
  const v8Ms =
    n <= 24
      ? timeMs(() => v8.test(title), 1)
          .toFixed(1)
          .padStart(9)
      : "  not run";
  console.log(`${String(n).padStart(3)} ${re2Ms.toFixed(3).padStart(8)} ${v8Ms}`);
}
