import { describe, expect, it } from "vitest";
import { findChromium } from "./find-chromium";

describe("finding Chromium for the browser tests", () => {
  it.each<[string, Record<string, string>, readonly string[], ReturnType<typeof findChromium>]>([
    [
      "CHROMIUM_PATH first",
      { CHROMIUM_PATH: "/opt/chrome/chrome" },
      ["/opt/chrome/chrome", "/usr/bin/chromium"],
      { path: "/opt/chrome/chrome" },
    ],
    [
      "a CHROMIUM_PATH that is not there is named, not passed over",
      { CHROMIUM_PATH: "/opt/missing" },
      ["/usr/bin/chromium"],
      { reason: "CHROMIUM_PATH is /opt/missing, which does not exist" },
    ],
    [
      "Debian's",
      {},
      ["/usr/bin/chromium", "/usr/bin/google-chrome"],
      { path: "/usr/bin/chromium" },
    ],
    [
      "Ubuntu's",
      { CHROMIUM_PATH: "" },
      ["/usr/bin/chromium-browser"],
      { path: "/usr/bin/chromium-browser" },
    ],
    [
      "Google Chrome",
      {},
      ["/usr/bin/google-chrome-stable"],
      { path: "/usr/bin/google-chrome-stable" },
    ],
  ])("%s", (_name, env, installed, expected) => {
    expect(findChromium(env, (path) => installed.includes(path))).toEqual(expected);
  });

  it("says where it looked and what to do when there is none", () => {
    const found = findChromium({}, () => false);
    const reason = "reason" in found ? found.reason : "";
    expect(reason).toContain("no Chromium at /usr/bin/chromium, /usr/bin/chromium-browser");
    expect(reason).toMatch(/install one \(apt-get install chromium\) or set CHROMIUM_PATH$/);
  });
});
