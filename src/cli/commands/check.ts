import { buildReport, findOpenFlags } from "../../app/build-report";
import { cleanText } from "../../app/render/plain-text";
import {
  choiceOption,
  flagOption,
  formatOptions,
  listOption,
  nowOption,
  parseCommandArgs,
  stringOption,
  type OptionSpecs,
} from "../args";
import { loadWorkspace, type CliIo } from "../io";

const OPTIONS: OptionSpecs = {
  input: { type: "string", value: "FILE", description: "workspace file to read (SPEC §11)" },
  demo: { type: "boolean", description: "use the embedded demo workspace instead" },
  now: { type: "string", value: "ISO", description: "the moment to check (default: now)" },
  team: { type: "string", multiple: true, value: "ID", description: "only this team (repeatable)" },
  "fail-on": {
    type: "string",
    value: "warning|critical",
    description: "lowest severity that fails the check (default: critical)",
  },
  help: { type: "boolean", description: "show this help" },
};

export const CHECK_HELP = `Usage: capacity-split check [--input FILE | --demo] [--fail-on warning|critical]

Exits 1 when a flag of that severity or worse is open in a current period (the team itself, an
active sprint, the latest closed sprint, the current quarter) and prints those flags; exits 0
otherwise. Meant for cron jobs and CI gates.

Options:
${formatOptions(OPTIONS)}
`;

export function runCheck(argv: readonly string[], io: CliIo): number {
  const args = parseCommandArgs("check", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(CHECK_HELP);
    return 0;
  }
  const minimum = choiceOption(args, "fail-on", ["warning", "critical"] as const, "critical");
  const now = nowOption(args, io.now ?? Date.now);
  const workspace = loadWorkspace(stringOption(args, "input"), flagOption(args, "demo"), now);
  const report = buildReport(workspace, { now, teamIds: listOption(args, "team") });
  const open = findOpenFlags(report, minimum);
  const scope = minimum === "critical" ? "critical" : "warning or critical";
  if (open.length === 0) {
    io.stdout.write(
      `OK: no ${scope} flag is open in a current period (${report.teams.length} team(s) checked).\n`,
    );
    return 0;
  }
  for (const { team, periodName, flag } of open) {
    io.stdout.write(
      `${cleanText(`${flag.severity.toUpperCase()} ${team.id} · ${periodName} · ${flag.code}: ${flag.message}`)}\n`,
    );
  }
  io.stdout.write(`FAIL: ${open.length} ${scope} flag(s) open in current periods.\n`);
  return 1;
}
