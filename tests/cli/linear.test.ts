import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspaceText } from "../../src/workspace/load-workspace";
import { linearEnv, useFakeLinear } from "../helpers/fake-trackers";
import { cli } from "./run";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const DEMO = generateDemoWorkspace(NOW);
const scratch = () => mkdtempSync(join(tmpdir(), "capacity-split-linear-"));

describe("capacity-split pull linear", () => {
  const fake = useFakeLinear({ workspace: DEMO, seed: { now: NOW } });
  const env = linearEnv(fake);

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
    expect(lines.at(-1)).toMatch(/^Wrote 1 team, \d+ cycles? and \d+ issues? to /);
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
  const fake = useFakeLinear({
    workspace: { ...DEMO, items: [] },
    seed: { capacityGroup: false, now: NOW },
  });
  const env = linearEnv(fake);

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
    const refused = await cli(["sync", "linear"], {
      env: { LINEAR_API_KEY: "lin_api_wrong", LINEAR_API_URL: env.LINEAR_API_URL ?? "" },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Check LINEAR_API_KEY");
    expect((await cli(["sync", "linear", "--write-back=yes"], { env })).code).toBe(2);
  });
});

describe("capacity-split sync linear --write-back, --state and the progress bar", () => {
  const fake = useFakeLinear({ workspace: DEMO, seed: { now: NOW, teams: ["GRO"] } });
  const env = linearEnv(fake);

  it("--dry-run --write-back --publish lists what it would write and changes nothing", async () => {
    const history = fake.data.history.length;
    const { code, stdout } = await cli(
      ["sync", "linear", "--write-back", "--publish", "--dry-run"],
      { env },
    );
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Dry run, nothing changed. Teams: GRO (Growth).");
    expect(lines[2]).toMatch(
      /^GRO: would write back \d+ labels?: GRO-\d+ \+ (Roadmap|Investment), .* and \d+ more\.$/,
    );
    expect(lines[3]).toMatch(/^GRO: would create project "Capacity split · Growth", document/);
    expect(fake.data.history.length).toBe(history);
    expect(fake.data.documents).toEqual([]);
  });

  it("writes derived labels once; with --state the next run reads only what changed and writes nothing", async () => {
    const state = join(scratch(), "state.json");
    const first = await cli(["sync", "linear", "--write-back", "--state", state], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/\nGRO: wrote back \d+ labels?: GRO-\d+ \+ /);
    const history = fake.data.history.length;
    const second = await cli(["sync", "linear", "--write-back", "--state", state], { env });
    expect(second.stdout).toBe(
      "Teams: GRO (Growth).\nLabels: the Capacity group and its children already exist; nothing to create.\nGRO: every derived category already carries its label; nothing to write back.\n",
    );
    expect(fake.data.history.length).toBe(history);
    const saved = JSON.parse(readFileSync(state, "utf8")) as Record<string, unknown>;
    expect(Object.keys(saved)).toEqual(
      expect.arrayContaining(["linear:GRO:state", "linear:GRO:written", "linear:last-sync"]),
    );
  });

  it("draws one line in place on a terminal and clears it before the summary", async () => {
    const { code, stderr } = await cli(["sync", "linear"], { env, stderrTty: true });
    expect(code).toBe(0);
    expect(stderr).not.toContain("\n");
    expect(stderr).toContain("\r\x1b[KGRO: reading issues");
    expect(stderr.endsWith("\r\x1b[K")).toBe(true);
  });

  it("--help names every option", async () => {
    const { stdout } = await cli(["sync", "linear", "--help"]);
    for (const option of [
      "--team KEY",
      "--publish",
      "--targets FILE",
      "--write-back",
      "--state FILE",
      "--dry-run",
    ]) {
      expect(stdout).toContain(option);
    }
  });
});

describe("capacity-split report --linear", () => {
  const fake = useFakeLinear({ workspace: DEMO, seed: { now: NOW } });
  const env = linearEnv(fake);

  it("prints what `pull linear --out ws.json` then `report --input ws.json` prints", async () => {
    const ws = join(scratch(), "ws.json");
    expect((await cli(["pull", "linear", "--team", "DATA", "--out", ws], { env })).code).toBe(0);
    for (const format of ["md", "json"]) {
      const viaFile = await cli(["report", "--input", ws, "--format", format]);
      const direct = await cli(["report", "--linear", "--team", "DATA", "--format", format], {
        env,
      });
      expect(direct).toEqual({ code: 0, stdout: viaFile.stdout, stderr: "" });
    }
  });

  it("exits 2 without LINEAR_API_KEY or with another source, 1 when Linear refuses the key", async () => {
    const missing = await cli(["report", "--linear"], { env: { LINEAR_API_URL: fake.url } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("LINEAR_API_KEY");
    const both = await cli(["report", "--linear", "--demo"], { env });
    expect(both).toMatchObject({
      code: 2,
      stderr: "capacity-split report: --linear reads Linear teams; leave out --demo.\n",
    });
    const refused = await cli(["report", "--linear"], {
      env: { LINEAR_API_KEY: "lin_api_wrong", LINEAR_API_URL: fake.url },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Check LINEAR_API_KEY");
  });
});
