/**
 * The triage list's filter box in Chromium, on the demo server: its visible label is its accessible
 * name, typing a word narrows the list and its count to what the backend matches, and clearing it
 * brings the whole list back. Screenshot under test-output/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, openDemoPage, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
/** The demo's board with the most unclassified work: the sixth, project DATA. */
const BOARD = 6;
const call = resolverOf(() => demo?.base ?? "", "DATA");

beforeAll(async () => {
  if (CHROMIUM === null) return;
  demo = await startDemoInBrowser("capacity-triage-filter-");
}, 120_000);
afterAll(async () => demo?.close());

/** The triage list's page size. */
const PAGE_SIZE = 50;
const LABEL = "Filter by key, title, type, status or sprint";

const listed = z.object({
  total: z.number(),
  matching: z.number(),
  keys: z.array(z.string()).optional(),
  rows: z.array(z.object({ id: z.string(), title: z.string() })),
});

/** The count the page states: "Select all N matching". */
async function matchingShown(page: Page): Promise<number> {
  const text = await page.getByRole("button", { name: /^Select all [\d,]+ matching$/ }).innerText();
  return Number(text.replace(/[^\d]/g, ""));
}

/** The keys of the rows on the page, once the list is not loading. */
async function rowKeys(page: Page): Promise<string[]> {
  await expect.poll(() => page.getByTestId("triage-loading").count()).toBe(0);
  return page.getByTestId("triage-table").locator("tbody tr a").allInnerTexts();
}

describe.skipIf(CHROMIUM === null)("the triage filter", () => {
  it("is named by its visible label, narrows the list and the count, and clearing it restores them", async () => {
    const all = listed.parse(await call("triage/list", { boardId: BOARD, keys: true }));
    expect(all.total).toBeGreaterThan(50);

    const page = await openDemoPage(demo, `/pages/project-page/?project=DATA&board=${BOARD}`);
    await page.getByTestId("triage-table").waitFor({ timeout: 60_000 });
    const box = page.getByRole("searchbox", { name: LABEL, exact: true });
    // The label is on screen, and it names the box: clicking its words puts the caret in the box.
    const label = page.locator("label", { hasText: LABEL });
    expect(await label.isVisible()).toBe(true);
    expect(await box.isVisible()).toBe(true);
    await label.getByText(LABEL).click();
    await expect
      .poll(() => page.evaluate("document.activeElement?.getAttribute('type')"))
      .toBe("search");

    const firstKeys = await rowKeys(page);
    expect(await matchingShown(page)).toBe(all.matching);

    // A word of one title that not every title has: the backend's match is what the page shows.
    const words = all.rows.flatMap((row) => row.title.split(/\s+/)).filter((w) => w.length > 4);
    let word = "";
    let narrowed: z.infer<typeof listed> | null = null;
    for (const candidate of words) {
      const answer = listed.parse(
        await call("triage/list", { boardId: BOARD, filter: candidate, keys: true }),
      );
      if (answer.matching > 0 && answer.matching < all.matching) {
        word = candidate;
        narrowed = answer;
        break;
      }
    }
    if (narrowed === null) throw new Error("No title word of the demo narrows its triage list.");

    await box.fill(word);
    await expect.poll(() => matchingShown(page), { timeout: 30_000 }).toBe(narrowed.matching);
    const keys = await rowKeys(page);
    // The page's rows are the first page of what the backend matched.
    expect(keys).toHaveLength(Math.min(narrowed.matching, PAGE_SIZE));
    for (const key of keys) expect(narrowed.keys).toContain(key);
    const texts = await page.getByTestId("triage-table").locator("tbody tr").allInnerTexts();
    for (const text of texts) expect(text.toLowerCase()).toContain(word.toLowerCase());
    await screenshot(page, "triage-filter-narrowed");

    // Cleared: the whole list and its count again, from its first page.
    const again = await openDemoPage(demo, `/pages/project-page/?project=DATA&board=${BOARD}`);
    const search = again.getByRole("searchbox", { name: LABEL, exact: true });
    await search.fill(word);
    await expect.poll(() => matchingShown(again), { timeout: 30_000 }).toBe(narrowed.matching);
    await search.fill("");
    await expect.poll(() => matchingShown(again), { timeout: 30_000 }).toBe(all.matching);
    expect(await rowKeys(again)).toEqual(firstKeys);
    // Escape in the box clears it too.
    await search.fill(word);
    await expect.poll(() => matchingShown(again), { timeout: 30_000 }).toBe(narrowed.matching);
    await search.press("Escape");
    expect(await search.inputValue()).toBe("");
    await expect.poll(() => matchingShown(again), { timeout: 30_000 }).toBe(all.matching);
    expect(await rowKeys(again)).toEqual(firstKeys);
    await again.close();
  });
});
