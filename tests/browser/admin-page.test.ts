/**
 * The admin page in Debian's Chromium, against the self-hosted server's HTTP host wired to the fake
 * Linear over loopback: a person connects a key, picks a team, saves, syncs, and reads the result.
 * Screenshots go under test-output/.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getLinearSettings, type LinearAdminPort } from "../../src/app/linear-admin";
import { runConfiguredLinearSync } from "../../src/app/linear-host";
import { connectLinear } from "../../src/linear/index";
import { waitingMessage } from "../../src/app/linear-sync";
import type { ResolverPorts } from "../../src/app/resolvers";
import { listOrgTargets } from "../../src/app/targets";
import { createAppServer } from "../../src/server/http-server";
import { start } from "../../src/server/main";
import { seedDemoWorkspace, workspaceBoardSource } from "../../src/server/workspace-board-source";
import { MemoryStore, secretKeys, storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import {
  FAKE_APP_USER,
  FAKE_ORGANIZATION,
  startFakeLinear,
  type FakeLinear,
} from "../fakes/linear/index";
import { CHROMIUM, launchBrowser, OUTPUT, screenshot } from "./harness";

let dir: string;
let fake: FakeLinear;
let browser: BrowserContext;
const servers: Server[] = [];
const background: Promise<unknown>[] = [];

/**
 * The port a host wires: a client per key against the fake, and the configured sync. `queued`
 * answers before the sync has run, as Forge does when it hands the run to its queue.
 */
function linearPort(store: MemoryStore, options: { queued?: boolean } = {}): LinearAdminPort {
  const connect = (apiKey: string) => connectLinear({ apiKey, apiUrl: fake.url });
  return {
    connect,
    webhookUrl: () => Promise.resolve("http://127.0.0.1:3000/webhooks/linear"),
    isAdmin: () => Promise.resolve(true),
    syncNow: async () => {
      const run = runConfiguredLinearSync({ store, now: Date.now, connect });
      if (options.queued) {
        background.push(run);
        return {
          ok: true,
          message: "A sync is queued; the last sync below changes when it has run.",
        };
      }
      const outcome = await run;
      return { ok: outcome.ok, message: outcome.message };
    },
  };
}

async function serve(ports: ResolverPorts): Promise<string> {
  const server = createAppServer({ ports, token: null });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function demoStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await seedDemoWorkspace(store, Date.now());
  return store;
}

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-admin-"));
  fake = await startFakeLinear({ workspace: generateDemoWorkspace(Date.now()) });
  browser = await launchBrowser(dir, { viewport: { width: 1000, height: 900 } });
}, 120_000);

afterAll(async () => {
  await Promise.all(background);
  await browser?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(CHROMIUM === null)("the admin page in a browser", () => {
  it("connects a Linear key, saves a team, syncs now and shows the last sync", async () => {
    const store = await demoStore();
    const now = (): number => Date.now();
    const base = await serve({
      boards: workspaceBoardSource(store, now),
      store,
      now,
      linear: linearPort(store),
    });
    const page = await openPage(`${base}/pages/admin-page/`);
    const state = page.getByTestId("connection-state");
    await expect.poll(() => state.textContent()).toContain("Not connected");

    await page.getByLabel("Linear API key").fill("lin_api_not-a-real-key");
    await page.getByRole("button", { name: "Connect" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Linear refused");
    expect(await store.getSecret(secretKeys.linearApiKey)).toBeUndefined();

    await page.getByLabel("Linear API key").fill(fake.apiKey);
    await page.getByLabel("Linear API key").press("Enter");
    await expect.poll(() => state.textContent()).toContain(`…${fake.apiKey.slice(-4)}`);
    expect(await page.getByLabel("Linear API key").inputValue()).toBe("");
    expect(await page.content()).not.toContain(fake.apiKey);

    await page.getByLabel("Webhook signing secret").fill("lin_wh_browser-test");
    await page.getByRole("button", { name: "Save secret" }).click();
    await expect.poll(() => page.getByText("A signing secret is saved").count()).toBe(1);

    await page.getByLabel("Growth (GRO)").check();
    expect(
      await page.getByRole("switch", { name: "Write categories back as labels" }).isChecked(),
    ).toBe(false);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByText("The sync covers GRO.").count()).toBe(1);
    expect(await getLinearSettings(store)).toEqual({
      teamKeys: ["GRO"],
      publish: true,
      writeBack: false,
    });

    await page.getByRole("button", { name: "Sync now" }).click();
    const last = page.getByTestId("last-sync");
    await expect.poll(() => last.textContent(), { timeout: 30_000 }).toContain("Succeeded");
    const text = (await last.textContent()) ?? "";
    expect(text).toContain("GRO");
    expect(text).toContain('project "Capacity split · Growth"');
    expect(fake.data.projects.map((project) => project.name)).toContain("Capacity split · Growth");
    expect(await store.get(storeKeys.linearLastSync())).toMatchObject({ ok: true, teams: ["GRO"] });
    await screenshot(page, "admin-page-linear-sync");
  }, 60_000);

  it("a queued sync (as inside Jira) shows its result once it has run", async () => {
    const store = await demoStore();
    const now = (): number => Date.now();
    const base = await serve({
      boards: workspaceBoardSource(store, now),
      store,
      now,
      linear: linearPort(store, { queued: true }),
    });
    const page = await openPage(`${base}/pages/admin-page/`);
    await page.getByLabel("Linear API key").fill(fake.apiKey);
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByLabel("Data (DATA)").check();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByText("The sync covers DATA.").count()).toBe(1);
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => page.getByText("A sync is queued").count()).toBe(1);
    const last = page.getByTestId("last-sync");
    await expect.poll(() => last.textContent(), { timeout: 30_000 }).toContain("Succeeded");
    expect(await last.textContent()).toContain('project "Capacity split · Data"');
    await screenshot(page, "admin-page-queued-sync");
  }, 60_000);

  it("shows a sync paused by Linear's rate limit as paused, with when it continues", async () => {
    const store = await demoStore();
    await store.setSecret(secretKeys.linearApiKey, fake.apiKey);
    await store.set(storeKeys.linearLastSync(), {
      at: "2026-11-24T09:00:00.000Z",
      ok: true,
      message: waitingMessage("2026-11-24T09:40:00.000Z"),
      teams: ["GRO"],
      changes: [],
      continuesAt: "2026-11-24T09:40:00.000Z",
    });
    const now = (): number => Date.now();
    const base = await serve({
      boards: workspaceBoardSource(store, now),
      store,
      now,
      linear: linearPort(store),
    });
    const page = await openPage(`${base}/pages/admin-page/`);
    const last = page.getByTestId("last-sync");
    await expect.poll(() => last.textContent()).toContain("Paused until 2026-11-24 09:40");
    expect(await last.textContent()).not.toContain("Succeeded");
    await page.close();
  });

  it("declares a company target and shows it in the history, with who and why", async () => {
    const store = await demoStore();
    const now = (): number => Date.now();
    const base = await serve({
      boards: workspaceBoardSource(store, now),
      store,
      now,
      linear: linearPort(store),
    });
    const page = await openPage(`${base}/pages/admin-page/`);
    // The demo's own company target is listed first.
    const history = page.getByTestId("org-target-history");
    await expect.poll(() => history.locator("tbody tr").count()).toBe(1);
    expect(await history.innerText()).toContain("Company split agreed by the CTO and CPO");
    await page.getByLabel("Investment share (%)").fill("35");
    await page.getByLabel("Tolerance (± %)").fill("4");
    await page.getByLabel("Effective from").fill("2026-01-01");
    await page.getByLabel("Reason").fill("<b>Agreed</b> at the offsite");
    await page.getByRole("button", { name: "Declare company target" }).click();
    await expect.poll(() => history.locator("tbody tr").count()).toBe(2);
    const row = await history.locator("tbody tr", { hasText: "offsite" }).innerText();
    expect(row).toContain("2026-01-01");
    expect(row).toContain("35%");
    expect(row).toContain("<b>Agreed</b> at the offsite");
    expect(row).toContain("local-user");
    const { entries } = await listOrgTargets(store);
    expect(entries).toMatchObject([
      { teamId: null, investmentShare: 0.45, tolerance: 0.05 },
      { teamId: null, investmentShare: 0.35, tolerance: 0.04, effectiveFrom: "2026-01-01" },
    ]);
    await screenshot(page, "admin-page-company-target");
    await page.close();
  });

  it("says that Linear is not configured when the host wired no Linear", async () => {
    const store = await demoStore();
    const now = (): number => Date.now();
    const base = await serve({ boards: workspaceBoardSource(store, now), store, now });
    const page = await openPage(`${base}/pages/admin-page/`);
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain("Linear is not configured on this host");
    expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Sync now" }).count()).toBe(0);
    await screenshot(page, "admin-page-no-linear");
  });
});

describe.skipIf(CHROMIUM === null)("Connect Linear on the self-hosted server, in a browser", () => {
  it("opens Linear's approval, comes back connected as the app, and disconnects", async () => {
    const client = { clientId: "capacity-split-browser", clientSecret: "browser-secret-0000" };
    const linear = await startFakeLinear({
      workspace: generateDemoWorkspace(Date.now()),
      seed: { now: Date.now(), teams: ["DATA"] },
      oauth: client,
    });
    const server = await start({
      port: 0,
      host: "127.0.0.1",
      dataFile: join(dir, "oauth.sqlite"),
      token: null,
      syncEveryMs: 0,
      source: {
        kind: "linear",
        teamKeys: [],
        apiKey: null,
        apiUrl: linear.url,
        oauth: {
          ...client,
          authorizeUrl: `${linear.origin}/oauth/authorize`,
          tokenUrl: `${linear.origin}/oauth/token`,
          revokeUrl: `${linear.origin}/oauth/revoke`,
        },
      },
    });
    try {
      const page = await openPage(`${server.url.replace(/\/$/, "")}/pages/admin-page/`);
      const state = page.getByTestId("connection-state");
      await expect.poll(() => state.textContent()).toContain("Not connected: connect Linear");

      // Linear's approval opens in a tab of its own; the fake approves at once and sends the
      // browser back to the server's callback.
      const approval = browser.waitForEvent("page");
      await page.getByRole("button", { name: "Connect Linear" }).click();
      const tab = await approval;
      await tab.waitForLoadState();
      await expect.poll(() => tab.textContent("body")).toContain("Linear is connected");
      await tab.close();

      await expect
        .poll(() => state.textContent(), { timeout: 20_000 })
        .toBe(
          `Connected as the app ${FAKE_APP_USER.name} in the ${FAKE_ORGANIZATION.name} workspace: what the sync writes shows as the app.`,
        );
      expect(
        await page.getByRole("status").filter({ hasText: "Linear is connected." }).count(),
      ).toBe(1);
      expect(await page.getByLabel("Data (DATA)").count()).toBe(1);
      expect(linear.tokenRequests()).toEqual(["authorization_code"]);
      await page.screenshot({ path: join(OUTPUT, "admin-page-linear-connected-as-app.png") });

      await page.getByRole("button", { name: "Disconnect" }).click();
      await expect.poll(() => state.textContent()).toContain("Not connected");
      expect(linear.tokenRequests().at(-1)).toBe("revoke");
      await screenshot(page, "admin-page-linear-disconnected");
    } finally {
      await server.close();
      await linear.close();
    }
  }, 90_000);

  it("on the demo, says plainly that Linear cannot be connected, at once", async () => {
    const server = await start({
      port: 0,
      host: "127.0.0.1",
      dataFile: join(dir, "demo.sqlite"),
      token: null,
      syncEveryMs: 0,
      source: { kind: "demo" },
    });
    try {
      const page = await openPage(`${server.url.replace(/\/$/, "")}/pages/admin-page/`);
      const state = page.getByTestId("connection-state");
      await expect.poll(() => state.textContent()).toContain("Linear cannot be connected here");
      expect(await state.textContent()).toContain("--linear");
      // Nothing to fill in or press that could only fail.
      expect(await page.getByLabel("Linear API key").count()).toBe(0);
      expect(await page.getByRole("button", { name: "Sync now" }).count()).toBe(0);
      expect(await page.getByRole("alert").count()).toBe(0);
      expect(await page.locator("main").textContent()).not.toMatch(/Capacity[A-Z][a-z]+[A-Z]/);
      await screenshot(page, "admin-page-linear-demo");
    } finally {
      await server.close();
    }
  }, 60_000);
});
