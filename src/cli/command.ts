import type { Workspace } from "../domain/index";
import {
  CliError,
  flagOption,
  parseCommandArgs,
  stringOption,
  type OptionSpec,
  type OptionSpecs,
  type ParsedArgs,
} from "./args";
import { checkOutputPath, loadWorkspace, writeFileAtomically, type CliIo } from "./io";

/** `--input FILE | --demo`: where a command reads its workspace. */
export const WORKSPACE_OPTIONS = {
  input: { type: "string", value: "FILE", description: "workspace file to read (SPEC §11)" },
  demo: { type: "boolean", description: "use the embedded demo workspace instead" },
} as const satisfies OptionSpecs;

export const HELP_OPTION = {
  help: { type: "boolean", description: "show this help" },
} as const satisfies OptionSpecs;

export const OUT_OPTION = {
  out: {
    type: "string",
    value: "FILE",
    description: "write the workspace file here (default: stdout)",
  },
} as const satisfies OptionSpecs;

/** `--now ISO`, described for what the command does with the moment. */
export function nowOptionSpec(description: string): { readonly now: OptionSpec } {
  return { now: { type: "string", value: "ISO", description } };
}

export interface CommandSpec {
  /** As the person types it: `pull linear`. */
  readonly name: string;
  readonly options: OptionSpecs;
  readonly help: string;
  readonly maxPositionals?: number;
}

/**
 * Parses a command's arguments strictly; with `--help` prints the command's help and returns
 * null, so the command ends with exit 0.
 */
export function startCommand(
  command: CommandSpec,
  argv: readonly string[],
  io: CliIo,
): ParsedArgs | null {
  const args = parseCommandArgs(command.name, argv, command.options, command.maxPositionals);
  if (flagOption(args, "help")) {
    io.stdout.write(command.help);
    return null;
  }
  return args;
}

/**
 * The first positional when it is the one word the command accepts (`pull jira`, `sync linear`);
 * otherwise an error: `missing` when there is none, `unknown(word)` when it is another.
 */
export function requireWord(
  args: ParsedArgs,
  word: string,
  messages: { readonly missing: string; readonly unknown: (given: string) => string },
): void {
  const given = args.positionals[0];
  if (given === word) return;
  throw new CliError(given === undefined ? messages.missing : messages.unknown(given));
}

/** The workspace of `--input FILE` or `--demo` at `now`. Problems exit 2. */
export function workspaceOption(args: ParsedArgs, now: number): Workspace {
  return loadWorkspace(stringOption(args, "input"), flagOption(args, "demo"), now);
}

/** `--out FILE`, checked before any work is done (see `checkOutputPath`). */
export function outOption(args: ParsedArgs): string | undefined {
  const out = stringOption(args, "out");
  if (out !== undefined) checkOutputPath(out);
  return out;
}

/**
 * A command's result: on stdout, or written whole to `out` with the line `written(out)` on
 * stderr saying what went there.
 */
export function writeOutput(
  io: CliIo,
  out: string | undefined,
  text: string,
  written: (out: string) => string,
): void {
  if (out === undefined) {
    io.stdout.write(text);
    return;
  }
  writeFileAtomically(out, text);
  io.stderr.write(`${written(out)}\n`);
}
