/**
 * Settings and the pages' own states as a person meets them, in Chromium against the demo server:
 * the history by effective date at 400 px, one invalid rule marked alone, a board that is the
 * page's only one as plain text, a project with no board and a board that does not exist.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let browser: BrowserContext;
let base: string;
let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
const resolve = resolverOf(() => base, "PLAT");

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-settings-states-");
  base = demo.base;
  browser = demo.browser;
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

async function open(path: string, width = 1280): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: 800 });
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}${path}`);
  return page;
}

const boards = z.array(z.object({ boardId: z.number(), projectKey: z.string() }));

describe.skipIf(CHROMIUM === null)("settings and page states in a browser", () => {
  it("lists the history newest effective date first, in force marked, fitting 400 px", async () => {
    const [plat] = boards.parse(await resolve("board/list", {}));
    if (!plat) throw new Error("no PLAT board");
    // Back-dated after the entry in force: declared last, effective earliest.
    await resolve("target/append", {
      boardId: plat.boardId,
      investmentShare: 0.4,
      tolerance: 0.05,
      effectiveFrom: "2024-01-01",
      reason: "Quarterly confirmation of the platform investment share",
      requestId: "settings-states-1",
    });
    const page = await open(`/pages/project-settings/?project=PLAT&board=${plat.boardId}`, 400);
    const rows = page.getByTestId("target-history").locator("tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    const effective = (await rows.locator('td[data-label="Effective"]').allTextContents()).map(
      (text) => text.slice(0, 10),
    );
    expect(effective).toEqual([...effective].sort().reverse());
    expect(effective.at(-1)).toBe("2024-01-01");
    expect(
      await page.getByTestId("target-history").locator('tr[aria-current="true"]').count(),
    ).toBe(1);
    expect(await rows.first().locator('td[data-label="Declared"]').textContent()).toMatch(
      /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/,
    );
    const width = z
      .object({ scroll: z.number(), client: z.number() })
      .parse(
        await page.evaluate(
          "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
        ),
      );
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    // Each cell is a block of its own at 400 px: every word of the reason stays on one line.
    const reason = rows.last().locator('td[data-label="Reason"]');
    const box = await reason.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    await screenshot(page, "settings-states-history-400");
  }, 120_000);

  it("marks only the invalid rule and gives the others one shared note", async () => {
    const page = await open("/pages/project-settings/?project=PAY&board=1");
    await page.getByRole("button", { name: "Edit a copy of the defaults" }).click();
    await expect.poll(() => page.locator(".rule").count()).toBe(3);
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByLabel("Rule 4 title pattern").fill("(payment");
    await expect
      .poll(() => page.getByTestId("rule-4").textContent())
      .toContain("not counted until this rule is fixed");
    for (const index of [1, 2, 3]) {
      expect(await page.getByTestId(`rule-${index}`).textContent()).not.toContain("not counted");
    }
    expect(await page.getByTestId("rules-waiting").textContent()).toBe(
      "No rule is counted until rule 4 is fixed.",
    );
    await page.close();
  }, 120_000);

  it("shows the page's only board as text, and says plainly when a board or project has none", async () => {
    const page = await open("/pages/project-page/?project=PAY&board=1");
    await expect.poll(() => page.getByTestId("board-name").textContent()).toMatch(/^Board: \S/);
    expect(await page.getByRole("combobox", { name: "Board" }).count()).toBe(0);
    await page.close();

    const none = await open("/pages/project-page/?project=NOPE");
    await none.getByText(/No board of this project is known yet/).waitFor();
    await none.waitForTimeout(1_000);
    expect(await none.locator(".ds-loading-state, [aria-busy='true']").count()).toBe(0);
    expect(await none.getByText(/Loading/).count()).toBe(0);
    await none.close();

    const missing = await open("/pages/project-page/?project=PAY&board=99");
    await missing
      .getByText(/no board 99/i)
      .first()
      .waitFor();
    const picked = await missing
      .getByRole("combobox", { name: "Board" })
      .evaluate(
        (select: { selectedOptions: ArrayLike<{ textContent: string | null }> }) =>
          select.selectedOptions[0]?.textContent ?? "",
      );
    expect(picked).toBe("Board 99 (not found)");
    await missing.close();
  }, 120_000);
});
