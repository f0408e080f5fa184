import { ReportRequestError } from "../app/index";
import { cleanLines } from "../render/index";
import { CliError } from "./args";
import { CHECK_HELP, runCheck } from "./commands/check";
import { DEMO_HELP, runDemo } from "./commands/demo";
import { EXPLAIN_HELP, runExplain } from "./commands/explain";
import { PULL_HELP, runPull } from "./commands/pull";
import { REPORT_HELP, runReport } from "./commands/report";
import { SYNC_HELP, runSync } from "./commands/sync";
import type { CliIo } from "./io";

export type { CliIo } from "./io";
export { endQuietlyOnClosedPipe } from "./io";

const VERSION = "0.1.0";

const COMMANDS: Record<
  string,
  {
    run: (argv: readonly string[], io: CliIo) => number | Promise<number>;
    help: string;
    summary: string;
  }
> = {
  report: {
    run: runReport,
    help: REPORT_HELP,
    summary: "the split per sprint and quarter, with flags",
  },
  check: {
    run: runCheck,
    help: CHECK_HELP,
    summary: "exit 1 when a flag is open now (for cron and CI)",
  },
  explain: { run: runExplain, help: EXPLAIN_HELP, summary: "an item's category and why" },
  demo: { run: runDemo, help: DEMO_HELP, summary: "write the demo workspace as a file" },
  pull: {
    run: runPull,
    help: PULL_HELP,
    summary: "read a Jira board or Linear teams into a workspace file",
  },
  sync: {
    run: runSync,
    help: SYNC_HELP,
    summary: "sync Linear: Capacity labels, optional write-back, reports inside Linear",
  },
};

export const MAIN_HELP = `Usage: capacity-split <command> [options]

Keeps the split of engineering capacity between roadmap and investment work explicit, measured
and visible, per sprint and per quarter, against the target the team declared.

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(8)} ${summary}`)
  .join("\n")}

Run "capacity-split <command> --help" for a command's options.
Try: capacity-split report --demo
`;

/** The whole CLI: resolves to the exit code; only this layer prints errors. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" && rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
    io.stdout.write(topic ? topic.help : MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(
      `Unknown command ${JSON.stringify(name)}. Commands: ${Object.keys(COMMANDS).join(", ")}. Run "capacity-split --help".\n`,
    );
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // Messages quote what they refused (a workspace file's values, a tracker's answer): as text.
    if (error instanceof CliError) {
      io.stderr.write(`capacity-split ${name}: ${cleanLines(error.message)}\n`);
      return error.exitCode;
    }
    if (error instanceof ReportRequestError) {
      io.stderr.write(`capacity-split ${name}: ${cleanLines(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}
