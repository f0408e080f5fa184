/**
 * `npm start -- --linear` against the fake Linear over loopback: the server mirrors the chosen
 * teams through the same sync the Forge app runs, writes a classification to Linear first,
 * receives verified webhooks, and starts without a key so the admin page can take one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseStartArgs, start, type StartOptions } from "../../src/server/main";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { signedWebhook } from "../fakes/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { NOW } from "../linear/helpers";

const envelope = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
/** The triage list asked for every matching key. */
const triage = z.object({ keys: z.array(z.string()) });
const report = z.object({ teams: z.array(z.object({ id: z.string() })) });

const fake = useFakeLinear({ workspace: generateDemoWorkspace(NOW) });
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "capacity-server-linear-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function options(name: string, apiKey: string | null): StartOptions {
  return {
    port: 0,
    host: "127.0.0.1",
    dataFile: join(dir, `${name}.sqlite`),
    token: null,
    syncEveryMs: 0,
    source: { kind: "linear", teamKeys: apiKey === null ? [] : ["GRO"], apiKey, apiUrl: fake.url },
  };
}

function caller(base: string, project: string) {
  return async (key: string, payload: unknown) => {
    const response = await fetch(`${base}/api/resolve/${key}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-capacity-project": project },
      body: JSON.stringify(payload),
    });
    const parsed = envelope.parse(await response.json());
    if (!parsed.ok) throw new Error(`${key}: ${parsed.error.message}`);
    return parsed.data;
  };
}

async function postWebhook(base: string, delivery: ReturnType<typeof signedWebhook>) {
  const response = await fetch(`${base}/webhooks/linear`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.rawBody,
  });
  return { status: response.status, body: await response.json() };
}

describe("the server on a Linear workspace", () => {
  it("mirrors the team, writes a classification to Linear first, and takes verified webhooks", async () => {
    const server = await start(options("mirror", fake.apiKey));
    const base = server.url.replace(/\/$/, "");
    const call = caller(base, "GRO");
    try {
      expect(await (await fetch(`${base}/boards`)).text()).toContain("GRO");
      const first = report.parse(await call("report/get", { boardId: 1 }));
      expect(first.teams.map((team) => team.id)).toEqual(["GRO"]);

      const [key] = triage.parse(await call("triage/list", { boardId: 1, keys: true })).keys;
      if (key === undefined) throw new Error("the demo's GRO team has unclassified issues");
      await call("item/classify", { boardId: 1, issueKeys: [key], category: "investment" });
      const issue = fake.data.issues.find((candidate) => candidate.identifier === key);
      const investment = fake.data.labels.find(
        (label) => label.name === "Investment" && label.parentId !== null,
      );
      expect(investment).toBeDefined();
      expect(issue?.labelIds).toContain(investment?.id);
      const after = triage.parse(await call("triage/list", { boardId: 1, keys: true })).keys;
      expect(after).not.toContain(key);

      // Webhooks: refused until a signing secret is saved, then verified with it.
      const event = fake.webhookEvents().at(-1);
      if (event === undefined) throw new Error("the label write gives a webhook event");
      const echo = signedWebhook(event, { secret: "wh-secret", deliveryId: "echo-1" });
      expect((await postWebhook(base, echo)).status).toBe(401);
      await call("linear/webhook-secret", { secret: "wh-secret" });
      expect(await postWebhook(base, echo)).toEqual({
        status: 200,
        body: { ok: true, result: "ignored" },
      });
      const forged = signedWebhook(
        { ...event, data: { ...event.data, id: "someone-else" } },
        { secret: "not-the-secret", deliveryId: "forged-1" },
      );
      expect((await postWebhook(base, forged)).status).toBe(401);
      const person = signedWebhook(
        { type: "Issue", action: "update", data: { id: "issue-by-a-person" } },
        { secret: "wh-secret", deliveryId: "person-1" },
      );
      expect((await postWebhook(base, person)).body).toEqual({ ok: true, result: "accepted" });
      expect((await postWebhook(base, person)).body).toEqual({ ok: true, result: "duplicate" });
      // The key and --team the server started with are what the admin page shows.
      const view = z
        .object({
          webhookUrl: z.string(),
          connected: z.boolean(),
          selectedTeams: z.array(z.string()),
        })
        .parse(await call("linear/get", {}));
      expect(view).toEqual({
        webhookUrl: `${base}/webhooks/linear`,
        connected: true,
        selectedTeams: ["GRO"],
      });
    } finally {
      await server.close();
    }
  });

  it("starts without a key, and a key saved on the admin page brings the teams in", async () => {
    const server = await start(options("no-key", null));
    const base = server.url.replace(/\/$/, "");
    const call = caller(base, "GRO");
    try {
      expect(await (await fetch(`${base}/boards`)).text()).toContain("Nothing pulled yet");
      await call("linear/connect", { apiKey: fake.apiKey });
      await call("linear/settings", { teamKeys: ["GRO"], publish: false, writeBack: false });
      const synced = z
        .object({ ok: z.boolean(), message: z.string() })
        .parse(await call("linear/sync-now", {}));
      expect(synced.ok, synced.message).toBe(true);
      expect(synced.message).toMatch(/^Synced GRO/);
      expect(await (await fetch(`${base}/boards`)).text()).toContain("GRO");
    } finally {
      await server.close();
    }
  });

  it("answers webhooks with 404 on the demo, which mirrors no Linear", async () => {
    const server = await start({ ...options("demo", null), source: { kind: "demo" } });
    try {
      const response = await fetch(`${server.url.replace(/\/$/, "")}/webhooks/linear`, {
        method: "POST",
        body: "{}",
      });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("--linear");
    } finally {
      await server.close();
    }
  });

  it("reads --linear and --team, with the key from the environment only", () => {
    const parsed = parseStartArgs(["--linear", "--team", "GRO"], {
      LINEAR_API_KEY: "lin_api_x",
    });
    expect(parsed.source).toEqual({ kind: "linear", teamKeys: ["GRO"], apiKey: "lin_api_x" });
    expect(parsed.dataFile).toMatch(/capacity-split-linear\.sqlite$/);
    expect(parseStartArgs(["--linear"], {}).source).toMatchObject({ apiKey: null });
    expect(() => parseStartArgs(["--team", "GRO"], {})).toThrow(
      /--team only applies with --linear/,
    );
  });
});
