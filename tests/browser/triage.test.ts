/**
 * The triage list as a person uses it, in Chromium against the self-hosted server on a fresh demo
 * store: select 120 items across pages, classify them, see every one done, then undo it.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, startDemoInBrowser, resolverOf, screenshot, selectTriage120 } from "./harness";

let browser: BrowserContext;
let base: string;

/** The demo's Linear-style team with the most unclassified work: the sixth board, project DATA. */
const BOARD = 6;
const resolve = resolverOf(() => base, "DATA");
/** Every unclassified key, as "select all matching" asks for them. */
const triageKeys = z.object({ total: z.number(), keys: z.array(z.string()) });
const reportItems = z.object({
  teams: z.array(z.object({ items: z.array(z.object({ id: z.string(), category: z.string() })) })),
});

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-triage-");
  base = demo.base;
  browser = demo.browser;
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

async function openTriage(): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}/pages/project-page/?project=DATA&board=${BOARD}`);
  await page.getByTestId("triage-table").waitFor();
  return page;
}

describe.skipIf(CHROMIUM === null)("triage in a browser", () => {
  it("classifies 120 items chosen across pages, says every one is done, and undoes it", async () => {
    const before = triageKeys.parse(
      await resolve("triage/list", { boardId: BOARD, keys: true }),
    ).keys;
    expect(before.length).toBeGreaterThan(120);
    const page = await openTriage();
    const table = page.getByTestId("triage-table");
    // The columns a person decides by, and each key a link to the issue.
    for (const name of ["Issue", "Title", "Type", "Status", "Sprint", "Estimate", "Rules say"]) {
      await expect.poll(() => table.getByRole("columnheader", { name }).count()).toBe(1);
    }
    const firstLink = table.getByRole("link").first();
    expect(await firstLink.getAttribute("href")).toMatch(/issue=DATA-\d+/);

    // Sorted by key, two whole pages and twenty of the third.
    const boxes = await selectTriage120(page);
    const chosen = await Promise.all(
      Array.from({ length: 20 }, async (_, index) =>
        ((await boxes.nth(index).getAttribute("aria-label")) ?? "").replace("Select ", ""),
      ),
    );

    await page.getByRole("button", { name: "Mark investment" }).click();
    const result = page.getByTestId("bulk-result");
    await expect
      .poll(() => result.textContent(), { timeout: 60_000 })
      .toBe("120 of 120 classified as investment.");
    await screenshot(page, "triage-bulk-classify-120");

    const after = triageKeys.parse(await resolve("triage/list", { boardId: BOARD, keys: true }));
    expect(after.keys).toHaveLength(before.length - 120);
    expect(after.total).toBe(before.length - 120);
    const left = new Set(after.keys);
    const report = reportItems.parse(await resolve("report/get", { boardId: BOARD }));
    const category = new Map(report.teams[0]?.items.map((item) => [item.id, item.category]));
    for (const key of chosen) {
      expect(left.has(key)).toBe(false);
      expect(category.get(key)).toBe("investment");
    }
    const classified = before.filter((key) => !left.has(key));
    expect(classified).toHaveLength(120);
    for (const key of classified) expect(category.get(key)).toBe("investment");

    // Undo, from a fresh page: the last bulk change is remembered by the board.
    const again = await openTriage();
    await again.getByRole("button", { name: "Undo last bulk change" }).click();
    await expect
      .poll(() => again.getByTestId("bulk-result").textContent(), { timeout: 60_000 })
      .toBe("120 of 120 restored.");
    const restored = triageKeys.parse(
      await resolve("triage/list", { boardId: BOARD, keys: true }),
    ).keys;
    expect([...restored].sort()).toEqual([...before].sort());
    await expect
      .poll(() => again.getByRole("button", { name: "Undo last bulk change" }).count())
      .toBe(0);
    await screenshot(again, "triage-undo");

    // A filter narrows the list on the backend; "select all matching" takes every page of it.
    const { rows } = z
      .object({ rows: z.array(z.object({ type: z.string().nullable() })) })
      .parse(await resolve("triage/list", { boardId: BOARD }));
    const type = rows.find((row) => row.type !== null)?.type ?? "";
    expect(type).not.toBe("");
    const filtered = triageKeys.parse(
      await resolve("triage/list", { boardId: BOARD, filter: type, keys: true }),
    ).keys;
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThanOrEqual(before.length);
    const third = await openTriage();
    await third.getByRole("searchbox").fill(type);
    const selectAll = third.getByRole("button", {
      name: `Select all ${filtered.length.toLocaleString("en")} matching`,
    });
    await selectAll.click();
    await expect
      .poll(() => third.getByTestId("selected-count").textContent())
      .toBe(`${filtered.length.toLocaleString("en")} selected`);
    await third.close();
  }, 180_000);
});
