import { counted } from "../../domain/index";
import { existsSync, readFileSync, rmSync } from "node:fs";
import {
  JiraError,
  connectJira,
  normalizeSite as normalizeJiraSite,
  toWorkspaceFile,
  type PullProgress,
  type JiraClient,
  type PulledBoard,
} from "../../jira/index";
import { pullLinearWorkspace } from "../../linear/index";
import { cleanText, escapeJsonControls } from "../../render/index";
import type { WorkspaceFile } from "../../workspace/index";
import {
  CliError,
  formatOptions,
  listOption,
  stringOption,
  type OptionSpecs,
  type ParsedArgs,
} from "../args";
import {
  HELP_OPTION,
  OUT_OPTION,
  outOption,
  requireWord,
  startCommand,
  writeOutput,
} from "../command";
import { writeFileAtomically, type CliIo } from "../io";
import { asCliError, linearClientFromEnv } from "./sync";

const OPTIONS: OptionSpecs = {
  site: {
    type: "string",
    value: "URL",
    description: "the Jira Cloud site, e.g. https://example.atlassian.net",
  },
  board: {
    type: "string",
    multiple: true,
    value: "ID",
    description: "the board to pull (repeatable)",
  },
  ...OUT_OPTION,
  timezone: {
    type: "string",
    value: "ZONE",
    description: "the team's IANA timezone for quarters and targets (default: UTC)",
  },
  ...HELP_OPTION,
};

export const PULL_HELP = `Usage: capacity-split pull jira --site URL --board ID [--out FILE] [--timezone ZONE]
       capacity-split pull linear [--team KEY]… [--out FILE]

Reads a Jira board (its sprints, its issues and their history) into a workspace file (SPEC §11):
one team per board. Credentials come from the environment, never from flags:

  JIRA_EMAIL       the Atlassian account's email
  JIRA_API_TOKEN   an API token (https://id.atlassian.com/manage-profile/security/api-tokens)

A pull that fails half-way keeps what it read next to --out and continues from there when run
again. Targets are not Jira's: add them to the file (or keep them in the app).

Options:
${formatOptions(OPTIONS)}

Linear teams (cycles, issues, history) come the same way, with LINEAR_API_KEY (and LINEAR_API_URL
for another endpoint) in the environment; --team picks teams by key, all teams by default.

Example:
  JIRA_EMAIL=me@example.com JIRA_API_TOKEN=… capacity-split pull jira --site https://example.atlassian.net --board 12 --out ws.json
`;

export async function runPull(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === "linear") return runPullLinear(argv.slice(1), io);
  const args = startCommand(
    { name: "pull", options: OPTIONS, help: PULL_HELP, maxPositionals: 1 },
    argv,
    io,
  );
  if (args === null) return 0;
  requireWord(args, "jira", {
    missing: 'Missing the source to pull from: "capacity-split pull jira --site URL --board ID".',
    unknown: (source) =>
      `Unknown source ${JSON.stringify(source)}: only "jira" and "linear" can be pulled.`,
  });
  const site = stringOption(args, "site");
  if (site === undefined) {
    throw new CliError(
      "Missing --site URL: the Jira Cloud site, e.g. https://example.atlassian.net.",
    );
  }
  const out = outOption(args);
  const workspace = await pullJira(
    { site, boards: boardOption(args, "board"), timezone: timezoneOption(args), cursorBase: out },
    io,
  );
  writeWorkspace(
    io,
    out,
    workspace,
    ({ teams, sprints, items }) =>
      `${counted(teams, "board")}, ${counted(sprints, "sprint")} and ${counted(items, "item")}`,
  );
  return 0;
}

/** A pulled workspace file, as JSON whose text carries no terminal control. */
function writeWorkspace(
  io: CliIo,
  out: string | undefined,
  workspace: WorkspaceFile,
  describe: (counts: { teams: number; sprints: number; items: number }) => string,
): void {
  const text = escapeJsonControls(`${JSON.stringify(workspace, null, 2)}\n`);
  const counts = {
    teams: workspace.teams.length,
    sprints: workspace.sprints?.length ?? 0,
    items: workspace.items?.length ?? 0,
  };
  writeOutput(io, out, text, (file) => `Wrote ${describe(counts)} to ${file}`);
}

const LINEAR_OPTIONS: OptionSpecs = {
  team: {
    type: "string",
    multiple: true,
    value: "KEY",
    description: "a Linear team key, e.g. ENG (repeatable; default: every team)",
  },
  ...OUT_OPTION,
  ...HELP_OPTION,
};

/** `pull linear`: Linear teams into a workspace file, with a progress line per page on stderr. */
async function runPullLinear(argv: readonly string[], io: CliIo): Promise<number> {
  const args = startCommand(
    { name: "pull linear", options: LINEAR_OPTIONS, help: PULL_HELP },
    argv,
    io,
  );
  if (args === null) return 0;
  const out = outOption(args);
  const client = linearClientFromEnv(io);
  let result: Awaited<ReturnType<typeof pullLinearWorkspace>>;
  try {
    result = await pullLinearWorkspace(client, listOption(args, "team"), (progress) => {
      const line = cleanText(
        progress.phase === "issues"
          ? `Team ${progress.team}: issues ${progress.done}`
          : `Team ${progress.team}: history ${progress.done}/${progress.total}`,
      );
      io.stderr.write(io.stderr.isTTY === true ? `\r\x1b[K${line}` : `${line}\n`);
    });
  } catch (error) {
    if (io.stderr.isTTY === true) io.stderr.write("\n");
    throw asCliError(error);
  }
  if (io.stderr.isTTY === true) io.stderr.write("\r\x1b[K");
  writeWorkspace(
    io,
    out,
    result.workspace,
    ({ teams, sprints, items }) =>
      `${counted(teams, "team")}, ${counted(sprints, "cycle")} and ${counted(items, "issue")}`,
  );
  return 0;
}

export interface JiraPullRequest {
  readonly site: string;
  readonly boards: readonly number[];
  readonly timezone: string | undefined;
  /** Where a failed pull keeps its progress: `<cursorBase>.board-<id>.pull-cursor.json`. */
  readonly cursorBase: string | undefined;
}

/**
 * Pulls boards into one workspace file, with a progress bar on stderr. Jira failures become a
 * message and exit code 1; missing credentials exit 2. Shared by `pull` and `report --jira`.
 */
export async function pullJira(request: JiraPullRequest, io: CliIo): Promise<WorkspaceFile> {
  const email = io.env.JIRA_EMAIL;
  const apiToken = io.env.JIRA_API_TOKEN;
  const missing = [email ? null : "JIRA_EMAIL", apiToken ? null : "JIRA_API_TOKEN"].filter(
    (name) => name !== null,
  );
  if (missing.length > 0 || email === undefined || apiToken === undefined) {
    throw new CliError(
      `Set ${missing.join(" and ")} in the environment: the Atlassian account's email and an API token from https://id.atlassian.com/manage-profile/security/api-tokens. Credentials are never passed as flags.`,
    );
  }
  let siteUrl: string;
  try {
    siteUrl = normalizeJiraSite(request.site);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`Invalid --site value: ${JSON.stringify(request.site)}. ${reason}`);
  }
  const client = connectJira({
    site: siteUrl,
    email,
    apiToken,
    onRetry: ({ delayMs, error }) =>
      io.stderr.write(
        `${clearLine(io)}${cleanText(`Jira: ${error.message} Retrying in ${Math.ceil(delayMs / 1000)} s.`)}\n`,
      ),
  });
  const pulled: PulledBoard[] = [];
  for (const boardId of request.boards) {
    pulled.push(await pullOne(client, boardId, request, io));
  }
  return toWorkspaceFile(pulled);
}

async function pullOne(
  client: JiraClient,
  boardId: number,
  request: JiraPullRequest,
  io: CliIo,
): Promise<PulledBoard> {
  const cursorFile =
    request.cursorBase === undefined
      ? undefined
      : `${request.cursorBase}.board-${boardId}.pull-cursor.json`;
  const resume = cursorFile === undefined ? undefined : readCursor(cursorFile, io);
  const bar = progressBar(io, boardId);
  let latest: PullProgress | null = null;
  try {
    const board = await client.pullBoard(boardId, {
      timezone: request.timezone,
      resume,
      onProgress: (progress) => {
        latest = progress;
        bar.update(progress);
      },
    });
    bar.done(board);
    if (cursorFile !== undefined) rmSync(cursorFile, { force: true });
    for (const note of board.notes) io.stderr.write(`${cleanText(`Note: ${note}`)}\n`);
    return board;
  } catch (error) {
    bar.fail();
    const saved = saveCursor(cursorFile, latest);
    if (error instanceof JiraError) {
      throw new CliError(`Board ${boardId}: ${error.message}${saved}`, 1);
    }
    throw error;
  }
}

function readCursor(file: string, io: CliIo): unknown {
  if (!existsSync(file)) return undefined;
  try {
    const cursor: unknown = JSON.parse(readFileSync(file, "utf8"));
    io.stderr.write(`Continuing the pull saved in ${file}.\n`);
    return cursor;
  } catch {
    io.stderr.write(`Ignoring ${file}: it is not a readable pull cursor.\n`);
    return undefined;
  }
}

/** Keeps what a failed pull read; returns the sentence that tells the person about it. */
function saveCursor(file: string | undefined, progress: PullProgress | null): string {
  if (file === undefined || progress === null || progress.phase === "context") {
    return file === undefined ? " (Pass --out FILE to keep the progress of a long pull.)" : "";
  }
  try {
    writeFileAtomically(file, JSON.stringify(progress.cursor()), "the pull cursor");
    return ` What was read (${progress.issuesRead} issues) is saved in ${file}; run the same command again to continue.`;
  } catch {
    return "";
  }
}

interface ProgressBar {
  update(progress: PullProgress): void;
  done(board: PulledBoard): void;
  fail(): void;
}

const BAR_WIDTH = 24;

/**
 * One line redrawn in place on a terminal; on a pipe or a log, plain lines at each phase and every
 * 25 % of the issues, so CI logs stay short.
 */
function progressBar(io: CliIo, boardId: number): ProgressBar {
  const tty = io.stderr.isTTY === true;
  let lastLine = "";
  let lastQuarter = -1;
  let lastPhase = "";
  return {
    update(progress) {
      const expected = progress.issuesExpected;
      const label =
        progress.phase === "context"
          ? `Board ${boardId}: reading the board's configuration`
          : `Board ${boardId}: issues ${progress.issuesRead}${expected === null ? "" : `/${expected}`}, history ${progress.changelogsRead}${expected === null ? "" : `/${expected}`}, ${progress.requests} requests`;
      if (tty) {
        const fraction =
          expected === null || expected === 0
            ? 0
            : Math.min(1, (progress.issuesRead + progress.changelogsRead) / (2 * expected));
        const filled = Math.round(fraction * BAR_WIDTH);
        const line = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${label}`;
        if (line !== lastLine) io.stderr.write(`\r\x1b[K${line}`);
        lastLine = line;
        return;
      }
      const quarter =
        expected === null || expected === 0
          ? 0
          : Math.floor((4 * progress.changelogsRead) / expected);
      // The end is `done`'s summary; a phase that starts where the last one ended says nothing new.
      if (progress.phase === "done" || label === lastLine) return;
      if (progress.phase !== lastPhase || quarter > lastQuarter) {
        io.stderr.write(`${label}\n`);
        lastLine = label;
        lastPhase = progress.phase;
        lastQuarter = quarter;
      }
    },
    done(board) {
      if (tty) io.stderr.write("\r\x1b[K");
      io.stderr.write(
        `${cleanText(`Board ${boardId} "${board.team.name}": ${board.items.length} issues, ${board.sprints.length} sprints, ${board.requests} requests.`)}\n`,
      );
    },
    fail() {
      if (tty) io.stderr.write("\n");
    },
  };
}

function clearLine(io: CliIo): string {
  return io.stderr.isTTY === true ? "\r\x1b[K" : "";
}

/** `--board` values: positive integers, at least one. */
export function boardOption(args: ParsedArgs, name: string): number[] {
  const values = listOption(args, name);
  if (values.length === 0)
    throw new CliError(`Missing --${name} ID: the board's number, as in …/boards/12 in Jira.`);
  return values.map((value) => {
    if (!/^[1-9]\d*$/.test(value)) {
      throw new CliError(
        `Invalid --${name} value: ${JSON.stringify(value)}. Must be a board id such as 12.`,
      );
    }
    return Number(value);
  });
}

/** `--timezone`: an IANA zone Intl knows. */
export function timezoneOption(args: ParsedArgs): string | undefined {
  const zone = stringOption(args, "timezone");
  if (zone === undefined) return undefined;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new CliError(
      `Invalid --timezone value: ${JSON.stringify(zone)}. Must be an IANA timezone such as Europe/Zurich.`,
    );
  }
  return zone;
}
