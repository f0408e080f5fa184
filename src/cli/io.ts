import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Workspace } from "../domain/types";
import { generateDemoWorkspace } from "../workspace/demo";
import { parseWorkspace, parseWorkspaceText } from "../workspace/load-workspace";
import { CliError } from "./args";

export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock, epoch ms; tests pass a fixed one. */
  readonly now?: () => number;
}

/** The workspace from `--input FILE` or the embedded demo at `now`. Problems exit 2. */
export function loadWorkspace(input: string | undefined, demo: boolean, now: number): Workspace {
  if (input !== undefined && demo)
    throw new CliError("Pass either --input FILE or --demo, not both.");
  if (input === undefined && !demo) {
    throw new CliError(
      "No workspace given. Pass --input FILE (a workspace file) or --demo (the embedded demo).",
    );
  }
  const result = demo
    ? parseWorkspace(generateDemoWorkspace(now))
    : parseWorkspaceText(readInput(input ?? ""));
  if (!result.ok) {
    const where = demo ? "the demo workspace" : input;
    throw new CliError(`${where} is not a valid workspace file:\n${result.problems.join("\n")}`);
  }
  return result.workspace;
}

function readInput(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : String(error);
    throw new CliError(`Cannot read --input ${path}: ${reason}.`, 2);
  }
}

/**
 * Writes a file whole or not at all: a temporary sibling renamed into place, so a failure never
 * leaves half a report behind.
 */
export function writeFileAtomically(path: string, content: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`Cannot write --out ${path}: ${reason}`, 1);
  }
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return io.stdout.isTTY === true && (noColor === undefined || noColor === "");
}
