import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo.js";
import { parseWorkspaceText } from "../../src/workspace/load-workspace.js";
import { startFakeLinear, type FakeLinear } from "../fakes/linear/index.js";
import { cli } from "./run.js";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const DEMO = generateDemoWorkspace(NOW);
const scratch = () => mkdtempSync(join(tmpdir(), "capacity-split-linear-"));

describe("capacity-split pull linear", () => {
  let fake: FakeLinear;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeLinear({ workspace: DEMO, seed: { now: NOW } });
    env = { LINEAR_API_KEY: fake.apiKey, LINEAR_API_URL: fake.url };
  });
  afterAll(() => fake.close());

  it("writes the chosen team as a workspace file, with progress lines off a terminal", async () => {
    const out = join(scratch(), "ws.json");
    const { code, stdout, stderr } = await cli(["pull", "linear", "--team", "GRO", "--out", out], {
      env,
    });
    expect([code, stdout]).toEqual([0, ""]);
    const loaded = parseWorkspaceText(readFileSync(out, "utf8"));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const seedItems = (DEMO.items ?? []).filter((item) => item.teamId === "GRO");
    expect(loaded.workspace.teams).toMatchObject([{ id: "GRO", source: "linear", unit: "issues" }]);
    expect(loaded.workspace.items).toHaveLength(seedItems.length);
    const lines = stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Team GRO: issues \d+$/);
    expect(lines.at(-1)).toMatch(/^Wrote 1 team\(s\), \d+ cycle\(s\) and \d+ issue\(s\) to /);
  });

  it("exits 2 naming LINEAR_API_KEY when it is missing, 1 when Linear refuses it", async () => {
    const missing = await cli(["pull", "linear"], { env: { LINEAR_API_URL: fake.url } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("LINEAR_API_KEY");
    const refused = await cli(["pull", "linear"], {
      env: { LINEAR_API_KEY: "lin_api_wrong", LINEAR_API_URL: fake.url },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("LINEAR_API_KEY");
  });

  it("names the teams it knows when --team is unknown", async () => {
    const { code, stderr } = await cli(["pull", "linear", "--team", "NOPE"], { env });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'capacity-split pull: No Linear team with key "NOPE" is visible to this API key (teams: GRO, DATA).\n',
    );
  });
});

describe("capacity-split sync linear", () => {
  let fake: FakeLinear;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeLinear({
      workspace: { ...DEMO, items: [] },
      seed: { capacityGroup: false, now: NOW },
    });
    env = { LINEAR_API_KEY: fake.apiKey, LINEAR_API_URL: fake.url };
  });
  afterAll(() => fake.close());

  it("--dry-run prints what it would create and changes nothing; then a run creates it once", async () => {
    const dry = await cli(["sync", "linear", "--team", "GRO", "--dry-run"], { env });
    expect(dry).toEqual({
      code: 0,
      stderr: "Finding teams\nChecking the Capacity labels\nGRO: reading issues\n",
      stdout:
        "Dry run, nothing changed. Teams: GRO (Growth).\nWould create: label Capacity, label Capacity › Roadmap, label Capacity › Investment.\n",
    });
    expect(fake.data.labels).toEqual([]);

    const first = await cli(["sync", "linear"], { env });
    expect(first.stdout).toBe(
      "Teams: GRO (Growth), DATA (Data).\nCreated: label Capacity, label Capacity › Roadmap, label Capacity › Investment.\n",
    );
    const second = await cli(["sync", "linear"], { env });
    expect(second.stdout).toBe(
      "Teams: GRO (Growth), DATA (Data).\nLabels: the Capacity group and its children already exist; nothing to create.\n",
    );
    expect(fake.data.labels).toHaveLength(3);
  });

  it("--publish puts the report in Linear once, with the targets of --targets FILE", async () => {
    const targets = join(scratch(), "targets.json");
    writeFileSync(targets, JSON.stringify({ ...DEMO, teams: DEMO.teams, items: [] }));
    const first = await cli(
      ["sync", "linear", "--team", "GRO", "--publish", "--targets", targets],
      {
        env,
      },
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /\nGRO: created project "Capacity split · Growth", document "Capacity split · Growth", update for cycle GRO-C\d+ \((onTrack|atRisk|offTrack)\)\.\n$/,
    );
    const second = await cli(
      ["sync", "linear", "--team", "GRO", "--publish", "--targets", targets],
      {
        env,
      },
    );
    expect(second.stdout).toMatch(/\nGRO: report up to date; nothing to publish\.\n$/);
    expect(fake.data.projects.filter((p) => p.name.startsWith("Capacity split"))).toHaveLength(1);
  });

  it("explains a wrong invocation", async () => {
    expect(await cli(["sync"], { env })).toMatchObject({ code: 2 });
    expect((await cli(["sync", "jira"], { env })).stderr).toBe(
      'capacity-split sync: Unknown sync target "jira": only "linear" can be synced.\n',
    );
    expect((await cli(["sync", "linear"], { env: {} })).stderr).toContain("LINEAR_API_KEY");
  });
});
