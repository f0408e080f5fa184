import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspaceText } from "../../src/workspace/load-workspace";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { cli } from "../cli/run";
import { type FakeLinear } from "../fakes/linear/index";
import { linearEnv, useFakeLinear } from "../helpers/fake-trackers";
import { NOW } from "./helpers";

const DEMO = generateDemoWorkspace(NOW);
const scratch = () => mkdtempSync(join(tmpdir(), "capacity-split-linear-"));

/** `pull linear [--team KEY]… --out ws.json`, then `report --input ws.json --format json`. */
async function pullThenReport(fake: FakeLinear, teams: readonly string[], reportTeams = teams) {
  const out = join(scratch(), "ws.json");
  const pull = await cli(["pull", "linear", ...teams.flatMap((t) => ["--team", t]), "--out", out], {
    env: linearEnv(fake),
  });
  expect(pull.code, pull.stderr).toBe(0);
  const report = await cli(
    [
      "report",
      "--input",
      out,
      "--format",
      "json",
      "--now",
      new Date(NOW).toISOString(),
      ...reportTeams.flatMap((t) => ["--team", t]),
    ],
    {},
  );
  expect(report.code, report.stderr).toBe(0);
  return { file: readFileSync(out, "utf8"), report: JSON.parse(report.stdout) as unknown };
}

/**
 * The demo with an open DATA issue (its own labels removed) under a DATA issue labelled
 * Investment and done long ago, which auto-archiving archives.
 */
const ARCHIVED_PARENT: WorkspaceFile = (() => {
  const items = structuredClone(DEMO.items ?? []);
  const old = items.find(
    (item) =>
      item.teamId === "DATA" &&
      item.status === "done" &&
      item.completedAt != null &&
      Date.parse(item.completedAt) < NOW - 300 * 86_400_000,
  );
  const open = items.find(
    (item) => item.teamId === "DATA" && item.status === "inProgress" && item.parentId == null,
  );
  if (old === undefined || open === undefined) throw new Error("the demo changed");
  old.labels = ["Investment"];
  open.labels = [];
  open.parentId = old.id;
  return { ...DEMO, items };
})();

describe("a workspace whose teams auto-archive closed issues", () => {
  const never = useFakeLinear({ workspace: ARCHIVED_PARENT, seed: { now: NOW } });
  const archiving = useFakeLinear({
    workspace: ARCHIVED_PARENT,
    seed: { now: NOW, autoArchiveMonths: { GRO: 1, DATA: 6 } },
  });

  it("hides archived issues and cycles from queries that do not ask for them, as Linear does", async () => {
    const archived = archiving.data.issues.filter((issue) => issue.archivedAt);
    expect(archived.length).toBeGreaterThan(50);
    const gro = archiving.data.teams.find((team) => team.key === "GRO");
    const archivedCycles = archiving.data.cycles.filter(
      (cycle) => cycle.teamId === gro?.id && cycle.archivedAt,
    );
    expect(archivedCycles.length).toBeGreaterThan(0);
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(archiving.url, {
        method: "POST",
        headers: { authorization: archiving.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as {
        data: Record<string, { nodes?: unknown[] } & Record<string, { nodes: unknown[] }>>;
      };
    };
    const ids = archived.slice(0, 50).map((issue) => issue.id);
    const issues = async (inc: boolean) =>
      (
        await ask(
          "query A($ids: [ID!], $inc: Boolean) { issues(filter: { id: { in: $ids } }, first: 50, includeArchived: $inc) { nodes { id } } }",
          { ids, inc },
        )
      ).data.issues?.nodes?.length;
    expect([await issues(false), await issues(true)]).toEqual([0, 50]);
    const cycles = async (inc: boolean) =>
      (
        await ask(
          "query B($id: String!, $inc: Boolean) { team(id: $id) { cycles(first: 250, includeArchived: $inc) { nodes { id } } } }",
          { id: gro?.id, inc },
        )
      ).data.team?.cycles?.nodes.length;
    const all = archiving.data.cycles.filter((cycle) => cycle.teamId === gro?.id).length;
    expect([await cycles(false), await cycles(true)]).toEqual([all - archivedCycles.length, all]);
  });

  it("pull linear then report gives the report of the same data never archived", async () => {
    const archived = await pullThenReport(archiving, []);
    const plain = await pullThenReport(never, []);
    expect(archived.report).toEqual(plain.report);
    const items = (text: string) => (JSON.parse(text) as WorkspaceFile).items?.length;
    expect(items(archived.file)).toBe(
      (DEMO.items ?? []).filter((i) => ["GRO", "DATA"].includes(i.teamId)).length,
    );
    expect(items(archived.file)).toBe(items(plain.file));
  });
});

describe("pull linear --team with a parent in another team", () => {
  const seed = crossTeamSeed();
  const fake = useFakeLinear({ workspace: seed.workspace, seed: { now: NOW } });

  it("writes a valid file in which the child inherits from its parent in the other team", async () => {
    const { file, report } = await pullThenReport(fake, ["DATA"]);
    const loaded = parseWorkspaceText(file);
    expect(loaded.ok && loaded.workspace.teams.map((team) => team.id).sort()).toEqual([
      "DATA",
      "GRO",
    ]);
    const parsed = JSON.parse(file) as WorkspaceFile;
    const context = (parsed.items ?? []).filter((item) => item.teamId === "GRO");
    // The parent and its own parent (two levels up), nothing else of GRO, and no GRO cycle.
    expect(context.map((item) => item.id).sort()).toEqual([seed.grandparent, seed.parent].sort());
    expect((parsed.sprints ?? []).every((sprint) => sprint.teamId === "DATA")).toBe(true);
    const teams = (
      report as {
        teams: { id: string; items: { id: string; source: string; via: string | null }[] }[];
      }
    ).teams;
    expect(teams.map((team) => team.id)).toEqual(["DATA"]);
    expect(teams[0]?.items.find((item) => item.id === seed.child)).toMatchObject({
      source: "inherited",
      via: seed.grandparent,
    });
  });

  it("reports the team asked for as a pull of every team does", async () => {
    const some = await pullThenReport(fake, ["DATA"]);
    const every = await pullThenReport(fake, [], ["DATA"]);
    expect(some.report).toEqual(every.report);
  });
});

/**
 * The demo with one DATA issue (its own labels removed) under a GRO parent, itself under a GRO
 * issue labelled Investment: inheritance crosses teams and two levels.
 */
function crossTeamSeed(): {
  workspace: WorkspaceFile;
  child: string;
  parent: string;
  grandparent: string;
} {
  const items = structuredClone(DEMO.items ?? []);
  const gro = items.filter((item) => item.teamId === "GRO" && item.parentId == null);
  const grandparent = gro[0];
  const parent = gro[1];
  const child = items.find((item) => item.teamId === "DATA" && item.parentId == null);
  if (grandparent === undefined || parent === undefined || child === undefined) {
    throw new Error("the demo changed: no GRO or DATA issue without a parent");
  }
  grandparent.labels = ["Investment"];
  parent.labels = [];
  parent.parentId = grandparent.id;
  child.labels = [];
  child.parentId = parent.id;
  return {
    workspace: { ...DEMO, items },
    child: child.id,
    parent: parent.id,
    grandparent: grandparent.id,
  };
}
