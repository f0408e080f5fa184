/**
 * A bulk classify of 120 issues followed in Chromium, on the server mirroring a fake Jira that
 * takes 40 ms a request, so each batch of 50 takes seconds: every value the progress bar and its
 * text showed is recorded, and the page shows 0 of 120, a batch's end on the way, and 120 of 120,
 * never going back; an ask that fails is said and asked again.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateDemoWorkspace } from "../../src/workspace/index";
import { expectTruthfulProgress } from "../helpers/bulk-progress";
import { boardIdOf, useFakeJira } from "../helpers/fake-trackers";
import {
  CHROMIUM,
  OUTPUT,
  resolverOf,
  screenshot,
  selectTriage120,
  startServerInBrowser,
} from "./harness";

const NOW = Date.parse("2026-11-24T00:00:00Z");
/** The mirror's only board: the demo's team with the most unclassified work. */
const BOARD = 1;
const TOTAL = 120;

const fake = useFakeJira({
  workspace: generateDemoWorkspace(NOW),
  now: NOW,
  boards: [{ teamId: "DATA" }],
});
let server: Awaited<ReturnType<typeof startServerInBrowser>> | undefined;
const resolve = resolverOf(() => server?.base ?? "", "DATA");

beforeAll(async () => {
  server = await startServerInBrowser("capacity-bulk-progress-", {
    syncEveryMs: 0,
    source: {
      kind: "jira",
      site: fake.url,
      boardIds: [boardIdOf(fake, "DATA")],
      email: fake.email,
      apiToken: fake.token,
    },
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** What the page showed of a running bulk change, each time it changed. */
const shown = z.array(
  z.object({ now: z.string().nullable(), max: z.string().nullable(), text: z.string() }),
);

/** Records, from before the page's first script, each state of the bulk change's progress. */
async function recordProgress(page: Page): Promise<void> {
  await page.addInitScript(`
    const seen = [];
    window.bulkProgressSeen = seen;
    new MutationObserver(() => {
      const box = document.querySelector('[data-testid="bulk-progress"]');
      const bar = box?.querySelector('[role="progressbar"]');
      if (!box || !bar) return;
      const state = {
        now: bar.getAttribute("aria-valuenow"),
        max: bar.getAttribute("aria-valuemax"),
        text: box.textContent ?? "",
      };
      const last = seen.at(-1);
      if (last?.now !== state.now || last?.max !== state.max || last?.text !== state.text) {
        seen.push(state);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  `);
}

describe.skipIf(CHROMIUM === null)("bulk classify progress in a browser", () => {
  it("shows 0 of 120, each batch as Jira takes it, and 120 of 120, and says a failed ask", async () => {
    const keys = z
      .object({ keys: z.array(z.string()) })
      .parse(await resolve("triage/list", { boardId: BOARD, keys: true })).keys;
    expect(keys.length).toBeGreaterThan(TOTAL);
    const page = await server!.browser.newPage();
    page.on("pageerror", (error) => console.error(error));
    await recordProgress(page);
    await page.goto(`${server!.base}/pages/project-page/?project=DATA&board=${BOARD}`);
    const table = page.getByTestId("triage-table");
    await table.waitFor();
    await selectTriage120(page);

    // Jira slow from now on: each batch writes 50 labels one after another.
    fake.setLatency(40);
    // The first ask after the start fails as a dropped connection would; the page says so.
    let failed = 0;
    await page.route("**/api/resolve/bulk/status", async (route) => {
      if (failed++ === 0) await route.abort("connectionreset");
      else await route.continue();
    });
    try {
      await page.getByRole("button", { name: "Mark investment" }).click();
      await expect
        .poll(() => page.getByTestId("bulk-progress").textContent(), { timeout: 30_000 })
        .toContain("Could not ask how far the bulk change got");
      await page
        .getByTestId("bulk-progress")
        .screenshot({ path: join(OUTPUT, "bulk-progress.png") });
      const result = page.getByTestId("bulk-result");
      await expect
        .poll(() => result.textContent(), { timeout: 90_000 })
        .toBe("120 of 120 classified as investment.");
    } finally {
      fake.setLatency(0);
    }

    const seen = shown.parse(await page.evaluate("window.bulkProgressSeen"));
    console.log(`The page showed: ${seen.map((state) => state.now).join(", ")}`);
    for (const state of seen) expect(state.max).toBe(String(TOTAL));
    const values = seen.map((state) => Number(state.now));
    // Each state the backend answered, in order; the text said the same count.
    const counts = values.filter((value, index) => index === 0 || value !== values[index - 1]);
    expectTruthfulProgress(counts, TOTAL);
    for (const state of seen) {
      const done = Number(state.now);
      const said =
        done === TOTAL
          ? `${TOTAL} of ${TOTAL} classified as investment.`
          : `${done} of ${TOTAL} classified as investment so far…`;
      expect(state.text.startsWith(said), state.text).toBe(true);
    }
    expect(seen.some((state) => state.text.includes("The page asks again by itself in"))).toBe(
      true,
    );
    await screenshot(page, "bulk-progress-done");
  }, 180_000);
});
