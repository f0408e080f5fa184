/**
 * The company page at 400 px in Chromium, on the demo server: below 640 px every team is a card
 * with its share, target, status and a link to its page, in the wide table's order, and nothing
 * scrolls sideways. Both as the server's home page and as Jira's global page, whose context names
 * the app's module (`localId`) so its links lead to the Jira project page. Screenshots under
 * test-output/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgOverview, OrgTeamRow } from "../../src/app/org-overview";
import { formatPercent } from "../../src/domain/percent";
import { CHROMIUM, openDemoPage, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
const call = resolverOf(() => demo?.base ?? "");

beforeAll(async () => {
  if (CHROMIUM === null) return;
  demo = await startDemoInBrowser("capacity-company-cards-");
}, 120_000);
afterAll(async () => demo?.close());

/** The app and environment Jira names in a module's `localId`, as a Forge global page gets it. */
const APP = "0f4e5c3a-app";
const ENV = "7d2b-env";
const JIRA_LOCAL_ID = `ari:cloud:ecosystem::extension/${APP}/${ENV}/static/capacity-org-page`;

/**
 * Before the page's scripts: the context the server's bridge answers gets Jira's `localId`, the
 * one difference between the page in Jira and on the server that the page reads.
 */
function asInJira(localId: string): void {
  type Bridge = { callBridge: (name: string, payload: unknown) => Promise<unknown> };
  let wrapped: Bridge | undefined;
  Object.defineProperty(globalThis, "__bridge", {
    configurable: true,
    get: () => wrapped,
    set: (bridge: Bridge) => {
      wrapped = {
        callBridge: async (name, payload) => {
          const answer = await bridge.callBridge(name, payload);
          return name === "getContext" ? { ...(answer as object), localId } : answer;
        },
      };
    },
  });
}

/** The share and target a team's row states, in the page's words. */
function against(team: OrgTeamRow): string {
  const share = formatPercent(team.quarter?.share ?? null);
  const target = team.quarter?.target ?? null;
  return target
    ? `${share} against ${formatPercent(target.investmentShare)} ± ${formatPercent(target.tolerance)}`
    : `${share}, no target declared`;
}

/** The teams' names in the order the page lists them. */
async function teamOrder(page: Page): Promise<string[]> {
  const rows = page.getByTestId("org-teams").locator("tbody tr");
  await rows.first().waitFor({ timeout: 60_000 });
  return rows.locator("td[data-label='Team'] strong").allInnerTexts();
}

interface Card {
  readonly display: string;
  readonly left: number;
  readonly right: number;
}

/** Each row's box and display, and the page's widest point (a browser expression: no DOM types here). */
async function layout(page: Page): Promise<{ cards: Card[]; scrollWidth: number }> {
  return page.evaluate(`({
    cards: [...document.querySelectorAll("[data-testid='org-teams'] tbody tr")].map((row) => {
      const box = row.getBoundingClientRect();
      return { display: getComputedStyle(row).display, left: box.left, right: box.right };
    }),
    scrollWidth: document.documentElement.scrollWidth,
  })`);
}

describe.skipIf(CHROMIUM === null)("the company page at 400 px", () => {
  const pages = [
    { name: "server home page", path: "/", jira: false },
    { name: "Jira global page", path: "/pages/org-page/", jira: true },
  ];
  for (const { name, path, jira } of pages) {
    it(`${name}: one card per team with its share, target, status and page link, in the table's order`, async () => {
      const overview = (await call("org/get", {})) as OrgOverview;
      expect(overview.teams.length).toBeGreaterThan(1);

      const wide = await openDemoPage(demo, path, 1200);
      const wideOrder = await teamOrder(wide);
      const wideHead = await wide.getByTestId("org-teams").locator("thead").boundingBox();
      expect(wideHead?.height ?? 0).toBeGreaterThan(1);
      await wide.close();

      if (!demo) throw new Error("The demo did not start.");
      const page = await demo.browser.newPage();
      page.on("pageerror", (error) => console.error(error));
      await page.setViewportSize({ width: 400, height: 800 });
      if (jira) await page.addInitScript(asInJira, JIRA_LOCAL_ID);
      await page.goto(`${demo.base}${path}`);
      const order = await teamOrder(page);
      // The same teams in the same order as the wide table, every one of them.
      expect(order).toEqual(wideOrder);
      expect([...order].sort()).toEqual(overview.teams.map((team) => team.name).sort());

      const { cards, scrollWidth } = await layout(page);
      expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(400);
      for (const card of cards) {
        expect(card.display).toBe("flex");
        expect(card.left).toBeGreaterThanOrEqual(0);
        expect(card.right).toBeLessThanOrEqual(400);
      }
      // The header row is out of sight; each value is under its column's name instead.
      const head = await page.getByTestId("org-teams").locator("thead").boundingBox();
      expect((head?.width ?? 0) * (head?.height ?? 0)).toBeLessThanOrEqual(1);

      const rows = page.getByTestId("org-teams").locator("tbody tr");
      for (const [index, teamName] of order.entries()) {
        const team = overview.teams.find((entry) => entry.name === teamName);
        if (!team) throw new Error(`The page lists ${teamName}, which org/get does not.`);
        const card = rows.nth(index);
        const text = await card.innerText();
        expect(text, teamName).toContain(against(team));
        expect(text, teamName).toContain(team.words.toUpperCase());
        expect(await card.locator("[data-status]").first().getAttribute("data-status")).toBe(
          team.verdict.status,
        );
        // Status first under the team's name: the card reads name, status, then the numbers.
        const [teamTop, statusTop, shareTop] = await Promise.all(
          ["Team", "Status", "This quarter"].map(async (label) => {
            const box = await card.locator(`td[data-label^='${label}']`).boundingBox();
            return box?.y ?? Number.NaN;
          }),
        );
        expect(teamTop).toBeLessThan(statusTop ?? Number.NaN);
        expect(statusTop).toBeLessThan(shareTop ?? Number.NaN);

        if (team.projectKey === null || team.boardId === null) continue;
        const link = card.getByRole("link", { name: teamName, exact: true });
        const href = await link.getAttribute("href");
        expect(href).toBe(
          jira
            ? `/jira/software/projects/${team.projectKey}/apps/${APP}/${ENV}`
            : `/pages/project-page/?project=${team.projectKey}&board=${team.boardId}`,
        );
        const box = await link.boundingBox();
        expect((box?.x ?? -1) + (box?.width ?? 0), `${teamName}'s link`).toBeLessThanOrEqual(400);
        expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
      }
      await screenshot(page, jira ? "company-cards-400-jira" : "company-cards-400");
    });
  }
});
