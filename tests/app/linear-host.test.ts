/**
 * The Linear sync as a host runs it on its own (Forge's hourly trigger and queue, the server's
 * schedule), against the fake Linear over loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimQueuedSync,
  receiveLinearWebhook,
  releaseQueuedSync,
  runConfiguredLinearSync,
} from "../../src/app/linear-host.js";
import { readLastLinearSync } from "../../src/app/linear-sync.js";
import { LinearSyncClient } from "../../src/linear/index.js";
import { secretKeys, storeKeys } from "../../src/store/keys.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { generateDemoWorkspace } from "../../src/workspace/demo.js";
import { signedWebhook, startFakeLinear, type FakeLinear } from "../fakes/linear/index.js";
import { NOW } from "../linear/helpers.js";

let fake: FakeLinear;

beforeAll(async () => {
  fake = await startFakeLinear({ workspace: generateDemoWorkspace(NOW) });
});
afterAll(() => fake.close());

function connect(apiKey: string): LinearSyncClient {
  return new LinearSyncClient({
    apiKey,
    apiUrl: fake.url,
    retry: { sleep: () => Promise.resolve(), random: () => 0.5 },
  });
}

const ports = (store: MemoryStore) => ({ store, now: () => NOW, connect });

describe("runConfiguredLinearSync", () => {
  it("says what to do when no key is saved, and asks Linear nothing", async () => {
    fake.resetCounters();
    const outcome = await runConfiguredLinearSync(ports(new MemoryStore()));
    expect(outcome).toMatchObject({ ok: false, result: null });
    expect(outcome.message).toMatch(/No Linear API key: save one on the admin page/);
    expect(fake.requests()).toBe(0);
  });

  it("treats a disconnected (emptied) key as none, and no chosen team as nothing to do", async () => {
    const store = new MemoryStore();
    await store.setSecret(secretKeys.linearApiKey, "");
    expect((await runConfiguredLinearSync(ports(store))).message).toMatch(/No Linear API key/);
    await store.setSecret(secretKeys.linearApiKey, fake.apiKey);
    expect((await runConfiguredLinearSync(ports(store))).message).toMatch(
      /No Linear team is chosen/,
    );
  });

  it("syncs the teams the admin page chose, and a second run finds nothing new", async () => {
    const store = new MemoryStore();
    await store.setSecret(secretKeys.linearApiKey, fake.apiKey);
    await store.set(storeKeys.linearSettings(), {
      teamKeys: ["GRO"],
      publish: true,
      writeBack: false,
    });
    const first = await runConfiguredLinearSync(ports(store));
    expect(first.ok, first.message).toBe(true);
    expect(first.result?.teams.map((team) => team.key)).toEqual(["GRO"]);
    expect(first.message).toMatch(/^Synced GRO: \d+ issues new or changed; .*project/);
    expect((await readLastLinearSync(store))?.ok).toBe(true);

    const second = await runConfiguredLinearSync(ports(store));
    expect(second.message).toBe(
      "Synced GRO: 0 issues new or changed; nothing to create or update in Linear.",
    );
  });

  it("turns a refused key into an outcome that names the problem", async () => {
    const store = new MemoryStore();
    const outcome = await runConfiguredLinearSync({
      ...ports(store),
      apiKey: "lin_api_wrong",
      teamKeys: ["GRO"],
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/key/i);
  });
});

describe("receiveLinearWebhook", () => {
  const event = { type: "Issue", action: "update", data: { id: "issue-x", title: "Edited" } };

  it("refuses every delivery while no signing secret is saved", async () => {
    const store = new MemoryStore();
    let queued = 0;
    const delivery = signedWebhook(event, { secret: "s3cret", deliveryId: "d-1" });
    const outcome = await receiveLinearWebhook(delivery, {
      store,
      enqueue: () => Promise.resolve(void (queued += 1)),
    });
    expect(outcome).toMatchObject({ status: 401, result: "refused" });
    expect(queued).toBe(0);
  });

  it("verifies with the saved secret, whatever the case of the header names", async () => {
    const store = new MemoryStore();
    await store.setSecret(secretKeys.linearWebhookSecret, "s3cret");
    let queued = 0;
    const enqueue = () => Promise.resolve(void (queued += 1));
    const delivery = signedWebhook(event, { secret: "s3cret", deliveryId: "d-2" });
    const asForgeSendsThem = Object.fromEntries(
      Object.entries(delivery.headers).map(([name, value]) => [
        name.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase()),
        [value],
      ]),
    );
    expect(
      await receiveLinearWebhook(
        { rawBody: delivery.rawBody, headers: asForgeSendsThem },
        { store, enqueue },
      ),
    ).toEqual({ status: 200, result: "accepted" });
    expect(await receiveLinearWebhook(delivery, { store, enqueue })).toEqual({
      status: 200,
      result: "duplicate",
    });
    const forged = signedWebhook(event, { secret: "not-it", deliveryId: "d-3" });
    expect((await receiveLinearWebhook(forged, { store, enqueue })).status).toBe(401);
    expect(queued).toBe(1);
  });
});

describe("claimQueuedSync", () => {
  it("lets one sync wait at a time, until the consumer starts or the mark expires", async () => {
    const store = new MemoryStore();
    expect(await claimQueuedSync(store, 1_000)).toBe(true);
    expect(await claimQueuedSync(store, 2_000)).toBe(false);
    expect(await claimQueuedSync(store, 62_000)).toBe(true);
    await releaseQueuedSync(store);
    expect(await claimQueuedSync(store, 62_001)).toBe(true);
  });
});
