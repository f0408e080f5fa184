/**
 * How much each page moves while it loads, in Chromium on the demo server: the Cumulative Layout
 * Shift (https://web.dev/articles/cls) from navigation until the page is settled, read from a
 * `PerformanceObserver({ type: "layout-shift", buffered: true })` set up before the page's own
 * scripts. Summed over every shift, which is never less than web-vitals' CLS (the largest burst
 * of shifts), each page stays under 0.1, web-vitals' "good": a limit on how far the layout moves,
 * not a time. Screenshots of the settled pages under test-output/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, screenshot, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

beforeAll(async () => {
  if (CHROMIUM === null) return;
  demo = await startDemoInBrowser("capacity-layout-shift-");
}, 120_000);
afterAll(async () => demo?.close());

/** web-vitals' threshold of a "good" CLS. */
const GOOD_CLS = 0.1;

interface Shift {
  readonly value: number;
  /** The elements that moved, as tag#id.class, for the message of a failing page. */
  readonly sources: readonly string[];
}

/**
 * Runs in the page before its scripts: keeps every layout shift not caused by input. A browser
 * function with the types it touches spelled out, as the tests compile without the DOM's.
 */
function observeShifts(): void {
  interface Entry {
    readonly value: number;
    readonly hadRecentInput: boolean;
    readonly sources?: readonly {
      readonly previousRect: { readonly top: number; readonly height: number };
      readonly currentRect: { readonly top: number; readonly height: number };
      readonly node?: {
        readonly nodeName: string;
        readonly id?: string;
        readonly className?: unknown;
      } | null;
    }[];
  }
  const shifts: Shift[] = [];
  (globalThis as unknown as { __shifts: Shift[] }).__shifts = shifts;
  const Observer = (
    globalThis as unknown as {
      PerformanceObserver: new (callback: (list: { getEntries: () => Entry[] }) => void) => {
        observe: (options: { type: string; buffered: boolean }) => void;
      };
    }
  ).PerformanceObserver;
  new Observer((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      shifts.push({
        value: entry.value,
        sources: (entry.sources ?? []).map(
          ({ node, previousRect, currentRect }) =>
            (node
              ? `${node.nodeName.toLowerCase()}${node.id ? `#${node.id}` : ""}${
                  typeof node.className === "string" && node.className !== ""
                    ? `.${node.className.trim().split(/\s+/).join(".")}`
                    : ""
                }`
              : "(gone)") + ` top ${Math.round(previousRect.top)} → ${Math.round(currentRect.top)}`,
        ),
      });
    }
  }).observe({ type: "layout-shift", buffered: true });
}

const shiftsOf = (page: Page): Promise<Shift[]> => page.evaluate("globalThis.__shifts ?? []");

/**
 * Settled: what the page is for is shown, the network is quiet, nothing is busy, and no shift
 * came in the last half second.
 */
async function settle(page: Page, ready: string | null): Promise<void> {
  if (ready !== null) await page.getByTestId(ready).first().waitFor({ timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 60_000 }).toBe(0);
  let count = -1;
  await expect
    .poll(
      async () => {
        const now = (await shiftsOf(page)).length;
        const still = now === count;
        count = now;
        return still;
      },
      { interval: 500, timeout: 30_000 },
    )
    .toBe(true);
}

const PAGES = [
  { name: "company page", path: "/", ready: "org-teams" },
  { name: "company page at 400 px", path: "/", ready: "org-teams", width: 400 },
  { name: "project page", path: "/pages/project-page/?project=PAY&board=1", ready: "computed-at" },
  {
    name: "project settings",
    path: "/pages/project-settings/?project=PAY&board=1",
    ready: "target-history",
  },
  {
    // The triage list of the board with the most unclassified work, the project page's last part,
    // in a window tall enough to hold it from the first paint on.
    name: "triage",
    path: "/pages/project-page/?project=DATA&board=6",
    ready: "triage-table",
    height: 3200,
  },
  {
    // The issue panel in a window of the width Jira gives it.
    name: "issue panel",
    path: "/pages/issue-panel/?project=PAY&board=1&issue=PAY-2104",
    ready: "sprint-split",
    width: 420,
  },
  {
    name: "project page at 400 px",
    path: "/pages/project-page/?project=PAY&board=1",
    ready: "computed-at",
    width: 400,
  },
  {
    name: "issue context",
    path: "/pages/issue-context/?project=PAY&board=1&issue=PAY-2104",
    ready: null,
    width: 420,
  },
  { name: "gadget", path: "/pages/gadget/", ready: "gadget-verdict", width: 500 },
] as const;

describe.skipIf(CHROMIUM === null)("layout shift while a page loads", () => {
  for (const entry of PAGES) {
    it(`${entry.name}: CLS under ${GOOD_CLS}`, async () => {
      if (!demo) throw new Error("The demo did not start.");
      const page = await demo.browser.newPage();
      page.on("pageerror", (error) => console.error(error));
      await page.setViewportSize({
        width: "width" in entry ? entry.width : 1100,
        height: "height" in entry ? entry.height : 900,
      });
      await page.addInitScript(observeShifts);
      await page.goto(`${demo.base}${entry.path}`);
      await settle(page, entry.ready);
      const shifts = await shiftsOf(page);
      const cls = shifts.reduce((sum, shift) => sum + shift.value, 0);
      const detail = shifts
        .map((shift) => `${shift.value.toFixed(4)} ${shift.sources.join(", ")}`)
        .join("\n");
      console.log(`${entry.name}: CLS ${cls.toFixed(4)} from ${shifts.length} shifts\n${detail}`);
      expect(cls, `${entry.name} moved while loading:\n${detail}`).toBeLessThan(GOOD_CLS);
      await screenshot(page, `layout-shift-${entry.name.replace(/ /g, "-")}`);
    });
  }

  it("the measure sees a shift: a block put above a settled page moves what is below it", async () => {
    if (!demo) throw new Error("The demo did not start.");
    const page = await demo.browser.newPage();
    await page.addInitScript(observeShifts);
    await page.goto(`${demo.base}/`);
    await settle(page, "org-teams");
    const before = (await shiftsOf(page)).length;
    await page.evaluate(`{
      const block = document.createElement("div");
      block.style.height = "300px";
      document.querySelector("main").prepend(block);
    }`);
    await expect.poll(async () => (await shiftsOf(page)).length).toBeGreaterThan(before);
    const moved = (await shiftsOf(page)).slice(before);
    expect(moved.reduce((sum, shift) => sum + shift.value, 0)).toBeGreaterThan(GOOD_CLS);
    await page.close();
  });
});
