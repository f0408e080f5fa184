import { buildReport } from "../../app/index";
import { counted, findOpenFlags, type Flag, type Report, type Severity } from "../../domain/index";
import { cleanText } from "../../render/index";
import { choiceOption, formatOptions, listOption, nowOption, type OptionSpecs } from "../args";
import {
  HELP_OPTION,
  WORKSPACE_OPTIONS,
  nowOptionSpec,
  startCommand,
  workspaceOption,
} from "../command";
import type { CliIo } from "../io";

const OPTIONS: OptionSpecs = {
  ...WORKSPACE_OPTIONS,
  ...nowOptionSpec("the moment to check (default: now)"),
  team: { type: "string", multiple: true, value: "ID", description: "only this team (repeatable)" },
  "fail-on": {
    type: "string",
    value: "info|warning|critical",
    description: "lowest severity that fails the check (default: critical; info counts notes too)",
  },
  ...HELP_OPTION,
};

export const CHECK_HELP = `Usage: capacity-split check [--input FILE | --demo] [--fail-on info|warning|critical]

Exits 1 when a flag of that severity or worse is open in a current period (the team itself, an
active sprint, the latest closed sprint, the current quarter) or on the org's current quarter,
and prints those flags; exits 0 otherwise. Meant for cron jobs and CI gates.

Options:
${formatOptions(OPTIONS)}
`;

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/** Flags on the org's current quarter (SPEC §7, §9) of at least the given severity. */
function findOpenOrgFlags(report: Report, minimum: Severity): Flag[] {
  const current = new Set(
    report.org.quarters.filter((quarter) => quarter.state === "current").map((q) => q.id),
  );
  return report.org.flags.filter(
    (flag) =>
      flag.period.kind === "org-quarter" &&
      current.has(flag.period.id) &&
      RANK[flag.severity] >= RANK[minimum],
  );
}

export function runCheck(argv: readonly string[], io: CliIo): number {
  const args = startCommand({ name: "check", options: OPTIONS, help: CHECK_HELP }, argv, io);
  if (args === null) return 0;
  const minimum = choiceOption(
    args,
    "fail-on",
    ["info", "warning", "critical"] as const,
    "critical",
  );
  const now = nowOption(args, io.now ?? Date.now);
  const workspace = workspaceOption(args, now);
  const report = buildReport(workspace, { now, teamIds: listOption(args, "team") });
  const open = findOpenFlags(report, minimum);
  const openOrg = findOpenOrgFlags(report, minimum);
  const scope = { critical: "critical ", warning: "warning or critical ", info: "" }[minimum];
  const count = open.length + openOrg.length;
  // SPEC §9: a team judged on spent effort passes or fails on it; say which ones are.
  const onSpent = report.teams.filter((team) => team.actual === "spent").map((team) => team.id);
  const measures = onSpent.length === 0 ? "" : `; judged on spent: ${onSpent.join(", ")}`;
  if (count === 0) {
    io.stdout.write(
      cleanText(
        `OK: no ${scope}flag is open in a current period (${counted(report.teams.length, "team")} checked${measures}).`,
      ) + "\n",
    );
    return 0;
  }
  for (const { team, periodName, flag } of open) {
    io.stdout.write(
      `${cleanText(`${flag.severity.toUpperCase()} ${team.id} · ${periodName} · ${flag.code}: ${flag.message}`)}\n`,
    );
  }
  for (const flag of openOrg) {
    io.stdout.write(
      `${cleanText(`${flag.severity.toUpperCase()} org · ${flag.period.id} · ${flag.code}: ${flag.message}`)}\n`,
    );
  }
  io.stdout.write(`FAIL: ${counted(count, `${scope}flag`)} open in current periods.\n`);
  return 1;
}
