import { spawnSync } from "node:child_process";

/**
 * The bin runs the compiled CLI, so tests that spawn it need a fresh build of src. Type errors are
 * `npm run typecheck`'s to report (it runs first in `npm run check`); tsc still emits on them, so
 * the tests of the parts that do compile can run and say what else is wrong.
 */
export default function setup(): void {
  const result = spawnSync(
    process.execPath,
    ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"],
    { stdio: "inherit" },
  );
  if (result.error) throw result.error;
  // 1: errors and nothing emitted (a broken tsconfig); 2: type errors, output emitted.
  if (result.status !== 0 && result.status !== 2) {
    throw new Error(`Building dist/ failed (tsc exit ${String(result.status)}).`);
  }
  if (result.status === 2) console.warn("dist/ was built despite type errors; see above.");
}
