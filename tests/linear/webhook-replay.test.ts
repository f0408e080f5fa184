/**
 * Replay protection of Linear webhooks, in every store a host keeps it in: the server's SQLite
 * file, Forge storage (the fake KVS behind the real `@forge/kvs` client) and memory. A replay is
 * recognised by its signed body whatever `Linear-Delivery` says, and the records expire.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handleLinearWebhook } from "../../src/app/linear-webhook";
import { SqliteStore } from "../../src/store/sqlite/index";
import { ForgeKvsStore } from "../../src/store/forge/index";
import { MemoryStore, type Store, storeKeys } from "../../src/store/index";
import { installFakeForgeKvs, type InstalledForgeKvs } from "../fakes/forge-kvs/index";
import { signedWebhook } from "../fakes/linear/index";

const SECRET = "lin_wh_replay_secret";
const START = Date.parse("2026-11-24T09:00:00Z");
const dir = mkdtempSync(join(tmpdir(), "capacity-webhook-replay-"));
let forge: InstalledForgeKvs | undefined;

const stores: readonly (readonly [string, () => Store])[] = [
  ["memory", () => new MemoryStore()],
  ["SQLite", () => new SqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.sqlite`))],
  [
    "Forge storage",
    () => {
      forge = installFakeForgeKvs();
      return new ForgeKvsStore();
    },
  ],
];

function cycleEvent(id: string) {
  return { type: "Cycle", action: "update", data: { id }, webhookId: "webhook-1" };
}

beforeEach(() => {
  // The SDK checks the timestamp against the real clock, so the clock is moved, not an argument.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
});

afterEach(() => {
  vi.useRealTimers();
  forge?.uninstall();
  forge = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(stores)("Linear webhook replays, in %s", (_name, makeStore) => {
  it("refuses a replayed body whatever Linear-Delivery it carries", async () => {
    const store = makeStore();
    const queued: string[] = [];
    const ports = {
      store,
      enqueue: (event: { data: { id: string } }) => {
        queued.push(event.data.id);
        return Promise.resolve();
      },
    };
    const original = signedWebhook(cycleEvent("cycle-1"), { secret: SECRET, deliveryId: "d-1" });
    expect(await handleLinearWebhook(original, ports)).toEqual({
      status: 200,
      result: "accepted",
    });
    const renamed = {
      ...original,
      headers: { ...original.headers, "linear-delivery": "d-forged" },
    };
    const headerless = Object.fromEntries(
      Object.entries(original.headers).filter(([name]) => name !== "linear-delivery"),
    );
    for (const replay of [original, renamed, { ...original, headers: headerless }]) {
      expect(await handleLinearWebhook(replay, ports)).toEqual({
        status: 200,
        result: "duplicate",
      });
    }
    // Another event is new even under a delivery id never seen before.
    const other = signedWebhook(cycleEvent("cycle-2"), { secret: SECRET, deliveryId: "d-2" });
    expect(await handleLinearWebhook(other, ports)).toMatchObject({ result: "accepted" });
    // A forged one is refused and leaves no record behind.
    const forged = signedWebhook(cycleEvent("cycle-3"), {
      secret: "not-the-secret",
      deliveryId: "d-3",
    });
    expect(await handleLinearWebhook({ ...forged, secret: SECRET }, ports)).toMatchObject({
      status: 401,
    });
    expect(await store.get(storeKeys.linearDelivery("d-3"))).toBeUndefined();
    expect(queued).toEqual(["cycle-1", "cycle-2"]);
  });

  it("still recognises Linear's retry of a delivery by its id", async () => {
    const store = makeStore();
    const ports = { store, enqueue: () => Promise.resolve() };
    const first = signedWebhook(cycleEvent("cycle-1"), { secret: SECRET, deliveryId: "d-1" });
    expect(await handleLinearWebhook(first, ports)).toMatchObject({ result: "accepted" });
    vi.setSystemTime(START + 5_000);
    const retry = signedWebhook(cycleEvent("cycle-1"), { secret: SECRET, deliveryId: "d-1" });
    expect(retry.rawBody).not.toBe(first.rawBody);
    expect(await handleLinearWebhook(retry, ports)).toMatchObject({ result: "duplicate" });
  });

  it("expires its records once the timestamp window has passed, so the store does not grow", async () => {
    const store = makeStore();
    const ports = { store, enqueue: () => Promise.resolve() };
    for (let index = 0; index < 5; index++) {
      const delivery = signedWebhook(cycleEvent(`cycle-${index}`), {
        secret: SECRET,
        deliveryId: `d-${index}`,
      });
      expect(await handleLinearWebhook(delivery, ports)).toMatchObject({ result: "accepted" });
    }
    const prefix = storeKeys.linearDeliveryPrefix();
    expect(await store.listByPrefix(prefix)).toHaveLength(10);

    // Past the window and the records' minute of grace after it.
    vi.setSystemTime(START + 121_000);
    const stale = signedWebhook(cycleEvent("cycle-0"), {
      secret: SECRET,
      deliveryId: "d-0",
      at: START,
    });
    // Past the window, the old body is refused as stale, so its record was no longer needed.
    expect(await handleLinearWebhook(stale, ports)).toMatchObject({ status: 401 });
    const later = signedWebhook(cycleEvent("cycle-9"), { secret: SECRET, deliveryId: "d-9" });
    expect(await handleLinearWebhook(later, ports)).toMatchObject({ result: "accepted" });
    const kept = (await store.listByPrefix(prefix)).map((entry) => entry.key).sort();
    expect(kept).toEqual(
      [
        storeKeys.linearDelivery("d-9"),
        expect.stringMatching(/^linear-delivery:body:[0-9a-f]{64}$/),
      ].sort(),
    );
  });

  it("still refuses a replay at the window's edge when the sweeping clock runs a little ahead", async () => {
    const store = makeStore();
    const ports = { store, enqueue: () => Promise.resolve() };
    const body = signedWebhook(cycleEvent("cycle-1"), { secret: SECRET, deliveryId: "d-1" });
    expect(await handleLinearWebhook(body, ports)).toMatchObject({ result: "accepted" });
    // The last instant the SDK still accepts the body; the store's clock (another host's, or
    // read a moment after the check) is a second ahead of the one the signature was checked by.
    vi.setSystemTime(START + 60_000);
    const ahead = { ...ports, now: () => START + 61_000 };
    const replay = { ...body, headers: { ...body.headers, "linear-delivery": "d-forged" } };
    expect(await handleLinearWebhook(replay, ahead)).toEqual({ status: 200, result: "duplicate" });
  });

  it("forgets the records of a delivery it could not hand over, so Linear's retry counts", async () => {
    const store = makeStore();
    const failing = { store, enqueue: () => Promise.reject(new Error("queue down")) };
    const delivery = signedWebhook(cycleEvent("cycle-1"), { secret: SECRET, deliveryId: "d-1" });
    await expect(handleLinearWebhook(delivery, failing)).rejects.toThrow("queue down");
    expect(await store.listByPrefix(storeKeys.linearDeliveryPrefix())).toEqual([]);
    const working = { store, enqueue: () => Promise.resolve() };
    expect(await handleLinearWebhook(delivery, working)).toMatchObject({ result: "accepted" });
  });
});
