/**
 * The triage list's states as a person meets them, in Chromium against the demo server: a reload
 * marks the stale rows and only the latest answer is shown; a bulk result appears with the list
 * and its count already read again; the rules column says something; at 400 px the list, the
 * quarter cards and the drill dialog fit the screen.
 */
import type { BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let browser: BrowserContext;
let base: string;
let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

/** The demo's board with the most unclassified work, project DATA. */
const BOARD = 6;
const resolve = resolverOf(() => base, "DATA");
const widths = z.array(z.object({ scroll: z.number(), client: z.number() }));
const triagePage = z.object({ total: z.number(), rows: z.array(z.object({ id: z.string() })) });

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-triage-states-");
  base = demo.base;
  browser = demo.browser;
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

async function openTriage(width = 1280): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: 800 });
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}/pages/project-page/?project=DATA&board=${BOARD}`);
  await page.getByTestId("triage-table").waitFor();
  return page;
}

/** Holds back the list's answers that `slow` picks by payload, so they arrive after later ones. */
async function delayList(page: Page, slow: (payload: Record<string, unknown>) => boolean) {
  await page.route("**/api/resolve/triage/list", async (route: Route) => {
    const payload = z.record(z.string(), z.unknown()).parse(route.request().postDataJSON());
    if (slow(payload)) await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
}

const keysShown = (page: Page): Promise<string[]> =>
  page.getByTestId("triage-table").locator("tbody a").allTextContents();

describe.skipIf(CHROMIUM === null)("triage states in a browser", () => {
  it("marks the rows stale while a reload runs and shows the answer to the latest request", async () => {
    const page = await openTriage();
    // The second page, asked first, answers last: its answer must not replace the sorted one.
    await delayList(page, (payload) => payload.page === 1);
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.getByTestId("triage").getAttribute("aria-busy")).toBe("true");
    await page.getByTestId("triage-loading").waitFor();
    expect(await page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);
    await page.getByTestId("triage-table").getByRole("button", { name: /Title/ }).click();

    const sorted = triagePage.parse(
      await resolve("triage/list", {
        boardId: BOARD,
        page: 0,
        pageSize: 50,
        sort: { key: "title", direction: "ascending" },
      }),
    );
    await expect.poll(() => keysShown(page)).toEqual(sorted.rows.map((row) => row.id));
    await expect.poll(() => page.getByTestId("triage").getAttribute("aria-busy")).toBe("false");
    // The delayed answer has come and gone by now: the sorted first page is still what shows.
    await page.waitForTimeout(2_000);
    expect(await keysShown(page)).toEqual(sorted.rows.map((row) => row.id));
    expect(await page.getByRole("navigation", { name: "Pages of the list" }).textContent()).toMatch(
      /Page 1 of/,
    );
    await page.close();
  }, 120_000);

  it("says what the rules would decide for each row", async () => {
    const page = await openTriage();
    const cells = page.getByTestId("triage-table").locator('td[data-label="Rules say"]');
    const texts = await cells.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toMatch(/^(No rule matches|.+ \(rule \d+\))$/);
    await page.close();
  }, 60_000);

  it("shows a bulk result only with the list and its count already read again", async () => {
    const before = triagePage.parse(await resolve("triage/list", { boardId: BOARD })).total;
    const page = await openTriage();
    const heading = page.locator("#triage-heading");
    expect(await heading.textContent()).toBe(`Triage (${before} unclassified)`);
    const boxes = page.getByTestId("triage-table").getByRole("checkbox");
    for (let index = 0; index < 3; index++) await boxes.nth(index).check();
    // Every list read after the change is slow, so a result shown before it would be seen alone.
    await delayList(page, () => true);
    await page.getByRole("button", { name: "Mark roadmap" }).click();
    const result = page.getByTestId("bulk-result");
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toBe("3 of 3 classified as roadmap.");
    expect(await heading.textContent()).toBe(`Triage (${before - 3} unclassified)`);

    await page.getByRole("button", { name: "Undo last bulk change" }).click();
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toBe("3 of 3 restored.");
    expect(await heading.textContent()).toBe(`Triage (${before} unclassified)`);
    await page.close();
  }, 120_000);

  it("fits 400 px: stacked triage rows, whole quarter cards, a drill dialog without sideways scroll", async () => {
    const page = await openTriage(400);
    const overflow = async (selector: string) =>
      widths.parse(
        await page.evaluate(
          `[...document.querySelectorAll(${JSON.stringify(selector)})].map((element) => ({
            scroll: element.scrollWidth,
            client: element.clientWidth,
          }))`,
        ),
      );
    const [pageWidth] = await overflow("html");
    if (!pageWidth) throw new Error("no page");
    expect(pageWidth.scroll).toBeLessThanOrEqual(pageWidth.client);
    const [triageWrap] = await overflow('[data-testid="triage"] .ds-table-wrap');
    expect(triageWrap?.scroll).toBeLessThanOrEqual(triageWrap?.client ?? 0);
    // Each column asked for is on screen: its cell lies inside the viewport.
    const firstRow = page.getByTestId("triage-table").locator("tbody tr").first();
    for (const label of ["Sprint", "Estimate", "Rules say", "Conflict"]) {
      const box = await firstRow.locator(`td[data-label="${label}"]`).boundingBox();
      expect(box, label).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), label).toBeLessThanOrEqual(400);
    }

    // Quarter cards: neither the id nor the status is cut or broken across lines.
    const cards = z.array(z.object({ idLines: z.number(), lozengeCut: z.boolean() })).parse(
      await page.evaluate(
        `[...document.querySelectorAll(".quarter-cards .card")].map((card) => {
          const id = card.querySelector(".card-head strong");
          const lozenge = card.querySelector(".ds-lozenge");
          return {
            idLines: id ? id.getClientRects().length : 0,
            lozengeCut: lozenge ? lozenge.scrollWidth > lozenge.clientWidth : true,
          };
        })`,
      ),
    );
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(card).toEqual({ idLines: 1, lozengeCut: false });

    await page.getByTestId("verdict-share").click();
    const dialog = page.getByTestId("drill-dialog");
    await expect.poll(() => dialog.locator("tbody tr").count()).toBeGreaterThan(0);
    const [drillWrap] = await overflow('[data-testid="drill-dialog"] .ds-table-wrap');
    expect(drillWrap?.scroll).toBeLessThanOrEqual(drillWrap?.client ?? 0);
    const dialogBox = await dialog.boundingBox();
    const row = dialog.locator("tbody tr").first();
    for (const label of ["Weight", "Why it counts"]) {
      const box = await row.locator(`td[data-label="${label}"]`).boundingBox();
      expect(box, label).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), label).toBeLessThanOrEqual(
        (dialogBox?.x ?? 0) + (dialogBox?.width ?? 0),
      );
    }
    await screenshot(page, "triage-states-400-drill");
  }, 120_000);
});
