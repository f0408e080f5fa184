/**
 * The pages with the keyboard alone, in Chromium against a fresh demo store: a number, a flag, a
 * sprint and a quarter each open the issues behind them with Enter or Space, the dialog keeps
 * focus inside and Escape gives it back to what opened it, a table sorts from its header, triage
 * selects and classifies, and a back-dated target is declared and confirmed; each result is
 * announced in a live region.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, screenshot, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-keyboard-");
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

/** What has focus, as a selector-like line the assertions read: `tag#testid[data-sprint]…`. */
function focused(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return "body";
    const parts = [element.tagName.toLowerCase()];
    for (const name of ["data-testid", "data-sprint", "aria-label"]) {
      const value = element.getAttribute(name);
      if (value) parts.push("[" + name + "=" + value + "]");
    }
    if (element.closest("dialog")) parts.push(" in dialog");
    parts.push(" " + (element.textContent ?? "").trim().slice(0, 40));
    return parts.join("");
  })()`);
}

/** Presses Tab (or Shift+Tab) until what has focus matches `selector`; fails after `limit` presses. */
async function tabTo(page: Page, selector: string, backwards = false, limit = 80): Promise<void> {
  for (let press = 0; press < limit; press++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const matches = await page.evaluate(
      `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`,
    );
    if (matches === true) return;
  }
  throw new Error(
    `${limit} presses of Tab never reached ${selector}; focus is on ${await focused(page)}`,
  );
}

/** Opens the drill-down from what has focus with `key`, checks the trap and closes with Escape. */
async function drillAndReturn(page: Page, key: "Enter" | " "): Promise<string> {
  const opener = await focused(page);
  await page.keyboard.press(key === " " ? "Space" : key);
  const dialog = page.getByTestId("drill-dialog");
  await dialog.waitFor();
  const announced = page.getByTestId("drill-announcer");
  await expect.poll(() => announced.textContent()).toMatch(/^\d+ issues? behind it\.$/);
  // Focus starts inside the modal dialog and stays there however far a person tabs.
  expect(await focused(page)).toContain(" in dialog");
  for (let press = 0; press < 12; press++) {
    await page.keyboard.press("Tab");
    expect(await focused(page), `after ${press + 1} Tab presses`).toContain(" in dialog");
  }
  const text = (await announced.textContent()) ?? "";
  await page.keyboard.press("Escape");
  await expect.poll(() => dialog.count()).toBe(0);
  expect(await focused(page)).toBe(opener);
  return text;
}

/** Opens a page of the PAY board and waits for the part named `ready`. */
async function openPage(name: string, ready: string): Promise<Page> {
  if (!demo) throw new Error("no demo server");
  const page = await demo.browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${demo.base}/pages/${name}/?project=PAY&board=1`);
  await page.getByTestId(ready).waitFor({ timeout: 60_000 });
  return page;
}

describe.skipIf(CHROMIUM === null)("the pages by keyboard", () => {
  it("drills from a number, a flag, a sprint and a quarter, sorts, selects and classifies", async () => {
    const page = await openPage("project-page", "triage-table");

    // The verdict's number, with Enter.
    await tabTo(page, '[data-testid="verdict-share"]');
    await drillAndReturn(page, "Enter");
    // The worst open flag, with Space.
    await tabTo(page, '[data-testid="open-flags"] button');
    await drillAndReturn(page, " ");
    // The active sprint in the chart (an SVG group acting as a button), with Space.
    await tabTo(page, "g.chart-active[data-sprint]");
    const sprint = await drillAndReturn(page, " ");
    expect(sprint).toMatch(/issues? behind it/);
    // A quarter card, with Enter.
    await tabTo(page, ".card-button");
    await drillAndReturn(page, "Enter");

    // Triage: sort by key from the header, descending on a second press.
    const table = page.getByTestId("triage-table");
    await tabTo(page, '[data-testid="triage-table"] th button');
    expect(await focused(page)).toContain("Issue");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => table.getByRole("columnheader", { name: /Issue/ }).getAttribute("aria-sort"))
      .toBe("ascending");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => table.getByRole("columnheader", { name: /Issue/ }).getAttribute("aria-sort"))
      .toBe("descending");
    const keys = await table.locator("tbody a").allTextContents();
    const numbers = keys.map((key) => Number(key.split("-")[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

    // Select the first two items with Space; the count is a live region.
    await tabTo(page, '[data-testid="triage-table"] input[type="checkbox"]');
    const first = (await focused(page)).match(/aria-label=Select (\S+)\]/)?.[1] ?? "";
    expect(first).toBe(keys[0]);
    await page.keyboard.press("Space");
    await tabTo(page, '[data-testid="triage-table"] input[type="checkbox"]');
    await page.keyboard.press("Space");
    const count = page.getByTestId("selected-count");
    await expect.poll(() => count.textContent()).toBe("2 selected");
    expect(await count.getAttribute("aria-live")).toBe("polite");

    // Back up to the bulk action and classify; the result is announced and holds the focus.
    await tabTo(page, ".ds-button-primary:not([disabled])", true);
    expect(await focused(page)).toContain("Mark investment");
    await page.keyboard.press("Enter");
    const announcer = page.getByTestId("triage-announcer");
    await expect
      .poll(() => announcer.textContent(), { timeout: 60_000 })
      .toBe("2 of 2 classified as investment.");
    expect(await announcer.getAttribute("role")).toBe("status");
    expect(await focused(page)).toContain("[data-testid=bulk-result]");
    expect(await page.getByLabel(`Select ${first}`).count()).toBe(0);
    await screenshot(page, "keyboard-triage-classified");
  }, 240_000);

  it("declares a back-dated target from the keyboard, confirming it, and hears the result", async () => {
    const page = await openPage("project-settings", "target-history");
    await expect.poll(() => page.getByLabel("Investment share (%)").isEnabled()).toBe(true);

    await tabTo(page, 'input[type="number"]');
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("45");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("5");
    // A date field takes its parts in the browser's order: month, day, year in en-US.
    await page.keyboard.press("Tab");
    await page.keyboard.type("01012026");
    // Each part of a date is a stop of its own: on to the reason, however many there are.
    await tabTo(page, 'form input[type="text"]');
    await page.keyboard.type("Keyboard: back-dated platform push");
    await page.keyboard.press("Enter");

    // The confirmation is announced and is the next stop after the form.
    const confirm = page.getByTestId("rejudge-confirm");
    await confirm.waitFor();
    expect(await confirm.getAttribute("role")).toBe("status");
    await tabTo(page, '[data-testid="rejudge-confirm"] button');
    expect(await focused(page)).toContain("Declare and re-judge");
    await page.keyboard.press("Enter");
    const notice = page.getByTestId("settings-notice");
    await expect.poll(() => notice.textContent(), { timeout: 60_000 }).toBe("Target declared.");
    expect(await notice.getAttribute("role")).toBe("status");
    // Focus does not fall back to the top of the page with the confirmation gone.
    expect(await focused(page)).toContain("[data-testid=settings-notice]");
    await expect
      .poll(() => page.getByTestId("target-history").textContent())
      .toContain("Keyboard: back-dated platform push");
    await screenshot(page, "keyboard-settings-declared");
  }, 120_000);
});
