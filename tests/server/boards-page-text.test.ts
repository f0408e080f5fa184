/**
 * The board list shows tracker text as text: markup escaped, controls and bidirectional
 * overrides (which reorder what is displayed) replaced by U+FFFD as every other output does.
 */
import { describe, expect, it } from "vitest";
import { renderBoardsPage } from "../../src/server/home-page";
import { demoOfTeams } from "../helpers/factories";

const NOW = Date.parse("2026-11-24T00:00:00Z");

describe("the board list with hostile tracker text", () => {
  const demo = demoOfTeams(NOW, ["PAY"]);
  const hostile = {
    ...demo,
    teams: demo.teams.map((team) => ({ ...team, name: `<b>Pay</b>\u202Eevil\u2066x\u2069` })),
    items: (demo.items ?? []).map((item, index) =>
      index === 0 ? { ...item, title: `<script>x</script>\u202Egnp.exe\u001b[31mred\u200E` } : item,
    ),
  };
  const html = renderBoardsPage(hostile as Parameters<typeof renderBoardsPage>[0]);

  it("keeps no bidi control or escape character", () => {
    for (const char of ["\u001b", "\u200E", "\u202E", "\u2066", "\u2069"])
      expect(html).not.toContain(char);
  });

  it("shows the team name and the title as escaped text with the controls made visible", () => {
    expect(html).toContain("&lt;b&gt;Pay&lt;/b&gt;\uFFFDevil\uFFFDx\uFFFD");
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;\uFFFDgnp.exe\uFFFD[31mred\uFFFD");
    expect(html).not.toContain("<script>");
  });
});
