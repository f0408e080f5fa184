import { parseArgs } from "node:util";
import { findMomentProblem, parseIsoTime } from "../workspace/index";

/** A failure the CLI reports in one message with its exit code (2: the invocation was wrong). */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 2,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  /** Shown in --help: `--format table|json`. */
  readonly value?: string;
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses a command's arguments strictly: unknown options, missing values and unexpected
 * positionals are errors that say what the command accepts.
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  options: OptionSpecs,
  maxPositionals = 0,
): ParsedArgs {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) },
    ]),
  );
  const { tokens, values, positionals } = parseArgs({
    args: [...argv],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const hint = `Run "capacity-split ${command} --help" for its options.`;
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    if (!spec) throw new CliError(`Unknown option ${token.rawName} for "${command}". ${hint}`);
    if (spec.type === "string" && token.value === undefined) {
      throw new CliError(
        `Option --${token.name} needs a value${spec.value ? `: ${spec.value}` : ""}.`,
      );
    }
    if (spec.type === "boolean" && token.inlineValue) {
      throw new CliError(`Option --${token.name} takes no value.`);
    }
  }
  if (positionals.length > maxPositionals) {
    const extra = positionals
      .slice(maxPositionals)
      .map((p) => JSON.stringify(p))
      .join(" ");
    throw new CliError(`Unexpected argument ${extra} for "${command}". ${hint}`);
  }
  return { values, positionals };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
}

export function flagOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** One of a fixed set of values, or an error naming them. */
export function choiceOption<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = stringOption(args, name);
  if (value === undefined) return fallback;
  const match = choices.find((choice) => choice === value);
  if (match === undefined) {
    throw new CliError(
      `Invalid --${name} value: ${JSON.stringify(value)}. Must be one of ${choices.join(", ")}.`,
    );
  }
  return match;
}

/**
 * `--now`: an ISO 8601 time with `Z` or an offset, or a date (its midnight UTC), defaulting to the
 * clock. Checked as the workspace file's times are (SPEC §11): a day that does not exist or a
 * time without an offset is an error, never a guess in the machine's timezone.
 */
export function nowOption(args: ParsedArgs, clock: () => number): number {
  const value = stringOption(args, "now");
  if (value === undefined) return clock();
  const problem = findMomentProblem(value);
  if (problem !== null) throw new CliError(`Invalid --now value: ${problem}.`);
  return parseIsoTime(value);
}

/** The help text of a command's options, aligned. */
export function formatOptions(options: OptionSpecs): string {
  const rows = Object.entries(options).map(([name, spec]) => [
    `--${name}${spec.value ? ` ${spec.value}` : ""}`,
    spec.description,
  ]);
  const width = Math.max(...rows.map(([left]) => (left ?? "").length));
  return rows.map(([left, right]) => `  ${(left ?? "").padEnd(width)}  ${right ?? ""}`).join("\n");
}
