import { generateDemoWorkspace } from "../../workspace/index";
import {
  flagOption,
  formatOptions,
  nowOption,
  parseCommandArgs,
  stringOption,
  type OptionSpecs,
} from "../args";
import { checkOutputPath, writeFileAtomically, type CliIo } from "../io";

const OPTIONS: OptionSpecs = {
  out: {
    type: "string",
    value: "FILE",
    description: "write the workspace file here (default: stdout)",
  },
  now: {
    type: "string",
    value: "ISO",
    description: "the moment the demo's history ends (default: now)",
  },
  help: { type: "boolean", description: "show this help" },
};

export const DEMO_HELP = `Usage: capacity-split demo [--out FILE] [--now ISO]

Writes the embedded demo workspace (Jira boards and Linear teams over six quarters ending at the
current one, generated from a fixed seed) as a workspace file you can read, edit and report on.

Options:
${formatOptions(OPTIONS)}
`;

export function runDemo(argv: readonly string[], io: CliIo): number {
  const args = parseCommandArgs("demo", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  const now = nowOption(args, io.now ?? Date.now);
  const out = stringOption(args, "out");
  if (out !== undefined) checkOutputPath(out);
  const text = `${JSON.stringify(generateDemoWorkspace(now), null, 2)}\n`;
  if (out === undefined) {
    io.stdout.write(text);
  } else {
    writeFileAtomically(out, text);
    io.stderr.write(`Wrote the demo workspace to ${out}\n`);
  }
  return 0;
}
