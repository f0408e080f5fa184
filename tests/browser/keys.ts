/**
 * A page with the keyboard alone: what has focus, Tab until it reaches an element, and a drill-down
 * opened from the keyboard, its focus kept inside and given back by Escape.
 */
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

/** What has focus, as a selector-like line the assertions read: `tag#testid[data-sprint]…`. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return "body";
    const parts = [element.tagName.toLowerCase()];
    for (const name of ["data-testid", "data-sprint", "aria-label"]) {
      const value = element.getAttribute(name);
      if (value) parts.push("[" + name + "=" + value + "]");
    }
    if (element.closest("dialog")) parts.push(" in dialog");
    parts.push(" " + (element.textContent ?? "").trim().slice(0, 40));
    return parts.join("");
  })()`);
}

/** Presses Tab (or Shift+Tab) until what has focus matches `selector`; fails after `limit` presses. */
export async function tabTo(
  page: Page,
  selector: string,
  backwards = false,
  limit = 80,
): Promise<void> {
  for (let press = 0; press < limit; press++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const matches = await page.evaluate(
      `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`,
    );
    if (matches === true) return;
  }
  throw new Error(
    `${limit} presses of Tab never reached ${selector}; focus is on ${await focused(page)}`,
  );
}

/**
 * Opens the drill-down from what has focus with `key`, checks the trap, runs `whileOpen` on the
 * open dialog and closes it with Escape; answers what the dialog announced.
 */
export async function drillAndReturn(
  page: Page,
  key: "Enter" | " ",
  whileOpen?: (dialog: Locator) => Promise<void>,
): Promise<string> {
  const opener = await focused(page);
  await page.keyboard.press(key === " " ? "Space" : key);
  const dialog = page.getByTestId("drill-dialog");
  await dialog.waitFor();
  const announced = page.getByTestId("drill-announcer");
  await expect
    .poll(() => announced.textContent())
    .toMatch(
      /^\d+ issues?( behind it\.|, \d+ entries: an issue is listed once for each way it counts\.)$/,
    );
  // Focus starts inside the modal dialog and stays there however far a person tabs.
  expect(await focused(page)).toContain(" in dialog");
  for (let press = 0; press < 12; press++) {
    await page.keyboard.press("Tab");
    expect(await focused(page), `after ${press + 1} Tab presses`).toContain(" in dialog");
  }
  const text = (await announced.textContent()) ?? "";
  await whileOpen?.(dialog);
  await page.keyboard.press("Escape");
  await expect.poll(() => dialog.count()).toBe(0);
  expect(await focused(page)).toBe(opener);
  return text;
}
