import { describe, expect, it } from "vitest";
import {
  getLinearSettings,
  hintOfKey,
  type LinearAdminPort,
  type LinearConnectionView,
} from "../../src/app/linear-admin";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { connectLinear } from "../../src/linear/index";
import { MemoryStore, secretKeys, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { useFakeLinear } from "../helpers/fake-trackers";
import { linearClientFor, NOW } from "../linear/helpers";

const WEBHOOK_URL = "https://example.test/webhooks/linear";
const context: CallContext = { accountId: "admin-1", projectKey: null };

const fake = useFakeLinear({
  workspace: generateDemoWorkspace(NOW),
  seed: { now: NOW, teams: ["GRO", "MOB"] },
});

function portsFor(
  options: { admin?: boolean; store?: MemoryStore; syncs?: string[] } = {},
): ResolverPorts & { store: MemoryStore } {
  const store = options.store ?? new MemoryStore();
  const linear: LinearAdminPort = {
    connect: (apiKey) => linearClientFor(fake, { apiKey }).client,
    webhookUrl: () => Promise.resolve(WEBHOOK_URL),
    syncNow: async () => {
      const settings = await getLinearSettings(store);
      options.syncs?.push(settings.teamKeys.join(","));
      return { ok: true, message: `Synced ${settings.teamKeys.join(", ")}.` };
    },
    isAdmin: () => Promise.resolve(options.admin ?? true),
  };
  return { store, now: () => NOW, linear };
}

async function call(key: string, payload: unknown, ports: ResolverPorts) {
  return runResolver(key, payload, context, ports);
}

function viewOf(envelope: Awaited<ReturnType<typeof call>>): LinearConnectionView {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data as LinearConnectionView;
}

function errorOf(envelope: Awaited<ReturnType<typeof call>>): { code: string; message: string } {
  if (envelope.ok) throw new Error("expected a refusal, got data");
  return envelope.error;
}

describe("linear/connect", () => {
  it("refuses a key Linear does not accept, says where to make one, and stores nothing", async () => {
    const ports = portsFor();
    const answer = await call("linear/connect", { apiKey: "lin_api_wrong" }, ports);
    expect(errorOf(answer).code).toBe("BAD_REQUEST");
    expect(errorOf(answer).message).toMatch(/refused.*Settings › Security & access/);
    expect(await ports.store.getSecret(secretKeys.linearApiKey)).toBeUndefined();
    const view = viewOf(await call("linear/get", {}, ports));
    expect(view.connected).toBe(false);
    expect(view.teams).toEqual([]);
  });

  it("keeps a working key when a wrong one is tried after it", async () => {
    const ports = portsFor();
    viewOf(await call("linear/connect", { apiKey: fake.apiKey }, ports));
    const answer = await call("linear/connect", { apiKey: "lin_api_wrong" }, ports);
    expect(answer.ok).toBe(false);
    expect(await ports.store.getSecret(secretKeys.linearApiKey)).toBe(fake.apiKey);
  });

  it("stores a key Linear accepts as a secret, answers its teams and only a hint of the key", async () => {
    const ports = portsFor();
    const answer = await call("linear/connect", { apiKey: ` ${fake.apiKey} ` }, ports);
    const view = viewOf(answer);
    expect(await ports.store.getSecret(secretKeys.linearApiKey)).toBe(fake.apiKey);
    expect(view).toMatchObject({
      connected: true,
      keyHint: hintOfKey(fake.apiKey),
      webhookUrl: WEBHOOK_URL,
      webhookSecretSet: false,
      teamsError: null,
      selectedTeams: [],
      publish: true,
      writeBack: false,
      lastSync: null,
    });
    expect(view.teams.map((team) => team.key).sort()).toEqual(["GRO", "MOB"]);
    expect(JSON.stringify(answer)).not.toContain(fake.apiKey);
  });

  it("a replacing key keeps only the chosen teams it can see", async () => {
    const ports = portsFor();
    await ports.store.set(storeKeys.linearSettings(), {
      teamKeys: ["GRO", "GONE"],
      publish: false,
      writeBack: true,
    });
    const view = viewOf(await call("linear/connect", { apiKey: fake.apiKey }, ports));
    expect(view.selectedTeams).toEqual(["GRO"]);
    expect(await getLinearSettings(ports.store)).toEqual({
      teamKeys: ["GRO"],
      publish: false,
      writeBack: true,
    });
  });

  it("disconnecting forgets the key", async () => {
    const ports = portsFor();
    viewOf(await call("linear/connect", { apiKey: fake.apiKey }, ports));
    const view = viewOf(await call("linear/disconnect", {}, ports));
    expect(view).toMatchObject({ connected: false, keyHint: null, teams: [] });
    const sync = await call("linear/sync-now", {}, ports);
    expect(sync.ok ? null : sync.error.message).toMatch(/Connect Linear before syncing/);
  });
});

describe("linear/settings", () => {
  it("stores teams the key sees with the two switches", async () => {
    const ports = portsFor();
    viewOf(await call("linear/connect", { apiKey: fake.apiKey }, ports));
    const view = viewOf(
      await call("linear/settings", { teamKeys: ["MOB"], publish: false, writeBack: true }, ports),
    );
    expect(view).toMatchObject({ selectedTeams: ["MOB"], publish: false, writeBack: true });
    expect(await getLinearSettings(ports.store)).toEqual({
      teamKeys: ["MOB"],
      publish: false,
      writeBack: true,
    });
  });

  it("refuses a team the key does not see and changes nothing", async () => {
    const ports = portsFor();
    viewOf(await call("linear/connect", { apiKey: fake.apiKey }, ports));
    viewOf(
      await call("linear/settings", { teamKeys: ["GRO"], publish: true, writeBack: false }, ports),
    );
    const answer = await call(
      "linear/settings",
      { teamKeys: ["GRO", "NOPE"], publish: false, writeBack: true },
      ports,
    );
    expect(answer).toEqual({
      ok: false,
      error: {
        code: "BAD_REQUEST",
        message: "The connection sees no team NOPE. Teams it sees: GRO, MOB.",
      },
    });
    expect(await ports.store.get(storeKeys.linearSettings())).toEqual({
      teamKeys: ["GRO"],
      publish: true,
      writeBack: false,
    });
  });

  it("refuses a malformed payload with the field at fault", async () => {
    const ports = portsFor();
    const answer = await call("linear/settings", { teamKeys: "GRO", publish: true }, ports);
    expect(answer.ok ? "" : answer.error.message).toMatch(/team keys: .*write back: missing/);
    expect(await ports.store.get(storeKeys.linearSettings())).toBeUndefined();
  });
});

describe("linear/webhook-secret and linear/sync-now", () => {
  it("stores the signing secret as a secret and says only that it is set", async () => {
    const ports = portsFor();
    const answer = await call("linear/webhook-secret", { secret: "lin_wh_abc123" }, ports);
    expect(viewOf(answer).webhookSecretSet).toBe(true);
    expect(await ports.store.getSecret(secretKeys.linearWebhookSecret)).toBe("lin_wh_abc123");
    expect(JSON.stringify(answer)).not.toContain("lin_wh_abc123");
  });

  it("runs the host's sync with the saved teams and answers the recorded last sync", async () => {
    const syncs: string[] = [];
    const ports = portsFor({ syncs });
    viewOf(await call("linear/connect", { apiKey: fake.apiKey }, ports));
    const noTeams = await call("linear/sync-now", {}, ports);
    expect(noTeams.ok ? null : noTeams.error.message).toMatch(/Choose at least one team/);
    viewOf(
      await call("linear/settings", { teamKeys: ["GRO"], publish: true, writeBack: false }, ports),
    );
    const record = {
      at: "2026-11-24T00:00:00.000Z",
      ok: true,
      message: "Synced GRO.",
      teams: ["GRO"],
      changes: ['project "Capacity split · Growth"'],
    };
    await ports.store.set(storeKeys.linearLastSync(), record);
    const answer = await call("linear/sync-now", {}, ports);
    expect(answer).toEqual({
      ok: true,
      data: { ok: true, message: "Synced GRO.", lastSync: record },
    });
    expect(syncs).toEqual(["GRO"]);
  });
});

describe("who may call", () => {
  it.each([
    ["linear/get", {}],
    ["linear/connect", { apiKey: "lin_api_x" }],
    ["linear/oauth-start", {}],
    ["linear/disconnect", {}],
    ["linear/webhook-secret", { secret: "s" }],
    ["linear/settings", { teamKeys: [], publish: true, writeBack: false }],
    ["linear/sync-now", {}],
  ])("%s refuses a caller who does not administer the site", async (key, payload) => {
    const store = new MemoryStore();
    await store.setSecret(secretKeys.linearApiKey, fake.apiKey);
    const ports = portsFor({ admin: false, store });
    const answer = await call(key, payload, ports);
    expect(errorOf(answer).code).toBe("FORBIDDEN");
    expect(errorOf(answer).message).toContain("administrators");
    expect(await store.getSecret(secretKeys.linearApiKey)).toBe(fake.apiKey);
    expect(await store.get(storeKeys.linearSettings())).toBeUndefined();
  });

  it("a host without Linear says so", async () => {
    const answer = await call("linear/get", {}, { store: new MemoryStore(), now: () => NOW });
    expect(errorOf(answer).code).toBe("NOT_FOUND");
    expect(errorOf(answer).message).toContain("Linear is not configured");
  });
});

describe("a host that cannot connect Linear (the demo)", () => {
  const DEMO =
    "This is the demo workspace: Linear cannot be connected here. To sync a Linear workspace, start the server with --linear.";

  function demoPorts(store = new MemoryStore()): ResolverPorts & { store: MemoryStore } {
    const base = portsFor({ store });
    const linear: LinearAdminPort = {
      ...(base.linear as LinearAdminPort),
      connect: () => {
        throw new Error("the demo must not try to reach Linear");
      },
      webhookUrl: () => Promise.reject(new Error("the demo has no webhook URL")),
      unavailable: DEMO,
    };
    return { ...base, linear };
  }

  it("the page's view says so plainly and asks Linear nothing", async () => {
    const before = fake.requests();
    expect(viewOf(await call("linear/get", {}, demoPorts()))).toMatchObject({
      unavailable: DEMO,
      oauthAvailable: false,
      connected: false,
      webhookUrl: null,
      teams: [],
      teamsError: null,
    });
    expect(fake.requests()).toBe(before);
  });

  it.each([
    ["linear/connect", { apiKey: "lin_api_x" }],
    ["linear/oauth-start", {}],
    ["linear/disconnect", {}],
    ["linear/webhook-secret", { secret: "s" }],
    ["linear/settings", { teamKeys: ["GRO"], publish: true, writeBack: false }],
    ["linear/sync-now", {}],
  ])("%s answers the same sentence at once and stores nothing", async (key, payload) => {
    const ports = demoPorts();
    expect(errorOf(await call(key, payload, ports))).toEqual({
      code: "BAD_REQUEST",
      message: DEMO,
    });
    expect(await ports.store.getSecret(secretKeys.linearApiKey)).toBeUndefined();
    expect(await ports.store.getSecret(secretKeys.linearWebhookSecret)).toBeUndefined();
    expect(await ports.store.get(storeKeys.linearSettings())).toBeUndefined();
    expect(await ports.store.get(storeKeys.linearOAuthState())).toBeUndefined();
  });
});

describe("errors a person reads", () => {
  it("name what was being done, never the query the client sent", async () => {
    const ports = portsFor();
    const unreachable: LinearAdminPort = {
      ...(ports.linear as LinearAdminPort),
      // Nothing listens on port 9 of loopback: the connection is refused at once.
      connect: (apiKey) =>
        connectLinear({ apiKey, apiUrl: "http://127.0.0.1:9/graphql", maxAttempts: 1 }),
    };
    const answer = errorOf(
      await call("linear/connect", { apiKey: "lin_api_x" }, { ...ports, linear: unreachable }),
    );
    expect(answer.code).toBe("UPSTREAM");
    expect(answer.message).toContain("Could not reach Linear while listing the teams");
    expect(answer.message).not.toMatch(/Capacity[A-Z]/);
  });

  it("a host without an OAuth application says Connect Linear is not offered", async () => {
    const answer = errorOf(await call("linear/oauth-start", {}, portsFor()));
    expect(answer.code).toBe("BAD_REQUEST");
    expect(answer.message).toContain("only be connected with an API key here");
  });
});

describe("hintOfKey", () => {
  it.each([
    ["lin_api_0123456789abcdefx7Qa", "lin_api_…x7Qa"],
    ["0123456789abcdefx7Qa", "…x7Qa"],
  ])("%s → %s", (key, hint) => expect(hintOfKey(key)).toBe(hint));
});
