import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { handleLinearWebhook } from "../../src/app/linear-webhook";
import { readLastLinearSync } from "../../src/app/last-linear-sync";
import {
  runLinearSync,
  type LinearSyncProgress,
  type LinearSyncRunOptions,
} from "../../src/app/linear-sync";
import { computeReport } from "../../src/domain/report";
import { LinearSyncError } from "../../src/linear/index";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import { cli } from "../cli/run";
import {
  MAX_QUERY_COMPLEXITY,
  signedWebhook,
  type FakeLinear,
  type LinearFault,
} from "../fakes/linear/index";
import { startFakeLinearPerTest } from "../helpers/fake-trackers";
import { linearClientFor, NOW, syncOnFake } from "../linear/helpers";

const DEMO = generateDemoWorkspace(NOW);
const TARGETS = DEMO.targets ?? [];
const SECRET = "lin_wh_fake_secret";

const startFake = startFakeLinearPerTest();

function fakeWith(teams: string[], capacityGroup = true): Promise<FakeLinear> {
  return startFake({ workspace: DEMO, seed: { now: NOW, teams, capacityGroup } });
}

function sync(
  fake: FakeLinear,
  store: MemoryStore,
  options: Partial<LinearSyncRunOptions> = {},
): ReturnType<typeof runLinearSync> {
  return syncOnFake(fake, store, {
    publish: true,
    targetsOf: (key) => Promise.resolve(TARGETS.filter((target) => target.teamId === key)),
    ...options,
  });
}

/** How many of each object Linear holds, and every issue's labels. */
function counts(fake: FakeLinear) {
  return {
    labels: fake.data.labels.length,
    // The seed's own projects are issues' projects; the sync's are named for it.
    projects: fake.data.projects.filter((project) => project.name.startsWith("Capacity split"))
      .length,
    documents: fake.data.documents.length,
    projectUpdates: fake.data.projectUpdates.length,
    history: fake.data.history.length,
  };
}

/** Linear's objects as comparable values, ids left out (two fakes hand out different ones). */
function objects(fake: FakeLinear) {
  const labelName = (id: string) => fake.data.labels.find((label) => label.id === id)?.name;
  return {
    labels: fake.data.labels.map((label) => label.name).sort(),
    projects: fake.data.projects.map((project) => project.name).sort(),
    documents: fake.data.documents.map((document) => [document.title, document.content]),
    updates: fake.data.projectUpdates.map((update) => [update.body, update.health]),
    issueLabels: fake.data.issues.map((issue) => [
      issue.identifier,
      issue.labelIds.map(labelName).sort(),
    ]),
  };
}

describe("runLinearSync against the fake Linear", () => {
  it("a first run creates the group, labels, project, document and latest cycle update; a second creates nothing", async () => {
    const fake = await fakeWith(["GRO"], false);
    const store = new MemoryStore();
    const first = await sync(fake, store);
    expect(first.labels.created).toEqual([
      "Capacity",
      "Capacity › Roadmap",
      "Capacity › Investment",
    ]);
    expect(first.teams.map((team) => [team.key, team.published])).toEqual([
      [
        "GRO",
        [
          'project "Capacity split · Growth"',
          'document "Capacity split · Growth"',
          expect.stringMatching(/^update for cycle GRO-C\d+ \((onTrack|atRisk|offTrack)\)$/),
        ],
      ],
    ]);
    expect(counts(fake)).toMatchObject({ projects: 1, documents: 1, projectUpdates: 1 });
    expect(fake.data.labels.filter((label) => label.isGroup).map((label) => label.name)).toEqual([
      "Capacity",
    ]);
    const last = await readLastLinearSync(store);
    expect(last).toMatchObject({ ok: true, teams: ["GRO"] });
    expect(last?.changes).toHaveLength(6);

    const after = counts(fake);
    const second = await sync(fake, store);
    expect(second.labels.created).toEqual([]);
    expect(second.teams[0]?.published).toEqual([]);
    expect(second.teams[0]?.changedIssues).toBe(0);
    expect(counts(fake)).toEqual(after);
    expect(await readLastLinearSync(store)).toMatchObject({ ok: true, changes: [] });
  });

  it("a run killed midway, then run again, leaves the same objects as one clean run; the pulled team is not read again", async () => {
    const clean = await fakeWith(["GRO", "DATA"]);
    await sync(clean, new MemoryStore());

    const fake = await fakeWith(["GRO", "DATA"]);
    const store = new MemoryStore();
    const dead: LinearFault[] = Array.from({ length: 6 }, () => ({ kind: "server", status: 500 }));
    // GRO's cycles are read, then DATA's fail every retry: the run dies after GRO's pull.
    fake.injectOn("CapacityCycles", { kind: "pass" }, ...dead);
    const error = await sync(fake, store).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(LinearSyncError);
    expect(await readLastLinearSync(store)).toMatchObject({
      ok: false,
      message: (error as Error).message,
      teams: ["GRO", "DATA"],
    });
    expect(await store.get(storeKeys.linearTeamState("GRO"))).toBeDefined();
    expect(await store.get(storeKeys.linearTeamState("DATA"))).toBeUndefined();

    // And a run killed while publishing: the project exists, its document does not yet.
    // A creation is not sent again after a lost answer, so one failure ends the run.
    fake.injectOn("CapacityDocumentCreate", { kind: "server", status: 500 });
    await expect(sync(fake, store)).rejects.toBeInstanceOf(LinearSyncError);
    expect(counts(fake)).toMatchObject({ projects: 1, documents: 0 });

    fake.resetCounters();
    const started = new Map<string, number>();
    const result = await sync(fake, store, {
      onProgress: (event: LinearSyncProgress) => {
        const key = `${event.phase}:${event.team}`;
        if (!started.has(key)) started.set(key, fake.requests());
      },
    });
    expect(objects(fake)).toEqual(objects(clean));
    expect(result.teams.map((team) => [team.key, team.changedIssues])).toEqual([
      ["GRO", 0],
      ["DATA", 0],
    ]);
    // An incremental pull of a team that did not change: its cycles and one empty page of issues.
    const groPull = (started.get("pull:DATA") ?? 0) - (started.get("pull:GRO") ?? 0);
    expect(groPull).toBe(2);
    expect(await readLastLinearSync(store)).toMatchObject({ ok: true });
  });

  it("a run stopped inside a team's pull continues it: same workspace and objects, no page read twice", async () => {
    const clean = await fakeWith(["GRO"]);
    clean.resetCounters();
    const expected = await sync(clean, new MemoryStore());
    const cleanOps = [...clean.operations()];
    const pages = cleanOps.filter((op) => op === "CapacityIssues").length;
    expect(pages).toBeGreaterThanOrEqual(3);

    const fake = await fakeWith(["GRO"]);
    const store = new MemoryStore();
    fake.injectOn("CapacityIssues", { kind: "pass" }, { kind: "pass" }, { kind: "unauthorized" });
    await expect(sync(fake, store)).rejects.toMatchObject({ code: "LINEAR_UNAUTHORIZED" });
    expect(await readLastLinearSync(store)).toMatchObject({ ok: false });

    fake.resetCounters();
    const result = await sync(fake, store);
    expect(result.workspace).toEqual(expected.workspace);
    expect(result.teams.map((team) => team.published)).toEqual(
      expected.teams.map((team) => team.published),
    );
    expect(objects(fake)).toEqual(objects(clean));
    expect(fake.operations().filter((op) => op === "CapacityIssues")).toHaveLength(pages - 2);
    expect(fake.requests()).toBe(cleanOps.length - 2);
    expect(await store.listByPrefix(storeKeys.linearPullProgress("GRO"))).toEqual([]);
  });

  it("the numbers in the published document equal `report --format md` on the `pull linear` workspace", async () => {
    const fake = await fakeWith(["GRO", "DATA"]);
    const env = { LINEAR_API_KEY: fake.apiKey, LINEAR_API_URL: fake.url };
    const ws = join(mkdtempSync(join(tmpdir(), "capacity-split-sync-")), "ws.json");
    expect((await cli(["pull", "linear", "--out", ws], { env })).code).toBe(0);
    // Linear holds no targets; the same declarations go into the file and into the sync.
    const pulled = JSON.parse(readFileSync(ws, "utf8")) as Record<string, unknown>;
    const teamTargets = TARGETS.filter((t) => t.teamId === "GRO" || t.teamId === "DATA");
    writeFileSync(ws, JSON.stringify({ ...pulled, targets: teamTargets }));

    await sync(fake, new MemoryStore());
    for (const team of ["GRO", "DATA"]) {
      const report = await cli(["report", "--input", ws, "--team", team, "--format", "md"]);
      expect(report.code).toBe(0);
      const name = team === "GRO" ? "Growth" : "Data";
      const document = fake.data.documents.find((d) => d.title === `Capacity split · ${name}`);
      expect(document?.content).toBe(report.stdout);
    }
  });

  it("a sync under injected rate limits and failures finishes with the same result and objects", async () => {
    const clean = await fakeWith(["DATA"]);
    const expected = await sync(clean, new MemoryStore());

    const fake = await fakeWith(["DATA"]);
    const { client, waits } = linearClientFor(fake);
    const faults: LinearFault[] = [
      { kind: "ratelimited", retryAfterSeconds: 2 },
      { kind: "server", status: 502 },
      { kind: "ratelimited" },
      { kind: "reset" },
    ];
    fake.inject(...faults);
    fake.injectOn("CapacityIssues", { kind: "ratelimited" });
    // A refused creation (rate limit) did not happen, so it is sent again.
    fake.injectOn("CapacityProjectUpdateCreate", { kind: "ratelimited" });
    const result = await runLinearSync(client, new MemoryStore(), {
      teamKeys: [],
      dryRun: false,
      now: NOW,
      publish: true,
      targetsOf: (key) => Promise.resolve(TARGETS.filter((target) => target.teamId === key)),
    });
    expect(waits.map((wait) => wait.error.code)).toEqual([
      "LINEAR_RATE_LIMITED",
      "LINEAR_UPSTREAM",
      "LINEAR_RATE_LIMITED",
      "LINEAR_UPSTREAM",
      "LINEAR_RATE_LIMITED",
      "LINEAR_RATE_LIMITED",
    ]);
    expect(waits[0]?.delayMs).toBeGreaterThan(1_000);
    expect(result.workspace).toEqual(expected.workspace);
    expect(result.teams.map((team) => team.published)).toEqual(
      expected.teams.map((team) => team.published),
    );
    expect(objects(fake)).toEqual(objects(clean));
  });

  it("a creation whose answer was lost is not sent again; the next run leaves one of it", async () => {
    const clean = await fakeWith(["DATA"]);
    await sync(clean, new MemoryStore());
    const fake = await fakeWith(["DATA"]);
    const store = new MemoryStore();
    fake.injectOn("CapacityProjectCreate", { kind: "reset" });
    const error = await sync(fake, store).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(LinearSyncError);
    expect((error as Error).message).toMatch(/Not sent again/);
    await sync(fake, store);
    expect(objects(fake)).toEqual(objects(clean));
  });

  it("every query the sync sends stays under Linear's complexity cap", async () => {
    const fake = await fakeWith(["GRO", "DATA"]);
    await sync(fake, new MemoryStore(), { writeBack: true });
    const costs = fake.costs();
    expect(new Set(costs.map((cost) => cost.operation))).toEqual(
      new Set([
        "CapacityTeams",
        "CapacityLabels",
        "CapacityCycles",
        "CapacityIssues",
        "CapacityIssueHistory",
        "CapacityIssueBatchLabels",
        "CapacityProjects",
        "CapacityProjectCreate",
        "CapacityDocumentCreate",
        "CapacityProjectUpdateCreate",
      ]),
    );
    expect(Math.max(...costs.map((cost) => cost.complexity))).toBeLessThan(MAX_QUERY_COMPLEXITY);
  });

  it("a dry run changes nothing in Linear or the store and says what it would do", async () => {
    const fake = await fakeWith(["GRO"], false);
    const store = new MemoryStore();
    const before = objects(fake);
    const dry = await sync(fake, store, { dryRun: true, writeBack: true });
    expect(dry.labels.created).toHaveLength(3);
    expect(dry.teams[0]?.published).toHaveLength(3);
    expect(dry.teams[0]?.wroteBack.length).toBeGreaterThan(0);
    expect(objects(fake)).toEqual(before);
    expect(await store.listByPrefix("")).toEqual([]);
  });
});

describe("write-back", () => {
  const labelIdOf = (fake: FakeLinear, name: string) => {
    const group = fake.data.labels.find((label) => label.isGroup && label.name === "Capacity");
    const label = fake.data.labels.find((l) => l.name === name && l.parentId === group?.id);
    if (label === undefined) throw new Error(`no Capacity › ${name}`);
    return label.id;
  };

  it("labels inherited and rule categories, never touches a person's label or other labels, and a second run writes nothing", async () => {
    const fake = await fakeWith(["GRO"]);
    const store = new MemoryStore();
    const before = new Map(fake.data.issues.map((issue) => [issue.identifier, issue.labelIds]));
    const plain = await sync(fake, new MemoryStore(), { publish: false });
    const loaded = parseWorkspace(plain.workspace);
    if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
    const derived = new Set(
      computeReport(loaded.workspace, { now: NOW })
        .teams.flatMap((team) => team.items)
        .filter((item) => item.source === "inherited" || item.source === "rule")
        .filter((item) => item.category !== "unclassified")
        .map((item) => item.id),
    );

    fake.resetCounters();
    const first = await sync(fake, store, { publish: false, writeBack: true });
    const wrote = first.teams[0]?.wroteBack ?? [];
    expect(new Set(wrote.map((line) => line.split(" ")[0]))).toEqual(derived);
    expect(wrote.length).toBeGreaterThan(200);
    // Issues getting the same label go 50 to a request.
    const batches = ["+ Roadmap", "+ Investment"]
      .map((change) => Math.ceil(wrote.filter((line) => line.endsWith(change)).length / 50))
      .reduce((a, b) => a + b, 0);
    expect(fake.operations().filter((op) => op === "CapacityIssueBatchLabels")).toHaveLength(
      batches,
    );
    const roadmap = labelIdOf(fake, "Roadmap");
    const investment = labelIdOf(fake, "Investment");
    for (const issue of fake.data.issues) {
      const old = before.get(issue.identifier) ?? [];
      if (!derived.has(issue.identifier)) {
        expect(issue.labelIds).toEqual(old);
        continue;
      }
      // One Capacity label added, every other label kept.
      const added = issue.labelIds.filter((id) => !old.includes(id));
      expect(old.every((id) => issue.labelIds.includes(id))).toBe(true);
      expect(added).toHaveLength(1);
      expect([roadmap, investment]).toContain(added[0]);
    }
    // The numbers do not move: written labels still count as what they were derived as.
    expect(first.workspace.items).toEqual(plain.workspace.items);

    const history = fake.data.history.length;
    const second = await sync(fake, store, { publish: false, writeBack: true });
    expect(second.teams[0]?.wroteBack).toEqual([]);
    expect(fake.data.history.length).toBe(history);
    expect(second.workspace.items).toEqual(plain.workspace.items);
  });

  it("a person's later change wins, and a written label follows its parent when the parent changes", async () => {
    const fake = await fakeWith(["GRO"]);
    const store = new MemoryStore();
    const { client } = linearClientFor(fake);
    const first = await sync(fake, store, { publish: false, writeBack: true });
    const roadmap = labelIdOf(fake, "Roadmap");
    const investment = labelIdOf(fake, "Investment");
    const written = new Set(
      (first.teams[0]?.wroteBack ?? [])
        .filter((line) => line.endsWith("+ Roadmap"))
        .map((line) => line.split(" ")[0]),
    );
    const inherited = fake.data.issues.filter(
      (issue) => written.has(issue.identifier) && issue.parentId !== null,
    );
    const [personal, follower] = inherited.filter(
      (issue, index, all) => all.findIndex((other) => other.parentId === issue.parentId) === index,
    );
    if (personal === undefined || follower === undefined) throw new Error("no inherited issues");
    const parent = fake.data.issues.find((issue) => issue.id === follower.parentId);
    if (parent === undefined) throw new Error("no parent");

    // A person moves one written issue to Investment, and relabels the other one's parent.
    await client.updateIssueLabels(personal.id, { added: [investment], removed: [roadmap] });
    await client.updateIssueLabels(parent.id, { added: [investment], removed: [roadmap] });
    const again = await sync(fake, store, { publish: false, writeBack: true });
    expect(again.teams[0]?.wroteBack).toContain(`${follower.identifier} Roadmap → Investment`);
    expect(again.teams[0]?.wroteBack.join()).not.toContain(personal.identifier);
    expect(personal.labelIds).toContain(investment);
    expect(follower.labelIds).toContain(investment);
    const items = again.workspace.items ?? [];
    expect(items.find((item) => item.id === personal.identifier)?.labels).toContain("Investment");
    expect(items.find((item) => item.id === follower.identifier)?.labels).not.toContain(
      "Investment",
    );

    // The person takes the label off: the issue is theirs, the sync does not put it back.
    await client.updateIssueLabels(personal.id, { added: [], removed: [investment] });
    const third = await sync(fake, store, { publish: false, writeBack: true });
    expect(third.teams[0]?.wroteBack).toEqual([]);
    expect(personal.labelIds).not.toContain(investment);
    expect(personal.labelIds).not.toContain(roadmap);
  });
});

describe("webhooks around a sync", () => {
  const deliver = (
    store: MemoryStore,
    event: Record<string, unknown>,
    deliveryId: string,
    secret = SECRET,
  ) => {
    const queued: unknown[] = [];
    return handleLinearWebhook(
      { ...signedWebhook(event, { secret: SECRET, deliveryId }), secret },
      {
        store,
        enqueue: (queuedEvent) => {
          queued.push(queuedEvent);
          return Promise.resolve();
        },
      },
    ).then((outcome) => ({ outcome, queued }));
  };

  it("the sync's own writes come back as echoes and are ignored; a person's change is queued", async () => {
    const fake = await fakeWith(["GRO"], false);
    const store = new MemoryStore();
    await sync(fake, store, { writeBack: true });
    const own = fake.webhookEvents();
    expect(new Set(own.map((event) => event.type))).toEqual(
      new Set(["IssueLabel", "Issue", "Project", "Document", "ProjectUpdate"]),
    );
    const results = await Promise.all(
      own.map((event, index) => deliver(store, { ...event }, `own-${index}`)),
    );
    expect(results.map(({ outcome }) => outcome.result)).toEqual(results.map(() => "ignored"));

    const { client } = linearClientFor(fake);
    const issue = fake.data.issues.find((candidate) =>
      own.some((event) => event.type === "Issue" && event.data.id === candidate.id),
    );
    if (issue === undefined) throw new Error("no written issue");
    const other = fake.data.labels.find((label) => !label.isGroup && label.parentId === null);
    if (other === undefined) throw new Error("no plain label");
    await client.updateIssueLabels(issue.id, { added: [other.id], removed: [] });
    const person = fake.webhookEvents().at(-1);
    if (person === undefined) throw new Error("no event");
    const { outcome, queued } = await deliver(store, { ...person }, "person-1");
    expect(outcome).toEqual({ status: 200, result: "accepted" });
    expect(queued).toHaveLength(1);
  });

  it("a forged webhook is refused with 401 and changes nothing", async () => {
    const fake = await fakeWith(["GRO"]);
    const store = new MemoryStore();
    await sync(fake, store);
    const stored = await store.listByPrefix("");
    const before = objects(fake);
    const event = {
      type: "Issue",
      action: "update",
      data: { id: fake.data.issues[0]?.id ?? "", labelIds: [] },
    };
    const { outcome, queued } = await deliver(store, event, "forged-1", "another-secret");
    expect(outcome).toMatchObject({ status: 401, result: "refused" });
    expect(queued).toEqual([]);
    expect(await store.listByPrefix("")).toEqual(stored);
    expect(objects(fake)).toEqual(before);
  });
});
