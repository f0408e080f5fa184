import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runResolver, type CallContext } from "../../src/app/resolvers";
import { previewRules } from "../../src/app/rules-preview";
import { getTeamSettings, setTeamSettings, type TeamSettings } from "../../src/app/team-settings";
import { DEFAULT_RULES } from "../../src/domain/classify";
import { computeReport } from "../../src/domain/report";
import type { Rule } from "../../src/domain/types";
import { start } from "../../src/server/main";
import { seedDemoWorkspace, workspaceBoardSource } from "../../src/server/workspace-board-source";
import { MemoryStore } from "../../src/store/index";
import { makeItem, makeTeam, makeWorkspace } from "../helpers/factories";

const NOW = Date.parse("2026-11-24T00:00:00Z");

/**
 * A board with one of each provenance: an explicit label, a conflict, a child inheriting from its
 * labelled epic, a Story, a Bug, a tech-debt Task and a Task whose title names a migration.
 */
const board = makeWorkspace({
  teams: [makeTeam({ rules: [{ if: { type: ["Story"] }, then: "roadmap" }] })],
  items: [
    makeItem({ id: "PAY-1", type: "Epic", labels: ["capacity-investment"] }),
    makeItem({ id: "PAY-2", labels: ["capacity-roadmap", "capacity-investment"] }),
    makeItem({ id: "PAY-3", parentId: "PAY-1", type: "Story" }),
    makeItem({ id: "PAY-4", type: "Story", title: "Checkout in one click" }),
    makeItem({ id: "PAY-5", type: "Bug", title: "Refund fails" }),
    makeItem({ id: "PAY-6", labels: ["tech-debt"], title: "Retire v1 queue" }),
    makeItem({ id: "PAY-7", title: "Migrate ledger to Postgres 17" }),
  ],
});

type Case = {
  name: string;
  rules: Rule[];
  perRule: number[];
  unclassified: number;
  changed: number;
};

const cases: Case[] = [
  {
    name: "the saved rules change nothing",
    rules: [{ if: { type: ["Story"] }, then: "roadmap" }],
    // PAY-3 is a Story but inherits first, so the rule only reaches PAY-4.
    perRule: [1],
    unclassified: 4,
    changed: 0,
  },
  {
    name: "an empty list previews the default rules",
    rules: [],
    perRule: [1, 0, 1],
    unclassified: 3,
    changed: 1,
  },
  {
    name: "an earlier rule takes what a later one would also match",
    rules: [
      { if: { titleMatches: "^(retire|migrate)\\b" }, then: "investment" },
      { if: { labels: ["TECH-DEBT"] }, then: "investment" },
      { if: { type: ["story"] }, then: "roadmap" },
    ],
    perRule: [2, 0, 1],
    unclassified: 2,
    changed: 2,
  },
  {
    name: "rules never reach labelled, conflicting or inheriting items",
    rules: [{ if: { type: ["Epic", "Task", "Story", "Bug"] }, then: "investment" }],
    perRule: [4],
    unclassified: 1,
    // PAY-4 roadmap → investment; PAY-5, PAY-6, PAY-7 unclassified → investment.
    changed: 4,
  },
  {
    name: "conditions across keys must all hold",
    rules: [{ if: { type: ["Bug"], titleMatches: "checkout" }, then: "roadmap" }],
    perRule: [0],
    unclassified: 5,
    changed: 1,
  },
];

describe("previewRules", () => {
  it.each(cases)("$name", ({ rules, perRule, unclassified, changed }) => {
    const preview = previewRules(board, rules);
    expect(preview.rules.map((rule) => rule.items)).toEqual(perRule);
    expect(preview).toMatchObject({
      items: 7,
      explicit: 1,
      conflict: 1,
      inherited: 1,
      unclassified,
      changed,
      usesDefaultRules: rules.length === 0,
    });
    const decided = preview.explicit + preview.conflict + preview.inherited;
    const byRules = preview.rules.reduce((sum, rule) => sum + rule.items, 0);
    const undecided = preview.items - decided - byRules;
    // Every item is counted once: decided before the rules, by one rule, or by none.
    expect(undecided + preview.conflict).toBe(preview.unclassified);
  });

  it("agrees with the report computed with the edited rules", () => {
    const rules: Rule[] = [
      { if: { titleMatches: "refund" }, then: "roadmap" },
      ...DEFAULT_RULES.map((rule) => ({ ...rule })),
    ];
    const edited = { ...board, teams: board.teams.map((team) => ({ ...team, rules })) };
    const items = computeReport(edited, { now: NOW }).teams[0]?.items ?? [];
    const preview = previewRules(board, rules);
    const fromReport = rules.map(
      (_, index) => items.filter((item) => item.via === `rule:${index + 1}`).length,
    );
    expect(preview.rules.map((rule) => rule.items)).toEqual(fromReport);
    expect(preview.unclassified).toBe(items.filter((i) => i.category === "unclassified").length);
  });

  it("previews the saved rules when given none, naming each with its conditions", () => {
    const preview = previewRules(board);
    expect(preview.rules).toEqual([
      { rule: 1, if: { type: ["Story"] }, then: "roadmap", items: 1 },
    ]);
    expect(preview).toMatchObject({ changed: 0, usesDefaultRules: false });
  });

  it("names the changed items with their old and new category", () => {
    const preview = previewRules(board, [{ if: { titleMatches: "ledger" }, then: "investment" }]);
    expect(preview.examples).toEqual([
      { id: "PAY-4", title: "Checkout in one click", from: "roadmap", to: "unclassified" },
      {
        id: "PAY-7",
        title: "Migrate ledger to Postgres 17",
        from: "unclassified",
        to: "investment",
      },
    ]);
  });
});

describe("the rules/preview resolver", () => {
  const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };
  async function seeded() {
    const store = new MemoryStore();
    await seedDemoWorkspace(store, NOW);
    return {
      store,
      ports: { boards: workspaceBoardSource(store, () => NOW), store, now: () => NOW },
    };
  }

  it("previews a board's rules without storing anything", async () => {
    const { store, ports } = await seeded();
    const answer = await runResolver(
      "rules/preview",
      { boardId: 1, rules: [{ if: { type: ["Bug"] }, then: "investment" }] },
      inPay,
      ports,
    );
    if (!answer.ok) throw new Error(answer.error.message);
    const data = answer.data as ReturnType<typeof previewRules>;
    expect(data.rules).toHaveLength(1);
    expect(data.rules[0]?.items).toBeGreaterThan(0);
    expect(data.changed).toBeGreaterThan(0);
    expect(await getTeamSettings(store, "1")).toEqual({});
  });

  it.each<[string, NonNullable<TeamSettings["rules"]>, string]>([
    [
      "a title pattern that is no regular expression",
      [{ if: { titleMatches: "([a-z" }, then: "roadmap" }],
      "rules, item 1, if, title pattern: not a valid pattern (RE2 syntax",
    ],
    [
      "a title pattern with lookahead, which RE2 cannot run in linear time",
      [{ if: { titleMatches: "^(?!WIP)" }, then: "roadmap" }],
      "rules, item 1, if, title pattern: not a valid pattern (RE2 syntax: no backreferences, lookahead or lookbehind): invalid or unsupported Perl syntax: `(?!`",
    ],
    [
      "a title pattern with a backreference",
      [{ if: { titleMatches: "(fix)\\1" }, then: "roadmap" }],
      "rules, item 1, if, title pattern: not a valid pattern (RE2 syntax: no backreferences, lookahead or lookbehind): invalid escape sequence: `\\1`",
    ],
    [
      "a rule without conditions",
      [{ if: {}, then: "roadmap" }],
      "rules, item 1, if: a rule needs at least one condition",
    ],
    [
      "a condition with no value",
      [{ if: { labels: [""] }, then: "investment" }],
      "rules, item 1, if: labels lists no value",
    ],
  ])("refuses %s with a message and stores nothing", async (_, rules, message) => {
    const { store, ports } = await seeded();
    const preview = await runResolver("rules/preview", { boardId: 1, rules }, inPay, ports);
    expect(preview).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: expect.stringContaining(message) as string },
    });
    const saved = await runResolver(
      "settings/set",
      { boardId: 1, settings: { rules } },
      inPay,
      ports,
    );
    expect(saved).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: expect.stringContaining(message) as string },
    });
    await expect(setTeamSettings(store, "1", { rules })).rejects.toThrow(message);
    expect(await getTeamSettings(store, "1")).toEqual({});
  });

  it("saved rules are the ones the board's report uses", async () => {
    const { store, ports } = await seeded();
    const rules = [{ if: { type: ["Bug"] }, then: "investment" as const }];
    await setTeamSettings(store, "1", { rules });
    const preview = await runResolver("rules/preview", { boardId: 1, rules }, inPay, ports);
    if (!preview.ok) throw new Error(preview.error.message);
    expect((preview.data as ReturnType<typeof previewRules>).changed).toBe(0);
  });

  it("answers a bad regular expression over HTTP with 400", async () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-preview-"));
    const server = await start({
      port: 0,
      host: "127.0.0.1",
      dataFile: join(dir, "store.sqlite"),
      token: null,
    });
    try {
      const base = server.url.replace(/\/(\?.*)?$/, "");
      const post = (key: string, body: unknown) =>
        fetch(`${base}/api/resolve/${key}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-capacity-project": "PAY" },
          body: JSON.stringify(body),
        });
      const rules = [{ if: { titleMatches: "(a)\\1" }, then: "roadmap" }];
      const preview = await post("rules/preview", { boardId: 1, rules });
      expect(preview.status).toBe(400);
      expect(await preview.text()).toContain("invalid escape sequence");
      const saved = await post("settings/set", { boardId: 1, settings: { rules } });
      expect(saved.status).toBe(400);
      const settings: unknown = await (await post("settings/get", { boardId: 1 })).json();
      const defaults: unknown = expect.any(Object);
      expect(settings).toEqual({ ok: true, data: { defaults } });
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
