/**
 * `npm start`: builds the pages that are missing, opens (and on first run seeds) the SQLite store,
 * and serves the product on http://127.0.0.1:3000.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import {
  createServer,
  type IncomingHttpHeaders,
  type RequestListener,
  type Server,
} from "node:http";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildPages, formatSizes, missingPages } from "./build-static";
import { createAppHandler, type ServerOptions } from "./http-server";
import { SqliteStore } from "../store/sqlite/index";
import {
  readWorkspaceFile,
  seedDemoWorkspace,
  workspaceBoardSource,
} from "./workspace-board-source";
import { normalizeSite as normalizeJiraSite } from "../jira/index";
import { backgroundBulkRunner } from "../app/index";
import { storeKeys } from "../store/index";
import { createScheduler, type Scheduler } from "./scheduler";
import {
  finishLinearConnect,
  getLinearSettings,
  type LinearOAuthApp,
  receiveLinearWebhook,
  startLinearConnect,
} from "../app/index";
import { connectLinear } from "../linear/index";
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
      /**
       * An OAuth application (LINEAR_CLIENT_ID, LINEAR_CLIENT_SECRET) for "Connect Linear" at
       * `/linear/connect`; its callback is `<public URL>/linear/oauth/callback`.
       */
      readonly oauth?: Omit<LinearOAuthApp, "redirectUri">;
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
  /** The server's clock, epoch ms: the demo is seeded and every report computed at its time. */
  readonly now?: () => number;
}

const USAGE = `Usage: npm start -- [--port 3000] [--host 127.0.0.1] [--data FILE] [--token TOKEN]
                 [--jira SITE --board ID… [--timezone ZONE] | --linear [--team KEY]…]
                 [--sync-every MINUTES] [--public-url URL]

  --jira SITE --board ID   mirror Jira boards (JIRA_EMAIL and JIRA_API_TOKEN from the environment)
  --linear [--team KEY]    mirror Linear teams (LINEAR_API_KEY from the environment, or the key
                           saved on the admin page); Linear webhooks go to /webhooks/linear;
                           with LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET, /linear/connect
                           connects it as an OAuth app instead`;

/** What `npm start -- --help` prints: every option, and what is read from the environment. */
export const START_HELP = `Usage: npm start -- [options]

Serves Capacity Split on http://127.0.0.1:3000: the embedded demo workspace, or a Jira site or
Linear workspace it mirrors into its SQLite file and writes classifications back to.

Options:
  --port PORT           the port to listen on (default 3000; 0 takes any free port)
  --host HOST           the address to listen on (default 127.0.0.1); on any address other than
                        loopback, every request must carry the access token
  --data FILE           the SQLite file (default: capacity-split/capacity-split.sqlite in the user's
                        data directory; capacity-split-jira.sqlite or capacity-split-linear.sqlite
                        when mirroring, so the demo never mixes in)
  --token TOKEN         the access token (default CAPACITY_SPLIT_TOKEN; one is made up and printed
                        when --host is not loopback)
  --jira SITE           mirror a Jira Cloud site, such as https://x.atlassian.net; needs --board
  --board ID            a board of that site, the number in its URL (repeatable)
  --timezone ZONE       the IANA timezone the Jira boards' quarters follow (default UTC)
  --linear              mirror a Linear workspace; its webhooks go to /webhooks/linear
  --team KEY            a Linear team to mirror, such as ENG (repeatable; default: the teams
                        chosen on the admin page)
  --sync-every MINUTES  pull the tracker again every MINUTES (default 15, 0 for never, at most
                        10080, a week)
  --public-url URL      the address Linear reaches this server at, for the webhook URL
  -h, --help            print this help and exit

Environment:
  JIRA_EMAIL, JIRA_API_TOKEN  the Jira account: its email and an API token from id.atlassian.com
  LINEAR_API_KEY              the Linear API key (else the key saved on the admin page)
  LINEAR_API_URL              another Linear GraphQL endpoint
  LINEAR_WEBHOOK_SECRET       the Linear webhooks' signing secret (else the one saved on the admin page)
  CAPACITY_SPLIT_TOKEN        the access token, as --token
  XDG_DATA_HOME               the user's data directory on Linux (default ~/.local/share)
`;

const START_OPTIONS = {
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
  help: { type: "boolean", short: "h" },
} as const;

/** `--help` or `-h` before any `--`: the person wants the options, not a server. */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

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
  const values = readStartFlags(argv);
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

/**
 * The flags, checked one by one first so that a mistake names the flag and what it expects (Node's
 * own messages name no remedy).
 */
function readStartFlags(argv: readonly string[]) {
  const help = 'Run "npm start -- --help" for what each option does.';
  const known = `Options: ${Object.keys(START_OPTIONS)
    .map((name) => `--${name}`)
    .join(", ")}.`;
  const { tokens } = parseArgs({
    args: [...argv],
    options: START_OPTIONS,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "positional") {
      throw new Error(
        `Unexpected argument ${JSON.stringify(token.value)}: the server takes only options. ${known} ${help}`,
      );
    }
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(START_OPTIONS, token.name)
      ? START_OPTIONS[token.name as keyof typeof START_OPTIONS]
      : undefined;
    if (option === undefined) throw new Error(`Unknown option ${token.rawName}. ${known} ${help}`);
    if (option.type === "boolean" && token.value !== undefined) {
      throw new Error(
        `Option ${token.rawName} takes no value, got ${JSON.stringify(token.value)}.`,
      );
    }
    if (
      option.type === "string" &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))
    ) {
      // A value that starts with a dash is more likely the next flag than a value; --flag=-x still works.
      throw new Error(`Option ${token.rawName} needs a value. ${help}`);
    }
  }
  return parseArgs({ args: [...argv], options: START_OPTIONS, strict: true }).values;
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
      ...(env.LINEAR_CLIENT_ID && env.LINEAR_CLIENT_SECRET
        ? { oauth: { clientId: env.LINEAR_CLIENT_ID, clientSecret: env.LINEAR_CLIENT_SECRET } }
        : {}),
    };
  }
  if (values.team !== undefined) throw new Error(`--team only applies with --linear.\n${USAGE}`);
  return { kind: "demo" };
}

export async function start(
  options: StartOptions,
): Promise<{ url: string; close: () => Promise<void> }> {
  // The port first, so a taken one is said before anything is built, seeded or written.
  let serve: RequestListener = (_request, response) => {
    response.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "5" });
    response.end("Capacity Split is starting; try again in a few seconds.\n");
  };
  const server = createServer((request, response) => serve(request, response));
  await listen(server, options.port, options.host);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const localUrl = `http://${host}:${port}`;
  const closeServer = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });

  let store: SqliteStore | null = null;
  let scheduler: Scheduler | null = null;
  try {
    const missing = missingPages();
    if (missing.length > 0) {
      console.log(`Building ${missing.join(", ")}…`);
      console.log(formatSizes(await buildPages(missing)));
    }
    mkdirSync(dirname(options.dataFile), { recursive: true });
    store = new SqliteStore(options.dataFile);
    const opened = await openSource(store, options, localUrl);
    scheduler = opened.scheduler;
    serve = createAppHandler(appOptions(store, options, opened, localUrl));
  } catch (error) {
    await scheduler?.stop();
    await closeServer();
    store?.close();
    throw error;
  }
  const url = `${localUrl}/${options.token ? `?token=${options.token}` : ""}`;
  return {
    url,
    close: async () => {
      await scheduler?.stop();
      await closeServer();
      store?.close();
    },
  };
}

/** Listens, or says why not in words that name the way out. */
async function listen(server: Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((done, fail) => {
      server.once("error", fail);
      server.listen(port, host, () => {
        server.off("error", fail);
        done();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    if (code === "EADDRINUSE") {
      throw new Error(
        `Port ${port} on ${host} is taken (another Capacity Split, or another program). Start on a free port with --port, such as: npm start -- --port ${port === 65_535 ? 3001 : port + 1}`,
        { cause: error },
      );
    }
    if (code === "EACCES") {
      throw new Error(
        `Not allowed to listen on ${where}: ports below 1024 need privileges. Choose another with --port, such as --port 3000.`,
        { cause: error },
      );
    }
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
      throw new Error(
        `Cannot listen on ${where}: ${host} is not an address of this machine. Choose one with --host, such as --host 127.0.0.1.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The OAuth application of "Connect Linear", its callback on the server's public URL. */
function oauthAppOf(oauth: Omit<LinearOAuthApp, "redirectUri">, publicUrl: string): LinearOAuthApp {
  return { ...oauth, redirectUri: `${publicUrl}/linear/oauth/callback` };
}

interface OpenedSource {
  readonly source: SourceOptions;
  readonly mirror: TrackerMirror | null;
  readonly linear: ReturnType<typeof linearMirror> | null;
  readonly scheduler: Scheduler | null;
}

/** Seeds the demo, or sets up the tracker's mirror and its first pull. */
async function openSource(
  store: SqliteStore,
  options: StartOptions,
  localUrl: string,
): Promise<OpenedSource> {
  const source = options.source ?? { kind: "demo" };
  if (source.kind === "demo") {
    if (await seedDemoWorkspace(store, (options.now ?? Date.now)()))
      console.log(`Seeded the demo workspace into ${options.dataFile}`);
    return { source, mirror: null, linear: null, scheduler: null };
  }
  let linear: ReturnType<typeof linearMirror> | null = null;
  let mirror: TrackerMirror;
  if (source.kind === "linear") {
    linear = linearMirror(store, {
      apiKey: source.apiKey,
      teamKeys: source.teamKeys,
      now: () => Date.now(),
      ...(source.apiUrl === undefined ? {} : { apiUrl: source.apiUrl }),
      ...(source.oauth === undefined
        ? {}
        : { oauthApp: oauthAppOf(source.oauth, options.publicUrl ?? localUrl) }),
    });
    // The key may still have to be saved on the admin page, so the pages must open without it.
    await seedEmptyWorkspace(store);
    await seedLinearTeams(store, source.teamKeys);
    mirror = linear;
  } else {
    mirror = jiraMirror(store, { ...source, log: (line) => console.log(line) });
  }
  const scheduler = await startSchedule(
    mirror,
    store,
    options.syncEveryMs ?? DEFAULT_SYNC_EVERY_MS,
    // A first Linear sync of a big team waits for its rate budget; the pages must not.
    { waitMs: source.kind === "linear" ? FIRST_LINEAR_PULL_WAIT_MS : null },
  );
  return { source, mirror, linear, scheduler };
}

function appOptions(
  store: SqliteStore,
  options: StartOptions,
  { source, mirror, linear, scheduler }: OpenedSource,
  localUrl: string,
): ServerOptions {
  const now = options.now ?? ((): number => Date.now());
  const oauth = source.kind === "linear" ? source.oauth : undefined;
  const apiUrl = source.kind === "linear" ? source.apiUrl : undefined;
  const connectToken = (accessToken: string) =>
    connectLinear({ apiKey: "", accessToken, ...(apiUrl === undefined ? {} : { apiUrl }) });
  const linearOAuth =
    oauth === undefined
      ? undefined
      : {
          start: () =>
            startLinearConnect(store, oauthAppOf(oauth, options.publicUrl ?? localUrl), now()),
          finish: async (query: URLSearchParams) => {
            const connection = await finishLinearConnect(
              store,
              oauthAppOf(oauth, options.publicUrl ?? localUrl),
              { code: query.get("code"), state: query.get("state"), error: query.get("error") },
              { now: now(), connect: connectToken },
            );
            const workspace =
              connection.workspace === undefined ? "" : ` in ${connection.workspace.name}`;
            return `Linear is connected: the sync acts as ${connection.appUserName}${workspace}. Close this page and choose the teams on the admin page.`;
          },
        };
  const boards = workspaceBoardSource(
    store,
    now,
    mirror === null ? {} : { writeThrough: mirror.writeCategory.bind(mirror) },
  );
  return {
    ...(linearOAuth === undefined ? {} : { linearOAuth }),
    ports: {
      boards,
      store,
      now,
      enqueueBulk: backgroundBulkRunner({ store, source: boards, now }, (error) =>
        console.error("A bulk change stopped:", error),
      ),
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
        ...(source.kind === "linear"
          ? {}
          : {
              unavailable:
                source.kind === "demo"
                  ? "This is the demo workspace: Linear cannot be connected here. To sync a Linear workspace, start the server with --linear (npm start -- --linear; --help says more)."
                  : "This server mirrors Jira: Linear cannot be connected here. Start another server with --linear to sync a Linear workspace.",
            }),
        ...(oauth === undefined
          ? {}
          : {
              oauth: {
                app: () => Promise.resolve(oauthAppOf(oauth, options.publicUrl ?? localUrl)),
                connect: connectToken,
              },
            }),
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
                enqueue: () => Promise.resolve(scheduler.requestSoon()),
              },
            ),
        }),
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
  if (asksForHelp(process.argv.slice(2))) {
    // `npm start -- --help | head` closes the pipe early, which is no error.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
    process.stdout.write(START_HELP);
    return;
  }
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
