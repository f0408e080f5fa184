/**
 * `settings/get` answers, beside the stored settings, what applies to every field they leave out,
 * through the board source: in Jira the product's defaults and the board's own estimation.
 */
import { describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { runResolver, type CallContext } from "../../src/app/resolvers";
import type { Report } from "../../src/domain/types";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const admin = { email: "admin@example.com", token: "admin-token" };
// Growth counts issues: its Jira board estimates by issue count.
const fake = useFakeJira({
  workspace: generateDemoWorkspace(NOW),
  now: NOW,
  users: [admin],
  boards: [{ teamId: "GRO", estimation: "issueCount" }],
});

const PRODUCT_DEFAULTS = {
  actual: "delivered",
  timezone: "UTC",
  labels: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
  rules: [],
  unestimatedWeight: 1,
  fiscalYearStartMonth: 1,
};

describe("the team's defaults in Jira", () => {
  it("are the product's, with the unit of the board's estimation once the board was read", async () => {
    const growth = boardIdOf(fake, "GRO");
    const projectKey = fake.site.boards.get(growth)?.projectKey ?? "";
    const inGrowth: CallContext = { accountId: "acc-1", projectKey };
    const ports = {
      jira: clientFor(fake, admin).client,
      store: new MemoryStore(),
      now: () => NOW,
    };
    const saved = await runResolver(
      "settings/set",
      { boardId: growth, settings: { timezone: "Europe/Zurich" } },
      inGrowth,
      ports,
    );
    expect(saved).toEqual({ ok: true, data: { timezone: "Europe/Zurich" } });

    // Not read from Jira yet: its estimation is unknown and points are counted.
    const before = await runResolver("settings/get", { boardId: growth }, inGrowth, ports);
    expect(before).toEqual({
      ok: true,
      data: { timezone: "Europe/Zurich", defaults: { ...PRODUCT_DEFAULTS, unit: "points" } },
    });

    await syncBoard(growth, ports);
    const after = await runResolver("settings/get", { boardId: growth }, inGrowth, ports);
    expect(after).toEqual({
      ok: true,
      data: { timezone: "Europe/Zurich", defaults: { ...PRODUCT_DEFAULTS, unit: "issues" } },
    });
    // The default the page shows is the unit the report counts in.
    const report = await runResolver("report/get", { boardId: growth }, inGrowth, ports);
    if (!report.ok) throw new Error(report.error.message);
    expect((report.data as Report).teams[0]?.unit).toBe("issues");
  });
});
