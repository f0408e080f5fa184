/**
 * Every page of the demo server audited by axe-core, the engine most accessibility tools run, in
 * Chromium in light and dark, 1280 and 400 pixels wide: as it opens and in the states a person
 * brings it to (a drill-down open, a triage selection, a bulk change under way and done, an
 * invalid title pattern, a confirmation asked, unsaved edits offered back, the gadget's
 * configuration, a flag's issues open in the gadget). Any violation, of any impact, fails the
 * test, listed with the rule, the element and what to fix; so does a page wider than the window,
 * other than in a part that scrolls on its own (the chart, a wide table).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, OUTPUT, startDemoInBrowser } from "./harness";

/** Evaluated rather than added as a script tag: the pages' Content-Security-Policy forbids inline scripts. */
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-a11y-");
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

const violations = z.array(
  z.object({
    id: z.string(),
    impact: z.string().nullable(),
    help: z.string(),
    nodes: z.array(
      z.object({ target: z.array(z.unknown()), failureSummary: z.string().optional() }),
    ),
  }),
);

/**
 * axe-core's violations on the page as it is now, of every impact, one line per rule: what it
 * asks, how many elements break it, and the first few of them with what to fix.
 */
async function auditPage(page: Page): Promise<string[]> {
  if ((await page.evaluate("typeof window.axe")) !== "object") await page.evaluate(AXE_SOURCE);
  const found = violations.parse(
    await page.evaluate(
      `axe.run(document, { resultTypes: ["violations"] }).then((result) => result.violations)`,
    ),
  );
  return found.map((violation) => {
    const nodes = violation.nodes
      .slice(0, 3)
      .map(
        (node) =>
          `\n    ${JSON.stringify(node.target)}: ${(node.failureSummary ?? "").replace(/\s+/g, " ")}`,
      )
      .join("");
    return `${violation.impact ?? "unrated"} ${violation.id} (${violation.help}) on ${violation.nodes.length} element(s):${nodes}`;
  });
}

/**
 * Whether the page is wider than the window: the elements that reach past its right edge without
 * a scrolling or clipping box of their own between them and the page, widest first. A chart or a
 * table that scrolls sideways in its own box is meant to; the page around it is not.
 */
async function overflowOf(page: Page): Promise<string[]> {
  const found = z.array(z.string()).parse(
    await page.evaluate(`(() => {
      const root = document.documentElement;
      if (root.scrollWidth <= root.clientWidth) return [];
      const edge = root.clientWidth;
      const contained = (element) => {
        for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
          if (getComputedStyle(box).overflowX !== "visible") return true;
        }
        return false;
      };
      const sticking = [...document.body.querySelectorAll("*")]
        .filter((element) => element.getBoundingClientRect().right > edge + 1 && !contained(element))
        .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
        .slice(0, 5)
        .map((element) => {
          const id = element.getAttribute("data-testid") ?? element.className;
          const name = element.tagName.toLowerCase() + (typeof id === "string" && id ? "." + id.split(" ")[0] : "");
          return name + " reaches " + Math.round(element.getBoundingClientRect().right) + " px";
        });
      return ["page is " + root.scrollWidth + " px wide in a " + edge + " px window: " + sticking.join(", ")];
    })()`),
  );
  return found.map((line) => `overflow: ${line}`);
}

/** Waits until nothing on the page says it is still loading. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await expect
    .poll(() => page.locator('[aria-busy="true"], .ds-spinner').count(), { timeout: 60_000 })
    .toBe(0);
}

interface State {
  readonly name: string;
  readonly path: string;
  /** Brings the opened page to the state to audit. */
  readonly act?: (page: Page) => Promise<void>;
  /** Puts back what `act` changed in the demo's store, after the audit. */
  readonly restore?: (page: Page) => Promise<void>;
  /** Whether the state is audited while something on the page is meant to be still working. */
  readonly busy?: boolean;
}

/** A bulk change's answers, held back while the page shows its progress. */
const BULK_STATUS = "**/api/resolve/bulk/status";

const STATES: readonly State[] = [
  { name: "org-page", path: "/" },
  {
    name: "org-page-company-drill",
    path: "/",
    act: async (page) => {
      await page.getByTestId("org-verdict").getByTestId("drill-number").click();
      await page.getByTestId("org-quarter-teams").waitFor();
    },
  },
  {
    name: "org-page-team-drill",
    path: "/",
    act: async (page) => {
      await page.getByTestId("org-teams").getByTestId("drill-number").first().click();
      await page.getByTestId("drill-rows").waitFor();
    },
  },
  { name: "boards", path: "/boards" },
  { name: "project-page", path: "/pages/project-page/?project=PAY&board=1" },
  {
    name: "project-page-drill",
    path: "/pages/project-page/?project=PAY&board=1",
    act: async (page) => {
      await page.getByTestId("verdict-share").click();
      await page.getByTestId("drill-rows").waitFor();
    },
  },
  {
    name: "project-page-triage-selected",
    path: "/pages/project-page/?project=DATA&board=6",
    act: async (page) => {
      const boxes = page.getByTestId("triage-table").getByRole("checkbox");
      await boxes.nth(0).check();
      await boxes.nth(1).check();
    },
  },
  {
    // More than one batch, so the change runs in the background and the page follows it.
    name: "project-page-bulk-progress",
    path: "/pages/project-page/?project=DATA&board=6",
    busy: true,
    act: async (page) => {
      await page.route(BULK_STATUS, () => undefined);
      await page.getByRole("button", { name: "Select this page" }).click();
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByRole("button", { name: "Select this page" }).click();
      await page.getByRole("button", { name: "Mark investment" }).click();
      await page.getByTestId("bulk-progress").waitFor();
    },
    restore: async (page) => {
      await page.unrouteAll({ behavior: "ignoreErrors" });
      await page.reload();
      await undoLastBulkChange(page);
    },
  },
  {
    name: "project-page-bulk-done",
    path: "/pages/project-page/?project=DATA&board=6",
    act: async (page) => {
      const boxes = page.getByTestId("triage-table").getByRole("checkbox");
      await boxes.nth(0).check();
      await page.getByRole("button", { name: "Mark roadmap" }).click();
      await expect
        .poll(() => page.getByTestId("bulk-result").textContent(), { timeout: 60_000 })
        .toBe("1 of 1 classified as roadmap.");
    },
    restore: undoLastBulkChange,
  },
  { name: "project-settings", path: "/pages/project-settings/?project=PAY&board=1" },
  {
    name: "project-settings-invalid-pattern",
    path: "/pages/project-settings/?project=PAY&board=1",
    act: async (page) => {
      await page.getByRole("button", { name: "Add rule" }).click();
      const pattern = page.getByLabel("Rule 1 title pattern");
      await pattern.fill("(unclosed");
      await expect.poll(() => pattern.getAttribute("aria-invalid")).toBe("true");
    },
  },
  {
    name: "project-settings-confirm",
    path: "/pages/project-settings/?project=PAY&board=1",
    act: async (page) => {
      await page.getByTestId("target-history").waitFor();
      await page.getByLabel("Investment share (%)").fill("45");
      await page.getByLabel("Effective from").fill("2026-01-01");
      await page.getByLabel("Reason").fill("Audit: back-dated");
      await page.getByRole("button", { name: "Declare target" }).click();
      await page.getByTestId("rejudge-confirm").waitFor();
    },
  },
  {
    // Edits left unsaved and offered back on return; discarded after, so later states start clean.
    name: "project-settings-draft-notice",
    path: "/pages/project-settings/?project=PAY&board=1",
    act: async (page) => {
      await page.getByTestId("target-history").waitFor();
      await page.getByLabel("Reason").fill("Audit: left unsaved");
      page.on("dialog", (dialog) => void dialog.accept());
      await page.reload();
      await page.getByTestId("draft-notice").waitFor();
    },
    restore: async (page) => {
      await page.getByTestId("draft-notice").getByRole("button", { name: "Discard" }).click();
    },
  },
  { name: "issue-panel", path: "/pages/issue-panel/?project=PAY&board=1&issue=PAY-2104" },
  { name: "issue-context", path: "/pages/issue-context/?project=PAY&board=1&issue=PAY-2104" },
  {
    name: "admin-page-demo",
    path: "/pages/admin-page/",
    act: async (page) => {
      await expect
        .poll(() => page.getByTestId("connection-state").textContent())
        .toContain("Linear cannot be connected here");
    },
  },
  { name: "gadget-edit", path: "/pages/gadget/?entryPoint=edit" },
  { name: "gadget", path: "/pages/gadget/" },
  {
    name: "gadget-drill",
    path: "/pages/gadget/",
    act: async (page) => {
      // The company's share, the first number; the teams holding it off follow.
      await page.getByTestId("drill-number").first().click();
      await page.getByTestId("org-quarter-teams").waitFor();
    },
  },
  {
    // Configured in its edit view to show one team, and put back to the company after.
    name: "gadget-team",
    path: "/pages/gadget/?entryPoint=edit",
    act: async (page) => {
      await chooseGadget(page, "Payments (PAY)");
    },
    restore: async (page) => {
      await page.goto(`${new URL(page.url()).origin}/pages/gadget/?entryPoint=edit`);
      await chooseGadget(page, "The whole company");
    },
  },
  {
    // One team's gadget with a flag's issues open, and put back to the company after.
    name: "gadget-team-drill",
    path: "/pages/gadget/?entryPoint=edit",
    act: async (page) => {
      await chooseGadget(page, "Payments (PAY)");
      await page.getByTestId("gadget-flags").getByTestId("drill-number").first().click();
      await page.getByTestId("drill-rows").first().waitFor({ timeout: 60_000 });
    },
    restore: async (page) => {
      await page.goto(`${new URL(page.url()).origin}/pages/gadget/?entryPoint=edit`);
      await chooseGadget(page, "The whole company");
    },
  },
];

/** Saves what the gadget shows from its edit view and waits for its view to show it. */
async function chooseGadget(page: Page, label: string): Promise<void> {
  await page.getByLabel("Show the verdict of").selectOption({ label });
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByTestId("gadget-verdict").waitFor({ timeout: 60_000 });
}

/** Undoes the board's last bulk change from the page and waits until every issue is restored. */
async function undoLastBulkChange(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Undo last bulk change" }).click({ timeout: 60_000 });
  await expect
    .poll(() => page.getByTestId("bulk-result").textContent(), { timeout: 60_000 })
    .toMatch(/^(\d+) of \1 restored\.$/);
}

const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 400, height: 800 },
] as const;

describe.skipIf(CHROMIUM === null)("every page passes axe-core, wide and narrow", () => {
  for (const viewport of VIEWPORTS) {
    describe(`at ${viewport.width} px, in light and dark: no violation and no sideways scroll`, () => {
      for (const state of STATES) {
        it(
          state.name,
          async () => {
            if (!demo) throw new Error("no demo server");
            const page = await demo.browser.newPage();
            page.on("pageerror", (error) => console.error(error));
            await page.setViewportSize(viewport);
            await page.emulateMedia({ colorScheme: "light" });
            await page.goto(`${demo.base}${state.path}`);
            await settle(page);
            if (state.act) {
              await state.act(page);
              if (!state.busy) await settle(page);
            }
            const found: string[] = [];
            // The same state in both schemes: the pages follow the browser's scheme as it changes.
            for (const scheme of ["light", "dark"] as const) {
              await page.emulateMedia({ colorScheme: scheme });
              // The server's list of boards is plain HTML on the browser's scheme, not a themed page.
              if (state.path !== "/boards") {
                await expect
                  .poll(() => page.locator("html").getAttribute("data-color-mode"))
                  .toBe(scheme);
              }
              const lines = [...(await auditPage(page)), ...(await overflowOf(page))];
              found.push(...lines.map((line) => `${scheme}: ${line}`));
              await page.screenshot({
                path: join(OUTPUT, `a11y-${state.name}-${scheme}-${viewport.width}.png`),
                fullPage: true,
              });
            }
            if (state.restore) await state.restore(page);
            await page.close();
            expect(found, `axe-core found:\n${found.join("\n")}`).toEqual([]);
          },
          120_000,
        );
      }
    });
  }
});
