/**
 * The issue panel as a person sees it, in Chromium against the self-hosted server on a fresh demo
 * store: the sprint the issue is in (or none), the shares every surface shows, and no jump while
 * the answer loads.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { formatPercent } from "../../src/domain/percent";
import { start } from "../../src/server/main";
import { SqliteStore } from "../../src/store/sqlite/index";
import { readWorkspaceFile } from "../../src/server/workspace-board-source";
import { CHROMIUM, launchBrowser, resolverOf, screenshot } from "./harness";

let dir: string;
let dataFile: string;
let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let base: string;
const resolve = resolverOf(() => base);

const sprints = z.object({
  teams: z.array(
    z.object({
      sprints: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          state: z.string(),
          investmentShare: z.object({
            committed: z.number().nullable(),
            delivered: z.number().nullable(),
          }),
        }),
      ),
    }),
  ),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-panel-"));
  dataFile = join(dir, "store.sqlite");
  server = await start({ port: 0, host: "127.0.0.1", dataFile, token: null });
  base = server.url.replace(/\/$/, "");
  browser = await launchBrowser(dir, { viewport: { width: 420, height: 700 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A share as the panel's bars say it. */
const share = (value: number | null) =>
  value === null
    ? "no classified work yet"
    : `investment ${formatPercent(value)} of classified work`;

async function payItems() {
  const store = new SqliteStore(dataFile);
  try {
    return ((await readWorkspaceFile(store)).items ?? []).filter((item) => item.teamId === "PAY");
  } finally {
    store.close();
  }
}

async function openPanel(key: string, delayMs = 0): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  if (delayMs > 0) {
    await page.route("**/api/resolve/item/get", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await route.continue();
    });
  }
  await page.goto(`${base}/pages/issue-panel/?project=PAY&board=1&issue=${key}`);
  return page;
}

describe.skipIf(CHROMIUM === null)("the issue panel in a browser", () => {
  it("says a backlog issue is in no sprint, while the board has an active one", async () => {
    const report = sprints.parse(await resolve("report/get", { boardId: 1 }));
    const open = new Set(
      report.teams[0]?.sprints.filter((s) => s.state !== "closed").map((s) => s.id),
    );
    expect(report.teams[0]?.sprints.some((s) => s.state === "active")).toBe(true);
    const backlog = (await payItems()).find(
      (item) => item.status === "todo" && !(item.sprintIds ?? []).some((id) => open.has(id)),
    );
    expect(backlog, "a PAY issue in the backlog").toBeDefined();
    const page = await openPanel(backlog?.id ?? "");
    const section = page.getByTestId("sprint-split");
    // Never in a sprint, or left in the backlog when its last sprint closed unfinished.
    await expect
      .poll(() => section.textContent())
      .toMatch((backlog?.sprintIds ?? []).length === 0 ? /Not in a sprint/ : /^Backlog, last in /);
    expect(await section.textContent()).not.toMatch(/active/);
    await screenshot(page, "issue-panel-backlog");
  });

  it("shows the active sprint's committed and delivered-so-far shares as the report has them, without a jump", async () => {
    const report = sprints.parse(await resolve("report/get", { boardId: 1 }));
    const active = report.teams[0]?.sprints.find((s) => s.state === "active");
    if (!active) throw new Error("no active PAY sprint in the demo");
    const issue = (await payItems()).find((item) => (item.sprintIds ?? []).includes(active.id));
    expect(issue, "a PAY issue in the active sprint").toBeDefined();

    const page = await openPanel(issue?.id ?? "", 1_500);
    const heading = page.getByRole("heading", { name: "Sprint" });
    await heading.waitFor();
    const loadingBox = await heading.boundingBox();
    const committed = page.getByTestId("committed-split");
    await committed.waitFor();
    // The heading stays where it was painted; the sections below it only fill their room.
    expect(await heading.boundingBox()).toEqual(loadingBox);

    expect(await committed.textContent()).toContain(share(active.investmentShare.committed));
    expect(await page.getByTestId("delivered-split").textContent()).toContain(
      share(active.investmentShare.delivered),
    );
    expect(await page.getByTestId("sprint-split").textContent()).toContain(active.name);
    await screenshot(page, "issue-panel-active-sprint");
  });

  it("shows a closed sprint's final shares and its flags for an issue finished in it, as the report has them", async () => {
    const report = sprints.parse(await resolve("report/get", { boardId: 1 }));
    const closed = new Set(
      report.teams[0]?.sprints.filter((s) => s.state === "closed").map((s) => s.id),
    );
    const done = (await payItems()).find(
      (item) =>
        item.status === "done" &&
        (item.sprintIds ?? []).length > 0 &&
        (item.sprintIds ?? []).every((id) => closed.has(id)),
    );
    if (!done) throw new Error("no PAY issue done in a closed sprint in the demo");
    const answer = z
      .object({
        sprint: z.object({ id: z.string(), state: z.string() }),
        sprintFlags: z.array(z.object({ message: z.string() })),
      })
      .parse(await resolve("item/get", { boardId: 1, issueKey: done.id }));
    expect(answer.sprint.state).toBe("closed");
    const sprint = report.teams[0]?.sprints.find((s) => s.id === answer.sprint.id);
    if (!sprint) throw new Error(`sprint ${answer.sprint.id} is not in the report`);

    const page = await openPanel(done.id);
    const delivered = page.getByTestId("delivered-split");
    await delivered.waitFor();
    expect(await delivered.textContent()).toContain(share(sprint.investmentShare.delivered));
    expect(await page.getByTestId("committed-split").textContent()).toContain(
      share(sprint.investmentShare.committed),
    );
    const section = (await page.getByTestId("sprint-split").textContent()) ?? "";
    expect(section).toContain(`${sprint.name} (closed)`);
    expect(section).not.toContain("so far");
    for (const flag of answer.sprintFlags) expect(section).toContain(flag.message);
    if (answer.sprintFlags.length === 0) expect(section).toContain("No flags on this sprint.");
    await screenshot(page, "issue-panel-closed-sprint");
  });
});
