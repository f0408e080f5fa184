/**
 * In Debian's Chromium, the company page and the admin page as the Jira app serves them: resolvers
 * with Jira (the fake, over loopback) and what the app's Linear sync keeps (the fake Linear), served
 * by the self-hosted server's HTTP host. A Linear team's share opens its issues, each linked to
 * Linear and its title shown as text; the admin page chooses who sees a Linear team.
 * Screenshots go under test-output/.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LinearAdminPort } from "../../src/app/linear-admin";
import type { OrgOverview } from "../../src/app/org-overview";
import { runResolver, type ResolverPorts } from "../../src/app/resolvers";
import { createAppServer } from "../../src/server/http-server";
import { MemoryStore, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { FAKE_ORGANIZATION } from "../fakes/linear/index";
import { useFakeJira, useFakeLinear } from "../helpers/fake-trackers";
import { fakeLinearConnect, syncJiraAppSite } from "../helpers/jira-app-site";
import { clientFor } from "../jira/helpers";
import { CHROMIUM, launchBrowser, screenshot } from "./harness";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const HOSTILE_TITLE = `<img src=x onerror="window.__pwned=1">\u202Eevil`;

let dir: string;
let browser: BrowserContext;
const demo = generateDemoWorkspace(NOW);
const linear = useFakeLinear({ workspace: demo });
const jira = useFakeJira({ workspace: demo, now: NOW, boards: [{ teamId: "PAY" }] });
let base: string;
let ports: ResolverPorts;
let server: Server | undefined;

beforeAll(async () => {
  if (CHROMIUM === null) return;
  const store = new MemoryStore();
  const outcome = await syncJiraAppSite(store, { jira, linear, teamKeys: ["GRO"], now: NOW });
  if (!outcome.ok) throw new Error(outcome.message);
  // A title as anyone in Linear may type it: markup and a bidirectional override.
  const kept = (await store.get(storeKeys.linearOrgDrill("GRO"))) as {
    workspace: { items: { teamId: string; title: string }[] };
  };
  for (const item of kept.workspace.items) {
    if (item.teamId === "GRO") item.title = HOSTILE_TITLE;
  }
  await store.set(storeKeys.linearOrgDrill("GRO"), kept);

  const siteAdmin: LinearAdminPort = {
    connect: fakeLinearConnect(linear),
    webhookUrl: () => Promise.resolve(null),
    syncNow: () => Promise.resolve({ ok: true, message: "queued" }),
    isAdmin: () => Promise.resolve(true),
  };
  ports = { jira: clientFor(jira).client, store, now: () => NOW, linear: siteAdmin };
  server = createAppServer({ ports, token: null });
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), "capacity-company-linear-"));
  browser = await launchBrowser(dir, { viewport: { width: 1200, height: 900 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((done) => server?.close(done));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}${path}`);
  return page;
}

describe.skipIf(CHROMIUM === null)("a Linear team on the Jira company page", () => {
  it("its share opens its issues, each a link to Linear, titles shown as text", async () => {
    const answer = await runResolver("org/get", {}, { accountId: "a", projectKey: null }, ports);
    if (!answer.ok) throw new Error(answer.error.message);
    const growth = (answer.data as OrgOverview).teams.find((team) => team.key === "linear:GRO");
    if (growth === undefined) throw new Error("GRO is not on the company page");

    const page = await openPage("/");
    const row = page.getByTestId("org-teams").locator("tbody tr", { hasText: growth.name });
    const number = row.getByTestId("drill-number").first();
    await number.waitFor({ timeout: 60_000 });
    await number.click();

    const dialog = page.getByTestId("drill-dialog");
    const rows = dialog.getByTestId("drill-rows").locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const links = dialog.getByTestId("drill-rows").locator("tbody a");
    const hrefs: (string | null)[] = [];
    for (let index = 0; index < (await links.count()); index++) {
      hrefs.push(await links.nth(index).getAttribute("href"));
    }
    expect(hrefs.length).toBe(await rows.count());
    for (const href of hrefs) {
      expect(href).toMatch(
        new RegExp(`^https://linear\\.app/${FAKE_ORGANIZATION.urlKey}/issue/GRO-\\d+$`),
      );
    }
    expect(await links.first().getAttribute("target")).toBe("_blank");
    // The title is text: no element made of it, nothing of it run.
    expect(await dialog.innerText()).toContain("<img src=x");
    expect(await dialog.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, "company-linear-drill");
    await page.close();
  }, 180_000);

  it("the admin page chooses which Jira project's browsers see it, and refuses one that does not exist", async () => {
    const page = await openPage("/pages/admin-page/");
    const section = page.getByTestId("access-section");
    await section.waitFor({ timeout: 60_000 });
    expect(await section.innerText()).toContain("Now: Jira administrators only.");
    const field = section.getByTestId("access-GRO");

    await field.fill("NOPE");
    await section.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => section.innerText(), { timeout: 30_000 })
      .toContain("no project NOPE that you can see");
    expect(await ports.store.get(storeKeys.linearOrgAccess())).toBeUndefined();

    await field.fill("pay");
    await section.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => section.innerText(), { timeout: 30_000 })
      .toContain("Now: people who may browse PAY.");
    expect(await ports.store.get(storeKeys.linearOrgAccess())).toMatchObject({
      GRO: { projectKey: "PAY" },
    });
    await screenshot(page, "admin-page-linear-access");
    await page.close();
  }, 120_000);
});
