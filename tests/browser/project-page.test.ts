/**
 * The project page in Chromium against the self-hosted server on a fresh demo store: the verdict
 * and the open flags equal what the CLI says for the same board and moment, a flag opens the
 * issues behind it, and an issue key opens the server's issue view. Screenshots in light and dark.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { drillDown, drillRequestsOfFlag } from "../../src/app/drill-down";
import { describeRequired, leadingFlag, statusOfQuarter, verdictOf } from "../../src/render/index";
import { formatPercent } from "../../src/domain/percent";
import type { Flag, Report } from "../../src/domain/types";
import { start } from "../../src/server/main";
import { SqliteStore } from "../../src/store/sqlite/index";
import { workspaceBoardSource } from "../../src/server/workspace-board-source";
import { cli } from "../cli/run";
import {
  readBoards as readServerBoards,
  writeWorkspaceFile as writeServerWorkspace,
  type Board,
} from "./cli-oracle";
import { CHROMIUM, launchBrowser, screenshot } from "./harness";

/** The demo's boards as the server numbers them. */
const readBoards = (): Promise<Board[]> => readServerBoards(dataFile);

/** The server's workspace as a file the CLI reads: its items and every declared target. */
const writeWorkspaceFile = (): Promise<string> =>
  writeServerWorkspace(dataFile, join(dir, "workspace.json"));

let dir: string;
let dataFile: string;
let server: { url: string; close: () => Promise<void> };
let light: BrowserContext;
let dark: BrowserContext;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-project-page-"));
  dataFile = join(dir, "store.sqlite");
  server = await start({ port: 0, host: "127.0.0.1", dataFile, token: null });
  base = server.url.replace(/\/$/, "");
  light = await launchBrowser(join(dir, "light"), { colorScheme: "light" });
  dark = await launchBrowser(join(dir, "dark"), { colorScheme: "dark" });
}, 120_000);

afterAll(async () => {
  await light?.close();
  await dark?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens a team's project page and waits for its verdict; answers the report's exact moment. */
async function openProjectPage(
  browser: BrowserContext,
  board: Board,
): Promise<{ page: Page; at: string }> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(error));
  await page.goto(`${base}/pages/project-page/?project=${board.projectKey}&board=${board.boardId}`);
  await page.getByTestId("verdict").waitFor({ timeout: 60_000 });
  const at = await page.getByTestId("computed-at").getAttribute("data-at");
  if (!at) throw new Error("the page does not say which moment its report describes");
  return { page, at };
}

/** The CLI on the server's workspace file at the page's moment, for one team. */
function cliFor(command: string, input: string, at: string, teamId: string, ...rest: string[]) {
  return cli([command, "--input", input, "--now", at, "--team", teamId, ...rest]);
}

async function cliReport(input: string, at: string, teamId: string): Promise<Report> {
  const run = await cliFor("report", input, at, teamId, "--format", "json");
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Report;
}

/** `capacity-split check --fail-on info` for one team: its lines, org lines left to the company page. */
async function cliOpenFlags(input: string, at: string, teamId: string): Promise<string[]> {
  const run = await cliFor("check", input, at, teamId, "--fail-on", "info");
  return run.stdout
    .split("\n")
    .map((line) => /^(INFO|WARNING|CRITICAL) (\S+) · .+? · ([A-Z_]+): (.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && match[2] === teamId)
    .map((match) => `${match[1]?.toLowerCase()} ${match[3]} ${match[4]}`);
}

/**
 * The story the demo plants in each team (src/workspace/demo/), as the page's first sentence
 * must tell it: the worst flag `capacity-split check` counts now, or the quarter against target.
 */
const STORIES: Readonly<Record<string, RegExp>> = {
  // Squeezed ahead of a launch: sprint after sprint delivers no investment.
  PAY: /^PAY Sprint \d+, PAY Sprint \d+, PAY Sprint \d+ all delivered investment below target: 0%, 0% and 0%/,
  // Its target lowered, it kept delivering investment: the roadmap starves.
  PLAT: /starving the roadmap\.$/,
  // Steady, a little above its 25 % target.
  CHK: /^On target so far: [\d.]+% of the work delivered in \d{4}-Q\d went to investment, against its 25% ± 5% target\.$/,
  MOB: /^Mobile has no investment target declared for \d{4}-Q\d, so its split cannot be checked\.$/,
  // About 40 % of its work unlabelled.
  DATA: /^[\d.]+% of the work delivered in \d{4}-Q\d is unclassified, so its split is uncertain\.$/,
  GRO: /^The latest target for Growth .* predates \d{4}-Q\d; confirm or change it\.$/,
  // Judged on time spent it is on target; its points alone would read below.
  IDN: /^On target so far: [\d.]+% of the time spent in \d{4}-Q\d went to investment, against its .* target\. On delivered work alone it would read [\d.]+%, below the band\.$/,
};

const RANK = { critical: 0, warning: 1, info: 2 } as const;
const severity = z.enum(["critical", "warning", "info"]);

describe.skipIf(CHROMIUM === null)("the project page", () => {
  it("says for every demo team the verdict and the open flags the CLI gives for the same board and moment", async () => {
    const boards = await readBoards();
    expect(boards.map((board) => board.teamId).sort()).toEqual(Object.keys(STORIES).sort());
    const input = await writeWorkspaceFile();
    for (const board of boards) {
      const { page, at } = await openProjectPage(light, board);
      const team = (await cliReport(input, at, board.teamId)).teams[0];
      const quarter = team?.quarters.at(-1);
      if (!team || !quarter) throw new Error(`the CLI has no current quarter for ${board.teamId}`);

      // The first thing the page says, under the board's name, is the team's story.
      const verdict = page.getByTestId("verdict");
      expect(await page.locator("main section").first().getAttribute("data-testid")).toBe(
        "verdict",
      );
      const story = (await verdict.locator("p").first().textContent()) ?? "";
      expect(await verdict.locator("p").first().getAttribute("data-testid")).toBe("verdict-story");
      expect(story, board.teamId).toBe(verdictOf(team).headline.label);
      expect(story, `${board.teamId}'s planted story`).toMatch(STORIES[board.teamId] ?? /^$/);
      const leading = leadingFlag(team);
      if (leading) {
        // A flag's message, word for word as `capacity-split check` prints it.
        const lines = await cliOpenFlags(input, at, board.teamId);
        expect(lines).toContain(`${leading.severity} ${leading.code} ${leading.message}`);
      }
      expect(await verdict.getByRole("heading").first().textContent()).toContain(quarter.id);
      expect(await page.getByTestId("verdict-share").textContent()).toBe(
        formatPercent(quarter.investmentShare[team.actual]),
      );
      expect(await page.getByTestId("verdict-status").textContent()).toBe(
        statusOfQuarter(quarter, team.actual).label,
      );
      expect(await page.getByTestId("verdict-required").textContent()).toBe(
        describeRequired(quarter, team.actual),
      );

      const shown = [];
      for (const item of await page.getByTestId("open-flags").locator("li").all()) {
        shown.push({
          severity: (await item.getAttribute("data-severity")) ?? "",
          code: (await item.getAttribute("data-code")) ?? "",
          message: (await item.locator(".flag-message").textContent()) ?? "",
        });
      }
      const ranks = shown.map((flag) => RANK[severity.parse(flag.severity)]);
      expect(ranks, `${board.teamId}: worst first`).toEqual([...ranks].sort((a, b) => a - b));
      expect(
        shown.map((flag) => `${flag.severity} ${flag.code} ${flag.message}`).sort(),
        `${board.teamId}: the open flags of check --fail-on info`,
      ).toEqual((await cliOpenFlags(input, at, board.teamId)).sort());
      if (board.teamId === "DATA") {
        // The story of the demo's DATA team: its unlabelled work shows as notes.
        expect(shown.some((flag) => flag.code === "LOW_CONFIDENCE")).toBe(true);
      }
      await screenshot(page, `project-page-${board.teamId.toLowerCase()}`);
    }
  }, 300_000);

  it("a flag opens the issues the domain counts for it, and a key opens the issue", async () => {
    const [pay] = await readBoards();
    if (!pay) throw new Error("no board");
    const { page, at } = await openProjectPage(light, pay);
    const first = page.getByTestId("open-flags").locator("li").first();
    const code = await first.getAttribute("data-code");
    const message = await first.locator(".flag-message").textContent();
    await first.getByRole("button", { name: "Show the issues" }).click();
    const dialog = page.getByTestId("drill-dialog");
    await dialog.getByTestId("drill-rows").waitFor();
    await expect.poll(() => dialog.locator("tbody a").count()).toBeGreaterThan(0);
    const keys = await dialog.locator("tbody a").allTextContents();

    const store = new SqliteStore(dataFile);
    try {
      const moment = Date.parse(at);
      const board = await workspaceBoardSource(store, () => moment).loadWorkspace(pay.boardId);
      const input = await writeWorkspaceFile();
      const team = (await cliReport(input, at, pay.teamId)).teams[0];
      const flag = team?.flags.find((f: Flag) => f.code === code && f.message === message);
      if (!team || !flag) throw new Error(`the CLI has no ${code} flag "${message}"`);
      const requests = drillRequestsOfFlag(flag, team.actual);
      if (!requests) throw new Error(`${code} has no issues behind it`);
      // Every period the flag names, one after the other (a run of sprints for an erosion).
      const drills = requests.map((request) => drillDown(board, request, moment));
      expect(await dialog.getByTestId("drill-period").count()).toBe(requests.length);
      expect(keys).toEqual(drills.flatMap((drill) => drill.rows.map((row) => row.id)));
      const rows = drills.flatMap((drill) => drill.rows);
      const distinct = new Set(rows.map((row) => row.id)).size;
      expect(await dialog.getByTestId("drill-count").textContent()).toMatch(
        new RegExp(`^${distinct} issues?(, ${rows.length} entries:| behind it)`),
      );
      // The rows add up to the number the flag is about.
      const request = requests.at(-1);
      const sprint = team.sprints.find((s) => s.id === flag.period.id);
      const reason = request?.reasons?.[0];
      if (sprint && reason && reason !== "spent" && reason !== "carriedOver") {
        const split = sprint[reason];
        expect(await dialog.getByTestId("drill-totals").last().textContent()).toContain(
          `roadmap ${split.roadmap}, investment ${split.investment}, unclassified ${split.unclassified}`,
        );
      }
    } finally {
      store.close();
    }
    await screenshot(page, "project-page-drill-flag");

    // From the chart: a sprint opened by keyboard, and its first key to the issue view.
    const { page: again } = await openProjectPage(light, pay);
    const slot = again.locator("[data-sprint]").last();
    await slot.focus();
    await again.keyboard.press("Enter");
    const rows = again.getByTestId("drill-dialog").locator("tbody a");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const key = (await rows.first().textContent()) ?? "";
    await rows.first().click();
    await again.waitForURL(/\/pages\/issue-panel\//);
    expect(new URL(again.url()).searchParams.get("issue")).toBe(key);
    await expect.poll(() => again.getByTestId("provenance").textContent()).toMatch(/—/);
    await again.close();
  }, 180_000);

  it("reads in the dark theme, with the drill-down open", async () => {
    const [pay] = await readBoards();
    if (!pay) throw new Error("no board");
    const { page } = await openProjectPage(dark, pay);
    expect(await page.locator("html").getAttribute("data-color-mode")).toBe("dark");
    await screenshot(page, "project-page-dark");
    const { page: drilled } = await openProjectPage(dark, pay);
    await drilled.getByTestId("verdict-share").click();
    await expect
      .poll(() => drilled.getByTestId("drill-dialog").locator("tbody tr").count())
      .toBeGreaterThan(0);
    await screenshot(drilled, "project-page-dark-drill");
  }, 120_000);
});
