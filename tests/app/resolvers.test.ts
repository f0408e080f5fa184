import { describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { computeReport } from "../../src/domain/report";
import type { Report } from "../../src/domain/types";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import { asPulled, clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const seed = generateDemoWorkspace(NOW);
const admin = { email: "admin@example.com", token: "admin-token" };
const viewer = {
  email: "viewer@example.com",
  token: "viewer-token",
  permissions: { ADMINISTER_PROJECTS: false },
};
const reader = {
  email: "reader@example.com",
  token: "reader-token",
  permissions: { EDIT_ISSUES: false, ADMINISTER_PROJECTS: false },
};

let boardId: number;
const fake = useFakeJira(
  { workspace: seed, now: NOW, users: [admin, viewer, reader] },
  (started) => {
    boardId = boardIdOf(started, "PAY");
  },
);

function portsFor(
  user: { email: string; token: string },
  store = new MemoryStore(),
): ResolverPorts {
  return { jira: clientFor(fake, user).client, store, now: () => NOW };
}
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };

describe("the issue panel", () => {
  it("answers from the store with one Jira call once the board was synced", async () => {
    const store = new MemoryStore();
    const ports = portsFor(admin, store);
    await syncBoard(boardId, { ...ports, jira: clientFor(fake, admin).client });
    const child = [...fake.site.issuesByKey.values()].find((i) => {
      const parent = i.parentKey ? fake.site.issuesByKey.get(i.parentKey) : undefined;
      return (
        i.projectKey === "PAY" &&
        i.labels.length === 0 &&
        parent?.labels.includes("capacity-investment") &&
        i.sprintIds.some((id) => fake.site.sprints.get(id)?.state === "active")
      );
    });
    if (!child?.parentKey) {
      throw new Error("no child of an investment epic in PAY's active sprint");
    }
    fake.resetRequests();
    const again = await runResolver("item/get", { boardId, issueKey: child.key }, inPay, ports);
    expect(fake.totalRequests()).toBe(1);
    if (!again.ok) throw new Error(again.error.message);
    const data = again.data as {
      item: { category: string; source: string; via: string | null };
      sprintReport: { state: string } | null;
    };
    expect(data.item).toMatchObject({
      category: "investment",
      source: "inherited",
      via: child.parentKey,
    });
    // The sprint the issue is in, not just any active sprint of the board.
    expect(data.sprintReport?.state).toBe("active");
    const sprint = child.sprintIds.find((id) => fake.site.sprints.get(id)?.state === "active");
    expect((data.sprintReport as { id?: string } | null)?.id).toBe(String(sprint));
    const outside = [...fake.site.issuesByKey.values()].find(
      (i) =>
        i.projectKey === "PAY" &&
        !i.sprintIds.some((id) => fake.site.sprints.get(id)?.state === "active"),
    );
    if (!outside) throw new Error("every PAY issue is in the active sprint");
    const elsewhere = await runResolver(
      "item/get",
      { boardId, issueKey: outside.key },
      inPay,
      ports,
    );
    expect(elsewhere.ok && (elsewhere.data as { sprintReport: unknown }).sprintReport).toBeNull();
  });

  it("names the deciding rule in words, not by its number", async () => {
    const story = [...fake.site.issuesByKey.values()].find(
      (i) =>
        i.projectKey === "PAY" && i.labels.length === 0 && !i.parentKey && i.issueType === "Story",
    );
    if (!story) throw new Error("no unlabelled top-level story in PAY");
    const answer = await runResolver(
      "item/get",
      { boardId, issueKey: story.key },
      inPay,
      portsFor(admin),
    );
    if (!answer.ok) throw new Error(answer.error.message);
    expect((answer.data as { item: unknown }).item).toMatchObject({
      source: "rule",
      via: "rule:3",
      ruleText: "type is Story or Feature or New Feature",
    });
  });
});

describe("resolvers over the fake Jira", () => {
  it("lists the project's boards from Jira on a fresh install", async () => {
    const answer = await runResolver("board/list", {}, inPay, portsFor(admin));
    expect(answer).toEqual({
      ok: true,
      data: [{ boardId, projectKey: "PAY", name: fake.site.boards.get(boardId)?.name }],
    });
  });

  it("reports a board exactly as the workspace it was seeded from", async () => {
    const ports = portsFor(admin);
    const zone = seed.teams.find((team) => team.id === "PAY")?.timezone;
    const saved = await runResolver(
      "settings/set",
      { boardId, settings: { timezone: zone } },
      inPay,
      ports,
    );
    expect(saved).toEqual({ ok: true, data: { timezone: "America/New_York" } });
    await syncBoard(boardId, { ...ports, jira: clientFor(fake, admin).client });
    const answer = await runResolver("report/get", { boardId }, inPay, ports);
    if (!answer.ok) throw new Error(answer.error.message);
    // No target was declared in the app's store yet, so the report has none.
    const expected = parseWorkspace({ ...asPulled(seed, fake, "PAY"), targets: [] });
    if (!expected.ok) throw new Error(expected.problems.join("\n"));
    const report = answer.data as Report;
    const reference = computeReport(expected.workspace, { now: NOW });
    expect(report.teams[0]?.sprints).toEqual(reference.teams[0]?.sprints);
    expect(report.teams[0]?.quarters).toEqual(reference.teams[0]?.quarters);
  });

  it("refuses bad payloads with a message and sends nothing", async () => {
    fake.resetRequests();
    const answer = await runResolver("report/get", { boardId: "12" }, inPay, portsFor(admin));
    expect(answer).toEqual({
      ok: false,
      error: {
        code: "BAD_REQUEST",
        message: 'Invalid request: board: expected number, got "12".',
      },
    });
    expect(fake.totalRequests()).toBe(0);
    const unknown = await runResolver("report/delete", {}, inPay, portsFor(admin));
    expect(unknown.ok ? "" : unknown.error.code).toBe("NOT_FOUND");
  });

  it("never reads another project's board through an argument", async () => {
    const answer = await runResolver(
      "report/get",
      { boardId },
      { accountId: "acc-1", projectKey: "CHK" },
      portsFor(admin),
    );
    expect(answer).toEqual({
      ok: false,
      error: { code: "FORBIDDEN", message: `Board ${boardId} does not belong to this project.` },
    });
    const item = await runResolver(
      "item/classify",
      { boardId, issueKeys: ["CHK-1"], category: "roadmap" },
      inPay,
      portsFor(admin),
    );
    expect(item.ok ? "" : item.error.code).toBe("FORBIDDEN");
  });

  it("lets only project admins declare targets, and keeps every declaration", async () => {
    const store = new MemoryStore();
    const target = {
      boardId,
      investmentShare: 0.3,
      tolerance: 0.05,
      effectiveFrom: "2026-10-01",
      reason: "Q4 review",
      requestId: "req-0001-abcd",
    };
    const refused = await runResolver("target/append", target, inPay, portsFor(viewer, store));
    expect(refused.ok ? "" : refused.error.message).toBe(
      "Only administrators of PAY can change its targets and settings. Ask one of them.",
    );
    expect(await store.listByPrefix(storeKeys.targetPrefix(String(boardId)))).toEqual([]);

    const first = await runResolver("target/append", target, inPay, portsFor(admin, store));
    const again = await runResolver("target/append", target, inPay, portsFor(admin, store));
    expect(again).toEqual(first);
    const listed = await runResolver("target/list", { boardId }, inPay, portsFor(viewer, store));
    expect(listed.ok && (listed.data as { entries: unknown[] }).entries).toHaveLength(1);
  });

  it("classifies as the user: labels swap, other labels stay, a repeat changes nothing", async () => {
    const issue = [...fake.site.issuesByKey.values()].find(
      (i) => i.key.startsWith("PAY-") && i.labels.length === 0,
    );
    if (!issue) throw new Error("no unlabelled PAY issue");
    issue.labels.push("customer-escalation");
    const ports = portsFor(admin);
    const payload = { boardId, issueKeys: [issue.key], category: "investment" };
    const first = await runResolver("item/classify", payload, inPay, ports);
    expect(first).toEqual({
      ok: true,
      data: [
        {
          issueKey: issue.key,
          changed: true,
          labels: ["customer-escalation", "capacity-investment"],
        },
      ],
    });
    const second = await runResolver("item/classify", payload, inPay, ports);
    expect(second.ok && second.data).toEqual([
      {
        issueKey: issue.key,
        changed: false,
        labels: ["customer-escalation", "capacity-investment"],
      },
    ]);
    const view = await runResolver("item/get", { boardId, issueKey: issue.key }, inPay, ports);
    expect(view.ok && (view.data as { item: { source: string } }).item.source).toBe("explicit");

    const denied = await runResolver(
      "item/classify",
      { ...payload, category: "roadmap" },
      inPay,
      portsFor(reader),
    );
    expect(denied.ok ? "" : denied.error.code).toBe("FORBIDDEN");
    expect(issue.labels).toEqual(["customer-escalation", "capacity-investment"]);
  });
});
