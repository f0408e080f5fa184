import { existsSync } from "node:fs";

/** Where Chromium or Chrome is installed by Debian, Ubuntu, Fedora, the snap store and macOS. */
const USUAL_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/** `CHROMIUM_PATH` when set, else the first of the usual paths that exists; or why there is none. */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): { readonly path: string } | { readonly reason: string } {
  const given = env.CHROMIUM_PATH;
  if (given !== undefined && given !== "") {
    return exists(given)
      ? { path: given }
      : { reason: `CHROMIUM_PATH is ${given}, which does not exist` };
  }
  const path = USUAL_PATHS.find((candidate) => exists(candidate));
  return path === undefined
    ? {
        reason: `no Chromium at ${USUAL_PATHS.join(", ")}; install one (apt-get install chromium) or set CHROMIUM_PATH`,
      }
    : { path };
}
