/**
 * In Chromium on the demo server, in a frame the size of a dashboard gadget (400 × 480 px): a
 * team's flag opens the issues behind it in the gadget itself, with the keyboard alone, in a
 * dialog that fits the frame and scrolls inside; its totals are the project page's drill's for the
 * same flag and the report's numbers. The company's gadget opens the time a team holding the
 * company off its target spent. Screenshots under test-output/.
 */
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgOverview } from "../../src/app/org-overview";
import {
  drillRequestsOfFlag,
  type DrillReason,
  type Report,
  type Split,
} from "../../src/domain/index";
import { formatPercent } from "../../src/domain/percent";
import {
  CHROMIUM,
  OUTPUT,
  openDemoPage,
  resolverOf,
  screenshot,
  showInGadget,
  startDemoInBrowser,
} from "./harness";
import { drillAndReturn, tabTo } from "./keys";

const FRAME = { width: 400, height: 480 };

/** What the test reads of the dialog's scrolling (the tests compile without the DOM's types). */
interface Scrolling {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}

let demo: Awaited<ReturnType<typeof startDemoInBrowser>> | undefined;
const call = resolverOf(() => demo?.base ?? "");

beforeAll(async () => {
  if (CHROMIUM === null) return;
  demo = await startDemoInBrowser("capacity-gadget-drill-", { viewport: FRAME });
}, 120_000);
afterAll(async () => demo?.close());

const open = (path: string): Promise<Page> => openDemoPage(demo, path);

const showInGadgetOf = (option: string): Promise<Page> => showInGadget(demo, option);

/** Each period of an open drill dialog, by id, with its totals' lines. */
async function totalsOf(dialog: Locator): Promise<{ period: string; lines: string[] }[]> {
  const periods = dialog.getByTestId("drill-period");
  await periods.first().getByTestId("drill-totals").waitFor({ timeout: 60_000 });
  const found: { period: string; lines: string[] }[] = [];
  for (const period of await periods.all()) {
    found.push({
      period: (await period.getAttribute("data-period")) ?? "",
      lines: await period.getByTestId("drill-totals").locator("li").allInnerTexts(),
    });
  }
  return found;
}

/** "Delivered: roadmap 17, investment 0, unclassified 2.5 points; investment share 0%." */
const TOTAL_LINE =
  /^[^:]+: roadmap ([\d.]+), investment ([\d.]+), unclassified ([\d.]+) [a-z-]+; investment share ([^;]+)\.$/;

/**
 * A totals line says the split it sums, to the one decimal it shows; `slack` more where the split
 * was read at another moment than the page's (time spent grows with the clock).
 */
function expectLineOf(line: string, split: Split, slack = 0): void {
  const match = TOTAL_LINE.exec(line.trim());
  if (!match) throw new Error(`not a totals line: ${line}`);
  const [, roadmap, investment, unclassified, share] = match;
  for (const [shown, value] of [
    [roadmap, split.roadmap],
    [investment, split.investment],
    [unclassified, split.unclassified],
  ] as const) {
    expect(Math.abs(Number(shown) - value), `${line} against ${value}`).toBeLessThanOrEqual(
      0.05 + slack,
    );
  }
  const classified = split.roadmap + split.investment;
  const expected = formatPercent(classified === 0 ? null : split.investment / classified);
  if (slack === 0) expect(share).toBe(expected);
  else expect(Math.abs(parseFloat(share ?? "") - parseFloat(expected))).toBeLessThanOrEqual(0.1);
}

describe.skipIf(CHROMIUM === null)("the gadget's numbers open the issues behind them", () => {
  it("a team's flag opens its issues with the keyboard alone, totals as on the project page", async () => {
    const overview = (await call("org/get", {})) as OrgOverview;
    const payments = overview.teams.find((team) => team.projectKey === "PAY");
    if (!payments?.boardId) throw new Error("the demo has a Payments board");
    const report = (await call("report/get", { boardId: payments.boardId })) as Report;
    const team = report.teams[0];
    if (!team) throw new Error("Payments' report has no team");

    // The flag whose drill asks the most, of those only its code names (time spent moves with
    // the clock between the two pages' reports, delivered work does not).
    const codes = payments.flags.map(({ flag }) => flag.code);
    const candidates = payments.flags.flatMap(({ flag }) => {
      const requests = drillRequestsOfFlag(flag, team.actual);
      const unique = codes.filter((code) => code === flag.code).length === 1;
      const timed = requests?.some((request) => request.reasons?.includes("spent") ?? true);
      return requests && unique && !timed ? [{ flag, requests }] : [];
    });
    const size = (requests: readonly { reasons?: readonly DrillReason[] }[]) =>
      requests.reduce((sum, request) => sum + (request.reasons?.length ?? 0), 0);
    const chosen = candidates.sort((a, b) => size(b.requests) - size(a.requests))[0];
    if (!chosen) throw new Error("no flag of Payments opens issues");
    const { flag, requests } = chosen;
    expect(size(requests)).toBeGreaterThan(1);

    const gadget = await showInGadgetOf(payments.key);
    await tabTo(
      gadget,
      `[data-testid="gadget-flags"] li[data-code="${flag.code}"][data-period="${flag.period.id}"] button`,
    );
    let shown: { period: string; lines: string[] }[] = [];
    await drillAndReturn(gadget, "Enter", async (dialog) => {
      shown = await totalsOf(dialog);
      // The dialog fits the frame, which does not scroll sideways; it scrolls inside, its title
      // and Close still in view at the end of its rows.
      const fits = async () => {
        const box = await dialog.boundingBox();
        if (!box) throw new Error("the dialog is not drawn");
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(FRAME.width);
        expect(box.y + box.height).toBeLessThanOrEqual(FRAME.height);
      };
      await fits();
      const scrolling = await dialog.evaluate((element: Scrolling) => ({
        scroll: element.scrollHeight,
        client: element.clientHeight,
      }));
      expect(scrolling.scroll).toBeGreaterThan(scrolling.client);
      await dialog.evaluate((element: Scrolling) => (element.scrollTop = element.scrollHeight));
      await fits();
      const close = await dialog.getByRole("button", { name: "Close" }).boundingBox();
      const top = (await dialog.boundingBox())?.y ?? 0;
      expect(close?.y).toBeGreaterThanOrEqual(top);
      expect(await gadget.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
        FRAME.width,
      );
      await gadget.screenshot({ path: join(OUTPUT, "gadget-flag-drill.png") });
    });

    // The report's numbers: each period the flag names, each reason it judges.
    expect(shown.map((period) => period.period)).toEqual(requests.map((r) => r.period.id));
    requests.forEach((request, index) => {
      const period =
        request.period.kind === "sprint"
          ? team.sprints.find((sprint) => sprint.id === request.period.id)
          : team.quarters.find((quarter) => quarter.id === request.period.id);
      const lines = shown[index]?.lines ?? [];
      const reasons = request.reasons ?? [];
      expect(lines).toHaveLength(reasons.length);
      reasons.forEach((reason, at) => {
        const split = (period as Partial<Record<DrillReason, Split>> | undefined)?.[reason];
        if (!split) throw new Error(`the report has no ${reason} for ${request.period.id}`);
        expectLineOf(lines[at] ?? "", split);
      });
    });

    // The project page's drill for the same flag shows the same totals.
    const project = await open(
      `/pages/project-page/?project=PAY&board=${String(payments.boardId)}`,
    );
    const item = project.locator(`[data-testid="open-flags"] li[data-code="${flag.code}"]`);
    await item.waitFor({ timeout: 60_000 });
    await item.getByRole("button", { name: "Show the issues" }).click();
    expect(await totalsOf(project.getByTestId("drill-dialog"))).toEqual(shown);
    await project.close();
    await screenshot(gadget, "gadget-flag-drill-closed");
  }, 180_000);

  it("the company's gadget: a team holding it off its target opens the time it spent", async () => {
    const overview = (await call("org/get", {})) as OrgOverview;
    const quarter = overview.org.quarter;
    const first = overview.teams.find((team) => team.key === overview.holdingOff[0]);
    if (!quarter || !first?.orgSpent) throw new Error("the demo's company is held off its target");

    const gadget = await showInGadgetOf("org");
    const listed = gadget.getByTestId("gadget-holding-off").locator("li");
    expect(await listed.count()).toBe(Math.min(5, overview.holdingOff.length));
    await tabTo(gadget, '[data-testid="gadget-holding-off"] li:first-child button');
    expect(await listed.first().innerText()).toContain(first.name);
    let shown: { period: string; lines: string[] }[] = [];
    await drillAndReturn(gadget, " ", async (dialog) => {
      shown = await totalsOf(dialog);
    });
    // The company's quarter, the team's time spent in it: its part of the company's split.
    expect(shown.map((period) => period.period)).toEqual([quarter.id]);
    const [line] = shown[0]?.lines ?? [];
    expect(line).toMatch(/^Time spent in progress:/);
    // The test read the company a moment before the gadget did: a tenth of a day's slack.
    expectLineOf(line ?? "", first.orgSpent, 0.1);
    await screenshot(gadget, "gadget-company-part");
  }, 180_000);
});
