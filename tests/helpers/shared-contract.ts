/**
 * Files of the contract kept beside the repository (`../shared`), which a clone on its own does not
 * have. A test that needs one runs when it is there (as in CI) and otherwise skips, saying so once.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type SharedFile =
  | { readonly path: string; readonly skipReason: null }
  | { readonly path: null; readonly skipReason: string };

/**
 * Where `../shared/<relative>` is, or why the tests named by `what` are skipped; the reason is
 * printed as one line when the file is missing.
 */
export function locateSharedFile(relative: string, what: string): SharedFile {
  const path = fileURLToPath(new URL(`../../../shared/${relative}`, import.meta.url));
  if (existsSync(path)) return { path, skipReason: null };
  const skipReason = `Skipped ${what}: ${path} does not exist (it sits beside the repository in CI).`;
  console.log(skipReason);
  return { path: null, skipReason };
}
