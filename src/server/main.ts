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
import { buildPages, formatSizes, missingPages } from "./build-static.js";
import { createAppServer } from "./http-server.js";
import { SqliteStore } from "./sqlite-store.js";
import { seedDemoWorkspace, workspaceBoardSource } from "./workspace-board-source.js";

export interface StartOptions {
  readonly port: number;
  readonly host: string;
  readonly dataFile: string;
  readonly token: string | null;
}

const USAGE = "Usage: npm start -- [--port 3000] [--host 127.0.0.1] [--data FILE] [--token TOKEN]";

/** The user's data directory by platform convention (XDG on Linux). */
export function defaultDataFile(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  const base =
    platform === "darwin"
      ? join(homedir(), "Library", "Application Support")
      : platform === "win32"
        ? (env.APPDATA ?? join(homedir(), "AppData", "Roaming"))
        : (env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"));
  return join(base, "capacity-split", "capacity-split.sqlite");
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
  return { port, host, dataFile: resolve(values.data ?? defaultDataFile(env)), token };
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
  if (await seedDemoWorkspace(store, now()))
    console.log(`Seeded the demo workspace into ${options.dataFile}`);
  const server = createAppServer({
    ports: { boards: workspaceBoardSource(store, now), store, now },
    token: options.token,
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port, options.host, done);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/${options.token ? `?token=${options.token}` : ""}`;
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          store.close();
          done();
        });
      }),
  };
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
  const { url } = await start(options);
  console.log(`Capacity Split is running on ${url}  (data: ${options.dataFile})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
