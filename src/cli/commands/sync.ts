import {
  LinearSyncError,
  connectLinear,
  syncLinear,
  type LinearSyncSummary,
} from "../../app/linear-sync.js";
import {
  CliError,
  flagOption,
  formatOptions,
  listOption,
  parseCommandArgs,
  stringOption,
  type OptionSpecs,
} from "../args.js";
import { loadWorkspace, type CliIo } from "../io.js";

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
  "dry-run": { type: "boolean", description: "change nothing; print what a sync would do" },
  help: { type: "boolean", description: "show this help" },
};

export const SYNC_HELP = `Usage: capacity-split sync linear [--team KEY]… [--dry-run]

Prepares Linear for Capacity Split: finds or creates the workspace label group "Capacity" with
its children "Roadmap" and "Investment" (by name; a second run creates nothing), and prints what
it created. With --publish, each team's report goes inside Linear too: a project
"Capacity split · <Team>" with one living document and one update per closed cycle. The key comes from the environment, never from flags:

  LINEAR_API_KEY   a personal API key (Linear › Settings › Security & access)
  LINEAR_API_URL   the GraphQL endpoint (default: https://api.linear.app/graphql)

Options:
${formatOptions(OPTIONS)}

Example:
  LINEAR_API_KEY=lin_api_… capacity-split sync linear --team ENG --dry-run
`;

export async function runSync(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("sync", argv, OPTIONS, 1);
  if (flagOption(args, "help")) {
    io.stdout.write(SYNC_HELP);
    return 0;
  }
  const target = args.positionals[0];
  if (target !== "linear") {
    throw new CliError(
      target === undefined
        ? 'Missing what to sync: "capacity-split sync linear [--team KEY]… [--dry-run]".'
        : `Unknown sync target ${JSON.stringify(target)}: only "linear" can be synced.`,
    );
  }
  const client = linearClientFromEnv(io);
  const dryRun = flagOption(args, "dry-run");
  const targetsFile = stringOption(args, "targets");
  if (targetsFile !== undefined && !flagOption(args, "publish")) {
    throw new CliError("--targets FILE only applies with --publish.");
  }
  const now = io.now?.() ?? Date.now();
  const publish = flagOption(args, "publish")
    ? { now, targets: targetsFile === undefined ? [] : readTargets(targetsFile, now) }
    : undefined;
  try {
    const summary = await syncLinear(client, {
      teamKeys: listOption(args, "team"),
      dryRun,
      ...(publish === undefined ? {} : { publish }),
    });
    io.stdout.write(formatSummary(summary));
    return 0;
  } catch (error) {
    throw asCliError(error);
  }
}

function formatSummary(summary: LinearSyncSummary): string {
  const teams = summary.teams.map((team) => `${team.key} (${team.name})`).join(", ") || "none";
  const verb = summary.dryRun ? "Would create" : "Created";
  const created =
    summary.labels.created.length === 0
      ? "Labels: the Capacity group and its children already exist; nothing to create."
      : `${verb}: ${summary.labels.created.map((name) => `label ${name}`).join(", ")}.`;
  const prefix = summary.dryRun ? "Dry run, nothing changed. " : "";
  const published = Object.entries(summary.published).map(([key, changes]) =>
    changes.length === 0
      ? `${key}: report up to date; nothing to publish.`
      : `${key}: ${verb.toLowerCase()} ${changes.join(", ")}.`,
  );
  return `${[`${prefix}Teams: ${teams}.`, created, ...published].join("\n")}\n`;
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
      io.stderr.write(`Linear: ${error.message} Retrying in ${Math.ceil(delayMs / 1000)} s.\n`),
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
