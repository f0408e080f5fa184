import { z } from "zod";
// Deep imports, not the module's index: the admin page takes its answer types from this file, and
// the index also brings in the webhook verifier, which needs Node's Buffer the browser build lacks.
import { type LinearSyncClient, LinearSyncError, type LinearTeam } from "../linear/index";
import { secretKeys, type Store, storeKeys } from "../store/index";
import { readLastLinearSync, type LastLinearSync } from "./last-linear-sync";
import { AppError } from "./app-error";
import type { LinearResolverKey } from "./contract";
import type { ResolverHandlers, ResolverPorts } from "./resolvers";

/** What a host gives the admin page's resolvers to reach Linear; hosts without it have no Linear. */
export interface LinearAdminPort {
  /** A client for a key, to validate it and list teams. */
  connect(apiKey: string): LinearSyncClient;
  /** The URL Linear should POST webhooks to (Forge: webTrigger.getUrl; server: its /webhooks/linear). */
  webhookUrl(): Promise<string | null>;
  /** Runs one sync now with the stored key and settings; resolves with what it did. */
  syncNow(): Promise<{ ok: boolean; message: string }>;
  /** Whether the caller administers the site (Forge: Jira ADMINISTER permission; server: the local user). */
  isAdmin(): Promise<boolean>;
  /** A key the host was started with (the server's LINEAR_API_KEY); it wins over a saved one. */
  readonly hostApiKey?: string | null;
}

/** Linear team keys are short upper-case codes such as `ENG`; anything else cannot be a team. */
const teamKey = z
  .string()
  .regex(/^[A-Z0-9_]{1,20}$/, { error: "expected a Linear team key such as ENG" });

export const linearSettingsSchema = z.strictObject({
  teamKeys: z.array(teamKey).max(100),
  publish: z.boolean(),
  writeBack: z.boolean(),
});

export type LinearSettings = z.infer<typeof linearSettingsSchema>;

/**
 * Publishing is the point of connecting Linear, so it starts on; write-back adds labels to issues a
 * person never touched, so it waits until someone asks for it.
 */
export const DEFAULT_LINEAR_SETTINGS: LinearSettings = {
  teamKeys: [],
  publish: true,
  writeBack: false,
};

/** The teams to sync and what to do with them; the defaults when nothing (readable) is stored. */
export async function getLinearSettings(store: Store): Promise<LinearSettings> {
  const parsed = linearSettingsSchema.safeParse(await store.get(storeKeys.linearSettings()));
  return parsed.success ? parsed.data : DEFAULT_LINEAR_SETTINGS;
}

/** What the admin page shows. The key itself never leaves the host: only its hint does. */
export interface LinearConnectionView {
  readonly connected: boolean;
  /** `lin_api_…x7Qa`: enough to tell two keys apart, too little to use one. */
  readonly keyHint: string | null;
  readonly webhookUrl: string | null;
  readonly webhookSecretSet: boolean;
  /** The teams the key sees; empty when not connected or when Linear could not be asked. */
  readonly teams: readonly { readonly key: string; readonly name: string }[];
  /** Why `teams` is empty although a key is stored (revoked key, Linear down), in words. */
  readonly teamsError: string | null;
  readonly selectedTeams: readonly string[];
  readonly publish: boolean;
  readonly writeBack: boolean;
  readonly lastSync: LastLinearSync | null;
}

export interface SyncNowAnswer {
  readonly ok: boolean;
  readonly message: string;
  readonly lastSync: LastLinearSync | null;
}

const KEY_SETTINGS_HINT =
  "Create a personal API key in Linear under Settings › Security & access › Personal API keys and paste it here.";

/**
 * The admin page's resolvers: the Linear connection of the whole site, so every one of them is
 * for site administrators only, whatever project the page is opened from.
 */
export const LINEAR_RESOLVERS: ResolverHandlers<LinearResolverKey> = {
  "linear/get": async (_payload, _context, ports) => {
    return viewOf(ports.store, await adminPort(ports));
  },

  "linear/connect": async ({ apiKey }, _context, ports) => {
    const linear = await adminPort(ports);
    // Asking Linear before storing: a key it refuses must not replace one that works.
    const teams = await listTeams(linear, apiKey, "this API key");
    await ports.store.setSecret(secretKeys.linearApiKey, apiKey);
    // A replacing key may see other teams; one it cannot see would fail every sync and could not
    // be unticked on the page, which lists only the key's teams.
    const settings = await getLinearSettings(ports.store);
    const seen = new Set(teams.map((team) => team.key));
    const kept = settings.teamKeys.filter((key) => seen.has(key));
    if (kept.length !== settings.teamKeys.length) {
      await ports.store.set(storeKeys.linearSettings(), { ...settings, teamKeys: kept });
    }
    return viewOf(ports.store, linear, teams);
  },

  "linear/disconnect": async (_payload, _context, ports) => {
    const linear = await adminPort(ports);
    // The Store port has no secret deletion; an empty secret reads as "no key" everywhere here.
    await ports.store.setSecret(secretKeys.linearApiKey, "");
    return viewOf(ports.store, linear);
  },

  "linear/webhook-secret": async ({ secret }, _context, ports) => {
    const linear = await adminPort(ports);
    await ports.store.setSecret(secretKeys.linearWebhookSecret, secret);
    return viewOf(ports.store, linear);
  },

  "linear/settings": async (input, _context, ports) => {
    const linear = await adminPort(ports);
    const apiKey = await readLinearApiKey(ports.store, linear.hostApiKey);
    if (apiKey === null) {
      throw new AppError("BAD_REQUEST", "Connect a Linear API key before choosing teams.");
    }
    const teams = await listTeams(linear, apiKey, "the stored API key");
    const known = new Set(teams.map((team) => team.key));
    const unknown = input.teamKeys.filter((key) => !known.has(key));
    if (unknown.length > 0) {
      const seen =
        teams
          .map((team) => team.key)
          .sort()
          .join(", ") || "none";
      throw new AppError(
        "BAD_REQUEST",
        `The API key sees no team ${unknown.join(", ")}. Teams it sees: ${seen}.`,
      );
    }
    const settings: LinearSettings = { ...input, teamKeys: [...new Set(input.teamKeys)] };
    await ports.store.set(storeKeys.linearSettings(), settings);
    return viewOf(ports.store, linear, teams);
  },

  /** Only the last sync's record: what the page polls while a queued sync runs, asking Linear nothing. */
  "linear/last-sync": async (_payload, _context, ports) => {
    await adminPort(ports);
    return readLastLinearSync(ports.store);
  },

  "linear/sync-now": async (_payload, _context, ports) => {
    const linear = await adminPort(ports);
    if ((await readLinearApiKey(ports.store, linear.hostApiKey)) === null) {
      throw new AppError("BAD_REQUEST", "Connect a Linear API key before syncing.");
    }
    if ((await getLinearSettings(ports.store)).teamKeys.length === 0) {
      throw new AppError("BAD_REQUEST", "Choose at least one team and save before syncing.");
    }
    const outcome = await linear.syncNow();
    return { ...outcome, lastSync: await readLastLinearSync(ports.store) };
  },
};

/** `lin_api_…x7Qa`: Linear's prefix, when the key has it, and the last four characters. */
export function hintOfKey(apiKey: string): string {
  const prefix = /^lin_[a-z]+_/.exec(apiKey)?.[0] ?? "";
  return `${prefix}…${apiKey.slice(-4)}`;
}

/** The port, once the caller is known to administer the site. */
async function adminPort(ports: ResolverPorts): Promise<LinearAdminPort> {
  const linear = ports.linear;
  if (linear === undefined) {
    throw new AppError(
      "NOT_FOUND",
      "Linear is not configured on this host, so there is no Linear connection to manage here.",
    );
  }
  if (!(await linear.isAdmin())) {
    throw new AppError(
      "FORBIDDEN",
      "Only site administrators can manage the Linear connection. Ask one of them.",
    );
  }
  return linear;
}

/**
 * The key to use: the host's own (the server's LINEAR_API_KEY), else the one saved on this page;
 * a disconnected key is saved as empty, so it reads as none.
 */
export async function readLinearApiKey(
  store: Store,
  hostApiKey?: string | null,
): Promise<string | null> {
  if (hostApiKey) return hostApiKey;
  const key = await store.getSecret(secretKeys.linearApiKey);
  return key === undefined || key === "" ? null : key;
}

async function listTeams(
  linear: LinearAdminPort,
  apiKey: string,
  which: string,
): Promise<LinearTeam[]> {
  try {
    return await linear.connect(apiKey).listTeams();
  } catch (error) {
    throw toAppError(error, which);
  }
}

function toAppError(error: unknown, which: string): unknown {
  if (!(error instanceof LinearSyncError)) return error;
  switch (error.code) {
    case "LINEAR_UNAUTHORIZED":
    case "LINEAR_FORBIDDEN":
      return new AppError("BAD_REQUEST", `Linear refused ${which}. ${KEY_SETTINGS_HINT}`, {
        cause: error,
      });
    case "LINEAR_RATE_LIMITED":
      return new AppError(
        "RATE_LIMITED",
        "Linear is rate-limiting this key right now. Try again in a minute.",
        { cause: error },
      );
    default:
      return new AppError(
        "UPSTREAM",
        `Could not ask Linear about ${which} (${error.message}). Try again in a minute.`,
        { cause: error },
      );
  }
}

async function viewOf(
  store: Store,
  linear: LinearAdminPort,
  knownTeams?: readonly LinearTeam[],
): Promise<LinearConnectionView> {
  const [apiKey, webhookSecret, settings, lastSync, webhookUrl] = await Promise.all([
    readLinearApiKey(store, linear.hostApiKey),
    store.getSecret(secretKeys.linearWebhookSecret),
    getLinearSettings(store),
    readLastLinearSync(store),
    linear.webhookUrl(),
  ]);
  let teams: readonly LinearTeam[] = [];
  let teamsError: string | null = null;
  if (apiKey !== null) {
    try {
      teams = knownTeams ?? (await listTeams(linear, apiKey, "the stored API key"));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      teamsError = error.message;
    }
  }
  return {
    connected: apiKey !== null,
    keyHint: apiKey === null ? null : hintOfKey(apiKey),
    webhookUrl,
    webhookSecretSet: webhookSecret !== undefined && webhookSecret !== "",
    teams: teams
      .map((team) => ({ key: team.key, name: team.name }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    teamsError,
    selectedTeams: settings.teamKeys,
    publish: settings.publish,
    writeBack: settings.writeBack,
    lastSync,
  };
}
