import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseStartArgs, start } from "../../src/server/main";

const envelope = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
/** The triage list asked for every matching key. */
const triage = z.object({ keys: z.array(z.string()) });
const targets = z.object({ entries: z.array(z.object({ reason: z.string() })) });

let dir: string;
let dataFile: string;
let server: { url: string; close: () => Promise<void> };

async function call(key: string, body: string, token?: string) {
  const base = server.url.replace(/\/(\?.*)?$/, "");
  const response = await fetch(`${base}/api/resolve/${key}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-capacity-project": "PAY",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: envelope.safeParse(JSON.parse(text)) };
}

async function unclassified(): Promise<string[]> {
  const answer = await call("triage/list", JSON.stringify({ boardId: 1, keys: true }));
  if (!answer.json.success || !answer.json.data.ok) throw new Error(answer.text);
  return triage.parse(answer.json.data.data).keys;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-server-"));
  dataFile = join(dir, "store.sqlite");
  server = await start({ port: 0, host: "127.0.0.1", dataFile, token: null });
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the self-hosted server", () => {
  it("answers an unknown resolver with 404 and names the known ones", async () => {
    const answer = await call("nope/never", "{}");
    expect(answer.status).toBe(404);
    expect(answer.text).toContain("report/get");
  });

  it("refuses bodies that are not JSON or not a valid payload with 400, changing nothing", async () => {
    const before = await unclassified();
    const broken = await call("item/classify", "{not json");
    expect(broken.status).toBe(400);
    expect(broken.text).toContain("not JSON");
    const invalid = await call(
      "item/classify",
      JSON.stringify({ boardId: 1, issueKeys: [before[0]], category: "someday" }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("category");
    expect(await unclassified()).toEqual(before);
  });

  it("keeps classifications and targets across a restart: the SQLite file is the truth", async () => {
    const [first] = await unclassified();
    expect(first).toBeDefined();
    const classified = await call(
      "item/classify",
      JSON.stringify({ boardId: 1, issueKeys: [first], category: "investment" }),
    );
    expect(classified.status).toBe(200);
    const declared = await call(
      "target/append",
      JSON.stringify({
        boardId: 1,
        investmentShare: 0.25,
        tolerance: 0.05,
        effectiveFrom: "2026-01-01",
        reason: "restart test",
        requestId: "restart-test-1",
      }),
    );
    expect(declared.status).toBe(200);

    await server.close();
    server = await start({ port: 0, host: "127.0.0.1", dataFile, token: null });

    expect(await unclassified()).not.toContain(first);
    const listed = await call("target/list", JSON.stringify({ boardId: 1 }));
    if (!listed.json.success || !listed.json.data.ok) throw new Error(listed.text);
    expect(targets.parse(listed.json.data.data).entries.map((e) => e.reason)).toContain(
      "restart test",
    );
  });

  it("answers resolvers only to JSON requests by its own host name, changing nothing otherwise", async () => {
    const before = await unclassified();
    const base = server.url.replace(/\/(\?.*)?$/, "");
    const payload = JSON.stringify({ boardId: 1, issueKeys: [before[0]], category: "roadmap" });
    // What a form or a no-cors fetch from another site can send.
    const asForm = await fetch(`${base}/api/resolve/item/classify`, {
      method: "POST",
      headers: { "content-type": "text/plain", "x-capacity-project": "PAY" },
      body: payload,
    });
    expect(asForm.status).toBe(415);
    // A DNS name rebound to 127.0.0.1 arrives with its own Host.
    const { request } = await import("node:http");
    const rebound = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${base}/api/resolve/item/classify`);
      const req = request(
        url,
        {
          method: "POST",
          headers: {
            host: `attacker.example:${url.port}`,
            "content-type": "application/json",
            "x-capacity-project": "PAY",
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
    expect(rebound).toBe(421);
    expect(await unclassified()).toEqual(before);
  });

  it("checks the access token on every request when one is set", async () => {
    await server.close();
    server = await start({ port: 0, host: "127.0.0.1", dataFile, token: "s3cret-token" });
    expect((await call("board/list", "{}")).status).toBe(401);
    expect((await call("board/list", "{}", "wrong-token!")).status).toBe(401);
    expect((await call("board/list", "{}", "s3cret-token")).status).toBe(200);
  });

  it("requires a token for a non-loopback host and explains a bad --port", () => {
    expect(parseStartArgs(["--host", "0.0.0.0"], {}).token).toMatch(/^[\w-]{20,}$/);
    expect(parseStartArgs([], {}).token).toBeNull();
    expect(() => parseStartArgs(["--port", "abc"], {})).toThrow(/Invalid --port value: "abc"/);
    expect(() => parseStartArgs(["--sync-every", "99999"], {})).toThrow(
      /Invalid --sync-every value: "99999"/,
    );
  });
});
