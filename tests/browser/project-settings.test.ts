/**
 * Project settings as a person uses them, in Chromium against the self-hosted server on a fresh
 * demo store: the form starts from the target in force, a back-dated target names the closed
 * periods it re-judges and is declared only once confirmed, an invalid pattern is marked at once,
 * leaving with edits asks first, and the page fits 400 px.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, startDemoInBrowser, resolverOf, screenshot } from "./harness";

let browser: BrowserContext;
let base: string;
const resolve = resolverOf(() => base);

const entries = z.object({
  entries: z.array(
    z.object({
      investmentShare: z.number(),
      tolerance: z.number(),
      effectiveFrom: z.string(),
      reason: z.string(),
    }),
  ),
});

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-settings-", { viewport: { width: 400, height: 800 } });
  base = demo.base;
  browser = demo.browser;
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

async function openSettings(): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}/pages/project-settings/?project=PAY&board=1`);
  await page.getByTestId("target-history").waitFor();
  return page;
}

const today = (): string => new Date().toISOString().slice(0, 10);

describe.skipIf(CHROMIUM === null)("project settings in a browser", () => {
  it("starts from the target in force, marks it in the history, and fits 400 px", async () => {
    const { entries: history } = entries.parse(await resolve("target/list", { boardId: 1 }));
    const inForce = history
      .filter((entry) => entry.effectiveFrom <= today())
      .reduce((a, b) => (b.effectiveFrom >= a.effectiveFrom ? b : a));
    const page = await openSettings();
    const percent = (share: number) => String(Math.round(share * 1000) / 10);
    await expect
      .poll(() => page.getByLabel("Investment share (%)").inputValue())
      .toBe(percent(inForce.investmentShare));
    expect(await page.getByLabel("Tolerance (± %)").inputValue()).toBe(percent(inForce.tolerance));
    const marked = page.locator('[data-testid="target-history"] tr[aria-current="true"]');
    expect(await marked.count()).toBe(1);
    expect(await marked.textContent()).toContain("In force");
    expect(await marked.textContent()).toContain(inForce.reason);
    await page.getByRole("heading", { name: "Classification rules" }).waitFor();
    const overflow = await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBe(0);
    await screenshot(page, "project-settings-400px");
  });

  it("names the closed periods a back-dated target re-judges and declares it only once confirmed", async () => {
    const before = entries.parse(await resolve("target/list", { boardId: 1 })).entries.length;
    const page = await openSettings();
    await page.getByLabel("Investment share (%)").fill("45");
    await page.getByLabel("Tolerance (± %)").fill("5");
    await page.getByLabel("Effective from").fill("2026-01-01");
    await page.getByLabel("Reason").fill("Browser test: back-dated platform push");
    await page.getByRole("button", { name: "Declare target" }).click();
    const confirm = page.getByTestId("rejudge-confirm");
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(/closed sprints? \(PAY Sprint \d+/);
    expect(await confirm.textContent()).toMatch(/closed quarters? \(2026-Q1/);
    // Nothing is declared until the person confirms.
    expect(entries.parse(await resolve("target/list", { boardId: 1 })).entries).toHaveLength(
      before,
    );
    await screenshot(page, "project-settings-backdated-confirm");
    const again = await openSettings();
    await again.getByLabel("Investment share (%)").fill("45");
    await again.getByLabel("Effective from").fill("2026-01-01");
    await again.getByLabel("Reason").fill("Browser test: back-dated platform push");
    await again.getByRole("button", { name: "Declare target" }).click();
    await again.getByRole("button", { name: "Declare and re-judge" }).click();
    await expect
      .poll(() => again.getByTestId("target-history").textContent())
      .toContain("Browser test: back-dated platform push");
    const after = entries.parse(await resolve("target/list", { boardId: 1 })).entries;
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ investmentShare: 0.45, effectiveFrom: "2026-01-01" });
    await screenshot(again, "project-settings-backdated-declared");
  });

  it("marks an invalid title pattern at once and asks before the page is left with it unsaved", async () => {
    const page = await openSettings();
    await page.getByRole("button", { name: "Add rule" }).click();
    const pattern = page.getByLabel("Rule 1 title pattern");
    await pattern.fill("(unclosed");
    await expect.poll(() => pattern.getAttribute("aria-invalid")).toBe("true");
    await expect
      .poll(() => page.getByTestId("rule-1-count").textContent())
      .toContain("not counted until this rule is fixed");

    // Leaving the page with the unsaved rule asks first (the browser's own prompt).
    const unload = page.waitForEvent("dialog");
    void page.close({ runBeforeUnload: true });
    const dialog = await unload;
    expect(dialog.type()).toBe("beforeunload");
    await dialog.accept();
  });
});
