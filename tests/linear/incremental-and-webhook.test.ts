import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleLinearWebhook, pullLinearTeamIncrementally } from "../../src/app/linear-sync";
import { findTeams, pullLinearTeam } from "../../src/linear/index";
import { storeKeys } from "../../src/store/keys";
import { MemoryStore } from "../../src/store/memory-store";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { startFakeLinear, type FakeLinear } from "../fakes/linear/index";
import { linearClientFor, NOW } from "./helpers";

describe("pullLinearTeamIncrementally", () => {
  let fake: FakeLinear;
  beforeAll(async () => {
    fake = await startFakeLinear({
      workspace: generateDemoWorkspace(NOW),
      seed: { now: NOW, teams: ["GRO"] },
    });
  });
  afterAll(() => fake.close());

  it("stores state and cursor; the next run reads only what changed and equals a full pull", async () => {
    const store = new MemoryStore();
    const { client } = linearClientFor(fake);
    const [team] = await findTeams(client, ["GRO"]);
    if (team === undefined) throw new Error("no team");
    const first = await pullLinearTeamIncrementally(client, store, team);
    expect(first.changed).toBe(first.pulled.items.length);
    expect(await store.get(storeKeys.linearCursor("GRO"))).toBe(first.pulled.cursor);

    const issue = fake.data.issues[3];
    if (issue === undefined) throw new Error("no issue");
    issue.estimate = 5;
    issue.updatedAt = new Date(Date.parse(first.pulled.cursor ?? "") + 5_000).toISOString();
    // A run that dies on the way saves nothing, so the next one reads the same change again.
    fake.inject({ kind: "server", status: 500 }, { kind: "server", status: 500 });
    fake.inject({ kind: "server", status: 500 }, { kind: "server", status: 500 });
    fake.inject({ kind: "server", status: 500 }, { kind: "server", status: 500 });
    await expect(pullLinearTeamIncrementally(client, store, team)).rejects.toThrow();
    expect(await store.get(storeKeys.linearCursor("GRO"))).toBe(first.pulled.cursor);

    const second = await pullLinearTeamIncrementally(client, store, team);
    expect(second.changed).toBe(1);
    const full = await pullLinearTeam(client, team);
    const byId = <T extends { id: string }>(list: readonly T[]) =>
      [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(second.pulled.items)).toEqual(byId(full.items));
  });
});

describe("handleLinearWebhook", () => {
  const secret = "lin_wh_secret";
  const signed = (delivery: string) => {
    const body = JSON.stringify({
      type: "Cycle",
      action: "update",
      webhookTimestamp: Date.now(),
      data: { id: "cycle-1" },
    });
    return {
      rawBody: body,
      headers: {
        "linear-signature": createHmac("sha256", secret).update(body).digest("hex"),
        "linear-delivery": delivery,
      },
      secret,
    };
  };

  it("queues a verified delivery once, ignores its duplicate, and refuses a forged one", async () => {
    const store = new MemoryStore();
    const queued: string[] = [];
    const ports = {
      store,
      enqueue: (event: { data: { id: string } }) => {
        queued.push(event.data.id);
        return Promise.resolve();
      },
    };
    expect(await handleLinearWebhook(signed("d-1"), ports)).toEqual({
      status: 200,
      result: "accepted",
    });
    expect(await handleLinearWebhook(signed("d-1"), ports)).toEqual({
      status: 200,
      result: "duplicate",
    });
    const forged = { ...signed("d-2"), secret: "another-secret" };
    expect(await handleLinearWebhook(forged, ports)).toMatchObject({ status: 401 });
    expect(queued).toEqual(["cycle-1"]);
    expect(await store.get(storeKeys.linearDelivery("d-2"))).toBeUndefined();
  });
});
