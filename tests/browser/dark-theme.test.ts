/**
 * The pages in the dark theme, in Debian's Chromium with a dark colour scheme: the bridge's theme
 * support marks the page dark, the colours are Atlassian's dark tokens, and text stays readable
 * (WCAG 2 contrast of at least 4.5:1) on whatever it is drawn on.
 */
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, OUTPUT, startDemoInBrowser } from "./harness";

/** `color.text` and `elevation.surface` of Atlassian's dark theme. */
const DARK_TEXT = "rgb(182, 194, 207)";
const DARK_TEXT_SUBTLE = "rgb(159, 173, 188)";
const DARK_SURFACE = "rgb(29, 33, 37)";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
let browser: BrowserContext;
let base: string;

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-dark-", { colorScheme: "dark" });
  base = demo.base;
  browser = demo.browser;
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

interface Readability {
  readonly mode: string | null;
  /** The split chart's default fill, which its text inherits; null on pages without one. */
  readonly chartFill: string | null;
  readonly body: { readonly color: string; readonly background: string; readonly ratio: number };
  readonly checked: number;
  readonly failures: readonly string[];
}

/**
 * Every element that draws text of its own: its colour against the background it actually sits on
 * (translucent layers composited over their ancestors'), by WCAG 2's relative luminance formula.
 * Disabled controls are exempt, as WCAG 1.4.3 exempts inactive components.
 */
function measureReadability(page: Page): Promise<Readability> {
  return page.evaluate<Readability>(READABILITY_SCRIPT);
}

/**
 * Runs in the page, so it is plain JavaScript: the tests' TypeScript program has no DOM types.
 */
const READABILITY_SCRIPT = `(() => {
    const parse = (value) => {
      const parts = (/rgba?\\(([^)]+)\\)/.exec(value)?.[1] ?? "0, 0, 0, 0")
        .split(/[\\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const over = (top, bottom) => {
      const a = top[3];
      return [
        top[0] * a + bottom[0] * (1 - a),
        top[1] * a + bottom[1] * (1 - a),
        top[2] * a + bottom[2] * (1 - a),
        1,
      ];
    };
    const backgroundOf = (element) => {
      const layers = [];
      for (let node = element; node; node = node.parentElement) {
        const layer = parse(getComputedStyle(node).backgroundColor);
        if (layer[3] > 0) layers.push(layer);
        if (layer[3] >= 1) break;
      }
      return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    const luminance = ([r, g, b]) => {
      const channel = (c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const contrast = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const failures = [];
    let checked = 0;
    for (const element of document.body.querySelectorAll("*")) {
      const ownText = [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? "").trim() !== "",
      );
      if (!ownText || element.closest("svg, [disabled], option")) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const text = over(parse(getComputedStyle(element).color), backgroundOf(element));
      const ratio = contrast(text, backgroundOf(element));
      checked++;
      if (ratio < 4.5) {
        const name = \`\${element.tagName.toLowerCase()}.\${[...element.classList].join(".")}\`;
        failures.push(
          \`\${name} "\${(element.textContent ?? "").trim().slice(0, 40)}": \${ratio.toFixed(2)}\`,
        );
      }
    }
    const style = getComputedStyle(document.body);
    const chart = document.querySelector(".chart-scroll svg .chart-label");
    return {
      mode: document.documentElement.getAttribute("data-color-mode"),
      chartFill: chart ? getComputedStyle(chart).fill : null,
      body: {
        color: style.color,
        background: style.backgroundColor,
        ratio: contrast(parse(style.color), parse(style.backgroundColor)),
      },
      checked,
      failures,
    };
})()`;

async function expectDarkAndReadable(page: Page, name: string): Promise<void> {
  const result = await measureReadability(page);
  expect(result.mode).toBe("dark");
  expect(result.body.color).toBe(DARK_TEXT);
  expect(result.body.background).toBe(DARK_SURFACE);
  expect(result.body.ratio).toBeGreaterThanOrEqual(4.5);
  expect(result.checked).toBeGreaterThan(5);
  expect(result.failures).toEqual([]);
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
}

describe.skipIf(CHROMIUM === null)("the dark theme", () => {
  it("project page: dark tokens, readable text, and a chart drawn in the page's colours", async () => {
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(error));
    await page.goto(`${base}/pages/project-page/?project=PAY&board=1`);
    await page.getByTestId("split-chart").locator("svg").waitFor();
    await page.getByRole("checkbox").first().waitFor();
    await expectDarkAndReadable(page, "dark-project-page");
    // The chart's labels are drawn in the dark theme's subtle text colour, not the light one's.
    expect((await measureReadability(page)).chartFill).toBe(DARK_TEXT_SUBTLE);
    await page.close();
  }, 60_000);

  it("issue panel: dark tokens and readable text, the lozenge included", async () => {
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(error));
    await page.goto(`${base}/pages/issue-panel/?project=PAY&board=1&issue=PAY-2104`);
    await page.getByTestId("provenance").waitFor();
    await page.getByTestId("sprint-split").waitFor();
    await page.locator(".lozenge").first().waitFor();
    await expectDarkAndReadable(page, "dark-issue-panel");
    await page.close();
  }, 60_000);

  it("project settings: the rules editor and its preview stay readable", async () => {
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(error));
    await page.goto(`${base}/pages/project-settings/?project=PAY&board=1`);
    await page.getByRole("button", { name: "Edit a copy of the defaults" }).click();
    await page.getByTestId("preview-changed").waitFor();
    await expectDarkAndReadable(page, "dark-project-settings");
    await page.close();
  }, 60_000);
});
