import { describe, expect, it } from "vitest";
import { runResolver, type CallContext } from "../../src/app/resolvers";
import { getTeamSettings, readTeamSettings } from "../../src/app/team-settings";
import { classifyItem } from "../../src/domain/classify";
import type { Report } from "../../src/domain/types";
import { seedDemoWorkspace, workspaceBoardSource } from "../../src/server/workspace-board-source";
import { MemoryStore, storeKeys } from "../../src/store/index";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };

const BUG_RULE = { if: { type: ["Bug"] }, then: "investment" } as const;
/** Saved when title patterns ran on JavaScript's engine: lookahead, which RE2 refuses. */
const LOOKAHEAD_RULE = { if: { titleMatches: "^(?!WIP)" }, then: "roadmap" } as const;
const OPS_RULE = { if: { labels: ["ops"] }, then: "investment" } as const;

/** Settings as an earlier version stored them, written straight into the store. */
const EARLIER = {
  unit: "issues",
  timezone: "Asia/Tokyo",
  labels: { roadmap: "cs-roadmap", investment: "cs-investment" },
  rules: [BUG_RULE, LOOKAHEAD_RULE, OPS_RULE],
};

/** What applies to Payments' fields its settings leave out: the demo file's team values. */
const PAY_DEFAULTS = {
  unit: "points",
  actual: "delivered",
  timezone: "America/New_York",
  labels: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
  rules: [],
  unestimatedWeight: 1,
  fiscalYearStartMonth: 1,
};

async function seeded(stored: unknown) {
  const store = new MemoryStore();
  await seedDemoWorkspace(store, NOW);
  await store.set(storeKeys.teamSettings("1"), stored);
  return {
    store,
    ports: { boards: workspaceBoardSource(store, () => NOW), store, now: () => NOW },
  };
}

describe("stored settings with a title pattern RE2 refuses", () => {
  it("keep their labels, unit, timezone and other rules; only the refused rule is not applied", async () => {
    const { store } = await seeded(structuredClone(EARLIER));
    expect(await getTeamSettings(store, "1")).toEqual({
      unit: "issues",
      timezone: "Asia/Tokyo",
      labels: { roadmap: "cs-roadmap", investment: "cs-investment" },
      rules: [BUG_RULE, OPS_RULE],
    });
    // Reading wrote nothing: the refused rule stays stored, to be fixed.
    expect(await store.get(storeKeys.teamSettings("1"))).toEqual(EARLIER);
  });

  it("answers settings/get with the stored rules and a warning naming the refused one", async () => {
    const { ports } = await seeded(structuredClone(EARLIER));
    const answer = await runResolver("settings/get", { boardId: 1 }, inPay, ports);
    expect(answer).toEqual({
      ok: true,
      data: {
        ...EARLIER,
        defaults: PAY_DEFAULTS,
        warnings: [
          'Rule 2\'s title pattern "^(?!WIP)" is not a valid pattern (RE2 syntax: no backreferences, lookahead or lookbehind): invalid or unsupported Perl syntax: `(?!`; it is not applied until fixed.',
          "Until then reports number the rules in force 1, 2, … in their order, skipping the rules not applied.",
        ],
      },
    });
  });

  it("classifies with the rules in force, numbered as they apply, and the stored labels", async () => {
    const { ports } = await seeded(structuredClone(EARLIER));
    const workspace = await ports.boards.loadWorkspace(1);
    const team = workspace.teams[0];
    if (!team) throw new Error("the demo board has no team");
    expect(team.rules).toEqual([BUG_RULE, OPS_RULE]);
    expect(team.labels).toEqual({ roadmap: "cs-roadmap", investment: "cs-investment" });
    const context = {
      itemById: new Map(workspace.items.map((item) => [item.id, item])),
      teamById: new Map([[team.id, team]]),
    };
    const item = workspace.items.find((entry) => entry.teamId === team.id);
    if (!item) throw new Error("the demo board has no item");
    const ops = { ...item, type: "Task", labels: ["ops"], parentId: null };
    expect(classifyItem(ops, context)).toEqual({
      category: "investment",
      source: "rule",
      via: "rule:2",
    });
    // The refused lookahead would have claimed this title; it is not applied.
    const wip = { ...item, type: "Task", labels: [], parentId: null, title: "Ship it" };
    expect(classifyItem(wip, context).source).toBe("none");
  });

  it("refuses a save that keeps the refused rule, and a save of valid rules clears the warning", async () => {
    const { store, ports } = await seeded(structuredClone(EARLIER));
    const keepsIt = await runResolver(
      "settings/set",
      { boardId: 1, settings: { ...EARLIER, timezone: "Europe/Zurich" } },
      inPay,
      ports,
    );
    expect(keepsIt).toEqual({
      ok: false,
      error: {
        code: "BAD_REQUEST",
        message: expect.stringContaining("rules, item 2, if, title pattern") as string,
      },
    });
    expect(await store.get(storeKeys.teamSettings("1"))).toEqual(EARLIER);

    const fixed = {
      ...EARLIER,
      rules: [BUG_RULE, { ...LOOKAHEAD_RULE, if: { titleMatches: "^WIP" } }, OPS_RULE],
    };
    const saved = await runResolver("settings/set", { boardId: 1, settings: fixed }, inPay, ports);
    expect(saved).toEqual({ ok: true, data: fixed });
    const answer = await runResolver("settings/get", { boardId: 1 }, inPay, ports);
    expect(answer).toEqual({ ok: true, data: { ...fixed, defaults: PAY_DEFAULTS } });
  });
});

describe("reading stored settings field by field", () => {
  it("applies the defaults when no stored rule is applied, and says so", async () => {
    const { store } = await seeded({ unit: "issues", rules: [LOOKAHEAD_RULE] });
    const reading = await readTeamSettings(store, "1");
    expect(reading.inForce).toEqual({ unit: "issues", rules: [] });
    expect(reading.stored).toEqual({ unit: "issues", rules: [LOOKAHEAD_RULE] });
    expect(reading.warnings).toEqual([
      expect.stringContaining('Rule 1\'s title pattern "^(?!WIP)"'),
      "No stored rule is applied, so the default rules apply until the rules are fixed.",
    ]);
  });

  it("drops only a field that no longer parses, naming it", async () => {
    const { store } = await seeded({
      unit: "issues",
      timezone: "Mars/Olympus",
      rules: [BUG_RULE, { if: { type: ["Story"] }, then: "maybe" }],
      colour: "blue",
    });
    const reading = await readTeamSettings(store, "1");
    expect(reading.inForce).toEqual({ unit: "issues", rules: [BUG_RULE] });
    expect(reading.stored).toEqual({ unit: "issues", rules: [BUG_RULE] });
    expect(reading.warnings).toEqual([
      expect.stringMatching(/^The stored timezone is not valid \(expected an IANA timezone/),
      expect.stringMatching(/^Rule 2 is not a valid rule \(.+\); it is not applied\.$/),
      "Until then reports number the rules in force 1, 2, … in their order, skipping the rules not applied.",
      'The stored settings hold an unknown field "colour"; it is ignored.',
    ]);
  });

  it("answers valid settings exactly as saved, without warnings", async () => {
    const { ports } = await seeded({ unit: "points", rules: [BUG_RULE] });
    const answer = await runResolver("settings/get", { boardId: 1 }, inPay, ports);
    expect(answer).toEqual({
      ok: true,
      data: { unit: "points", rules: [BUG_RULE], defaults: PAY_DEFAULTS },
    });
  });
});

describe("the team's actual measure", () => {
  it("round-trips through settings and decides which measure the flags judge", async () => {
    const { ports } = await seeded({});
    const measuresOf = async () => {
      const answer = await runResolver("report/get", { boardId: 1 }, inPay, ports);
      if (!answer.ok) throw new Error(answer.error.message);
      const team = (answer.data as Report).teams[0];
      if (!team) throw new Error("the demo board has no team");
      const judged = team.flags.flatMap((flag) =>
        flag.evidence.measure === undefined ? [] : [flag.evidence.measure],
      );
      return { actual: team.actual, judged: new Set(judged) };
    };
    const before = await measuresOf();
    expect(before.actual).toBe("delivered");
    expect(before.judged).toEqual(new Set(["delivered"]));

    const saved = await runResolver(
      "settings/set",
      { boardId: 1, settings: { actual: "spent" } },
      inPay,
      ports,
    );
    expect(saved).toEqual({ ok: true, data: { actual: "spent" } });
    const read = await runResolver("settings/get", { boardId: 1 }, inPay, ports);
    expect(read).toEqual({
      ok: true,
      data: { actual: "spent", defaults: PAY_DEFAULTS },
    });
    const after = await measuresOf();
    expect(after.actual).toBe("spent");
    expect(after.judged).toEqual(new Set(["spent"]));

    const refused = await runResolver(
      "settings/set",
      { boardId: 1, settings: { actual: "hours" } },
      inPay,
      ports,
    );
    expect(refused.ok ? "" : refused.error.code).toBe("BAD_REQUEST");
    expect(await getTeamSettings(ports.store, "1")).toEqual({ actual: "spent" });
  });
});

describe("what applies beside the stored settings on the self-hosted server", () => {
  const reportOf = async (ports: Parameters<typeof runResolver>[3], boardId: number) => {
    const context = { accountId: "acc-1", projectKey: boardId === 5 ? "GRO" : "IDN" };
    const answer = await runResolver("report/get", { boardId }, context, ports);
    if (!answer.ok) throw new Error(answer.error.message);
    const team = (answer.data as Report).teams[0];
    if (!team) throw new Error(`board ${boardId} has no team`);
    return { unit: team.unit, actual: team.actual };
  };

  it("answers the workspace file's team values, and a save of a label alone keeps them in force", async () => {
    const { ports } = await seeded({});
    const inGrowth = { accountId: "acc-1", projectKey: "GRO" };
    const inIdentity = { accountId: "acc-1", projectKey: "IDN" };
    const growth = await runResolver("settings/get", { boardId: 5 }, inGrowth, ports);
    expect(growth).toEqual({
      ok: true,
      data: {
        defaults: {
          unit: "issues",
          actual: "delivered",
          timezone: "America/New_York",
          labels: { roadmap: "Roadmap", investment: "Investment" },
          rules: [],
          unestimatedWeight: 1,
          fiscalYearStartMonth: 1,
        },
      },
    });
    const identity = await runResolver("settings/get", { boardId: 7 }, inIdentity, ports);
    expect(identity).toEqual({
      ok: true,
      data: {
        defaults: {
          unit: "points",
          actual: "spent",
          timezone: "Europe/Berlin",
          labels: { roadmap: "capacity-roadmap", investment: "capacity-investment" },
          rules: [],
          unestimatedWeight: 1,
          fiscalYearStartMonth: 1,
        },
      },
    });

    const before = [await reportOf(ports, 5), await reportOf(ports, 7)];
    expect(before).toEqual([
      { unit: "issues", actual: "delivered" },
      { unit: "points", actual: "spent" },
    ]);
    const labels = { roadmap: "cs-roadmap", investment: "cs-investment" };
    for (const [boardId, context] of [
      [5, inGrowth],
      [7, inIdentity],
    ] as const) {
      const saved = await runResolver(
        "settings/set",
        { boardId, settings: { labels } },
        context,
        ports,
      );
      expect(saved).toEqual({ ok: true, data: { labels } });
    }
    expect([await reportOf(ports, 5), await reportOf(ports, 7)]).toEqual(before);
  });
});
