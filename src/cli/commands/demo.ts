import { generateDemoWorkspace } from "../../workspace/index";
import { formatOptions, nowOption, type OptionSpecs } from "../args";
import {
  HELP_OPTION,
  OUT_OPTION,
  nowOptionSpec,
  outOption,
  startCommand,
  writeOutput,
} from "../command";
import type { CliIo } from "../io";

const OPTIONS: OptionSpecs = {
  ...OUT_OPTION,
  ...nowOptionSpec("the moment the demo's history ends (default: now)"),
  ...HELP_OPTION,
};

export const DEMO_HELP = `Usage: capacity-split demo [--out FILE] [--now ISO]

Writes the embedded demo workspace (Jira boards and Linear teams over six quarters ending at the
current one, generated from a fixed seed) as a workspace file you can read, edit and report on.

Options:
${formatOptions(OPTIONS)}
`;

export function runDemo(argv: readonly string[], io: CliIo): number {
  const args = startCommand({ name: "demo", options: OPTIONS, help: DEMO_HELP }, argv, io);
  if (args === null) return 0;
  const now = nowOption(args, io.now ?? Date.now);
  const out = outOption(args);
  const text = `${JSON.stringify(generateDemoWorkspace(now), null, 2)}\n`;
  writeOutput(io, out, text, (file) => `Wrote the demo workspace to ${file}`);
  return 0;
}
