/**
 * What a person does on each page, in Debian's Chromium driven by playwright-core, against the
 * self-hosted server on a fresh demo store. Each test saves a screenshot under test-output/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { start } from "../../src/server/main";
import { SqliteStore } from "../../src/store/sqlite/index";
import { readWorkspaceFile } from "../../src/server/workspace-board-source";
import { CHROMIUM, launchBrowser, resolverOf, screenshot } from "./harness";

let dir: string;
let dataFile: string;
let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let base: string;

const resolve = resolverOf(() => base);
const resolveIn = (project: string) => resolverOf(() => base, project);

async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}${path}`);
  return page;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-browser-"));
  dataFile = join(dir, "store.sqlite");
  server = await start({ port: 0, host: "127.0.0.1", dataFile, token: null });
  base = server.url.replace(/\/$/, "");
  browser = await launchBrowser(dir);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(CHROMIUM === null)("the pages in a browser", () => {
  it("issue panel: clicking Investment on an unclassified issue changes its provenance and the sprint split", async () => {
    const report = z
      .object({
        teams: z.array(
          z.object({ sprints: z.array(z.object({ id: z.string(), state: z.string() })) }),
        ),
      })
      .parse(await resolve("report/get", { boardId: 1 }));
    const active =
      report.teams[0]?.sprints.filter((s) => s.state === "active").map((s) => s.id) ?? [];
    const triage = z
      .object({ keys: z.array(z.string()) })
      .parse(await resolve("triage/list", { boardId: 1, keys: true }));
    const unclassified = new Set(triage.keys);
    const store = new SqliteStore(dataFile);
    const file = await readWorkspaceFile(store);
    store.close();
    const issue = (file.items ?? []).find(
      (item) =>
        unclassified.has(item.id) && (item.sprintIds ?? []).some((id) => active.includes(id)),
    );
    expect(issue, "an unclassified demo issue in the active sprint").toBeDefined();
    const key = issue?.id ?? "";

    const page = await openPage(`/pages/issue-panel/?project=PAY&board=1&issue=${key}`);
    const provenance = page.getByTestId("provenance");
    await expect.poll(() => provenance.textContent()).toContain("Unclassified");
    const split = page.getByTestId("sprint-split");
    const before = await split.textContent();
    await page.getByRole("button", { name: "Investment", exact: true }).click();
    await expect.poll(() => provenance.textContent()).toContain("Investment — set on this issue");
    await expect.poll(() => split.textContent()).not.toBe(before);
    await screenshot(page, "issue-panel-classify");
  });

  it("issue panel: an issue a rule classified names the rule in words", async () => {
    const report = z
      .object({
        teams: z.array(
          z.object({
            items: z.array(
              z.object({ id: z.string(), source: z.string(), via: z.string().nullable() }),
            ),
          }),
        ),
      })
      .parse(await resolve("report/get", { boardId: 1 }));
    const byRule = report.teams[0]?.items.find((item) => item.source === "rule");
    expect(byRule, "a demo issue classified by a rule").toBeDefined();
    const page = await openPage(
      `/pages/issue-panel/?project=PAY&board=1&issue=${byRule?.id ?? ""}`,
    );
    const provenance = page.getByTestId("provenance");
    await expect
      .poll(() => provenance.textContent())
      .toMatch(/— rule: (type|label|component|project|title) /);
    expect(await provenance.textContent()).not.toMatch(/rule:\d/);
    await screenshot(page, "issue-panel-rule");
  });

  it("project settings: a timezone and a weight for unestimated items are saved; untouched ones stay the board's", async () => {
    const settings = z.object({
      timezone: z.string().optional(),
      unestimatedWeight: z.number().optional(),
    });
    expect(settings.parse(await resolveIn("CHK")("settings/get", { boardId: 2 }))).toEqual({});
    const page = await openPage("/pages/project-settings/?project=CHK&board=2");
    await page.getByLabel("Timezone").selectOption("Europe/Zurich");
    await page.getByLabel("Weight of an unestimated item").fill("2");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => page.getByText("Settings saved.").count()).toBe(1);
    const saved = settings.parse(await resolveIn("CHK")("settings/get", { boardId: 2 }));
    expect(saved).toMatchObject({ timezone: "Europe/Zurich", unestimatedWeight: 2 });
    await page.getByLabel("Timezone").selectOption("");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect
      .poll(
        async () => settings.parse(await resolveIn("CHK")("settings/get", { boardId: 2 })).timezone,
      )
      .toBeUndefined();
    await page.close();
  });

  it("project settings: a declared target appears in the history", async () => {
    const page = await openPage("/pages/project-settings/?project=PAY&board=1");
    await page.getByLabel("Investment share (%)").fill("40");
    await page.getByLabel("Tolerance (± %)").fill("5");
    // Dated today: a back-dated one asks to confirm first (project-settings.test.ts).
    await page.getByLabel("Effective from").fill(new Date().toISOString().slice(0, 10));
    await page.getByLabel("Reason").fill("Browser test: platform push");
    await page.getByRole("button", { name: "Declare target" }).click();
    await expect
      .poll(() => page.getByTestId("target-history").textContent())
      .toContain("Browser test: platform push");
    await expect.poll(() => page.getByTestId("target-history").textContent()).toContain("40% ± 5%");
    await screenshot(page, "project-settings-declare-target");
  });

  it("project page: bulk-classifying two triage items removes them from the list", async () => {
    const page = await openPage("/pages/project-page/?project=PAY&board=1");
    await page.getByTestId("split-chart").waitFor();
    expect(await page.getByTestId("computed-at").textContent()).toMatch(
      /^Computed \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/,
    );
    const boxes = page.getByTestId("triage-table").getByRole("checkbox");
    const first = (await boxes.nth(0).getAttribute("aria-label"))?.replace("Select ", "") ?? "";
    const second = (await boxes.nth(1).getAttribute("aria-label"))?.replace("Select ", "") ?? "";
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole("button", { name: "Mark investment" }).click();
    await expect.poll(() => page.getByLabel(`Select ${first}`).count()).toBe(0);
    await expect.poll(() => page.getByLabel(`Select ${second}`).count()).toBe(0);
    await screenshot(page, "project-page-bulk-classify");
  });

  it("issue panel: a resolver's error is shown as the message a person can act on", async () => {
    const page = await openPage("/pages/issue-panel/?project=PAY&board=1&issue=PAY-999999");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("PAY-999999");
    await screenshot(page, "issue-panel-error");
  });

  it("issue context: shows the category lozenge with its provenance in words", async () => {
    const page = await openPage("/pages/issue-context/?project=PAY&board=1&issue=PAY-2104");
    const lozenge = page.locator(".lozenge");
    await expect.poll(() => lozenge.textContent()).toBe("Investment");
    const label = await page.locator("[aria-label]").first().getAttribute("aria-label");
    expect(label).toMatch(/^Investment — /);
    await screenshot(page, "issue-context");
  });
});
