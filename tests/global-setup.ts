import { execFileSync } from "node:child_process";

/** The bin runs the compiled CLI, so tests that spawn it need a fresh build of src. */
export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    stdio: "inherit",
  });
}
