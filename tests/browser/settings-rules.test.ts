/**
 * The rules editor on the project settings page, in Debian's Chromium against the self-hosted
 * server on a fresh demo store: edit the default rules, see the preview move, save, reset.
 */
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { SqliteStore } from "../../src/store/sqlite/index";
import { storeKeys } from "../../src/store/index";
import { CHROMIUM, OUTPUT, resolverOf, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
let browser: BrowserContext;
let base: string;
let dataFile: string;

const settingsSchema = z.object({
  rules: z.array(z.object({ if: z.record(z.string(), z.unknown()), then: z.string() })).optional(),
});

const resolve = resolverOf(() => base);

const countOf = async (page: Page, rule: number): Promise<number | null> => {
  const text = (await page.getByTestId(`rule-${rule}-count`).textContent()) ?? "";
  const match = /would classify (\d+) items?/.exec(text);
  return match ? Number(match[1]) : null;
};

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-rules-");
  ({ base, browser, dataFile } = demo);
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

describe.skipIf(CHROMIUM === null)("the rules editor", () => {
  it("edits the default rules with a live preview, refuses what cannot be saved, saves and resets", async () => {
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(error));
    await page.goto(`${base}/pages/project-settings/?project=PAY&board=1`);

    // PAY follows the defaults: they are listed with their counts and can be copied to edit.
    const defaults = page.getByTestId("default-rules");
    await expect.poll(() => defaults.textContent()).toContain("type is Story or Feature");
    await page.getByRole("button", { name: "Edit a copy of the defaults" }).click();
    await expect.poll(() => page.locator(".rule").count()).toBe(3);
    await expect.poll(() => countOf(page, 3)).toBeGreaterThan(0);
    const stories = (await countOf(page, 3)) ?? 0;
    await expect
      .poll(() => page.getByTestId("preview-changed").textContent())
      .toContain("0 issues");

    // A new rule without conditions, then with a broken pattern: a message, and no saving.
    await page.getByRole("button", { name: "Add rule" }).click();
    const save = page.getByRole("button", { name: "Save rules" });
    await expect
      .poll(() => page.getByTestId("rule-4").textContent())
      .toContain("at least one condition");
    expect(await save.isDisabled()).toBe(true);
    await page.getByLabel("Rule 4 title pattern").fill("(payment");
    await expect
      .poll(() => page.getByTestId("rule-4").textContent())
      .toContain("not a valid pattern");
    expect(await save.isDisabled()).toBe(true);

    // A valid rule for bugs: the preview counts it and says what changes.
    await page.getByLabel("Rule 4 title pattern").fill("");
    await page.getByLabel("Rule 4 issue types").fill("Bug, Issue");
    await page.getByLabel("Rule 4 category").selectOption("investment");
    await expect.poll(() => countOf(page, 4)).toBeGreaterThan(0);
    const bugs = (await countOf(page, 4)) ?? 0;
    await expect
      .poll(() => page.getByTestId("preview-changed").textContent())
      .toContain(`${bugs} issue`);

    // Moved above the Story rule, it keeps its bugs and the Story rule its stories.
    await page.getByRole("button", { name: "Move rule 4 up" }).click();
    await expect.poll(() => countOf(page, 3)).toBe(bugs);
    await expect.poll(() => countOf(page, 4)).toBe(stories);

    await save.click();
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("Rules saved.");
    const saved = settingsSchema.parse(await resolve("settings/get", { boardId: 1 }));
    expect(saved.rules?.[2]).toEqual({ if: { type: ["Bug", "Issue"] }, then: "investment" });
    await expect
      .poll(() => page.getByTestId("preview-changed").textContent())
      .toContain("0 issues");
    await page.screenshot({ path: join(OUTPUT, "project-settings-rules.png"), fullPage: true });

    // Remove one, then reset: the product's defaults apply again.
    await page.getByRole("button", { name: "Remove rule 1" }).click();
    await expect.poll(() => page.locator(".rule").count()).toBe(3);
    await page.getByRole("button", { name: "Reset to defaults" }).click();
    await expect.poll(() => defaults.textContent()).toContain("type is Story or Feature");
    await save.click();
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("the default rules apply");
    expect(settingsSchema.parse(await resolve("settings/get", { boardId: 1 })).rules).toEqual([]);
    await page.close();
  }, 60_000);

  it("warns of a stored rule whose pattern RE2 refuses until it is fixed and saved", async () => {
    // Saved when title patterns ran on JavaScript's engine: a lookahead, which RE2 refuses.
    const stored = {
      timezone: "Asia/Tokyo",
      rules: [
        { if: { type: ["Bug"] }, then: "investment" },
        { if: { titleMatches: "^(?!WIP)" }, then: "roadmap" },
      ],
    };
    const direct = new SqliteStore(dataFile);
    try {
      await direct.set(storeKeys.teamSettings("1"), stored);
    } finally {
      direct.close();
    }
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(error));
    await page.goto(`${base}/pages/project-settings/?project=PAY&board=1`);
    const warning = page.locator(".message-warning");
    await expect
      .poll(() => warning.first().textContent())
      .toContain('Rule 2\'s title pattern "^(?!WIP)" is not a valid pattern');
    expect(await warning.first().textContent()).toContain("it is not applied until fixed");
    // The editor lists the rules in force: the refused one is entered again, fixed.
    await expect.poll(() => page.locator(".rule").count()).toBe(1);
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByLabel("Rule 2 title pattern").fill("^WIP");
    await page.getByLabel("Rule 2 category").selectOption("roadmap");
    const save = page.getByRole("button", { name: "Save rules" });
    await expect.poll(() => save.isDisabled()).toBe(false);
    await save.click();
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("Rules saved.");
    expect(await warning.count()).toBe(0);
    const saved = z
      .object({ timezone: z.string(), rules: z.array(z.unknown()), defaults: z.unknown() })
      .strict()
      .parse(await resolve("settings/get", { boardId: 1 }));
    expect(saved.timezone).toBe("Asia/Tokyo");
    expect(saved.rules[1]).toEqual({ if: { titleMatches: "^WIP" }, then: "roadmap" });
    await page.close();
  }, 60_000);
});
