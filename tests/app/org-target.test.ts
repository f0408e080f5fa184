import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import type { Report } from "../../src/domain/types";
import type { JiraClient } from "../../src/jira/client";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { startFakeJira, type FakeJira } from "../fakes/jira/index";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const seed = generateDemoWorkspace(NOW);
const siteAdmin = { email: "admin@example.com", token: "admin-token" };
/** Administers the projects but not the site: may set team targets, not the company's. */
const projectAdmin = {
  email: "lead@example.com",
  token: "lead-token",
  permissions: { ADMINISTER: false },
};

let fake: FakeJira;
let boardId: number;
beforeAll(async () => {
  fake = await startFakeJira({ workspace: seed, now: NOW, users: [siteAdmin, projectAdmin] });
  boardId = fake.site.boardIdOf.get("PAY") ?? 0;
});
afterAll(async () => fake.close());

function portsFor(
  user: { email: string; token: string },
  store: MemoryStore,
): ResolverPorts & { jira: JiraClient } {
  return { jira: clientFor(fake, user).client, store, now: () => NOW };
}
const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };
const target = {
  investmentShare: 0.25,
  tolerance: 0.05,
  effectiveFrom: "2026-01-01",
  reason: "Agreed by the CTO and CPO for 2026",
  requestId: "org-req-0001",
};

describe("the company target", () => {
  it("is declared by site administrators only; a refusal stores nothing", async () => {
    const store = new MemoryStore();
    const refused = await runResolver(
      "org-target/add",
      target,
      inPay,
      portsFor(projectAdmin, store),
    );
    expect(refused).toEqual({
      ok: false,
      error: {
        code: "FORBIDDEN",
        message: "Only site administrators can declare the company target. Ask one of them.",
      },
    });
    expect(await store.listByPrefix(storeKeys.orgTargetPrefix())).toEqual([]);
    const bad = await runResolver(
      "org-target/add",
      { ...target, reason: " " },
      inPay,
      portsFor(siteAdmin, store),
    );
    expect(bad.ok ? "" : bad.error.code).toBe("BAD_REQUEST");
    expect(await store.listByPrefix(storeKeys.orgTargetPrefix())).toEqual([]);
  });

  it("keeps an append-only history, and a retried add is not a second entry", async () => {
    const store = new MemoryStore();
    let at = NOW;
    const ports = { ...portsFor(siteAdmin, store), now: () => at };
    const first = await runResolver("org-target/add", target, inPay, ports);
    at += 60_000;
    const retried = await runResolver("org-target/add", target, inPay, ports);
    expect(retried).toEqual(first);
    const second = { ...target, investmentShare: 0.3, reason: "Raised", requestId: "org-req-0002" };
    await runResolver("org-target/add", second, { accountId: "acc-2", projectKey: null }, ports);
    const listed = await runResolver("org-target/list", {}, inPay, portsFor(projectAdmin, store));
    if (!listed.ok) throw new Error(listed.error.message);
    const { entries } = listed.data as { entries: Record<string, unknown>[] };
    expect(entries).toEqual([
      {
        teamId: null,
        investmentShare: 0.25,
        tolerance: 0.05,
        effectiveFrom: "2026-01-01",
        setBy: "acc-1",
        reason: "Agreed by the CTO and CPO for 2026",
        declaredAt: new Date(NOW).toISOString(),
      },
      expect.objectContaining({
        investmentShare: 0.3,
        setBy: "acc-2",
        declaredAt: new Date(NOW + 60_000).toISOString(),
      }),
    ]);
  });

  it("reaches the report's org quarters as their target", async () => {
    const store = new MemoryStore();
    const ports = portsFor(siteAdmin, store);
    const added = await runResolver("org-target/add", target, inPay, ports);
    expect(added.ok).toBe(true);
    await syncBoard(boardId, ports);
    const answer = await runResolver("report/get", { boardId }, inPay, ports);
    if (!answer.ok) throw new Error(answer.error.message);
    const report = answer.data as Report;
    const quarters = report.org.quarters.filter((quarter) => quarter.start >= "2026-01-01");
    expect(quarters.length).toBeGreaterThan(0);
    for (const quarter of quarters) {
      expect(quarter.target).toMatchObject({ investmentShare: 0.25, tolerance: 0.05 });
    }
  });

  it("sits beside the team's own settings: a Jira board's report takes its actual measure", async () => {
    const store = new MemoryStore();
    const ports = portsFor(siteAdmin, store);
    const saved = await runResolver(
      "settings/set",
      { boardId, settings: { actual: "spent" } },
      inPay,
      ports,
    );
    expect(saved.ok).toBe(true);
    await syncBoard(boardId, ports);
    const answer = await runResolver("report/get", { boardId }, inPay, ports);
    if (!answer.ok) throw new Error(answer.error.message);
    expect((answer.data as Report).teams.map((team) => team.actual)).toEqual(["spent"]);
  });
});
