/**
 * The whole company in Debian's Chromium: the server's home page is the org page Jira shows as the
 * app's global page, and the dashboard gadget shows one board's or the company's verdict. Against
 * the self-hosted server's HTTP host on a fresh demo store at a fixed moment; screenshots go under
 * test-output/.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LinearAdminPort } from "../../src/app/linear-admin";
import { computeOrgOverview } from "../../src/app/org-overview";
import { loadOrgInput } from "../../src/app/org-teams";
import type { ResolverPorts } from "../../src/app/resolvers";
import { listOrgTargets } from "../../src/app/targets";
import { formatPercent } from "../../src/domain/percent";
import type { Report } from "../../src/domain/types";
import { createAppServer } from "../../src/server/http-server";
import { seedDemoWorkspace, workspaceBoardSource } from "../../src/server/workspace-board-source";
import { MemoryStore } from "../../src/store/memory-store";
import { cli } from "../cli/run";
import { CHROMIUM, launchBrowser, screenshot } from "./harness";

const NOW = Date.parse("2026-11-24T00:00:00Z");

let dir: string;
let browser: BrowserContext;
const servers: Server[] = [];

/** The self-hosted server's person administers the site; nothing here talks to Linear. */
const siteAdmin: LinearAdminPort = {
  connect: () => {
    throw new Error("This test connects no Linear workspace.");
  },
  webhookUrl: () => Promise.resolve(null),
  syncNow: () => Promise.resolve({ ok: false, message: "No Linear here." }),
  isAdmin: () => Promise.resolve(true),
};

async function serveDemo(): Promise<{ base: string; ports: ResolverPorts }> {
  const store = new MemoryStore();
  await seedDemoWorkspace(store, NOW);
  const now = (): number => NOW;
  const ports: ResolverPorts = {
    boards: workspaceBoardSource(store, now),
    store,
    now,
    linear: siteAdmin,
  };
  const server = createAppServer({ ports, token: null });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ports };
}

async function openPage(url: string, context = browser): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-org-"));
  browser = await launchBrowser(dir, { viewport: { width: 1200, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(CHROMIUM === null)("the whole company in a browser", () => {
  it("home page: every team against its target; a declared company target shows who holds the company off it, and a team's link opens its page", async () => {
    const { base, ports } = await serveDemo();
    const printed = await cli(["report", "--demo", "--format", "json"], {
      now: new Date(NOW).toISOString(),
    });
    const report = JSON.parse(printed.stdout) as Report;

    const page = await openPage(`${base}/`);
    const rows = page.getByTestId("org-teams").locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(report.teams.length);
    // Each row: the team, and its current quarter's share on its own measure as the CLI has it.
    const texts = await rows.allInnerTexts();
    for (const team of report.teams) {
      const text = texts.find((row) => row.includes(team.name)) ?? "";
      const current = team.quarters.find((q) => q.state === "current");
      expect(text).toContain(team.name);
      expect(text).toContain(formatPercent(current?.investmentShare[team.actual] ?? null));
    }
    // The demo declares a company target it is below: the page names who holds it there, and
    // says the company's status in the project page's words for a current quarter.
    const verdict = page.getByTestId("org-verdict");
    expect(await verdict.locator("[data-status]").first().getAttribute("data-status")).toBe(
      "below-target",
    );
    expect(await verdict.innerText()).toContain("against 45% ± 5%");
    expect((await verdict.innerText()).toUpperCase()).toContain("BELOW TARGET SO FAR");
    const demoHolding = await page.getByTestId("holding-off").locator("li").allInnerTexts();
    expect(demoHolding.some((line) => line.startsWith("Payments:"))).toBe(true);
    expect(demoHolding.join("\n")).toContain("Mobile has declared no target of its own");
    expect(demoHolding.join("\n")).not.toContain("no target declared on delivered");
    // Worst first: the first row's status is critical.
    expect(await rows.first().locator("[data-status]").getAttribute("data-status")).toBe(
      "below-target",
    );
    await screenshot(page, "org-page-demo-company-target");

    // A site administrator declares the company target on the same page.
    const declaring = await openPage(`${base}/`);
    await declaring.getByLabel("Investment share (%)").fill("35");
    await declaring.getByLabel("Tolerance (± %)").fill("5");
    // The demo's own target takes effect on 2026-10-01; a later entry of the same date wins.
    await declaring.getByLabel("Effective from").fill("2026-10-01");
    await declaring.getByLabel("Reason").fill("Board review");
    await declaring.getByRole("button", { name: "Declare company target" }).click();
    const holding = declaring.getByTestId("holding-off").locator("li");
    await expect.poll(() => holding.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    // The demo's own entry, then the one declared here.
    expect((await listOrgTargets(ports.store)).entries).toHaveLength(2);

    // The teams named, in the order of their part in the gap, are the use case's.
    const expected = computeOrgOverview(await loadOrgInput(ports));
    const names = expected.holdingOff.map(
      (key) => expected.teams.find((team) => team.key === key)?.name ?? "",
    );
    expect(names.length).toBeGreaterThan(0);
    const shown = await holding.allInnerTexts();
    expect(shown.map((text) => text.split(":")[0])).toEqual(names);
    expect(await declaring.getByTestId("org-verdict").innerText()).toContain("against 35% ± 5%");
    await screenshot(declaring, "org-page-holding-off");

    // Following the first team's link opens its project page on this server.
    const following = await openPage(`${base}/`);
    const first = following.getByTestId("holding-off").locator("li a").first();
    await expect.poll(() => first.count(), { timeout: 60_000 }).toBe(1);
    const team = expected.teams.find((entry) => entry.key === expected.holdingOff[0]);
    const boardId = team?.boardId;
    await first.click();
    await following.waitForURL(/\/pages\/project-page\//);
    const url = new URL(following.url());
    expect(url.searchParams.get("board")).toBe(String(boardId));
    expect(url.searchParams.get("project")).toBe(team?.projectKey);
    await following.close();
  }, 240_000);

  it("home page in the dark theme", async () => {
    const { base } = await serveDemo();
    const dark = await launchBrowser(join(dir, "dark"), { colorScheme: "dark" });
    try {
      const page = await openPage(`${base}/`, dark);
      await expect
        .poll(() => page.getByTestId("org-teams").locator("tbody tr").count(), { timeout: 60_000 })
        .toBeGreaterThan(0);
      expect(await page.locator("html").getAttribute("data-color-mode")).toBe("dark");
      await screenshot(page, "org-page-dark");
    } finally {
      await dark.close();
    }
  }, 120_000);

  it("gadget: the edit view picks a board, the view shows its verdict; then the company's", async () => {
    const { base, ports } = await serveDemo();
    const expected = computeOrgOverview(await loadOrgInput(ports));
    const payments = expected.teams.find((team) => team.projectKey === "PAY");
    if (!payments) throw new Error("the demo has a Payments board");

    const page = await openPage(`${base}/pages/gadget/?entryPoint=edit`);
    const choice = page.getByLabel("Show the verdict of");
    await expect
      .poll(() => choice.locator("option").count(), { timeout: 60_000 })
      .toBe(expected.teams.length + 1);
    await screenshot(page, "gadget-edit");

    const editing = await openPage(`${base}/pages/gadget/?entryPoint=edit`);
    await expect
      .poll(() => editing.getByLabel("Show the verdict of").locator("option").count(), {
        timeout: 60_000,
      })
      .toBeGreaterThan(1);
    await editing.getByLabel("Show the verdict of").selectOption(payments.key);
    await editing.getByRole("button", { name: "Save" }).click();
    // Saved, the gadget shows its view.
    const verdict = editing.getByTestId("gadget-verdict");
    await expect.poll(() => verdict.count(), { timeout: 60_000 }).toBe(1);
    expect(new URL(editing.url()).searchParams.has("entryPoint")).toBe(false);
    const text = await verdict.innerText();
    expect(text).toContain("Payments");
    expect(text).toContain(formatPercent(payments.quarter?.share ?? null));
    expect(await verdict.locator("[data-status]").getAttribute("data-status")).toBe(
      payments.verdict.status,
    );
    const flags = payments.openFlags;
    expect(flags.critical + flags.warning + flags.info).toBeGreaterThan(0);
    expect(text).toContain(`${flags.critical} critical`);
    // Each open flag is listed, worst first, and opens its issues in the gadget itself.
    const listed = verdict.getByTestId("gadget-flags").locator("li");
    expect(await listed.count()).toBe(flags.critical + flags.warning + flags.info);
    expect(await listed.first().getAttribute("data-severity")).toBe(
      flags.critical > 0 ? "critical" : flags.warning > 0 ? "warning" : "info",
    );
    // The verdict's first sentence and a link to the team's page, as on the project page.
    expect(await editing.getByTestId("gadget-sentence").innerText()).toBe(payments.sentence);
    expect(text.toUpperCase()).toContain(payments.words.toUpperCase());
    expect(
      await verdict.getByRole("link", { name: "Open Payments' page" }).getAttribute("href"),
    ).toContain("project=PAY");
    await screenshot(editing, "gadget-board");

    const company = await openPage(`${base}/pages/gadget/?entryPoint=edit`);
    await expect
      .poll(() => company.getByLabel("Show the verdict of").inputValue(), { timeout: 60_000 })
      .toBe(payments.key);
    await company.getByLabel("Show the verdict of").selectOption("org");
    await company.getByRole("button", { name: "Save" }).click();
    const org = company.getByTestId("gadget-verdict");
    await expect.poll(() => org.count(), { timeout: 60_000 }).toBe(1);
    expect(await org.innerText()).toContain("The whole company");
    expect(await org.locator("[data-status]").getAttribute("data-status")).toBe(
      expected.org.verdict.status,
    );
    await screenshot(company, "gadget-company");
  }, 240_000);
});
