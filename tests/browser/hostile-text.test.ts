/**
 * Tracker text that is markup, a script address, a bidirectional override, zero-width and escape
 * characters, emoji and a 10,000-character word, in every issue title, team and sprint name and
 * label, shown by the self-hosted server's pages in Debian's Chromium: nothing runs, no element
 * comes from the text, it shows as text, no page scrolls sideways, no link leads to a script.
 * Screenshots go under test-output/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "../../src/server/main";
import { SqliteStore } from "../../src/store/sqlite/index";
import { storeKeys } from "../../src/store/index";
import { readWorkspaceFile, seedDemoWorkspace } from "../../src/server/workspace-board-source";
import { CHROMIUM, launchBrowser, screenshot } from "./harness";

const SCRIPT = "<script>window.__pwned=1</script>";
const IMG = `<img src=x onerror="window.__pwned=1">`;
const HOSTILE = [
  `${SCRIPT} a`,
  `${IMG} b`,
  "javascript:window.__pwned=1",
  "\u202Egnp.exe rtl",
  "zero\u200Bwidth\u200Djoin",
  "\u001b[31mred escape",
  "emoji 🚀👩‍💻",
  "x".repeat(10_000),
];

let dir: string;
let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let base: string;

beforeAll(async () => {
  if (CHROMIUM === null) return;
  dir = mkdtempSync(join(tmpdir(), "capacity-hostile-"));
  const dataFile = join(dir, "store.sqlite");
  const store = new SqliteStore(dataFile);
  await seedDemoWorkspace(store, Date.now());
  const file = await readWorkspaceFile(store);
  const pick = (index: number): string => HOSTILE[index % HOSTILE.length] ?? "";
  await store.set(storeKeys.workspaceFile(), {
    ...file,
    teams: file.teams.map((team, index) => ({ ...team, name: `${pick(index)} team` })),
    sprints: (file.sprints ?? []).map((sprint, index) => ({ ...sprint, name: pick(index) })),
    items: (file.items ?? []).map((item, index) => ({
      ...item,
      title: pick(index),
      labels: [...(item.labels ?? []), pick(index + 1).slice(0, 60)],
    })),
  });
  store.close();
  server = await start({ port: 0, host: "127.0.0.1", dataFile, token: null });
  base = server.url.replace(/\/$/, "");
  browser = await launchBrowser(dir, { viewport: { width: 1280, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What must hold on any page showing the hostile text. */
async function expectInert(page: Page, label: string): Promise<void> {
  expect(await page.evaluate('"__pwned" in window'), `${label}: a script ran`).toBe(false);
  const fromText = await page.evaluate(`[...document.querySelectorAll("script, img")].filter(
    (element) => element.outerHTML.includes("__pwned") || element.getAttribute("src") === "x",
  ).length`);
  expect(fromText, `${label}: an element made of tracker text`).toBe(0);
  const hrefs = await page.evaluate<string[]>(
    `[...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") ?? "")`,
  );
  for (const href of hrefs) expect(href.trim().toLowerCase()).not.toMatch(/^(javascript|data):/);
  for (const width of [1280, 400]) {
    await page.setViewportSize({ width, height: 900 });
    const [scroll, client] = await page.evaluate<[number, number]>(
      `[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]`,
    );
    expect(scroll, `${label} at ${width} px scrolls sideways`).toBeLessThanOrEqual(client);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function open(path: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}${path}`);
  await page.waitForLoadState("networkidle");
  return page;
}

describe.skipIf(CHROMIUM === null)("hostile tracker text in the pages", () => {
  it("the board list shows it as text, the override made visible", async () => {
    const page = await open("/boards");
    const text = (await page.textContent("body")) ?? "";
    expect(text).toContain(`${SCRIPT} a team`);
    expect(text).toContain("\uFFFDgnp.exe rtl");
    expect(text).not.toContain("\u202E");
    await expectInert(page, "board list");
    await screenshot(page, "hostile-boards");
  });

  it("the project page and its triage list show it as text and stay inert", async () => {
    const page = await open("/pages/project-page/?project=PAY&board=1");
    await expect.poll(async () => (await page.textContent("body")) ?? "").toContain("__pwned");
    await expectInert(page, "project page");
    await screenshot(page, "hostile-project-page");
  });

  for (const [name, path] of [
    ["settings", "/pages/project-settings/?project=PAY&board=1"],
    ["company page", "/"],
    ["gadget", "/pages/gadget/"],
  ] as const) {
    it(`the ${name} stays inert`, async () => {
      const page = await open(path);
      await expectInert(page, name);
      await page.close();
    });
  }
});
