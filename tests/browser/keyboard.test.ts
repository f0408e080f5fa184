/**
 * The pages with the keyboard alone, in Chromium against a fresh demo store: a number, a flag, a
 * sprint and a quarter each open the issues behind them with Enter or Space, the dialog keeps
 * focus inside and Escape gives it back to what opened it, a table sorts from its header, triage
 * selects and classifies, and a back-dated target is declared and confirmed; each result is
 * announced in a live region. On every page, each stop of the Tab order shows a focus ring.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, screenshot, startDemoInBrowser } from "./harness";
import { drillAndReturn, focused, tabTo } from "./keys";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-keyboard-");
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

/** One stop of the Tab order: what it is, and whether its ring shows and differs from unfocused. */
const ringStop = z.object({
  at: z.string(),
  ring: z.string().nullable(),
  unchanged: z.string().nullable(),
});

/**
 * Where focus is and the focus ring it shows: a drawn outline or a box shadow, in the computed
 * style. The element left by the previous Tab is read again, unfocused: a ring it draws anyway
 * is no sign of focus.
 */
const READ_RING = `(() => {
  const paint = (element) => {
    const style = getComputedStyle(element);
    const outline =
      style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1
        ? "outline " + style.outlineStyle + " " + style.outlineWidth + " " + style.outlineColor
        : null;
    const shadow = style.boxShadow !== "none" ? "shadow " + style.boxShadow : null;
    return [outline, shadow].filter(Boolean).join(", ") || null;
  };
  const previous = window.__ringStop;
  const unchanged =
    previous && previous.ring !== null && previous.element !== document.activeElement &&
    paint(previous.element) === previous.ring
      ? previous.at
      : null;
  const element = document.activeElement;
  if (!element || element === document.body) {
    window.__ringStop = undefined;
    return { at: "body", ring: null, unchanged };
  }
  const name = element.getAttribute("aria-label") ?? element.textContent ?? "";
  const at =
    element.tagName.toLowerCase() +
    (element.getAttribute("type") ? "[type=" + element.getAttribute("type") + "]" : "") +
    (element.className && typeof element.className === "string" ? "." + element.className.split(" ")[0] : "") +
    ' "' + name.trim().replace(/\\s+/g, " ").slice(0, 40) + '"';
  const ring = paint(element);
  window.__ringStop = { element, ring, at };
  return { at, ring, unchanged };
})()`;

/**
 * Tabs through the whole page, and back into it from the top, and returns each stop that showed
 * no focus ring, or the same ring when it had lost focus; `stops` counts the stops visited.
 */
async function ringlessStops(page: Page, limit = 400): Promise<{ stops: number; lines: string[] }> {
  const lines: string[] = [];
  let stops = 0;
  let first: string | null = null;
  for (let press = 0; press < limit; press++) {
    await page.keyboard.press("Tab");
    const stop = ringStop.parse(await page.evaluate(READ_RING));
    if (stop.unchanged !== null)
      lines.push(`${stop.unchanged}: its ring stays when it loses focus`);
    // Out of the page at its end, or at once on a page that has nothing to focus.
    if (stop.at === "body") {
      if (stops > 0 || press > 1) return { stops, lines };
      continue;
    }
    if (stop.at === first) return { stops, lines };
    first ??= stop.at;
    stops++;
    if (stop.ring === null) lines.push(`${stop.at}: no focus ring`);
  }
  throw new Error(
    `${limit} presses of Tab on ${page.url()} never came round; focus is on ${await focused(page)}`,
  );
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
    expect(sprint).toMatch(/^\d+ issues?( behind it|, \d+ entries)/);
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

  it("shows a focus ring on every stop of the Tab order, on every page and in a dialog", async () => {
    if (!demo) throw new Error("no demo server");
    const pages = [
      { name: "org page", path: "/", ready: "org-teams" },
      {
        name: "project page",
        path: "/pages/project-page/?project=PAY&board=1",
        ready: "triage-table",
      },
      {
        name: "project settings",
        path: "/pages/project-settings/?project=PAY&board=1",
        ready: "target-history",
      },
      {
        name: "issue panel",
        path: "/pages/issue-panel/?project=PAY&board=1&issue=PAY-2104",
        ready: null,
      },
      {
        name: "issue context",
        path: "/pages/issue-context/?project=PAY&board=1&issue=PAY-2104",
        ready: null,
      },
      { name: "admin page", path: "/pages/admin-page/", ready: "connection-state" },
      { name: "gadget", path: "/pages/gadget/", ready: "gadget-verdict" },
      { name: "gadget configuration", path: "/pages/gadget/?entryPoint=edit", ready: null },
      { name: "board list", path: "/boards", ready: null },
    ] as const;
    const found: string[] = [];
    for (const { name, path, ready } of pages) {
      const page = await demo.browser.newPage();
      page.on("pageerror", (error) => console.error(error));
      await page.goto(`${demo.base}${path}`);
      if (ready !== null) await page.getByTestId(ready).waitFor({ timeout: 60_000 });
      await page.waitForLoadState("networkidle");
      await expect
        .poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 60_000 })
        .toBe(0);
      const { stops, lines } = await ringlessStops(page);
      if (name !== "issue context") expect(stops, `${name}: Tab stops`).toBeGreaterThan(0);
      found.push(...lines.map((line) => `${name}: ${line}`));
      if (name === "project page") {
        // Inside the drill-down dialog, which keeps the Tab order to itself.
        await page.getByTestId("verdict-share").click();
        await page.getByTestId("drill-rows").waitFor();
        const dialog = await ringlessStops(page);
        expect(dialog.stops, "drill dialog: Tab stops").toBeGreaterThan(1);
        found.push(...dialog.lines.map((line) => `drill dialog: ${line}`));
      }
      await page.close();
    }
    expect(found, found.join("\n")).toEqual([]);
  }, 240_000);
});
