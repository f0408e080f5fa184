/**
 * The server's list of every board (`/boards`) in Chromium, on the demo server: each board links to
 * its project page, its settings, its dashboard gadget and the gadget's settings, and opens any of
 * its issues in the issue panel and the issue context; every one answers 200 and shows that board's
 * page with no error state. Screenshot under test-output/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHROMIUM, openDemoPage, resolverOf, screenshot, startDemoInBrowser } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
const call = resolverOf(() => demo?.base ?? "");

beforeAll(async () => {
  if (CHROMIUM === null) return;
  demo = await startDemoInBrowser("capacity-boards-page-");
}, 120_000);
afterAll(async () => demo?.close());

interface Board {
  readonly name: string;
  readonly projectKey: string;
  readonly boardId: number;
}

const ERRORS = ".ds-section-message-error, .message-error";

/** Loaded: nothing busy, the network quiet; then no error state is shown. */
async function settledWithoutError(page: Page, what: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 60_000 }).toBe(0);
  const errors = await page.locator(ERRORS).allInnerTexts();
  expect(errors, `${what} shows an error`).toEqual([]);
}

/** Opens a link's address: it answers 200, and the page shows `ready`. */
async function follow(page: Page, href: string, ready: () => Promise<void>, what: string) {
  const response = await page.goto(new URL(href, demo?.base).href);
  expect(response?.status(), `${what}: ${href}`).toBe(200);
  await ready();
  await settledWithoutError(page, `${what} (${href})`);
}

/** The page names this board: alone in its project, or chosen in the board picker. */
async function showsBoard(page: Page, board: Board): Promise<void> {
  const alone = page.getByTestId("board-name");
  const picker = page.getByLabel("Board", { exact: true });
  await alone.or(picker).first().waitFor({ timeout: 60_000 });
  if ((await alone.count()) > 0) expect(await alone.innerText()).toBe(`Board: ${board.name}`);
  else expect(await picker.inputValue()).toBe(String(board.boardId));
}

describe.skipIf(CHROMIUM === null)("/boards", () => {
  it("links each board to its pages, its gadget and its issue views, each answering 200 without an error", async () => {
    const list = await openDemoPage(demo, "/boards");
    const sections = list.locator("section.card");
    // Every team of the demo workspace is a board of the list.
    const overview = z
      .object({ teams: z.array(z.object({ name: z.string(), boardId: z.number().nullable() })) })
      .parse(await call("org/get", {}));
    const boards = (await sections.locator("h2").allInnerTexts()).map((heading) => {
      const found = /^(.+) \((\S+), board (\d+)\)$/.exec(heading.trim());
      if (!found) throw new Error(`A board's heading reads ${JSON.stringify(heading)}.`);
      return { name: found[1] ?? "", projectKey: found[2] ?? "", boardId: Number(found[3]) };
    });
    expect(boards.map((board) => board.name).sort()).toEqual(
      overview.teams.map((team) => team.name).sort(),
    );
    for (const board of boards) {
      expect(overview.teams.find((team) => team.name === board.name)?.boardId).toBe(board.boardId);
    }
    const page = await openDemoPage(demo, "/boards");

    for (const board of boards) {
      const { name } = board;
      const section = sections.filter({ hasText: `(${board.projectKey}, board ${board.boardId})` });
      const href = async (link: string): Promise<string> =>
        (await section.getByRole("link", { name: link, exact: true }).getAttribute("href")) ?? "";

      await follow(
        page,
        await href("Project page"),
        async () => {
          await showsBoard(page, board);
          await page.getByTestId("computed-at").waitFor({ timeout: 60_000 });
        },
        `${name}'s project page`,
      );
      await follow(
        page,
        await href("Project settings"),
        async () => {
          await showsBoard(page, board);
          await page.getByTestId("rules-editor").waitFor({ timeout: 60_000 });
        },
        `${name}'s project settings`,
      );
      // The gadget shows this board's team, and its settings start from it.
      await follow(
        page,
        await href("Dashboard gadget"),
        async () => {
          const verdict = page.getByTestId("gadget-verdict");
          await verdict.waitFor({ timeout: 60_000 });
          expect(await verdict.getAttribute("aria-label")).toBe(name);
        },
        `${name}'s gadget`,
      );
      await follow(
        page,
        await href("Gadget settings"),
        async () => {
          const choice = page.getByLabel("Show the verdict of");
          await choice.waitFor({ timeout: 60_000 });
          expect(await choice.inputValue()).toBe(`board:${board.boardId}`);
        },
        `${name}'s gadget settings`,
      );

      // Each issue view, for the issue the list picks first, through the list's own form.
      const issue = await section.getByLabel("Issue").inputValue();
      expect(issue.startsWith(`${board.projectKey}-`)).toBe(true);
      for (const [button, path] of [
        ["Open issue panel", "/pages/issue-panel/"],
        ["Open issue context", "/pages/issue-context/"],
      ] as const) {
        await page.goto(`${demo?.base ?? ""}/boards`);
        const form = page
          .locator("section.card")
          .filter({ hasText: `(${board.projectKey}, board ${board.boardId})` });
        await form.getByRole("button", { name: button }).click();
        await page.waitForURL((url) => url.pathname === path);
        const url = new URL(page.url());
        expect(url.searchParams.get("issue")).toBe(issue);
        expect(url.searchParams.get("board")).toBe(String(board.boardId));
        expect((await fetch(url)).status).toBe(200);
        if (path === "/pages/issue-panel/") {
          await page.getByTestId("provenance").waitFor({ timeout: 60_000 });
        } else {
          await page.getByRole("img").waitFor({ timeout: 60_000 });
        }
        await settledWithoutError(page, `${name}'s ${button.replace("Open ", "")} of ${issue}`);
      }
    }
    await page.close();
    await screenshot(list, "boards-page");
  }, 480_000);
});
