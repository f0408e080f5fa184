import { z } from "zod";
// Deep imports, not the module's index: the admin page takes its answer types from this file, and
// the index also brings in the webhook verifier, which needs Node's Buffer the browser build lacks.
import { type LinearSyncClient, LinearSyncError, type LinearTeam } from "../linear/index";
import { secretKeys, type Store, storeKeys } from "../store/index";
import { readLastLinearSync, type LastLinearSync } from "./last-linear-sync";
import {
  disconnectLinearOAuth,
  forgetLinearOAuth,
  linearAccessToken,
  readLinearOAuth,
  startLinearConnect,
  type LinearOAuthApp,
} from "./linear-oauth";
import { AppError } from "./app-error";
import { NotFoundError } from "../jira/index";
import { forgetLinearOrgTeams, readLinearOrgAccess, setLinearOrgAccess } from "./org-linear-teams";
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
  /**
   * Why this host cannot connect Linear at all (the demo), as the page says it; every Linear
   * action then answers this at once instead of trying to reach Linear.
   */
  readonly unavailable?: string;
  /**
   * "Connect Linear" as an app through the host's OAuth application; absent when it has none.
   * The connection, once made, wins over an API key.
   */
  readonly oauth?: {
    /** The application, its redirect URI this host's callback (Forge: the web trigger's URL). */
    app(): Promise<LinearOAuthApp>;
    /** A client for an access token. */
    connect(accessToken: string): LinearSyncClient;
  };
}

/** Linear team keys are short upper-case codes such as `ENG`; anything else cannot be a team. */
export const linearTeamKeySchema = z
  .string()
  .regex(/^[A-Z0-9_]{1,20}$/, { error: "expected a Linear team key such as ENG" });

export const linearSettingsSchema = z.strictObject({
  teamKeys: z.array(linearTeamKeySchema).max(100),
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
  /** Why Linear cannot be connected on this host at all (the demo); null where it can. */
  readonly unavailable: string | null;
  /** Whether this host offers "Connect Linear" (it has an OAuth application). */
  readonly oauthAvailable: boolean;
  /** The connection made with "Connect Linear": the app user the sync acts as, the workspace. */
  readonly app: {
    readonly userName: string;
    readonly workspace: string | null;
  } | null;
  /** Connected one way or the other: through OAuth, or with an API key. */
  readonly connected: boolean;
  /** `lin_api_…x7Qa`: enough to tell two keys apart, too little to use one. */
  readonly keyHint: string | null;
  readonly webhookUrl: string | null;
  readonly webhookSecretSet: boolean;
  /** The teams the connection sees; empty when not connected or when Linear could not be asked. */
  readonly teams: readonly { readonly key: string; readonly name: string }[];
  /** Why `teams` is empty although a key is stored (revoked key, Linear down), in words. */
  readonly teamsError: string | null;
  readonly selectedTeams: readonly string[];
  readonly publish: boolean;
  readonly writeBack: boolean;
  readonly lastSync: LastLinearSync | null;
  /**
   * Who sees each synced team on the Jira company page: the Jira project whose browsers do, or
   * null for Jira administrators only. Null on a host without Jira (the self-hosted server shows
   * every team to whoever opens its company page).
   */
  readonly orgAccess:
    | readonly {
        readonly teamKey: string;
        readonly projectKey: string | null;
      }[]
    | null;
}

export interface SyncNowAnswer {
  readonly ok: boolean;
  readonly message: string;
  readonly lastSync: LastLinearSync | null;
}

const KEY_SETTINGS_HINT =
  "Create a personal API key in Linear under Settings › Security & access › Personal API keys and paste it here.";

/** The answer of `linear/oauth-start`: where to send the admin to approve the app in Linear. */
export interface OAuthStartAnswer {
  readonly url: string;
}

/**
 * The admin page's resolvers: the Linear connection of the whole site, so every one of them is
 * for site administrators only, whatever project the page is opened from.
 */
export const LINEAR_RESOLVERS: ResolverHandlers<LinearResolverKey> = {
  "linear/get": async (_payload, _context, ports) => {
    const linear = await adminPort(ports, { evenUnavailable: true });
    return viewOf(ports, linear);
  },

  "linear/connect": async ({ apiKey }, _context, ports) => {
    const linear = await adminPort(ports);
    // Asking Linear before storing: a key it refuses must not replace one that works.
    const teams = await listTeams(linear.connect(apiKey), "this API key");
    await ports.store.setSecret(secretKeys.linearApiKey, apiKey);
    // A replacing key may see other teams; one it cannot see would fail every sync and could not
    // be unticked on the page, which lists only the key's teams.
    const settings = await getLinearSettings(ports.store);
    const seen = new Set(teams.map((team) => team.key));
    const kept = settings.teamKeys.filter((key) => seen.has(key));
    if (kept.length !== settings.teamKeys.length) {
      await ports.store.set(storeKeys.linearSettings(), { ...settings, teamKeys: kept });
    }
    return viewOf(ports, linear, teams);
  },

  /** "Connect Linear": a state kept for the caller, and Linear's consent URL to open. */
  "linear/oauth-start": async (_payload, context, ports) => {
    const linear = await adminPort(ports);
    if (linear.oauth === undefined) {
      throw new AppError(
        "BAD_REQUEST",
        "This host has no Linear OAuth application, so Linear can only be connected with an API key here.",
      );
    }
    const app = await linear.oauth.app();
    return { url: await startLinearConnect(ports.store, app, ports.now(), context.accountId) };
  },

  "linear/disconnect": async (_payload, _context, ports) => {
    const linear = await adminPort(ports);
    if ((await readLinearOAuth(ports.store)) !== null) {
      if (linear.oauth === undefined) {
        await forgetLinearOAuth(ports.store);
      } else {
        try {
          await disconnectLinearOAuth(ports.store, await linear.oauth.app());
        } catch (error) {
          throw toAppError(error, "the connection");
        }
      }
    }
    // The Store port has no secret deletion; an empty secret reads as "no key" everywhere here.
    await ports.store.setSecret(secretKeys.linearApiKey, "");
    // The company page forgets the teams now, not at the next sync, which no longer comes.
    await forgetLinearOrgTeams(ports.store, (await getLinearSettings(ports.store)).teamKeys);
    return viewOf(ports, linear);
  },

  /**
   * Who sees a synced Linear team on the Jira company page. The admin page is for Jira
   * administrators only, who may see every team whatever they choose, so the choice asks only
   * that the project exists and that the caller can see it in Jira (`GET /rest/api/3/project`,
   * as the caller), not that they administer it.
   */
  "linear/team-access": async ({ teamKey, projectKey }, _context, ports) => {
    const linear = await adminPort(ports);
    const jira = ports.boards === undefined ? ports.jira : undefined;
    if (jira === undefined) {
      throw new AppError(
        "BAD_REQUEST",
        "This host has no Jira: its company page shows every team to whoever opens it.",
      );
    }
    const { teamKeys } = await getLinearSettings(ports.store);
    if (!teamKeys.includes(teamKey)) {
      throw new AppError(
        "BAD_REQUEST",
        `Linear team ${teamKey} is not synced: tick it among the teams to sync and save first.`,
      );
    }
    let project: { projectId: number; projectKey: string } | null = null;
    if (projectKey !== null) {
      try {
        const found = await jira.getProject(projectKey, { as: "user" });
        project = { projectId: Number(found.id), projectKey: found.key };
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        throw new AppError(
          "BAD_REQUEST",
          `Jira has no project ${projectKey} that you can see. Check its key (the prefix of its issue keys, such as PAY).`,
          { cause: error },
        );
      }
    }
    await setLinearOrgAccess(ports.store, teamKey, project);
    return viewOf(ports, linear);
  },

  "linear/webhook-secret": async ({ secret }, _context, ports) => {
    const linear = await adminPort(ports);
    await ports.store.setSecret(secretKeys.linearWebhookSecret, secret);
    return viewOf(ports, linear);
  },

  "linear/settings": async (input, _context, ports) => {
    const linear = await adminPort(ports);
    const connection = await connectionOf(ports, linear);
    if (connection === null) {
      throw new AppError("BAD_REQUEST", "Connect Linear before choosing teams.");
    }
    const teams = await listTeams(connection.client, connection.which);
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
        `The connection sees no team ${unknown.join(", ")}. Teams it sees: ${seen}.`,
      );
    }
    const settings: LinearSettings = { ...input, teamKeys: [...new Set(input.teamKeys)] };
    await ports.store.set(storeKeys.linearSettings(), settings);
    return viewOf(ports, linear, teams);
  },

  /** Only the last sync's record: what the page polls while a queued sync runs, asking Linear nothing. */
  "linear/last-sync": async (_payload, _context, ports) => {
    await adminPort(ports);
    return readLastLinearSync(ports.store);
  },

  "linear/sync-now": async (_payload, _context, ports) => {
    const linear = await adminPort(ports);
    const connected =
      (await readLinearOAuth(ports.store)) !== null ||
      (await readLinearApiKey(ports.store, linear.hostApiKey)) !== null;
    if (!connected) {
      throw new AppError("BAD_REQUEST", "Connect Linear before syncing.");
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

/**
 * The port, once the caller is known to administer the site. On a host where Linear cannot be
 * connected, only reading the page's view goes on; every action answers why at once.
 */
async function adminPort(
  ports: ResolverPorts,
  options: { readonly evenUnavailable?: boolean } = {},
): Promise<LinearAdminPort> {
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
  if (linear.unavailable !== undefined && options.evenUnavailable !== true) {
    throw new AppError("BAD_REQUEST", linear.unavailable);
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

/**
 * The client of the site's connection: through OAuth when Linear was connected that way (its
 * access token refreshed first when it nears expiry), else with the API key; null when neither.
 */
async function connectionOf(
  ports: ResolverPorts,
  linear: LinearAdminPort,
): Promise<{ readonly client: LinearSyncClient; readonly which: string } | null> {
  if (linear.oauth !== undefined) {
    let token: string | null;
    try {
      token = await linearAccessToken(ports.store, await linear.oauth.app(), ports.now());
    } catch (error) {
      throw toAppError(error, "the connection");
    }
    if (token !== null) return { client: linear.oauth.connect(token), which: "the connection" };
  }
  const apiKey = await readLinearApiKey(ports.store, linear.hostApiKey);
  return apiKey === null ? null : { client: linear.connect(apiKey), which: "the stored API key" };
}

async function listTeams(client: LinearSyncClient, which: string): Promise<LinearTeam[]> {
  try {
    return await client.listTeams();
  } catch (error) {
    throw toAppError(error, which);
  }
}

function toAppError(error: unknown, which: string): unknown {
  if (!(error instanceof LinearSyncError)) return error;
  switch (error.code) {
    case "LINEAR_UNAUTHORIZED":
    case "LINEAR_FORBIDDEN":
      return new AppError(
        "BAD_REQUEST",
        which === "the connection"
          ? "Linear refused the connection: it was revoked or has expired. Connect Linear again."
          : `Linear refused ${which}. ${KEY_SETTINGS_HINT}`,
        { cause: error },
      );
    case "LINEAR_RATE_LIMITED":
      return new AppError(
        "RATE_LIMITED",
        "Linear is rate-limiting this connection right now. Try again in a minute.",
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
  ports: ResolverPorts,
  linear: LinearAdminPort,
  knownTeams?: readonly LinearTeam[],
): Promise<LinearConnectionView> {
  const store = ports.store;
  const withJira = ports.boards === undefined && ports.jira !== undefined;
  const [apiKey, oauth, webhookSecret, settings, lastSync, webhookUrl, access] = await Promise.all([
    readLinearApiKey(store, linear.hostApiKey),
    readLinearOAuth(store),
    store.getSecret(secretKeys.linearWebhookSecret),
    getLinearSettings(store),
    readLastLinearSync(store),
    linear.unavailable === undefined ? linear.webhookUrl() : Promise.resolve(null),
    withJira ? readLinearOrgAccess(store) : Promise.resolve(null),
  ]);
  let teams: readonly LinearTeam[] = [];
  let teamsError: string | null = null;
  if (linear.unavailable === undefined && (apiKey !== null || oauth !== null)) {
    try {
      if (knownTeams !== undefined) {
        teams = knownTeams;
      } else {
        const connection = await connectionOf(ports, linear);
        if (connection !== null) teams = await listTeams(connection.client, connection.which);
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      teamsError = error.message;
    }
  }
  return {
    unavailable: linear.unavailable ?? null,
    oauthAvailable: linear.unavailable === undefined && linear.oauth !== undefined,
    app:
      oauth === null
        ? null
        : { userName: oauth.appUserName, workspace: oauth.workspace?.name ?? null },
    connected: apiKey !== null || oauth !== null,
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
    orgAccess:
      access === null
        ? null
        : settings.teamKeys.map((teamKey) => ({
            teamKey,
            projectKey: access[teamKey]?.projectKey ?? null,
          })),
  };
}
