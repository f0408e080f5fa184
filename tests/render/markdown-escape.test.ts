/**
 * Tracker text in the markdown the product writes (`--format md`, Linear's living document and
 * cycle updates) stays text. Checked by parsing the output with markdown-it, a CommonMark parser
 * with GFM tables (the parser of ProseMirror's markdown support): a report full of hostile names
 * must parse to exactly the structure of the same report with plain names, and show each
 * hostile name as its literal text.
 */
import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { describe, expect, it } from "vitest";
import { escapeMarkdown, renderCycleUpdate, renderMarkdown } from "../../src/render/index";
import { cleanText } from "../../src/render/plain-text";
import { cycleMarker } from "../../src/linear/index";
import type { Flag, Report, TeamReport } from "../../src/domain/types";
import { makeSprint, makeTeam, split } from "./fixture";

const HOSTILE = [
  "# Heading",
  "![x](http://evil/x.png)",
  "[link](javascript:alert(1))",
  "<https://evil.example/autolink>",
  "| a | b |",
  "<img src=x onerror=alert(1)>",
  "`code` and ``more``",
  "**bold** _em_ ~~gone~~",
  "first line\n# Heading\n- item\n\n> quote",
  "- item",
  "1. item",
  "> quote",
  "===",
  "&lt;b&gt; &#35;",
  "trailing backslash \\",
  "[ref]: http://evil/",
  `_${cycleMarker("C2")}_`,
] as const;

const parser = new MarkdownIt({ html: true, linkify: false });

/** Every token's type and nesting, with text (however escaped) left out. */
function structure(markdown: string): string[] {
  const out: string[] = [];
  const walk = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      if (token.type === "text" || token.type === "text_special") continue;
      out.push(`${token.type}${token.tag === "" ? "" : `:${token.tag}`}`);
      if (token.children) walk(token.children);
    }
  };
  walk(parser.parse(markdown, {}));
  return out;
}

/** The text a reader sees, escapes resolved, one string per inline run. */
function shownText(markdown: string): string {
  const parts: string[] = [];
  for (const token of parser.parse(markdown, {})) {
    if (token.type !== "inline") continue;
    parts.push((token.children ?? []).map((child) => child.content).join(""));
  }
  return parts.join("\n");
}

function teamWith(names: readonly string[]): TeamReport {
  const [teamName = "", ...rest] = names;
  const sprints = rest.map((name, i) =>
    makeSprint({
      id: `S${i + 1}`,
      name,
      startAt: `2026-09-${String(i + 1).padStart(2, "0")}T00:00:00.000Z`,
      delivered: split(3, 1),
      investmentShare: { committed: null, delivered: 0.25, spent: null },
      flags: [{ code: "SPRINT_SQUEEZED", severity: "warning" }],
    }),
  );
  const flags: Flag[] = sprints.map((sprint, i) => ({
    code: "SPRINT_SQUEEZED",
    severity: "warning",
    period: { kind: "sprint", id: sprint.id },
    message: `${names[i] ?? ""} is the message`,
    evidence: {},
  }));
  return makeTeam({
    id: "PAY",
    name: teamName,
    sprints,
    quarters: [],
    flags,
    items: names.map((name) => ({
      id: name,
      category: "unclassified",
      source: "none",
      via: null,
    })),
  });
}

const plainNames = HOSTILE.map((_, i) => `Name ${i}`);
const reportOf = (team: TeamReport): Report => ({
  version: 2,
  org: { quarters: [], flags: [] },
  now: "2026-11-24T00:00:00.000Z",
  teams: [team],
});

describe("markdown from hostile names", () => {
  it("the report parses exactly as with plain names, and shows every name as text", () => {
    const hostile = renderMarkdown(reportOf(teamWith(HOSTILE)));
    expect(structure(hostile)).toEqual(structure(renderMarkdown(reportOf(teamWith(plainNames)))));
    const shown = shownText(hostile);
    for (const name of HOSTILE) expect(shown).toContain(cleanText(name));
  });

  it("a cycle update parses exactly as with plain names, and shows every name as text", () => {
    const updateOf = (names: readonly string[]) => {
      const team = teamWith(names);
      return team.sprints.map((sprint) =>
        renderCycleUpdate(
          team,
          sprint,
          team.flags.filter((flag) => flag.period.id === sprint.id),
        ),
      );
    };
    const hostile = updateOf(HOSTILE);
    const plain = updateOf(plainNames);
    hostile.forEach((update, i) => {
      expect(structure(update)).toEqual(structure(plain[i] ?? ""));
      expect(shownText(update)).toContain(`${cleanText(HOSTILE[i + 1] ?? "")} closed`);
      expect(shownText(update)).toContain(`${cleanText(HOSTILE[i] ?? "")} is the message`);
    });
  });

  it("escapes a name that would start a block wherever it is placed", () => {
    for (const name of ["- item", "+ item", "1. item", "2) item", "===", "# h", "> q"]) {
      const tokens = parser.parse(escapeMarkdown(name), {}).map((token) => token.type);
      expect(tokens).toEqual(["paragraph_open", "inline", "paragraph_close"]);
      expect(shownText(escapeMarkdown(name))).toBe(name);
    }
  });
});
