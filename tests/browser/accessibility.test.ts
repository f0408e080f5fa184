/**
 * Every page of the demo server audited by axe-core, the engine most accessibility tools run, in
 * Chromium in light and dark: as it opens and in the states a person brings it to (a drill-down
 * open, a triage selection, an invalid title pattern, a confirmation asked). Any violation of
 * serious or critical impact fails the test, listed with the rule, the element and what to fix.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, screenshot, startDemoInBrowser } from "./harness";

/** Evaluated rather than added as a script tag: the pages' Content-Security-Policy forbids inline scripts. */
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-a11y-", { viewport: { width: 1200, height: 900 } });
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
 * axe-core's violations of serious or critical impact on the page as it is now, one line per rule:
 * what it asks, how many elements break it, and the first few of them with what to fix.
 */
async function auditPage(page: Page): Promise<string[]> {
  if ((await page.evaluate("typeof window.axe")) !== "object") await page.evaluate(AXE_SOURCE);
  const found = violations.parse(
    await page.evaluate(
      `axe.run(document, { resultTypes: ["violations"] }).then((result) => result.violations)`,
    ),
  );
  return found
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => {
      const nodes = violation.nodes
        .slice(0, 3)
        .map(
          (node) =>
            `\n    ${JSON.stringify(node.target)}: ${(node.failureSummary ?? "").replace(/\s+/g, " ")}`,
        )
        .join("");
      return `${violation.impact} ${violation.id} (${violation.help}) on ${violation.nodes.length} element(s):${nodes}`;
    });
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
}

const STATES: readonly State[] = [
  { name: "org-page", path: "/" },
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
  { name: "issue-panel", path: "/pages/issue-panel/?project=PAY&board=1&issue=PAY-2104" },
  { name: "issue-context", path: "/pages/issue-context/?project=PAY&board=1&issue=PAY-2104" },
  { name: "admin-page", path: "/pages/admin-page/" },
  { name: "gadget-edit", path: "/pages/gadget/?entryPoint=edit" },
  { name: "gadget", path: "/pages/gadget/" },
];

describe.skipIf(CHROMIUM === null)("every page passes axe-core in light and dark", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`${scheme}: no serious or critical violation on any page or open state`, async () => {
      if (!demo) throw new Error("no demo server");
      const found: string[] = [];
      for (const state of STATES) {
        const page = await demo.browser.newPage();
        page.on("pageerror", (error) => console.error(error));
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${demo.base}${state.path}`);
        await settle(page);
        if (state.act) {
          await state.act(page);
          await settle(page);
        }
        expect(await page.locator("html").getAttribute("data-color-mode")).toBe(scheme);
        found.push(...(await auditPage(page)).map((line) => `${state.name}: ${line}`));
        await screenshot(page, `a11y-${state.name}-${scheme}`);
      }
      expect(found.length, `axe-core found:\n${found.join("\n")}`).toBe(0);
    }, 300_000);
  }
});
