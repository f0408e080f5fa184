import { buildReport } from "../../app/index";
import {
  escapeJsonControls,
  renderCsv,
  renderHtml,
  renderMarkdown,
  renderTable,
  type TableOptions,
} from "../../render/index";
import { counted, type Report, type Workspace } from "../../domain/index";
import { parseWorkspace, type WorkspaceFile } from "../../workspace/index";
import {
  CliError,
  choiceOption,
  flagOption,
  formatOptions,
  listOption,
  nowOption,
  stringOption,
  type OptionSpecs,
  type ParsedArgs,
} from "../args";
import {
  HELP_OPTION,
  WORKSPACE_OPTIONS,
  nowOptionSpec,
  outOption,
  startCommand,
  workspaceOption,
  writeOutput,
} from "../command";
import { terminalColumns, wantsColor, type CliIo } from "../io";
import { pullLinearWorkspace } from "../../linear/index";
import { boardOption, pullJira, timezoneOption } from "./pull";
import { asCliError, linearClientFromEnv } from "./sync";

const FORMATS = ["table", "json", "md", "csv", "html"] as const;
type Format = (typeof FORMATS)[number];

const OPTIONS: OptionSpecs = {
  ...WORKSPACE_OPTIONS,
  jira: {
    type: "string",
    value: "URL",
    description: "pull from this Jira site instead (JIRA_EMAIL, JIRA_API_TOKEN)",
  },
  board: {
    type: "string",
    multiple: true,
    value: "ID",
    description: "with --jira: the board (repeatable)",
  },
  timezone: { type: "string", value: "ZONE", description: "with --jira: the teams' timezone" },
  linear: {
    type: "boolean",
    description: "pull Linear teams instead (LINEAR_API_KEY; --team picks them by key)",
  },
  ...nowOptionSpec("the moment to report on (default: now)"),
  team: { type: "string", multiple: true, value: "ID", description: "only this team (repeatable)" },
  quarter: {
    type: "string",
    value: "ID",
    description: "only this quarter, e.g. 2026-Q3 or FY2027-Q1",
  },
  format: {
    type: "string",
    value: FORMATS.join("|"),
    description: "output format (default: table)",
  },
  out: { type: "string", value: "FILE", description: "write to FILE instead of stdout" },
  ...HELP_OPTION,
};

export const REPORT_HELP = `Usage: capacity-split report [--input FILE | --demo | --jira URL --board ID | --linear] [options]

The roadmap / investment split of every team per sprint and per quarter against its declared
target, with the flags that need attention. The table fits 80 columns, or the terminal's width
up to 120; COLUMNS=N sets the width.

Options:
${formatOptions(OPTIONS)}

Examples:
  capacity-split report --demo
  capacity-split report --input ws.json --now 2026-11-24T00:00:00Z --format json
  capacity-split report --demo --format html --out report.html
  capacity-split report --jira https://example.atlassian.net --board 12 --timezone Europe/Zurich
  LINEAR_API_KEY=lin_api_… capacity-split report --linear --team ENG --format md
`;

export async function runReport(argv: readonly string[], io: CliIo): Promise<number> {
  const args = startCommand({ name: "report", options: OPTIONS, help: REPORT_HELP }, argv, io);
  if (args === null) return 0;
  const format = choiceOption(args, "format", FORMATS, "table");
  const now = nowOption(args, io.now ?? Date.now);
  const out = outOption(args);
  const workspace = await workspaceFrom(args, io, now);
  const report = buildReport(workspace, {
    now,
    teamIds: listOption(args, "team"),
    quarterId: stringOption(args, "quarter"),
  });
  const text = renderReport(report, format, {
    color: out === undefined && wantsColor(io),
    width: terminalColumns(io, out !== undefined),
  });
  writeOutput(
    io,
    out,
    text,
    (file) => `Wrote the ${format} report of ${counted(report.teams.length, "team")} to ${file}`,
  );
  return 0;
}

export function renderReport(report: Report, format: Format, table: TableOptions): string {
  switch (format) {
    case "json":
      return escapeJsonControls(`${JSON.stringify(report, null, 2)}\n`);
    case "table":
      return renderTable(report, table);
    case "md":
      return renderMarkdown(report);
    case "csv":
      return renderCsv(report);
    case "html":
      return renderHtml(report);
  }
}

/**
 * `--input`, `--demo`, or a pull of `--jira` boards or `--linear` teams (then without targets:
 * SPEC §8 flags that).
 */
async function workspaceFrom(args: ParsedArgs, io: CliIo, now: number): Promise<Workspace> {
  if (flagOption(args, "linear")) return linearWorkspace(args, io);
  const site = stringOption(args, "jira");
  if (site === undefined) {
    if (listOption(args, "board").length > 0 || stringOption(args, "timezone") !== undefined) {
      throw new CliError("--board and --timezone go with --jira URL.");
    }
    return workspaceOption(args, now);
  }
  if (stringOption(args, "input") !== undefined || flagOption(args, "demo")) {
    throw new CliError("Pass one of --input FILE, --demo or --jira URL, not several.");
  }
  const file = await pullJira(
    {
      site,
      boards: boardOption(args, "board"),
      timezone: timezoneOption(args),
      cursorBase: undefined,
    },
    io,
  );
  return parsePulled(file);
}

/**
 * `--linear`: the same workspace as `pull linear --team KEY…`, so the report equals
 * `pull linear --out ws.json` followed by `report --input ws.json`.
 */
async function linearWorkspace(args: ParsedArgs, io: CliIo): Promise<Workspace> {
  const other = ["input", "jira", "demo", "board", "timezone"].filter(
    (name) => args.values[name] !== undefined,
  );
  if (other.length > 0) {
    throw new CliError(
      `--linear reads Linear teams; leave out ${other.map((name) => `--${name}`).join(", ")}.`,
    );
  }
  const client = linearClientFromEnv(io);
  let file: WorkspaceFile;
  try {
    file = (await pullLinearWorkspace(client, listOption(args, "team"))).workspace;
  } catch (error) {
    throw asCliError(error);
  }
  return parsePulled(file);
}

/** A pulled workspace is checked as a file is; a tracker's data that fails it exits 1. */
function parsePulled(file: WorkspaceFile): Workspace {
  const result = parseWorkspace(file);
  if (!result.ok) {
    throw new CliError(`The pulled workspace is not valid:\n${result.problems.join("\n")}`, 1);
  }
  return result.workspace;
}
