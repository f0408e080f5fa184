import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Workspace } from "../domain/index";
import { generateDemoWorkspace, parseWorkspace, parseWorkspaceText } from "../workspace/index";
import { CliError } from "./args";

export interface CliIo {
  readonly stdout: {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    /** A terminal's width in columns, as Node's `process.stdout.columns` gives it. */
    readonly columns?: number;
  };
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
 * Refuses an output path before any work is done, so a long pull never ends in a file that cannot
 * be written: its directory must exist and the path must not be a directory. Exit 2 otherwise.
 */
export function checkOutputPath(path: string, option = "--out"): void {
  const directory = dirname(resolve(path));
  let problem: string | null = null;
  try {
    if (!statSync(directory).isDirectory()) problem = `${directory} is not a directory`;
    else if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
      problem = "it is a directory; give a file name";
    } else accessSync(directory, constants.W_OK);
  } catch (error) {
    problem = describeFileError(error, directory);
  }
  if (problem !== null) throw new CliError(`Cannot write ${option} ${path}: ${problem}.`, 2);
}

/**
 * Writes a file whole or not at all: a temporary file in the same directory, flushed to disk and
 * renamed over `path`, so a reader never sees half a file and a failure leaves neither a partial
 * nor a temporary file behind (an existing file at `path` stays as it was). The directory is
 * flushed after the rename, so after a crash (power, kernel) `path` holds the old content or the
 * new, never a name that points at neither.
 */
export function writeFileAtomically(path: string, content: string, option = "--out"): void {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  let fd: number | null = null;
  try {
    // "wx": never follows or reuses an existing file of that name.
    fd = openSync(temporary, "wx", 0o666);
    writeFileSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temporary, path);
    syncDirectory(dirname(path));
  } catch (error) {
    try {
      if (fd !== null) closeSync(fd);
    } finally {
      rmSync(temporary, { force: true });
    }
    const code = errorCode(error);
    const exitCode = PATH_ERRORS.has(code) ? 2 : 1;
    const reason = describeFileError(error, dirname(resolve(path)));
    throw new CliError(`Cannot write ${option} ${path}: ${reason}.`, exitCode, { cause: error });
  }
}

/**
 * Flushes a directory's entries (a rename, a new file) to disk, as fsync(2) asks of a program
 * that needs them to survive a crash. Platforms that cannot open or sync a directory (Windows)
 * answer EISDIR, EPERM or EINVAL; there the rename is as durable as the platform makes it.
 */
export function syncDirectory(directory: string): void {
  let fd: number;
  try {
    fd = openSync(directory, "r");
  } catch (error) {
    if (UNSYNCABLE_DIRECTORY.has(errorCode(error))) return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!UNSYNCABLE_DIRECTORY.has(errorCode(error))) throw error;
  } finally {
    closeSync(fd);
  }
}

const UNSYNCABLE_DIRECTORY = new Set(["EISDIR", "EPERM", "EINVAL", "ENOTSUP"]);

/** Errors that say the path itself is wrong (exit 2) rather than that writing failed (exit 1). */
const PATH_ERRORS = new Set([
  "ENOENT",
  "ENOTDIR",
  "EISDIR",
  "EACCES",
  "EPERM",
  "EROFS",
  "ENAMETOOLONG",
]);

function errorCode(error: unknown): string {
  return error instanceof Error && "code" in error ? String(error.code) : "";
}

function describeFileError(error: unknown, directory: string): string {
  switch (errorCode(error)) {
    case "ENOENT":
      return `the directory ${directory} does not exist`;
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "EISDIR":
    case "ENOTEMPTY":
    case "EEXIST":
      return "it is a directory; give a file name";
    case "EACCES":
    case "EPERM":
      return `permission denied in ${directory}`;
    case "EROFS":
      return `${directory} is on a read-only file system`;
    case "ENOSPC":
      return "the disk is full";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A reader that goes away (`capacity-split report --demo | head -1`) ends the run at once and
 * quietly: EPIPE on stdout or stderr is the reader's choice, not a failure. Any other error on
 * them is one line on stderr and exit 1, never a stack trace.
 */
export function endQuietlyOnClosedPipe(
  streams: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream },
  exit: (code: number) => void,
): void {
  for (const name of ["stdout", "stderr"] as const) {
    streams[name].on("error", (error: unknown) => {
      if (errorCode(error) === "EPIPE") return exit(0);
      const reason = error instanceof Error ? error.message : String(error);
      if (name !== "stderr")
        streams.stderr.write(`capacity-split: cannot write to ${name}: ${reason}\n`);
      exit(1);
    });
  }
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return io.stdout.isTTY === true && (noColor === undefined || noColor === "");
}

/**
 * The columns the table is laid out for: `COLUMNS` when it is a whole number, else the width of
 * the terminal stdout is, else undefined (the table's default, 80). A file (`--out`) gets the
 * default unless `COLUMNS` asks otherwise.
 */
export function terminalColumns(io: CliIo, toFile: boolean): number | undefined {
  const fromEnv = io.env.COLUMNS?.trim() ?? "";
  if (/^[1-9]\d{0,4}$/.test(fromEnv)) return Number(fromEnv);
  const columns = io.stdout.columns;
  if (toFile || io.stdout.isTTY !== true || columns === undefined) return undefined;
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}
