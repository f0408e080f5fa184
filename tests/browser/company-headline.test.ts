/**
 * The company page's headline in Chromium, on the demo server: its share is a real button with a
 * visible "Show the issues" cue, reached and pressed from the keyboard, and it opens the teams the
 * company's share sums, whose days add up to the share the headline states. Screenshot under
 * test-output/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgOverview } from "../../src/app/org-overview";
import { formatPercent } from "../../src/domain/percent";
import { focused, tabTo } from "./keys";
import { CHROMIUM, openDemoPage, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
const call = resolverOf(() => demo?.base ?? "");

beforeAll(async () => {
  if (CHROMIUM === null) return;
  demo = await startDemoInBrowser("capacity-company-headline-");
}, 120_000);
afterAll(async () => demo?.close());

/** "12.3 of 45.6 classified days on investment (27.0%)" as numbers. */
function daysOf(line: string): { investment: number; classified: number; share: string } {
  const found = /([\d.]+) of ([\d.]+) classified days on investment \(([^)]+)\)/.exec(line);
  if (!found) throw new Error(`No days in ${JSON.stringify(line)}.`);
  return {
    investment: Number(found[1]),
    classified: Number(found[2]),
    share: found[3] ?? "",
  };
}

describe.skipIf(CHROMIUM === null)("the company page's headline", () => {
  it("is a button reached by Tab that opens the teams it sums, whose days add up to its share", async () => {
    const overview = (await call("org/get", {})) as OrgOverview;
    const quarter = overview.org.quarter;
    if (quarter?.target == null || quarter.spent === null) {
      throw new Error("The demo has a company quarter with a target, and no team hidden.");
    }
    const share = formatPercent(quarter.investmentShare);
    const states = `${share} against ${formatPercent(quarter.target.investmentShare)} ± ${formatPercent(quarter.target.tolerance)}`;

    const page = await openDemoPage(demo, "/");
    const headline = page
      .getByTestId("org-verdict")
      .getByRole("button", { name: /Show the issues/ });
    await headline.waitFor({ timeout: 60_000 });
    // A real button: in the Tab order, pressed by Enter; its cue is visible, its name holds what
    // it shows.
    expect(await headline.getAttribute("type")).toBe("button");
    const visible = await headline.innerText();
    expect(visible).toContain(states);
    expect(visible).toContain("Show the issues");
    const name = (await headline.getAttribute("aria-label")) ?? "";
    expect(name).toContain(states);
    expect(name).toContain("Show the issues");

    await tabTo(page, "[data-testid='org-verdict'] .headline button");
    expect(await focused(page)).toContain(`[aria-label=${name}]`);
    await page.keyboard.press("Enter");
    const dialog = page.getByTestId("org-quarter-dialog");
    await dialog.waitFor();
    expect(await dialog.locator("h2").innerText()).toContain(
      `The company's ${quarter.id}: the teams it sums`,
    );

    // The teams the company's share sums, every one, by name.
    const summed = overview.teams.filter((team) => team.orgSpent !== null);
    const items = dialog.getByTestId("org-quarter-teams").locator("li");
    const lines = await items.allInnerTexts();
    expect(lines.map((line) => line.split(":")[0]?.trim()).sort()).toEqual(
      summed.map((team) => team.name).sort(),
    );

    // What the server sums is the company's quarter.
    for (const key of ["roadmap", "investment"] as const) {
      const teamsDays = summed.reduce((acc, team) => acc + (team.orgSpent?.[key] ?? 0), 0);
      expect(teamsDays).toBeCloseTo(quarter.spent[key], 6);
    }
    // Their days add up to the company's, and the total's share is the headline's.
    const total = daysOf(await dialog.getByTestId("org-quarter-total").innerText());
    expect(total.share).toBe(share);
    expect(total.investment).toBe(Number(quarter.spent.investment.toFixed(1)));
    expect(total.classified).toBe(
      Number((quarter.spent.roadmap + quarter.spent.investment).toFixed(1)),
    );
    const parts = lines.map(daysOf);
    const rounding = 0.05 * parts.length + 1e-9;
    const sum = (key: "investment" | "classified"): number =>
      parts.reduce((acc, part) => acc + part[key], 0);
    expect(Math.abs(sum("investment") - total.investment)).toBeLessThanOrEqual(rounding);
    expect(Math.abs(sum("classified") - total.classified)).toBeLessThanOrEqual(rounding);
    await screenshot(page, "company-headline-drill");

    // Space opens it too, from a fresh page.
    const again = await openDemoPage(demo, "/");
    const button = again
      .getByTestId("org-verdict")
      .getByRole("button", { name: /Show the issues/ });
    await button.focus();
    await again.keyboard.press("Space");
    await again.getByTestId("org-quarter-dialog").waitFor();
    await again.close();
  });
});
