import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace, parseWorkspaceText } from "../../src/workspace/load-workspace";
import { makeItem, makeSprint, makeTeam } from "../helpers/factories";
import { cli } from "./run";

const EXAMPLE = new URL("../fixtures/worked-example.json", import.meta.url).pathname;

describe("capacity-split check", () => {
  it("fails on a critical flag in the latest closed sprint", async () => {
    const { code, stdout } = await cli([
      "check",
      "--input",
      EXAMPLE,
      "--now",
      "2026-07-20T00:00:00Z",
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatchInlineSnapshot(`
      "CRITICAL PAY · PAY 1 · SPRINT_BELOW_TARGET: PAY 1 delivered 0% investment, below its 30% ± 5% target.
      CRITICAL PAY · PAY 1 · INVESTMENT_ZEROED: PAY 1 delivered 16 points of roadmap work and no investment against a 30% target.
      FAIL: 2 critical flags open in current periods.
      "
    `);
  });

  it("counts warnings only when asked to", async () => {
    const now = "2026-11-24T00:00:00Z";
    // In 2026-Q4 S1 is still the latest closed sprint; the team's target review is only info.
    expect(
      (await cli(["check", "--input", EXAMPLE, "--now", now, "--fail-on", "warning"])).stdout,
    ).toContain("SPRINT_SQUEEZED");
    expect((await cli(["check", "--input", EXAMPLE, "--now", "2026-06-20T00:00:00Z"])).code).toBe(
      0,
    );
    expect((await cli(["check", "--input", EXAMPLE, "--now", "2026-06-20T00:00:00Z"])).stdout).toBe(
      "OK: no critical flag is open in a current period (1 team checked).\n",
    );
    expect((await cli(["check", "--input", EXAMPLE, "--fail-on", "notice"])).stderr).toBe(
      'capacity-split check: Invalid --fail-on value: "notice". Must be one of info, warning, critical.\n',
    );
    const notes = await cli(["check", "--input", EXAMPLE, "--now", now, "--fail-on", "info"]);
    expect(notes.stdout).toContain("INFO PAY · Payments · TARGET_REVIEW_DUE");
    expect(notes.stdout).toMatch(/FAIL: \d+ flags? open in current periods\.\n$/);
  });

  it("fails on an org flag alone, and prints it", async () => {
    const now = "2026-06-20T00:00:00Z";
    // The team alone passes at this moment; an org target of 90% investment cannot be met by a
    // quarter in which the only person spent all their time on roadmap work.
    expect((await cli(["check", "--input", EXAMPLE, "--now", now])).code).toBe(0);
    const workspace = JSON.parse(readFileSync(EXAMPLE, "utf8")) as {
      targets: Record<string, unknown>[];
      items: Record<string, unknown>[];
    };
    workspace.targets.push({
      ...workspace.targets[0],
      teamId: null,
      investmentShare: 0.9,
      effectiveFrom: "2026-04-01",
    });
    workspace.items.push({
      id: "PAY-9",
      teamId: "PAY",
      title: "Checkout redesign",
      type: "Story",
      labels: ["capacity-roadmap"],
      estimate: 3,
      status: "inProgress",
      createdAt: "2026-04-01T09:00:00Z",
      completedAt: null,
      sprintIds: [],
      assignee: "ana",
      history: [
        { at: "2026-04-02T09:00:00Z", field: "status", from: "todo", to: "inProgress" },
        { at: "2026-04-02T09:00:00Z", field: "assignee", from: null, to: "ana" },
      ],
    });
    const file = join(mkdtempSync(join(tmpdir(), "check-org-")), "workspace.json");
    writeFileSync(file, JSON.stringify(workspace));
    const { code, stdout } = await cli(["check", "--input", file, "--now", now]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^CRITICAL org · 2026-Q2 · QUARTER_AT_RISK: The org's 2026-Q2 /);
    expect(stdout).toContain("FAIL: 1 critical flag open in current periods.\n");
    // Once the quarter is closed, its flags are history, not a failing check.
    expect(
      (await cli(["check", "--input", file, "--now", "2026-07-02T00:00:00Z"])).stdout,
    ).not.toContain("org ·");
  });
});

describe("capacity-split explain", () => {
  it("walks the chain up to what decided", async () => {
    const { code, stdout } = await cli(["explain", "--input", EXAMPLE, "PAY-4"]);
    expect(code).toBe(0);
    expect(stdout).toMatchInlineSnapshot(`
      "PAY-4 Refund status email
      Category: roadmap (explicit label)

      Why:
        1. PAY-4 labels [capacity-roadmap]: carries the roadmap label.

      Its team's flags judge delivered weight.
      Delivered: 3 points, done 2026-07-14 15:00 UTC, in PAY 1, 2026-Q3.
      Spent: none: no time in progress is recorded for it.
      "
    `);
  });

  it("shows what the item delivered and the person-days it took, never whose they were", async () => {
    // ana works on PAY-1 alone for 5 days, then on PAY-1 and PAY-2 at once for 5 days (half a
    // day each per day, SPEC §6a), then on PAY-2 alone until now.
    const workspace = {
      version: 1,
      teams: [makeTeam({ source: "file", unit: "points" })],
      sprints: [makeSprint()],
      items: [
        makeItem({
          title: "Retire the v1 ledger",
          labels: ["capacity-investment"],
          estimate: 5,
          status: "done",
          assignee: "ana",
          createdAt: "2026-06-25T00:00:00Z",
          completedAt: "2026-07-11T00:00:00Z",
          sprintIds: ["S1"],
          history: [
            { at: "2026-07-01T00:00:00Z", field: "assignee", from: null, to: "ana" },
            { at: "2026-07-01T00:00:00Z", field: "status", from: "todo", to: "inProgress" },
            { at: "2026-07-11T00:00:00Z", field: "status", from: "inProgress", to: "done" },
          ],
        }),
        makeItem({
          id: "PAY-2",
          title: "Wallet payments",
          type: "Story",
          estimate: 3,
          status: "inProgress",
          assignee: "ana",
          createdAt: "2026-07-05T00:00:00Z",
          history: [
            { at: "2026-07-06T00:00:00Z", field: "assignee", from: null, to: "ana" },
            { at: "2026-07-06T00:00:00Z", field: "status", from: "todo", to: "inProgress" },
          ],
        }),
      ],
    };
    const file = join(mkdtempSync(join(tmpdir(), "explain-effort-")), "workspace.json");
    writeFileSync(file, JSON.stringify(workspace));
    const now = "2026-07-20T00:00:00Z";
    const first = await cli(["explain", "--input", file, "--now", now, "PAY-1"]);
    expect(first.code).toBe(0);
    expect(first.stdout.slice(first.stdout.indexOf("Its team"))).toMatchInlineSnapshot(`
      "Its team's flags judge delivered weight.
      Delivered: 5 points, done 2026-07-11 00:00 UTC, in PAY 1, 2026-Q3.
      Spent: 7.5 person-days while in progress, up to now.
        PAY 1: 7.5 person-days
        2026-Q3: 7.5 person-days
      "
    `);
    const second = await cli(["explain", "--input", file, "--now", now, "PAY-2"]);
    expect(second.stdout.slice(second.stdout.indexOf("Its team"))).toMatchInlineSnapshot(`
      "Its team's flags judge delivered weight.
      Delivered: not yet (status inProgress).
      Spent: 11.5 person-days while in progress, up to now.
        2026-Q3: 11.5 person-days
      "
    `);
    expect(first.stdout + second.stdout).not.toContain("ana");
  });

  it("describes each rule tried in the words the pages use", async () => {
    const demo = generateDemoWorkspace(Date.parse("2026-11-24T00:00:00Z"));
    const loaded = parseWorkspace(demo);
    if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
    const report = computeReport(loaded.workspace, { now: Date.parse("2026-11-24T00:00:00Z") });
    const item = report.teams
      .flatMap((team) => team.items)
      .find((entry) => entry.source === "rule" && entry.via === "rule:3");
    if (item === undefined) throw new Error("no demo item classified by default rule 3");
    const { code, stdout } = await cli(["explain", "--demo", item.id]);
    expect(code).toBe(0);
    expect(stdout).toContain("Category: roadmap (rule 3: type is Story or Feature or New Feature)");
    expect(stdout).toContain(
      "default rule 3 (type is Story or Feature or New Feature → roadmap): matches.",
    );
    expect(stdout).toContain("default rule 1 (label is tech-debt or techdebt or refactor");
  });

  it("says which items exist when the id is wrong", async () => {
    const { code, stderr } = await cli(["explain", "--input", EXAMPLE, "pay"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'capacity-split explain: No item "pay" in this workspace. Did you mean PAY-1, PAY-2, PAY-3, PAY-4?\n',
    );
    expect((await cli(["explain", "--input", EXAMPLE])).stderr).toContain("Missing ITEM_ID");
  });
});

describe("capacity-split demo", () => {
  it("writes the demo as a valid workspace file", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "capacity-split-")), "ws.json");
    const { code, stderr } = await cli(["demo", "--out", out]);
    expect(code).toBe(0);
    expect(stderr).toBe(`Wrote the demo workspace to ${out}\n`);
    const parsed = parseWorkspaceText(readFileSync(out, "utf8"));
    expect(parsed.ok).toBe(true);
    const again = (await cli(["report", "--input", out, "--format", "json"])).stdout;
    expect(again).toBe((await cli(["report", "--demo", "--format", "json"])).stdout);
  });
});
