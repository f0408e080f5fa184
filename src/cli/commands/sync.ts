import { counted } from "../../domain/index";
import { LinearSyncError, connectLinear } from "../../linear/index";
import { runLinearSync, type LinearSyncProgress, type LinearSyncRunResult } from "../../app/index";
import { cleanText } from "../../render/index";
import {
  CliError,
  flagOption,
  formatOptions,
  listOption,
  stringOption,
  type OptionSpecs,
} from "../args";
import { HELP_OPTION, requireWord, startCommand } from "../command";
import { loadWorkspace, type CliIo } from "../io";
import { StateFileStore } from "../state-file-store";

const OPTIONS: OptionSpecs = {
  team: {
    type: "string",
    multiple: true,
    value: "KEY",
    description: "a Linear team key to sync, e.g. ENG (repeatable; default: every team)",
  },
  publish: {
    type: "boolean",
    description: "also publish each team's report: project, living document, cycle update",
  },
  targets: {
    type: "string",
    value: "FILE",
    description: "a workspace file whose targets apply when publishing (Linear stores none)",
  },
  "write-back": {
    type: "boolean",
    description: "also label issues whose category is inherited or comes from a rule",
  },
  state: {
    type: "string",
    value: "FILE",
    description:
      "keep the sync's state here, so the next run reads only what changed (FILE.journal beside it holds a run's changes until it ends)",
  },
  "dry-run": { type: "boolean", description: "change nothing; print what a sync would do" },
  ...HELP_OPTION,
};

export const SYNC_HELP = `Usage: capacity-split sync linear [--team KEY]… [--publish [--targets FILE]] [--write-back] [--state FILE] [--dry-run]

Syncs Linear teams with Capacity Split. Finds or creates the workspace label group "Capacity"
with its children "Roadmap" and "Investment" (by name; a second run creates nothing) and reads
each team's cycles and issues. With --publish, each team's report goes inside Linear too: a
project "Capacity split · <Team>" with one living document and one update for the latest closed
cycle. With --write-back, issues whose category is inherited from a parent or comes from a rule
get the matching Capacity label; a label a person set is never touched. Prints a summary of
what it created or changed; --dry-run changes nothing and prints what it would do.

The key comes from the environment, never from flags:

  LINEAR_API_KEY   a personal API key (Linear › Settings › Security & access)
  LINEAR_API_URL   the GraphQL endpoint (default: https://api.linear.app/graphql)

Options:
${formatOptions(OPTIONS)}

Exit codes: 0 synced, 1 Linear failed or refused the key, 2 wrong invocation.

Example:
  LINEAR_API_KEY=lin_api_… capacity-split sync linear --team ENG --publish --dry-run
`;

export async function runSync(argv: readonly string[], io: CliIo): Promise<number> {
  const args = startCommand(
    { name: "sync", options: OPTIONS, help: SYNC_HELP, maxPositionals: 1 },
    argv,
    io,
  );
  if (args === null) return 0;
  requireWord(args, "linear", {
    missing: 'Missing what to sync: "capacity-split sync linear [--team KEY]… [--dry-run]".',
    unknown: (target) =>
      `Unknown sync target ${JSON.stringify(target)}: only "linear" can be synced.`,
  });
  const dryRun = flagOption(args, "dry-run");
  const publish = flagOption(args, "publish");
  const targetsFile = stringOption(args, "targets");
  if (targetsFile !== undefined && !publish) {
    throw new CliError("--targets FILE only applies with --publish.");
  }
  const now = io.now?.() ?? Date.now();
  const targets = targetsFile === undefined ? [] : readTargets(targetsFile, now);
  const store = await StateFileStore.open(stringOption(args, "state"), { readOnly: dryRun });
  const client = linearClientFromEnv(io);
  const bar = progressBar(io);
  try {
    const result = await runLinearSync(client, store, {
      teamKeys: listOption(args, "team"),
      dryRun,
      now,
      publish,
      writeBack: flagOption(args, "write-back"),
      targetsOf: (key) =>
        Promise.resolve(
          targets.flatMap((entry) => (entry.teamId === key ? [{ ...entry, teamId: key }] : [])),
        ),
      onProgress: (event) => bar.update(event),
    });
    bar.clear();
    io.stdout.write(formatSummary(result, { publish, writeBack: flagOption(args, "write-back") }));
    return 0;
  } catch (error) {
    bar.clear();
    throw asCliError(error);
  } finally {
    // Every change is already in the journal; this folds it into the file.
    await store.save();
  }
}

function formatSummary(
  result: LinearSyncRunResult,
  shown: { readonly publish: boolean; readonly writeBack: boolean },
): string {
  const teams = result.teams.map((team) => `${team.key} (${team.name})`).join(", ") || "none";
  const verb = result.dryRun ? "Would create" : "Created";
  const created =
    result.labels.created.length === 0
      ? "Labels: the Capacity group and its children already exist; nothing to create."
      : `${verb}: ${result.labels.created.map((name) => `label ${name}`).join(", ")}.`;
  const prefix = result.dryRun ? "Dry run, nothing changed. " : "";
  const lines = [`${prefix}Teams: ${teams}.`, created];
  for (const team of result.teams) {
    if (shown.writeBack) {
      lines.push(
        team.wroteBack.length === 0
          ? `${team.key}: every derived category already carries its label; nothing to write back.`
          : `${team.key}: ${result.dryRun ? "would write back" : "wrote back"} ${counted(team.wroteBack.length, "label")}: ${listShort(team.wroteBack)}.`,
      );
    }
    if (shown.publish) {
      lines.push(
        team.published.length === 0
          ? `${team.key}: report up to date; nothing to publish.`
          : `${team.key}: ${verb.toLowerCase()} ${team.published.join(", ")}.`,
      );
    }
  }
  return `${lines.map(cleanText).join("\n")}\n`;
}

function listShort(values: readonly string[], max = 10): string {
  const shown = values.slice(0, max).join(", ");
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}

const BAR_WIDTH = 24;

const PHASE_NAMES: Record<LinearSyncProgress["phase"], string> = {
  teams: "Finding teams",
  labels: "Checking the Capacity labels",
  pull: "reading issues",
  "write-back": "writing labels back",
  publish: "publishing the report",
  done: "done",
};

/**
 * On a terminal, one line redrawn in place with a bar where the total is known; on a pipe or a
 * log, one plain line per team and phase, never repeated.
 */
function progressBar(io: CliIo): {
  update(event: LinearSyncProgress): void;
  clear(): void;
} {
  const tty = io.stderr.isTTY === true;
  let lastStep = "";
  let drawn = "";
  return {
    update(event) {
      if (event.phase === "done") return;
      const what = cleanText(
        `${event.team === "" ? "" : `${event.team}: `}${PHASE_NAMES[event.phase]}`,
      );
      if (!tty) {
        if (what !== lastStep) io.stderr.write(`${what}\n`);
        lastStep = what;
        return;
      }
      const count = event.total === null ? ` ${event.done}` : ` ${event.done}/${event.total}`;
      const fraction =
        event.total === null || event.total === 0 ? null : Math.min(1, event.done / event.total);
      const bar =
        fraction === null
          ? ""
          : `[${"#".repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, "-")}] ${String(Math.round(fraction * 100)).padStart(3)}% `;
      const line = `${bar}${what}${event.done > 0 || event.total !== null ? count : ""}`;
      if (line !== drawn) io.stderr.write(`\r\x1b[K${line}`);
      drawn = line;
    },
    clear() {
      if (tty && drawn !== "") io.stderr.write("\r\x1b[K");
      drawn = "";
    },
  };
}

/** A client from LINEAR_API_KEY / LINEAR_API_URL; a missing key exits 2 with a message naming it. */
export function linearClientFromEnv(io: CliIo): ReturnType<typeof connectLinear> {
  const apiKey = io.env.LINEAR_API_KEY;
  if (apiKey === undefined || apiKey === "") {
    throw new CliError(
      "Set LINEAR_API_KEY in the environment: a personal API key from Linear › Settings › Security & access. Keys are never passed as flags.",
    );
  }
  const apiUrl = io.env.LINEAR_API_URL;
  return connectLinear({
    apiKey,
    ...(apiUrl === undefined || apiUrl === "" ? {} : { apiUrl }),
    onRetry: ({ delayMs, error }) =>
      io.stderr.write(
        `${io.stderr.isTTY === true ? "\r\x1b[K" : ""}${cleanText(`Linear: ${error.message} Retrying in ${Math.ceil(delayMs / 1000)} s.`)}\n`,
      ),
  });
}

/** Targets of a workspace file, validated as `report --input` validates it; problems exit 2. */
function readTargets(file: string, now: number) {
  const workspace = loadWorkspace(file, false, now);
  return workspace.targets.map((target) => ({ ...target }));
}

/** Linear failures end the run with their message and exit code 1. */
export function asCliError(error: unknown): unknown {
  return error instanceof LinearSyncError ? new CliError(error.message, 1) : error;
}
