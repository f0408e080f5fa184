import { spawnSync } from "node:child_process";

/**
 * The bin runs the bundled CLI (`npm run build`), so tests that spawn it need a fresh build of src.
 * Type errors are `npm run typecheck`'s to report; the bundler only fails on code it cannot parse.
 */
export default function setup(): void {
  const result = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`Building dist/ failed (exit ${String(result.status)}).`);
}
