/**
 * `npm start`: builds the pages that are missing, opens (and on first run seeds) the SQLite store,
 * and serves the product on http://127.0.0.1:3000.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildPages, formatSizes, missingPages } from "./build-static";
import { createAppServer } from "./http-server";
import { SqliteStore } from "./sqlite-store";
import {
  readWorkspaceFile,
  seedDemoWorkspace,
  workspaceBoardSource,
} from "./workspace-board-source";
import { normalizeJiraSite } from "../app/jira-pull";
import { storeKeys } from "../store/keys";
import { createScheduler, type Scheduler } from "./scheduler";
import type { IncomingHttpHeaders } from "node:http";
import { getLinearSettings } from "../app/linear-admin";
import { receiveLinearWebhook } from "../app/linear-host";
import { connectLinear } from "../app/linear-sync";
import { jiraMirror, linearMirror, type TrackerMirror } from "./tracker-mirror";

/** What the server shows: the embedded demo, or a tracker it mirrors and writes back to. */
export type SourceOptions =
  | { readonly kind: "demo" }
  | {
      readonly kind: "jira";
      readonly site: string;
      readonly boardIds: readonly number[];
      readonly email: string;
      readonly apiToken: string;
      readonly timezone?: string;
    }
  | {
      readonly kind: "linear";
      readonly teamKeys: readonly string[];
      /** From LINEAR_API_KEY; when absent, the key stored from the admin page. */
      readonly apiKey: string | null;
      readonly apiUrl?: string;
    };

export interface StartOptions {
  readonly port: number;
  readonly host: string;
  readonly dataFile: string;
  readonly token: string | null;
  /** The demo when absent. */
  readonly source?: SourceOptions;
  /** How often a tracker is pulled again; 0 turns the schedule off (webhooks and "Sync now" stay). */
  readonly syncEveryMs?: number;
  /** The address Linear reaches this server at, for the webhook URL (default: the local URL). */
  readonly publicUrl?: string;
}

const USAGE = `Usage: npm start -- [--port 3000] [--host 127.0.0.1] [--data FILE] [--token TOKEN]
                 [--jira SITE --board ID… [--timezone ZONE] | --linear [--team KEY]…]
                 [--sync-every MINUTES] [--public-url URL]

  --jira SITE --board ID   mirror Jira boards (JIRA_EMAIL and JIRA_API_TOKEN from the environment)
  --linear [--team KEY]    mirror Linear teams (LINEAR_API_KEY from the environment, or the key
                           saved on the admin page); Linear webhooks go to /webhooks/linear`;

/** The user's data directory by platform convention (XDG on Linux). */
export function defaultDataFile(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
  kind: SourceOptions["kind"] = "demo",
): string {
  const base =
    platform === "darwin"
      ? join(homedir(), "Library", "Application Support")
      : platform === "win32"
        ? (env.APPDATA ?? join(homedir(), "AppData", "Roaming"))
        : (env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"));
  // One file per source, so a tracker's mirror never mixes with the demo.
  const name = kind === "demo" ? "capacity-split" : `capacity-split-${kind}`;
  return join(base, "capacity-split", `${name}.sqlite`);
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Reads the flags; an error names the flag, what it got and what it expects. */
export function parseStartArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): StartOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: "string", default: "3000" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string" },
      token: { type: "string" },
      jira: { type: "string" },
      board: { type: "string", multiple: true },
      timezone: { type: "string" },
      linear: { type: "boolean" },
      team: { type: "string", multiple: true },
      "sync-every": { type: "string", default: "15" },
      "public-url": { type: "string" },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(
      `Invalid --port value: ${JSON.stringify(values.port)}. Must be a whole number from 0 to 65535.\n${USAGE}`,
    );
  }
  const host = values.host;
  const given = values.token ?? env.CAPACITY_SPLIT_TOKEN ?? null;
  // Anyone on the network could classify and declare targets, so a reachable server needs a secret.
  const token = isLoopback(host) ? given : (given ?? randomBytes(18).toString("base64url"));
  const source = parseSource(values, env);
  const minutes = Number(values["sync-every"]);
  // A week at most: Node's timers overflow past 2^31 ms (about 24.8 days).
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > 10_080) {
    throw new Error(
      `Invalid --sync-every value: ${JSON.stringify(values["sync-every"])}. Must be a number of minutes up to 10080 (a week), 0 to turn the schedule off.\n${USAGE}`,
    );
  }
  const publicUrl = values["public-url"];
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(publicUrl)) {
    throw new Error(
      `Invalid --public-url value: ${JSON.stringify(publicUrl)}. Must be an http(s) address such as https://capacity.example.com.\n${USAGE}`,
    );
  }
  return {
    port,
    host,
    dataFile: resolve(values.data ?? defaultDataFile(env, process.platform, source.kind)),
    token,
    source,
    syncEveryMs: minutes * 60_000,
    ...(publicUrl === undefined ? {} : { publicUrl: publicUrl.replace(/\/+$/, "") }),
  };
}

function parseSource(
  values: {
    jira?: string | undefined;
    board?: string[] | undefined;
    timezone?: string | undefined;
    linear?: boolean | undefined;
    team?: string[] | undefined;
  },
  env: NodeJS.ProcessEnv,
): SourceOptions {
  if (values.jira !== undefined && values.linear === true) {
    throw new Error(`Pass --jira or --linear, not both: one server mirrors one tracker.\n${USAGE}`);
  }
  if (values.jira !== undefined) {
    const site = normalizeJiraSite(values.jira);
    const boards = values.board ?? [];
    if (boards.length === 0) {
      throw new Error(
        `--jira needs at least one --board ID (the number in the board's URL).\n${USAGE}`,
      );
    }
    const boardIds = boards.map((board) => {
      const id = Number(board);
      if (!Number.isInteger(id) || id <= 0) {
        throw new Error(
          `Invalid --board value: ${JSON.stringify(board)}. Must be a board number such as 12.\n${USAGE}`,
        );
      }
      return id;
    });
    const email = env.JIRA_EMAIL;
    const apiToken = env.JIRA_API_TOKEN;
    if (!email || !apiToken) {
      throw new Error(
        "Set JIRA_EMAIL and JIRA_API_TOKEN in the environment: the account's email and an API token from https://id.atlassian.com/manage-profile/security/api-tokens.",
      );
    }
    return {
      kind: "jira",
      site,
      boardIds,
      email,
      apiToken,
      ...(values.timezone === undefined ? {} : { timezone: values.timezone }),
    };
  }
  for (const flag of ["board", "timezone"] as const) {
    if (values[flag] !== undefined)
      throw new Error(`--${flag} only applies with --jira.\n${USAGE}`);
  }
  if (values.linear === true) {
    const apiUrl = env.LINEAR_API_URL;
    return {
      kind: "linear",
      teamKeys: values.team ?? [],
      apiKey: env.LINEAR_API_KEY || null,
      ...(apiUrl ? { apiUrl } : {}),
    };
  }
  if (values.team !== undefined) throw new Error(`--team only applies with --linear.\n${USAGE}`);
  return { kind: "demo" };
}

export async function start(
  options: StartOptions,
): Promise<{ url: string; close: () => Promise<void> }> {
  const missing = missingPages();
  if (missing.length > 0) {
    console.log(`Building ${missing.join(", ")}…`);
    console.log(formatSizes(await buildPages(missing)));
  }
  mkdirSync(dirname(options.dataFile), { recursive: true });
  const store = new SqliteStore(options.dataFile);
  const now = (): number => Date.now();
  const source = options.source ?? { kind: "demo" };
  let mirror: TrackerMirror | null = null;
  let linear: ReturnType<typeof linearMirror> | null = null;
  let scheduler: Scheduler | null = null;
  try {
    if (source.kind === "demo") {
      if (await seedDemoWorkspace(store, now()))
        console.log(`Seeded the demo workspace into ${options.dataFile}`);
    } else if (source.kind === "linear") {
      linear = linearMirror(store, {
        apiKey: source.apiKey,
        teamKeys: source.teamKeys,
        now,
        ...(source.apiUrl === undefined ? {} : { apiUrl: source.apiUrl }),
      });
      // The key may still have to be saved on the admin page, so the pages must open without it.
      await seedEmptyWorkspace(store);
      await seedLinearTeams(store, source.teamKeys);
      mirror = linear;
    } else {
      mirror = jiraMirror(store, { ...source, log: (line) => console.log(line) });
    }
    if (mirror !== null) {
      scheduler = await startSchedule(mirror, store, options.syncEveryMs ?? DEFAULT_SYNC_EVERY_MS, {
        // A first Linear sync of a big team waits for its rate budget; the pages must not.
        waitMs: source.kind === "linear" ? FIRST_LINEAR_PULL_WAIT_MS : null,
      });
    }
  } catch (error) {
    store.close();
    throw error;
  }
  let localUrl = "";
  const server = createAppServer({
    ports: {
      boards: workspaceBoardSource(
        store,
        now,
        mirror === null ? {} : { writeThrough: mirror.writeCategory.bind(mirror) },
      ),
      store,
      now,
      linear: {
        connect: (apiKey) => linear?.connect(apiKey) ?? connectLinear({ apiKey }),
        webhookUrl: () =>
          Promise.resolve(
            linear === null ? null : `${options.publicUrl ?? localUrl}/webhooks/linear`,
          ),
        async syncNow() {
          if (scheduler === null || linear === null) {
            return {
              ok: false,
              message: `This server ${source.kind === "jira" ? "mirrors Jira" : "shows the demo workspace"}: start it with --linear to sync a Linear workspace.`,
            };
          }
          const outcome = await scheduler.runNow();
          return { ok: outcome.ok, message: outcome.message };
        },
        // The person at this server owns its data; a reachable server is guarded by its token.
        isAdmin: () => Promise.resolve(true),
        hostApiKey: source.kind === "linear" ? source.apiKey : null,
      },
    },
    token: options.token,
    ...(isLoopback(options.host) ? { allowHost: allowedHostsOf(options.publicUrl) } : {}),
    ...(linear === null || scheduler === null
      ? {}
      : {
          linearWebhook: ({
            rawBody,
            headers,
          }: {
            rawBody: Buffer;
            headers: IncomingHttpHeaders;
          }) =>
            receiveLinearWebhook(
              { rawBody, headers },
              {
                store,
                secret: process.env.LINEAR_WEBHOOK_SECRET ?? null,
                enqueue: () => Promise.resolve(scheduler?.requestSoon()),
              },
            ),
        }),
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port, options.host, done);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  localUrl = `http://${host}:${port}`;
  const url = `${localUrl}/${options.token ? `?token=${options.token}` : ""}`;
  return {
    url,
    close: async () => {
      await scheduler?.stop();
      await new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      });
      store.close();
    },
  };
}

const DEFAULT_SYNC_EVERY_MS = 15 * 60_000;
const FIRST_LINEAR_PULL_WAIT_MS = 20_000;
/** A burst of webhooks (a bulk edit in Linear) gives one pull. */
const WEBHOOK_DEBOUNCE_MS = 5_000;

/** Loopback names, and the public URL's host that Linear's webhooks arrive by. */
function allowedHostsOf(publicUrl: string | undefined): (hostname: string) => boolean {
  const publicHost = publicUrl === undefined ? null : new URL(publicUrl).hostname;
  return (hostname) => isLoopback(hostname) || hostname === publicHost;
}

/** `--team` is the admin page's choice of teams until one is saved there. */
async function seedLinearTeams(store: SqliteStore, teamKeys: readonly string[]): Promise<void> {
  if (teamKeys.length === 0 || (await store.get(storeKeys.linearSettings())) !== undefined) return;
  await store.set(storeKeys.linearSettings(), {
    ...(await getLinearSettings(store)),
    teamKeys: [...teamKeys],
  });
}

/** A workspace without teams, until the first pull brings some. */
async function seedEmptyWorkspace(store: SqliteStore): Promise<void> {
  if ((await store.get(storeKeys.workspaceFile())) !== undefined) return;
  await store.set(storeKeys.workspaceFile(), {
    version: 1,
    settings: { fiscalYearStartMonth: 1 },
    teams: [],
    targets: [],
    sprints: [],
    items: [],
  });
}

/**
 * Pulls the tracker once before serving, then on the schedule. A first pull that fails is fatal
 * only when there is nothing pulled earlier to show.
 */
async function startSchedule(
  mirror: TrackerMirror,
  store: SqliteStore,
  everyMs: number,
  options: { readonly waitMs: number | null },
): Promise<Scheduler> {
  console.log(`Pulling ${mirror.description}…`);
  const scheduler = createScheduler({
    run: () => mirror.refresh(),
    everyMs,
    debounceMs: WEBHOOK_DEBOUNCE_MS,
    onOutcome: (outcome) =>
      (outcome.ok ? console.log : console.error)(
        `${new Date(outcome.at).toISOString()} ${outcome.ok ? "" : "Pull failed: "}${outcome.message}`,
      ),
  });
  const running = scheduler.runNow();
  const first =
    options.waitMs === null
      ? await running
      : await Promise.race([
          running,
          new Promise<null>((done) => setTimeout(() => done(null), options.waitMs ?? 0).unref()),
        ]);
  if (first === null) {
    console.log("The first pull goes on in the background; the pages show it when it is done.");
    return scheduler;
  }
  if (!first.ok) {
    if ((await store.get(storeKeys.workspaceFile())) === undefined) {
      await scheduler.stop();
      throw new Error(`Could not pull ${mirror.description}: ${first.message}`);
    }
    const pulled = await readWorkspaceFile(store).catch(() => null);
    console.error(
      (pulled?.teams.length ?? 0) > 0
        ? "Serving what was pulled before; the next pull runs on the schedule."
        : "Nothing is pulled yet: the admin page takes the key and the teams, and its Sync now pulls them.",
    );
  }
  return scheduler;
}

async function main(): Promise<void> {
  let options: StartOptions;
  try {
    options = parseStartArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
    return;
  }
  let url: string;
  try {
    ({ url } = await start(options));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return;
  }
  console.log(`Capacity Split is running on ${url}  (data: ${options.dataFile})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
