import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace, parseWorkspaceText } from "../../src/workspace/load-workspace";
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
      FAIL: 2 critical flag(s) open in current periods.
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
      "OK: no critical flag is open in a current period (1 team(s) checked).\n",
    );
    expect((await cli(["check", "--input", EXAMPLE, "--fail-on", "info"])).stderr).toBe(
      'capacity-split check: Invalid --fail-on value: "info". Must be one of warning, critical.\n',
    );
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
      "
    `);
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
