/**
 * The Linear sync as a host runs it on its own (Forge's hourly trigger and queue, the server's
 * schedule), against the fake Linear over loopback.
 */
import { describe, expect, it } from "vitest";
import {
  claimQueuedSync,
  FORGE_MAX_SECONDS,
  planSyncContinuation,
  receiveLinearWebhook,
  releaseQueuedSync,
  runConfiguredLinearSync,
  waitBudget,
} from "../../src/app/linear-host";
import { readLastLinearSync } from "../../src/app/last-linear-sync";
import {
  LinearSyncClient,
  LinearSyncError,
  type LinearClientOptions,
} from "../../src/linear/index";
import { MemoryStore, secretKeys, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { signedWebhook } from "../fakes/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";
import { NOW } from "../linear/helpers";

const fake = useFakeLinear({ workspace: generateDemoWorkspace(NOW) });

/** Connects to the fake with retries that wait no real time, unless `retry` says otherwise. */
const connectWith =
  (retry: LinearClientOptions["retry"] = {}) =>
  (apiKey: string): LinearSyncClient =>
    new LinearSyncClient({
      apiKey,
      apiUrl: fake.url,
      retry: { sleep: () => Promise.resolve(), random: () => 0.5, ...retry },
    });
const connect = connectWith();

const ports = (store: MemoryStore) => ({ store, now: () => NOW, connect });

/** A store with the fake's key saved and GRO chosen on the admin page, publishing. */
async function configured(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.setSecret(secretKeys.linearApiKey, fake.apiKey);
  await store.set(storeKeys.linearSettings(), {
    teamKeys: ["GRO"],
    publish: true,
    writeBack: false,
  });
  return store;
}

describe("runConfiguredLinearSync", () => {
  it("says what to do when no key is saved, and asks Linear nothing", async () => {
    fake.resetCounters();
    const outcome = await runConfiguredLinearSync(ports(new MemoryStore()));
    expect(outcome).toMatchObject({ ok: false, result: null });
    expect(outcome.message).toMatch(/Linear is not connected: connect it on the admin page/);
    expect(fake.requests()).toBe(0);
  });

  it("treats a disconnected (emptied) key as none, and no chosen team as nothing to do", async () => {
    const store = new MemoryStore();
    await store.setSecret(secretKeys.linearApiKey, "");
    expect((await runConfiguredLinearSync(ports(store))).message).toMatch(
      /Linear is not connected/,
    );
    await store.setSecret(secretKeys.linearApiKey, fake.apiKey);
    expect((await runConfiguredLinearSync(ports(store))).message).toMatch(
      /No Linear team is chosen/,
    );
  });

  it("syncs the teams the admin page chose, and a second run finds nothing new", async () => {
    const store = await configured();
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

describe("a delivery that could not be queued", () => {
  it("is not remembered, so Linear's retry of it is accepted", async () => {
    const store = new MemoryStore();
    await store.setSecret(secretKeys.linearWebhookSecret, "s3cret");
    const event = { type: "Issue", action: "update", data: { id: "issue-y" } };
    const delivery = signedWebhook(event, { secret: "s3cret", deliveryId: "d-9" });
    const failing = () => Promise.reject(new Error("queue unavailable"));
    await expect(receiveLinearWebhook(delivery, { store, enqueue: failing })).rejects.toThrow(
      "queue unavailable",
    );
    expect(
      await receiveLinearWebhook(delivery, { store, enqueue: () => Promise.resolve() }),
    ).toEqual({ status: 200, result: "accepted" });
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

describe("planSyncContinuation", () => {
  const limited = (retryAfterMs: number | null) =>
    new LinearSyncError(
      "Linear rate-limited the sync while reading the issues.",
      "LINEAR_RATE_LIMITED",
      true,
      retryAfterMs,
    );
  const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

  it.each([
    [
      "a short wait, rounded up to whole seconds",
      limited(30_500),
      { delaySeconds: 31, continuesAt: at(31) },
    ],
    [
      "a wait longer than Forge can delay an event",
      limited(3_600_000),
      { delaySeconds: 900, continuesAt: at(900) },
    ],
    ["a wait Linear did not state", limited(null), { delaySeconds: 60, continuesAt: at(60) }],
    ["a limit already over", limited(0), { delaySeconds: 1, continuesAt: at(1) }],
    ["a refused key", new LinearSyncError("refused", "LINEAR_UNAUTHORIZED", false, null), null],
    ["Linear down", new LinearSyncError("down", "LINEAR_UPSTREAM", true, null), null],
    ["anything else", new Error("boom"), null],
  ])("%s", (_name, error, expected) => {
    expect(planSyncContinuation(error, NOW, FORGE_MAX_SECONDS)).toEqual(expected);
  });
});

describe("waitBudget", () => {
  it("leaves the reserve of the run's time, and never less than nothing", () => {
    let now = 1_000;
    const budget = waitBudget(1_000, () => now, 900_000, 300_000);
    expect(budget()).toBe(600_000);
    now += 550_000;
    expect(budget()).toBe(50_000);
    now += 100_000;
    expect(budget()).toBe(0);
  });
});

describe("a host that cannot wait out Linear's rate limit", () => {
  /** Forge's way: rate-limit waits over a minute end the run, which is pushed again, delayed. */
  function forgeLike(store: MemoryStore, delays: number[]) {
    return {
      store,
      now: () => NOW,
      connect: connectWith({ maxWaitMs: 60_000 }),
      continueLater: {
        maxDelaySeconds: FORGE_MAX_SECONDS,
        schedule: (delaySeconds: number) => Promise.resolve(void delays.push(delaySeconds)),
      },
    };
  }

  it("stops, schedules the continuation, records it as waiting; the continuation reads on", async () => {
    const reference = await runConfiguredLinearSync(ports(await configured()));
    const issues = reference.result?.teams[0]?.pulled.items.length ?? 0;
    expect(Math.ceil(issues / 250)).toBeGreaterThanOrEqual(2);

    const store = await configured();
    const delays: number[] = [];
    fake.injectOn(
      "CapacityIssues",
      { kind: "pass" },
      { kind: "ratelimited", retryAfterSeconds: 3_600 },
    );
    const stopped = await runConfiguredLinearSync(forgeLike(store, delays));
    const continuesAt = new Date(NOW + 900_000).toISOString();
    expect(stopped).toMatchObject({
      ok: false,
      result: null,
      continuation: { delaySeconds: 900, continuesAt },
    });
    expect(stopped.message).toBe(
      `Waiting for Linear's rate limit; the sync continues at ${continuesAt} from where it stopped.`,
    );
    expect(delays).toEqual([900]);
    expect(await readLastLinearSync(store)).toMatchObject({
      ok: true,
      message: stopped.message,
      continuesAt,
      teams: ["GRO"],
    });
    // Webhooks and the hourly trigger wait for the continuation rather than meet the limit too.
    expect(await claimQueuedSync(store, NOW + 600_000)).toBe(false);

    await releaseQueuedSync(store);
    fake.resetCounters();
    const continued = await runConfiguredLinearSync(forgeLike(store, delays));
    expect(continued.ok, continued.message).toBe(true);
    expect(continued.continuation).toBeNull();
    // The pages not read yet, then the second pass over what changed while the pull ran.
    expect(fake.operations().filter((op) => op === "CapacityIssues")).toHaveLength(
      Math.ceil(issues / 250) - 1 + 1,
    );
    expect(continued.result?.teams[0]?.pulled.items).toEqual(
      reference.result?.teams[0]?.pulled.items,
    );
    expect(await readLastLinearSync(store)).toMatchObject({ ok: true });
    expect((await readLastLinearSync(store))?.continuesAt).toBeUndefined();
    expect(delays).toEqual([900]);
  });

  it("records a failure, not a wait, when the stop is not a rate limit", async () => {
    const store = await configured();
    const delays: number[] = [];
    fake.injectOn("CapacityIssues", { kind: "pass" }, { kind: "unauthorized" });
    const outcome = await runConfiguredLinearSync(forgeLike(store, delays));
    expect(outcome).toMatchObject({ ok: false, continuation: null });
    expect(outcome.message).toMatch(/LINEAR_API_KEY/);
    expect(delays).toEqual([]);
    expect(await readLastLinearSync(store)).toMatchObject({ ok: false });
    expect(await claimQueuedSync(store, NOW)).toBe(true);
  });

  it("the self-hosted way (no continueLater, no max wait) waits the hour out and finishes", async () => {
    const store = await configured();
    const waits: number[] = [];
    fake.injectOn(
      "CapacityIssues",
      { kind: "pass" },
      { kind: "ratelimited", retryAfterSeconds: 3_600 },
    );
    const outcome = await runConfiguredLinearSync({
      store,
      now: () => NOW,
      connect: connectWith({ sleep: (ms) => Promise.resolve(void waits.push(ms)) }),
    });
    expect(outcome.ok, outcome.message).toBe(true);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(3_590_000);
  });
});
