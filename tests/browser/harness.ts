/**
 * What every browser test shares: a Chromium installed on the machine, driven by playwright-core
 * (it downloads no browser), screenshots under test-output/, and resolver calls over the server's
 * HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { z } from "zod";
import { start, type StartOptions } from "../../src/server/main";
import { findChromium } from "./find-chromium";

const found = findChromium();
/** The browser the tests drive, or null when the machine has none (the browser tests skip). */
export const CHROMIUM = "path" in found ? found.path : null;
if ("reason" in found) console.log(`Skipped the browser tests: ${found.reason}.`);

export const OUTPUT = new URL("../../test-output/", import.meta.url).pathname;

/** A headless Chromium with its profile in `dir`, quiet: no first-run, sync or update traffic. */
export async function launchBrowser(
  dir: string,
  options: {
    readonly viewport?: { readonly width: number; readonly height: number };
    readonly colorScheme?: "light" | "dark";
  } = {},
): Promise<BrowserContext> {
  if (CHROMIUM === null) throw new Error("No Chromium to launch: see the line printed above.");
  mkdirSync(OUTPUT, { recursive: true });
  return chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: options.viewport ?? { width: 1100, height: 900 },
    ...(options.colorScheme === undefined ? {} : { colorScheme: options.colorScheme }),
  });
}

/** Saves the whole page under test-output/<name>.png and closes it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
  await page.close();
}

const envelope = z.object({ ok: z.literal(true), data: z.unknown() });

/** Calls a resolver of the server at `base` as a page of `project` does; a failure throws. */
export function resolverOf(base: () => string, project = "PAY") {
  return async (key: string, payload: unknown): Promise<unknown> => {
    const response = await fetch(`${base()}/api/resolve/${key}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-capacity-project": project },
      body: JSON.stringify(payload),
    });
    return envelope.parse(await response.json()).data;
  };
}

/**
 * The demo server on a fresh SQLite file, with a Chromium beside it: one test file's setting.
 * `now` pins the server's clock (epoch ms), so the demo and its reports are those of that moment.
 */
export function startDemoInBrowser(
  prefix: string,
  options?: Parameters<typeof launchBrowser>[1] & { readonly now?: number },
): ReturnType<typeof startServerInBrowser> {
  const now = options?.now;
  return startServerInBrowser(prefix, now === undefined ? {} : { now: () => now }, options);
}

/**
 * The server on a fresh SQLite file, showing what `server` says (a tracker it mirrors; the demo
 * by default), with a Chromium beside it.
 */
export async function startServerInBrowser(
  prefix: string,
  server: Pick<StartOptions, "source" | "syncEveryMs" | "now">,
  options?: Parameters<typeof launchBrowser>[1],
): Promise<{
  base: string;
  browser: BrowserContext;
  /** The server's SQLite file, for a test that stores what no resolver would accept. */
  dataFile: string;
  close: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dataFile = join(dir, "store.sqlite");
  const started = await start({ port: 0, host: "127.0.0.1", dataFile, token: null, ...server });
  const browser = await launchBrowser(dir, options);
  return {
    base: started.url.replace(/\/$/, ""),
    browser,
    dataFile,
    async close() {
      await browser.close();
      await started.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * On an open project page, sorts the triage list by key and selects its first two whole pages and
 * the first 20 rows of the third: 120 items. Answers the third page's checkboxes.
 */
export async function selectTriage120(page: Page): Promise<Locator> {
  const table = page.getByTestId("triage-table");
  await table.getByRole("button", { name: /Issue/ }).click();
  await page.getByRole("button", { name: "Select this page" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Select this page" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  const boxes = table.getByRole("checkbox");
  for (let index = 0; index < 20; index++) await boxes.nth(index).check();
  await expect.poll(() => page.getByTestId("selected-count").textContent()).toBe("120 selected");
  return boxes;
}

/** A new page of the demo at `path`, its script errors printed, at `width` px wide when given. */
export async function openDemoPage(
  demo: { readonly base: string; readonly browser: BrowserContext } | undefined,
  path: string,
  width?: number,
): Promise<Page> {
  if (!demo) throw new Error("The demo did not start.");
  const page = await demo.browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  if (width !== undefined) await page.setViewportSize({ width, height: 800 });
  await page.goto(`${demo.base}${path}`);
  return page;
}

/** Saves what the gadget shows from its edit view (a team's row key, or "org"), and opens its view. */
export async function showInGadget(
  demo: { readonly base: string; readonly browser: BrowserContext } | undefined,
  option: string,
): Promise<Page> {
  const page = await openDemoPage(demo, "/pages/gadget/?entryPoint=edit");
  const choice = page.getByLabel("Show the verdict of");
  await expect.poll(() => choice.locator("option").count(), { timeout: 60_000 }).toBeGreaterThan(1);
  await choice.selectOption(option);
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByTestId("gadget-verdict").waitFor({ timeout: 60_000 });
  return page;
}
