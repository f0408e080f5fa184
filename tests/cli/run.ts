import { runCli } from "../../src/cli/main";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output, a fixed clock and no TTY. */
export async function cli(
  args: readonly string[],
  options: {
    tty?: boolean;
    /** The terminal's width, as a TTY's `columns`. */
    columns?: number;
    stderrTty?: boolean;
    env?: Record<string, string>;
    now?: string;
  } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: {
      write: (text: string) => (stdout += text),
      isTTY: options.tty ?? false,
      columns: options.columns,
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.stderrTty ?? false },
    env: options.env ?? {},
    now: () => Date.parse(options.now ?? "2026-11-24T00:00:00Z"),
  });
  return { code, stdout, stderr };
}
