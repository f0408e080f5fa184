import { describe, expect, it } from "vitest";
import { RELIST_INTERVAL_MS } from "../../src/app/linear-incremental-pull";
import type { LinearSyncRunOptions } from "../../src/app/linear-sync";
import { handleLinearWebhook } from "../../src/app/linear-webhook";
import { MemoryStore, secretKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { signedWebhook, type FakeLinear } from "../fakes/linear/index";
import { startFakeLinearPerTest } from "../helpers/fake-trackers";
import { NOW, syncOnFake } from "./helpers";

const DEMO = generateDemoWorkspace(NOW);
const SECRET = "lin_wh_fake_secret";

const startFake = startFakeLinearPerTest();

function fakeWithBothTeams(): Promise<FakeLinear> {
  return startFake({ workspace: DEMO, seed: { now: NOW, teams: ["GRO", "DATA"] } });
}

function sync(
  fake: FakeLinear,
  store: MemoryStore,
  options: Partial<LinearSyncRunOptions> = {},
): ReturnType<typeof syncOnFake> {
  return syncOnFake(fake, store, { teamKeys: ["GRO", "DATA"], ...options });
}

/** Sends a GraphQL mutation to the fake as any Linear client would, with the API key. */
async function mutate(
  fake: FakeLinear,
  query: string,
  variables: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(fake.url, {
    method: "POST",
    headers: { authorization: fake.apiKey, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors !== undefined) throw new Error(JSON.stringify(body.errors));
}

const MOVE = `mutation Move($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success }
}`;
const DELETE = `mutation Delete($id: String!, $permanentlyDelete: Boolean) {
  issueDelete(id: $id, permanentlyDelete: $permanentlyDelete) { success }
}`;

/** The Linear webhooks the fake recorded since `from`, delivered signed to the app. */
async function deliverWebhooks(fake: FakeLinear, store: MemoryStore, from: number): Promise<void> {
  await store.setSecret(secretKeys.linearWebhookSecret, SECRET);
  for (const [n, event] of fake.webhookEvents().slice(from).entries()) {
    const outcome = await handleLinearWebhook(
      signedWebhook(event, { secret: SECRET, deliveryId: `leave-${from + n}` }),
      { store, enqueue: () => Promise.resolve() },
    );
    expect(outcome.result).toBe("accepted");
  }
}

/** The issues each team counts, and the whole workspace the report is computed on. */
function numbers(result: Awaited<ReturnType<typeof syncOnFake>>) {
  return {
    items: (result.workspace.items ?? []).map((item) => `${item.teamId}:${item.id}`).sort(),
    workspace: result.workspace,
  };
}

function openIssue(fake: FakeLinear, teamKey: string) {
  const team = fake.data.teams.find((candidate) => candidate.key === teamKey);
  const issue = fake.data.issues.find(
    (candidate) => candidate.teamId === team?.id && !candidate.archivedAt && !candidate.parentId,
  );
  if (team === undefined || issue === undefined) throw new Error(`no open issue in ${teamKey}`);
  return { team, issue };
}

describe("issues that leave a Linear team stop counting there", () => {
  it("an issue moved between two synced teams counts once, where it is now", async () => {
    const fake = await fakeWithBothTeams();
    const store = new MemoryStore();
    await sync(fake, store);
    const { issue } = openIssue(fake, "GRO");
    const data = fake.data.teams.find((team) => team.key === "DATA");
    const oldIdentifier = issue.identifier;
    await mutate(fake, MOVE, { id: issue.id, input: { teamId: data?.id } });
    expect(issue.identifier).toMatch(/^DATA-/);

    const after = numbers(await sync(fake, store));
    expect(after.items).not.toContain(`GRO:${oldIdentifier}`);
    expect(after.items).toContain(`DATA:${issue.identifier}`);
    expect(after).toEqual(numbers(await sync(fake, new MemoryStore())));
  });

  it("an issue moved to a team not synced leaves on the next run after Linear's webhook", async () => {
    const fake = await fakeWithBothTeams();
    const store = new MemoryStore();
    await sync(fake, store, { teamKeys: ["GRO"] });
    const { issue } = openIssue(fake, "GRO");
    const oldIdentifier = issue.identifier;
    const data = fake.data.teams.find((team) => team.key === "DATA");
    const from = fake.webhookEvents().length;
    await mutate(fake, MOVE, { id: issue.id, input: { teamId: data?.id } });
    await deliverWebhooks(fake, store, from);

    const after = numbers(await sync(fake, store, { teamKeys: ["GRO"] }));
    expect(after.items).not.toContain(`GRO:${oldIdentifier}`);
    expect(after).toEqual(numbers(await sync(fake, new MemoryStore(), { teamKeys: ["GRO"] })));
  });

  it("a trashed issue stops counting on the next run", async () => {
    const fake = await fakeWithBothTeams();
    const store = new MemoryStore();
    await sync(fake, store);
    const { issue } = openIssue(fake, "DATA");
    await mutate(fake, DELETE, { id: issue.id });
    expect(issue.trashed).toBe(true);
    expect(issue.archivedAt).toBeTypeOf("string");

    const after = numbers(await sync(fake, store));
    expect(after.items).not.toContain(`DATA:${issue.identifier}`);
    expect(after).toEqual(numbers(await sync(fake, new MemoryStore())));
  });

  it("an issue deleted for good leaves after the webhook, or at the latest after the interval", async () => {
    const fake = await fakeWithBothTeams();
    const withWebhook = new MemoryStore();
    const withoutWebhook = new MemoryStore();
    await sync(fake, withWebhook);
    await sync(fake, withoutWebhook);
    const { issue } = openIssue(fake, "GRO");
    const from = fake.webhookEvents().length;
    await mutate(fake, DELETE, { id: issue.id, permanentlyDelete: true });
    await deliverWebhooks(fake, withWebhook, from);
    const full = numbers(await sync(fake, new MemoryStore()));
    expect(full.items).not.toContain(`GRO:${issue.identifier}`);

    expect(numbers(await sync(fake, withWebhook))).toEqual(full);
    // No webhook: an hour later it still counts (nothing Linear answers shows it gone) ...
    const hourLater = numbers(await sync(fake, withoutWebhook, { now: NOW + 3_600_000 }));
    expect(hourLater.items).toContain(`GRO:${issue.identifier}`);
    // ... and once the interval has passed, the ids listing drops it.
    fake.resetCounters();
    const later = await sync(fake, withoutWebhook, { now: NOW + RELIST_INTERVAL_MS });
    expect(numbers(later)).toEqual(full);
    expect(fake.operations().filter((op) => op === "CapacityIssueIds").length).toBeGreaterThan(0);
  });
});
