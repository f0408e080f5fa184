/**
 * The company page's teams table and headline as a desktop screen shows them, in Debian's
 * Chromium against the demo server: the table fits 1280 px with the gap column in sight, a team
 * ahead of the company's target says so in words and in its accessible name, a figure shown twice
 * for the same measure and period reads the same, and a company below its band with no flag says why.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgOverview } from "../../src/app/index";
import { formatPercent } from "../../src/domain/percent";
import { CHROMIUM, resolverOf, screenshot, startDemoInBrowser } from "./harness";

/** What the test reads of the table's scrolling box (the tests compile without the DOM's types). */
interface Scrolling {
  readonly scrollWidth: number;
  readonly clientWidth: number;
}

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | null = null;

beforeAll(async () => {
  if (CHROMIUM === null) return;
  demo = await startDemoInBrowser("capacity-org-table-", {
    viewport: { width: 1280, height: 900 },
  });
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

/** The home page with every team's row in, and the overview the page was drawn from. */
async function openHome(): Promise<{ page: Page; overview: OrgOverview }> {
  if (demo === null) throw new Error("No demo server.");
  const { base, browser } = demo;
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}/`);
  const rows = page.getByTestId("org-teams").locator("tbody tr");
  await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(0);
  const overview = (await resolverOf(() => base)("org/get", {})) as OrgOverview;
  await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(overview.teams.length);
  return { page, overview };
}

const rowOf = (page: Page, name: string) =>
  page.getByTestId("org-teams").locator("tbody tr").filter({ hasText: name });

const gapCellOf = (page: Page, name: string) =>
  rowOf(page, name).locator('td[data-label="Part of the company\'s gap"]');

describe.skipIf(CHROMIUM === null)("the company page on a desktop screen", () => {
  it("the teams table fits 1280 px and its gap column is in sight", async () => {
    const { page } = await openHome();
    const wrap = page.locator(".org-teams .ds-table-wrap");
    const box = await wrap.evaluate((element: Scrolling) => ({
      scroll: element.scrollWidth,
      client: element.clientWidth,
    }));
    const wrapBox = await wrap.boundingBox();
    expect(box.scroll).toBeLessThanOrEqual(box.client);
    const header = page.getByRole("columnheader", { name: /Part of the company's gap/ });
    await expect.poll(() => header.isVisible()).toBe(true);
    const headerBox = await header.boundingBox();
    expect(headerBox).not.toBeNull();
    expect((headerBox?.x ?? Infinity) + (headerBox?.width ?? 0)).toBeLessThanOrEqual(
      Math.min((wrapBox?.x ?? 0) + (wrapBox?.width ?? 0), 1280) + 0.5,
    );
    // The long explanation of the columns is under the table's name, not in its headers.
    expect(await page.getByTestId("org-teams-note").innerText()).toContain(
      "in the company's quarter (UTC)",
    );
    await screenshot(page, "org-page-table-1280");
  }, 180_000);

  it("a team ahead of the company's target reads as ahead, on screen and to a screen reader", async () => {
    const { page, overview } = await openHome();
    expect(overview.org.gapSign).toBe(1);
    const ahead = overview.teams.filter((team) => (team.contribution ?? 0) < 0);
    expect(ahead.length).toBeGreaterThan(0);
    for (const team of ahead) {
      const days = `${Math.abs(team.contribution ?? 0).toFixed(1)} days ahead`;
      const cell = gapCellOf(page, team.name);
      const text = await cell.innerText();
      expect(text).toContain(days);
      expect(text).toContain("offsets the gap");
      expect(text).not.toMatch(/[−-]\d/);
      const name = await cell.getByRole("button").getAttribute("aria-label");
      expect(name).toContain(`part of the company's gap: ${days}, offsets the gap `);
    }
    const short = overview.teams.filter((team) => (team.contribution ?? 0) > 0);
    expect(short.length).toBeGreaterThan(0);
    for (const team of short) {
      const name = await gapCellOf(page, team.name).getByRole("button").getAttribute("aria-label");
      expect(name).toContain(`gap: ${Math.abs(team.contribution ?? 0).toFixed(1)} days short `);
    }
    await page.close();
  }, 180_000);

  it("a figure shown in the table and in the company's dialog or list reads the same", async () => {
    const { page, overview } = await openHome();
    // The company's dialog: each team's days on investment in the company's quarter.
    await page.getByRole("button", { name: /^The company's / }).click();
    const dialog = page.getByTestId("org-quarter-dialog");
    const lines = await dialog.getByTestId("org-quarter-teams").locator("li").allInnerTexts();
    const summed = overview.teams.filter((team) => team.orgSpent !== null);
    expect(lines).toHaveLength(summed.length);
    await page.keyboard.press("Escape");
    const holding = await page.getByTestId("holding-off").locator("li").allInnerTexts();
    expect(holding.length).toBeGreaterThan(0);
    for (const team of summed) {
      const line = lines.find((text) => text.startsWith(`${team.name}:`)) ?? "";
      const figure = /: (.+ classified days on investment \([\d.]+%\))/.exec(line)?.[1];
      expect(figure, line).toBeDefined();
      const cell = await gapCellOf(page, team.name).innerText();
      expect(cell).toContain(figure);
      // The list of who holds the company off speaks of the same quarter: the same share.
      const listed = holding.find((text) => text.startsWith(`${team.name}:`));
      if (listed !== undefined) {
        const share = /\(([\d.]+%)\)/.exec(figure ?? "")?.[1] ?? "";
        expect(listed).toContain(`spent ${share} of its time on investment`);
      }
    }
    // The share column is of the team's own quarter and says so beside the number.
    for (const team of overview.teams.filter((entry) => entry.quarter !== null)) {
      const cell = rowOf(page, team.name).locator('td[data-label="This quarter"]');
      expect(await cell.innerText()).toContain("in the team's quarter");
    }
    await page.close();
  }, 180_000);

  it("a company below its band with no open flag says why there is none", async () => {
    const { page, overview } = await openHome();
    const quarter = overview.org.quarter;
    expect(overview.org.verdict.status).toBe("below-target");
    expect(overview.org.flags).toHaveLength(0);
    const verdict = page.getByTestId("org-verdict");
    const text = await verdict.innerText();
    expect(text).not.toContain("No open flags");
    expect(await page.getByTestId("org-unflagged").innerText()).toBe(
      `No flag yet: ending inside the band needs ${formatPercent(quarter?.requiredToBand ?? null)} investment for the rest of the quarter, which is still possible; the quarter is flagged at risk only once that passes the band's upper edge of ${formatPercent((quarter?.target?.investmentShare ?? 0) + (quarter?.target?.tolerance ?? 0))}.`,
    );
    await page.close();
  }, 180_000);
});
