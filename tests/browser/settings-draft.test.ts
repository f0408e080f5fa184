/**
 * Unsaved settings outlive the page, in Chromium against the demo server: edits left by moving
 * the tab elsewhere, or by the host removing the page's frame as Jira's own navigation does, are
 * offered back on return; Restore fills the form and saving clears them, Discard removes them,
 * one board's edits never show on another, edits made before someone else saved say so, a
 * corrupt or foreign stored value is ignored, and the company target keeps its edits too.
 */
import type { BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { draftKey } from "../../static/shared/draft-store";
import { join } from "node:path";
import { CHROMIUM, OUTPUT, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let browser: BrowserContext;
let base: string;
let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;

beforeAll(async () => {
  demo = await startDemoInBrowser("capacity-settings-draft-");
  base = demo.base;
  browser = demo.browser;
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

const SETTINGS = "/pages/project-settings/";
const history = z.object({ entries: z.array(z.object({ reason: z.string() })) });

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  // Leaving with unsaved edits asks first (beforeunload); these tests leave.
  page.on("dialog", (dialog) => void dialog.accept());
  return page;
}

/** Waits until the settings page shows its board's history and rules as read. */
async function waitForSettings(page: Page | Frame): Promise<void> {
  await page.getByTestId("target-history").waitFor();
  await expect.poll(() => page.getByText(/^(Saved\.|Unsaved changes\.)$/).count()).toBe(1);
}

async function openSettings(page: Page, project: string, board: number): Promise<void> {
  await page.goto(`${base}${SETTINGS}?project=${project}&board=${board}`);
  await waitForSettings(page);
}

/** Where the demo's pages keep a board's unsaved edits: no Jira site, the server's one person. */
const boardKey = (board: number): string =>
  draftKey({ site: "", account: "local-user", form: `board:${board}` });

/** Whether the page's storage holds edits at `key`. */
async function isKept(page: Page, key: string): Promise<boolean> {
  return (await page.evaluate(`localStorage.getItem(${JSON.stringify(key)})`)) !== null;
}

const ruleLabels = (page: Page | Frame) => page.getByRole("textbox", { name: /^Rule \d+ labels$/ });

describe.skipIf(CHROMIUM === null)("unsaved settings kept between visits", () => {
  it("offers edits back after the tab went elsewhere; Restore fills the form and saving clears them", async () => {
    const page = await newPage();
    await openSettings(page, "PAY", 1);
    const saved = await page.getByLabel("Investment share (%)").inputValue();
    await page.getByLabel("Investment share (%)").fill("41");
    await page.getByLabel("Reason").fill("Draft test: more platform work");
    await page.getByRole("button", { name: "Add rule" }).click();
    await ruleLabels(page).last().fill("draft-test-label");

    // Elsewhere in the same tab, then back: nothing was saved.
    await page.goto(`${base}/boards`);
    await openSettings(page, "PAY", 1);
    const notice = page.getByTestId("draft-notice");
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /^You have unsaved changes from (a moment|\d+ minutes?) ago/,
    );
    expect(await notice.textContent()).not.toContain("older version");
    // Offered, not applied: the form shows what is saved until the person restores.
    expect(await page.getByLabel("Investment share (%)").inputValue()).toBe(saved);
    const labels = await Promise.all((await ruleLabels(page).all()).map((l) => l.inputValue()));
    expect(labels).not.toContain("draft-test-label");
    await page.screenshot({ path: join(OUTPUT, "settings-draft-notice.png"), fullPage: true });

    await notice.getByRole("button", { name: "Restore" }).click();
    await expect.poll(() => notice.count()).toBe(0);
    expect(await page.getByLabel("Investment share (%)").inputValue()).toBe("41");
    expect(await page.getByLabel("Reason").inputValue()).toBe("Draft test: more platform work");
    await expect.poll(() => ruleLabels(page).last().inputValue()).toBe("draft-test-label");
    expect(await page.getByText("Unsaved changes.").count()).toBe(1);

    await page.getByRole("button", { name: "Save rules" }).click();
    await expect.poll(() => page.getByText("Saved.", { exact: true }).count()).toBe(1);
    await page.getByRole("button", { name: "Declare target" }).click();
    await expect
      .poll(() => page.getByTestId("target-history").textContent())
      .toContain("Draft test: more platform work");
    const stored = history.parse(
      await resolverOf(() => base)("target/list", { boardId: 1 }),
    ).entries;
    expect(stored.at(-1)?.reason).toBe("Draft test: more platform work");
    await expect.poll(() => isKept(page, boardKey(1))).toBe(false);

    await page.reload();
    await waitForSettings(page);
    expect(await page.getByTestId("draft-notice").count()).toBe(0);
    await screenshot(page, "settings-draft-restored-saved");
  });

  it("removes edits on Discard, and one board's edits never show on another", async () => {
    const page = await newPage();
    await openSettings(page, "PAY", 1);
    const saved = await page.getByLabel("Tolerance (± %)").inputValue();
    await page.getByLabel("Tolerance (± %)").fill("9");

    await openSettings(page, "DATA", 6);
    expect(await page.getByTestId("draft-notice").count()).toBe(0);

    await openSettings(page, "PAY", 1);
    const notice = page.getByTestId("draft-notice");
    await notice.waitFor();
    await notice.getByRole("button", { name: "Discard" }).click();
    await expect.poll(() => notice.count()).toBe(0);
    expect(await page.getByLabel("Tolerance (± %)").inputValue()).toBe(saved);
    expect(await isKept(page, boardKey(1))).toBe(false);

    await page.reload();
    await waitForSettings(page);
    expect(await page.getByTestId("draft-notice").count()).toBe(0);
    await page.close();
  });

  it("says when the settings were saved again after the edits began", async () => {
    const page = await newPage();
    await openSettings(page, "DATA", 6);
    await page.getByLabel("Reason").fill("Draft test: my edit");
    await page.goto(`${base}/boards`);
    // Someone else declares a target meanwhile.
    await resolverOf(() => base, "DATA")("target/append", {
      boardId: 6,
      investmentShare: 0.35,
      tolerance: 0.05,
      effectiveFrom: new Date().toISOString().slice(0, 10),
      reason: "Draft test: someone else's save",
      requestId: "settings-draft-stale",
    });
    await openSettings(page, "DATA", 6);
    const notice = page.getByTestId("draft-notice");
    await notice.waitFor();
    expect(await notice.textContent()).toContain("They were started from an older version");
    await notice.getByRole("button", { name: "Restore" }).click();
    expect(await page.getByLabel("Reason").inputValue()).toBe("Draft test: my edit");
    await page.close();
  });

  it("keeps edits when the host removes the page's frame without any prompt, as Jira's navigation does", async () => {
    const page = await newPage();
    await page.goto(`${base}/boards`);
    const mount = (): Promise<unknown> =>
      page.evaluate(`(() => {
        const frame = document.createElement("iframe");
        frame.src = "${SETTINGS}?project=CHK&board=2";
        frame.style.width = "1000px";
        frame.style.height = "800px";
        document.body.append(frame);
      })()`);
    const frame = async (): Promise<Frame> => {
      await expect.poll(() => page.frames().length).toBe(2);
      const found = page.frames()[1];
      if (!found) throw new Error("no frame");
      return found;
    };
    await mount();
    const first = await frame();
    await waitForSettings(first);
    await first.getByLabel("Investment share (%)").fill("37");
    // Removed at once: the frame gets no chance to wait for its usual delay.
    await page.evaluate("document.querySelector('iframe').remove()");
    await mount();
    const second = await frame();
    await waitForSettings(second);
    const notice = second.getByTestId("draft-notice");
    await notice.waitFor();
    await notice.getByRole("button", { name: "Restore" }).click();
    expect(await second.getByLabel("Investment share (%)").inputValue()).toBe("37");
    await page.close();
  });

  it("ignores and removes a corrupt or foreign stored value, and the page works", async () => {
    const key = boardKey(1);
    for (const value of [
      "{not json",
      JSON.stringify({ keptAt: new Date().toISOString(), base: "x", value: { target: 41 } }),
      JSON.stringify({ keptAt: new Date().toISOString(), base: "x", value: "<img src=x>" }),
    ]) {
      const page = await newPage();
      await page.goto(`${base}/boards`);
      await page.evaluate(`localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(value)})`);
      await openSettings(page, "PAY", 1);
      await expect.poll(() => isKept(page, key)).toBe(false);
      expect(await page.getByTestId("draft-notice").count()).toBe(0);
      await page.getByLabel("Reason").fill("Still editable");
      await expect.poll(() => isKept(page, key)).toBe(true);
      await page.getByLabel("Reason").fill("");
      await expect.poll(() => isKept(page, key)).toBe(false);
      await page.close();
    }
  });

  it("keeps the company target's edits too", async () => {
    const page = await newPage();
    const openAdmin = async (): Promise<void> => {
      await page.goto(`${base}/pages/admin-page/`);
      await page.getByTestId("org-target-history").waitFor();
    };
    await openAdmin();
    const company = page.getByRole("region", { name: "Company target" });
    await company.getByLabel("Reason").fill("Draft test: company edit");
    await page.goto(`${base}/boards`);
    await openAdmin();
    const notice = company.getByTestId("draft-notice");
    await notice.waitFor();
    expect(await company.getByLabel("Reason").inputValue()).toBe("");
    await notice.getByRole("button", { name: "Restore" }).click();
    expect(await company.getByLabel("Reason").inputValue()).toBe("Draft test: company edit");
    // Not a board's edits: the project settings of a board offer nothing.
    await openSettings(page, "PAY", 1);
    expect(await page.getByTestId("draft-notice").count()).toBe(0);
    await page.close();
  });
});
