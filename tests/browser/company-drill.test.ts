/**
 * In Chromium on the demo server: the company page's numbers open the issues behind them, a flag
 * about a missing target links to the project's settings, and on a narrow page the chart's % axis
 * stays in view while the bars scroll. Screenshots under test-output/.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgOverview } from "../../src/app/org-overview";
import { formatPercent } from "../../src/domain/percent";
import { CHROMIUM, OUTPUT, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
const call = resolverOf(() => demo?.base ?? "");

beforeAll(async () => {
  if (CHROMIUM === null) return;
  demo = await startDemoInBrowser("capacity-company-drill-");
}, 120_000);
afterAll(async () => demo?.close());

async function open(path: string, viewport?: { width: number; height: number }): Promise<Page> {
  if (!demo) throw new Error("The demo did not start.");
  const page = await demo.browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`${demo.base}${path}`);
  return page;
}

/** What the test reads of the chart's scrolling element (the tests compile without the DOM's types). */
interface Scrolling {
  scrollLeft: number;
  readonly scrollWidth: number;
  readonly clientWidth: number;
}

/** The share a drill's totals line ends with: "…; investment share 27.8%." */
const totalShare = (line: string): string | null =>
  /investment share ([^.;]+%|—)\.?$/.exec(line.trim())?.[1] ?? null;

describe.skipIf(CHROMIUM === null)("the issues behind the company page's numbers", () => {
  it("a team's share opens its quarter's issues, which add up to that share", async () => {
    const overview = (await call("org/get", {})) as OrgOverview;
    const payments = overview.teams.find((team) => team.projectKey === "PAY");
    if (!payments?.quarter) throw new Error("the demo has Payments with a current quarter");
    const shown = formatPercent(payments.quarter.share);

    const page = await open("/");
    const row = page.getByTestId("org-teams").locator("tbody tr", { hasText: "Payments" });
    const number = row.getByTestId("drill-number").first();
    await number.waitFor({ timeout: 60_000 });
    expect(await number.innerText()).toContain(shown);
    await number.click();

    const dialog = page.getByTestId("drill-dialog");
    await dialog.getByTestId("drill-rows").waitFor({ timeout: 60_000 });
    expect(await dialog.locator("h2").innerText()).toContain("Payments");
    const keys = await dialog.getByTestId("drill-rows").locator("tbody a").allInnerTexts();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith("PAY-"))).toBe(true);
    // The rows' sums are the number that was clicked.
    const totals = await dialog.getByTestId("drill-totals").locator("li").allInnerTexts();
    expect(totals.map(totalShare)).toContain(shown);
    await page.screenshot({ path: join(OUTPUT, "company-drill-team.png") });

    // The company's share opens the teams it sums; a team's part opens its time spent.
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByTestId("org-verdict").getByTestId("drill-number").click();
    const teams = page.getByTestId("org-quarter-dialog");
    await teams.waitFor();
    const items = teams.getByTestId("org-quarter-teams").locator("li");
    expect(await items.count()).toBe(overview.teams.filter((t) => t.orgSpent !== null).length);
    await items
      .filter({ hasText: "Payments" })
      .getByRole("button", { name: "Show the issues" })
      .click();
    const spent = page.getByTestId("drill-dialog");
    await spent.getByTestId("drill-rows").waitFor({ timeout: 60_000 });
    expect(await spent.getByTestId("drill-totals").innerText()).toMatch(/^Time spent in progress/);
    await screenshot(page, "company-drill-org-quarter");
  }, 180_000);

  it("gadget: the company's share opens the teams it sums, and a team's part its issues", async () => {
    const page = await open("/pages/gadget/");
    // The company's share, the first number; the teams holding it off follow.
    const number = page.getByTestId("gadget-verdict").getByTestId("drill-number").first();
    await number.waitFor({ timeout: 60_000 });
    await number.click();
    const teams = page.getByTestId("org-quarter-dialog");
    await teams.waitFor();
    await teams.getByRole("button", { name: "Show the issues" }).first().click();
    const drill = page.getByTestId("drill-dialog");
    await drill.getByTestId("drill-rows").waitFor({ timeout: 60_000 });
    expect(await drill.getByTestId("drill-rows").locator("tbody a").count()).toBeGreaterThan(0);
    await screenshot(page, "gadget-drill");
  }, 120_000);

  it("a flag about a missing target links to the project's settings", async () => {
    // The demo's Mobile has no target declared for the current quarter.
    const boards = (await resolverOf(() => demo?.base ?? "", "MOB")("board/list", {})) as {
      boardId: number;
    }[];
    const mobile = boards[0];
    if (!mobile) throw new Error("the demo has a Mobile board");

    const page = await open(`/pages/project-page/?project=MOB&board=${mobile.boardId}`);
    const flag = page.locator('[data-code="NO_TARGET"]');
    await flag.waitFor({ timeout: 60_000 });
    const link = flag.getByTestId("flag-settings-link");
    expect(await link.innerText()).toBe("Set the target in settings");
    await link.click();
    await page.waitForURL(/\/pages\/project-settings\//);
    const url = new URL(page.url());
    expect(url.searchParams.get("project")).toBe("MOB");
    expect(url.searchParams.get("board")).toBe(String(mobile.boardId));
    await page.getByLabel("Investment share (%)").waitFor({ timeout: 60_000 });
    await screenshot(page, "flag-link-settings");
  }, 120_000);

  it("at 400 px the chart's % axis stays in view while the bars scroll", async () => {
    const page = await open("/pages/project-page/?project=PAY&board=1", {
      width: 400,
      height: 900,
    });
    const scroller = page.getByTestId("split-chart");
    const axis = page.getByTestId("chart-axis");
    await scroller.locator("svg").waitFor({ timeout: 60_000 });
    const widths = await scroller.evaluate((element: Scrolling) => ({
      scroll: element.scrollWidth,
      client: element.clientWidth,
    }));
    expect(widths.scroll).toBeGreaterThan(widths.client);

    const at = async (left: number) => {
      await scroller.evaluate((element: Scrolling, to) => (element.scrollLeft = to), left);
      const box = await axis.boundingBox();
      const top = await axis.locator("text", { hasText: "100%" }).boundingBox();
      const scrolled = await scroller.evaluate((element: Scrolling) => element.scrollLeft);
      return { box, top, scrolled };
    };
    const start = await at(0);
    const end = await at(widths.scroll);
    expect(start.scrolled).toBe(0);
    expect(end.scrolled).toBeGreaterThan(0);
    for (const { box, top } of [start, end]) {
      if (!box || !top) throw new Error("the axis is not drawn");
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(400);
      expect(top.x).toBeGreaterThanOrEqual(0);
      expect(top.width).toBeGreaterThan(0);
    }
    expect(end.box).toEqual(start.box);
    // The bars moved under it: the first sprint is scrolled out of view.
    const first = scroller.locator("[data-sprint]").first();
    const firstBox = await first.boundingBox();
    const axisRight = (start.box?.x ?? 0) + (start.box?.width ?? 0);
    expect((firstBox?.x ?? 0) + (firstBox?.width ?? 0)).toBeLessThanOrEqual(axisRight);
    await page
      .locator(".chart-frame")
      .screenshot({ path: join(OUTPUT, "project-chart-400px-scrolled.png") });
    await page.close();
  }, 120_000);
});
