/**
 * Linear delivering one webhook twice at once (a retry of a delivery it thinks timed out): sent
 * truly concurrently over loopback, the copies are handed over once on each host. Forge: a
 * loopback endpoint standing in for the web trigger, its store Forge storage (the fake KVS behind
 * the real `@forge/kvs` client, each call a round trip). Server: the self-hosted server started
 * on a Linear workspace, its store the SQLite file.
 */
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiveLinearWebhook } from "../../src/app/linear-host";
import { start } from "../../src/server/main";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import { signedWebhook } from "../fakes/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { NOW } from "./helpers";

const SECRET = "lin_wh_concurrency_secret";
const COPIES = 6;

/** The copies of one delivery, all sent before any answer comes back. */
async function deliverAtOnce(url: string, delivery: ReturnType<typeof signedWebhook>) {
  const answers = await Promise.all(
    Array.from({ length: COPIES }, async () => {
      const response = await fetch(url, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.rawBody,
      });
      const body = (await response.json()) as { result?: string };
      return `${response.status} ${body.result ?? "?"}`;
    }),
  );
  return answers.sort();
}

const ONE_ACCEPTED = [
  "200 accepted",
  ...Array.from({ length: COPIES - 1 }, () => "200 duplicate"),
].sort();

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

describe("identical Linear deliveries at once, on Forge storage", () => {
  let forge: InstalledForgeKvs;
  let server: Server;
  let url: string;
  const handedOver: string[] = [];

  beforeAll(async () => {
    forge = installFakeForgeKvs();
    forge.kvs.latencyMs = 5;
    const store = new ForgeKvsStore();
    // As Forge's web trigger runtime hands a request over: headers as lists, the body as sent.
    server = createServer((request, response) => {
      void (async () => {
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name, [String(value)]]),
        );
        const outcome = await receiveLinearWebhook(
          { rawBody: await readBody(request), headers },
          {
            store,
            secret: SECRET,
            enqueue: () => Promise.resolve(void handedOver.push("sync")),
          },
        );
        response.writeHead(outcome.status, { "content-type": "application/json" });
        response.end(JSON.stringify(outcome));
      })();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.close();
    await once(server, "close");
    forge.uninstall();
  });

  it("hands the delivery over once and answers the other copies as duplicates", async () => {
    const delivery = signedWebhook(
      { type: "Issue", action: "update", data: { id: "issue-1" }, webhookId: "webhook-1" },
      { secret: SECRET, deliveryId: "delivery-1" },
    );
    expect(await deliverAtOnce(url, delivery)).toEqual(ONE_ACCEPTED);
    expect(handedOver).toEqual(["sync"]);
    // Another delivery of the same webhook is new work.
    const next = signedWebhook(
      { type: "Issue", action: "update", data: { id: "issue-2" }, webhookId: "webhook-1" },
      { secret: SECRET, deliveryId: "delivery-2" },
    );
    expect(await deliverAtOnce(url, next)).toEqual(ONE_ACCEPTED);
    expect(handedOver).toEqual(["sync", "sync"]);
  });
});

describe("identical Linear deliveries at once, on the server's SQLite file", () => {
  const fake = useFakeLinear({ workspace: generateDemoWorkspace(NOW) });
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "capacity-webhook-concurrency-"));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("accepts one copy and answers the others as duplicates", async () => {
    process.env.LINEAR_WEBHOOK_SECRET = SECRET;
    const server = await start({
      port: 0,
      host: "127.0.0.1",
      dataFile: join(dir, "server.sqlite"),
      token: null,
      syncEveryMs: 0,
      source: { kind: "linear", teamKeys: ["GRO"], apiKey: fake.apiKey, apiUrl: fake.url },
    });
    try {
      const url = `${server.url.replace(/\/$/, "")}/webhooks/linear`;
      const delivery = signedWebhook(
        { type: "Issue", action: "update", data: { id: "issue-by-a-person" }, webhookId: "w-1" },
        { secret: SECRET, deliveryId: "server-delivery-1" },
      );
      expect(await deliverAtOnce(url, delivery)).toEqual(ONE_ACCEPTED);
    } finally {
      delete process.env.LINEAR_WEBHOOK_SECRET;
      await server.close();
    }
  });
});
