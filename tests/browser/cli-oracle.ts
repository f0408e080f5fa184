/**
 * What `capacity-split` itself says about the board a browser test's server shows: the server's
 * stored workspace (its items and every declared target) written as a file, and the installed bin
 * (the bundle `npm run build` makes before the tests) run on it as a child process at the same
 * moment. The pages are checked against these answers, never against a copy of their own text.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import {
  asWorkspaceTargets,
  listOrgTargets,
  listTargets,
  orgAsWorkspaceTargets,
} from "../../src/app/targets";
import type { Report, Severity } from "../../src/domain/types";
import { boardsOf, readWorkspaceFile } from "../../src/server/workspace-board-source";
import { SqliteStore } from "../../src/store/sqlite/index";

const BIN = new URL("../../bin/capacity-split.js", import.meta.url).pathname;

export interface Board {
  readonly boardId: number;
  readonly teamId: string;
  readonly name: string;
  readonly projectKey: string;
}

/** The demo's boards as the server at `dataFile` numbers them. */
export async function readBoards(dataFile: string): Promise<Board[]> {
  const store = new SqliteStore(dataFile);
  try {
    return boardsOf(await readWorkspaceFile(store)).map((board) => ({
      boardId: board.boardId,
      teamId: board.teamId,
      name: board.name,
      projectKey: board.projectKey ?? board.teamId,
    }));
  } finally {
    store.close();
  }
}

/** The server's workspace as a file the CLI reads, at `path`: its items and every declared target. */
export async function writeWorkspaceFile(dataFile: string, path: string): Promise<string> {
  const store = new SqliteStore(dataFile);
  try {
    const file = await readWorkspaceFile(store);
    const targets = [];
    for (const board of boardsOf(file)) {
      const { entries } = await listTargets(store, String(board.boardId));
      targets.push(...asWorkspaceTargets(entries, board.teamId));
    }
    targets.push(...orgAsWorkspaceTargets((await listOrgTargets(store)).entries));
    writeFileSync(path, JSON.stringify({ ...file, targets }));
    return path;
  } finally {
    store.close();
  }
}

/** The installed bin with `args`; a run that writes to stderr or exits 2 or more throws. */
function runBin(args: readonly string[]): string {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  if (run.error) throw run.error;
  if (run.stderr !== "" || (run.status ?? 2) > 1) {
    throw new Error(`capacity-split ${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  }
  return run.stdout;
}

/** One line of `capacity-split check`: a flag open now, of a team (its id) or of the org (`org`). */
export interface CheckLine {
  readonly severity: Severity;
  readonly team: string;
  /** The sprint's name, the quarter's id, or the team's name for a flag about the team itself. */
  readonly period: string;
  readonly code: string;
  readonly message: string;
}

const SEVERITIES: Readonly<Record<string, Severity>> = {
  INFO: "info",
  WARNING: "warning",
  CRITICAL: "critical",
};

/** `capacity-split check --fail-on info` on `input` at `now`: every flag open now, notes too. */
export function checkOpenFlags(input: string, now: string): CheckLine[] {
  const out = runBin(["check", "--input", input, "--now", now, "--fail-on", "info"]);
  const lines = out.trimEnd().split("\n");
  const last = lines.pop() ?? "";
  if (/^OK: /.test(last)) return [];
  const total = /^FAIL: (\d+) (?:flag|flags|flag\(s\)) open/.exec(last);
  if (!total) throw new Error(`check ended with an unexpected line: ${last}`);
  const parsed = lines.map((line) => {
    const match = /^(INFO|WARNING|CRITICAL) (\S+) · (.+?) · ([A-Z_]+): (.*)$/.exec(line);
    if (!match) throw new Error(`check printed a line that is not a flag: ${line}`);
    const [, severity = "", team = "", period = "", code = "", message = ""] = match;
    return { severity: SEVERITIES[severity] ?? "info", team, period, code, message };
  });
  if (parsed.length !== Number(total[1])) throw new Error(`check counted ${total[1]} flags`);
  return parsed;
}

/** `capacity-split report --format json` on `input` at `now`, of one team or of all. */
export function cliReport(input: string, now: string, team?: string): Report {
  const only = team === undefined ? [] : ["--team", team];
  return JSON.parse(
    runBin(["report", "--input", input, "--now", now, ...only, "--format", "json"]),
  ) as Report;
}
