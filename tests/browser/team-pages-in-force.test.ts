/**
 * A team's settings and project page as a new admin of the demo meets them, in Chromium against
 * the self-hosted server on a fresh demo store: the settings form starts from the values in force
 * (the workspace file's team where nothing was saved), a save of one label changes nothing else,
 * and the project page names the team, leads back, and words its numbers in the team's unit.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
let browser: BrowserContext;
let base: string;

const teamOf = z.object({
  teams: z.array(z.object({ name: z.string(), unit: z.string(), actual: z.string() })),
});
const storedOf = z.record(z.string(), z.unknown());

/** The team's unit and judged measure as its report has them, and what its settings store. */
async function inForce(project: string, boardId: number) {
  const resolve = resolverOf(() => base, project);
  const team = teamOf.parse(await resolve("report/get", { boardId })).teams[0];
  const stored = storedOf.parse(await resolve("settings/get", { boardId }));
  delete stored.defaults;
  return { unit: team?.unit, actual: team?.actual, stored };
}

async function open(path: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}${path}`);
  return page;
}

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-in-force-");
  ({ base, browser } = demo);
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

describe.skipIf(CHROMIUM === null)("a team's settings in force", () => {
  it("shows Growth counting issues and Identity judged on spent, and a label saved alone keeps both", async () => {
    for (const { project, boardId, unit, actual, zone } of [
      { project: "GRO", boardId: 5, unit: "issues", actual: "delivered", zone: "America/New_York" },
      { project: "IDN", boardId: 7, unit: "points", actual: "spent", zone: "Europe/Berlin" },
    ]) {
      const before = await inForce(project, boardId);
      expect(before).toEqual({ unit, actual, stored: {} });
      const page = await open(`/pages/project-settings/?project=${project}&board=${boardId}`);
      const unitField = page.getByRole("combobox", { name: /^Unit/ });
      await unitField.waitFor();
      expect(await unitField.inputValue()).toBe(unit);
      expect(await page.getByLabel("Flags judge").inputValue()).toBe(actual);
      expect(await page.getByLabel("Timezone").locator("option[value='']").textContent()).toContain(
        zone,
      );
      // The default weight is said in words, not as a placeholder that reads like a value.
      const weight = page.getByLabel("Weight of an unestimated item");
      expect(await weight.getAttribute("placeholder")).toBeNull();
      expect(await weight.inputValue()).toBe("");
      expect(await page.locator("#unestimated-weight-help").textContent()).toBe(
        "Left empty: 1, the board's default.",
      );
      // Help under a field reads as text, not in its label's bold.
      const helpWeight: unknown = await page.evaluate(
        "getComputedStyle(document.getElementById('actual-measure-help')).fontWeight",
      );
      expect(Number(helpWeight)).toBeLessThan(600);

      await page.getByLabel("Roadmap label").fill("cs-roadmap");
      await page.getByRole("button", { name: "Save settings" }).click();
      await expect
        .poll(() => page.getByTestId("settings-notice").textContent())
        .toBe("Settings saved.");
      const after = await inForce(project, boardId);
      console.log(
        `${project} in force before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
      );
      expect(after.unit).toBe(unit);
      expect(after.actual).toBe(actual);
      expect(Object.keys(after.stored)).toEqual(["labels"]);
      expect(await page.getByRole("combobox", { name: /^Unit/ }).inputValue()).toBe(unit);
      expect(await page.getByLabel("Flags judge").inputValue()).toBe(actual);
      await screenshot(page, `settings-in-force-${project.toLowerCase()}`);
    }
  }, 60_000);
});

describe.skipIf(CHROMIUM === null)("a team's project page", () => {
  it("is headed by the team, leads to the company page and its settings, and counts in its unit", async () => {
    const page = await open("/pages/project-page/?project=GRO&board=5");
    const heading = page.getByRole("heading", { level: 1 });
    await expect.poll(() => heading.textContent()).toBe("Growth");
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    expect(await crumbs.textContent()).toBe(
      "Capacity split · The whole company › Growth · Settings of Growth",
    );
    expect(await crumbs.getByRole("link", { name: "The whole company" }).getAttribute("href")).toBe(
      "/",
    );
    expect(await page.getByTestId("settings-link").getAttribute("href")).toBe(
      "/pages/project-settings/?project=GRO&board=5",
    );
    const toggle = page.locator("fieldset.measure-toggle");
    expect(await toggle.textContent()).toContain("Work delivered (issues done in the sprint)");
    expect(await toggle.textContent()).not.toContain("points");

    // The drill's table is named by what a row is, not by the dialog's title again.
    await page.getByTestId("split-chart").locator("g[role='button']").first().click();
    const dialog = page.getByTestId("drill-dialog");
    await dialog.getByTestId("drill-rows").waitFor();
    const title = (await dialog.locator("h2").first().textContent()) ?? "";
    const caption = (await dialog.locator("caption").first().textContent()) ?? "";
    expect(title.length).toBeGreaterThan(0);
    expect(caption).toBe("one issue a row, weights in issues");
    expect(caption).not.toContain(title);
    await screenshot(page, "project-page-growth-drill");
  }, 60_000);
});
