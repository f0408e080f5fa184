import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/render/index";
import type { ItemReport } from "../../src/domain/types";
import { makeTeam, report } from "./fixture";

const SVG_NS = "http://www.w3.org/2000/svg";

describe("renderHtml", () => {
  const html = renderHtml(report);

  it("is one document that fetches nothing", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    const urls = html.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
    expect(new Set(urls)).toEqual(new Set([SVG_NS]));
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|src=/i);
    // The only url() references are the charts' own patterns.
    for (const ref of html.match(/url\([^)]*\)/g) ?? []) expect(ref).toMatch(/^url\(#/);
  });

  it("escapes user text", () => {
    expect(html).toContain("Payments | &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, EU");
    expect(html).not.toContain('alert("x")');
  });

  it("draws one chart per team, labelled for screen readers", () => {
    expect(html.match(/<svg /g)).toHaveLength(report.teams.length);
    expect(
      html.match(/<svg [^>]*role="img"[^>]*aria-label="Investment share per sprint for /g),
    ).toHaveLength(report.teams.length);
  });

  it("has a table of the chart's numbers, the quarters, the flags and the items to triage", () => {
    expect(html).toContain("<td>PAY 3 Checkout hardening</td><td>closed</td>");
    expect(html).toContain('<td>2026-Q4</td><td>current</td><td class="num">19 / 0 / 0</td>');
    expect(html).toContain(
      '<li class="flag-critical"><span class="severity">critical</span><code>INVESTMENT_ZEROED</code>',
    );
    expect(html).toContain("<code>PAY-3</code> (both labels), <code>PAY-4</code>.");
    expect(html).toContain("current target <strong>no target</strong>");
  });

  it("shows spent beside delivered for sprints and quarters, and which measure the flags judge", () => {
    expect(html).toContain(
      '<td>PAY 3 Checkout hardening</td><td>closed</td><td class="num">13 / 5 / 0</td>' +
        '<td class="num">16 / 0 / 0</td><td class="num">45 / 12.5 / 0</td>' +
        '<td class="num">27.8% → 0%</td><td class="num">21.7%</td>',
    );
    expect(html).toContain(
      '<td>2026-Q3</td><td>closed</td><td class="num">26 / 10 / 4</td><td class="num">50 / 22.5 / 2.5</td>' +
        '<td class="num">27.8% / 30%</td><td class="num">10% / 3.3%</td>',
    );
    expect(html).toContain("flags judge delivered weight · current target");
    expect(html).toContain("flags judge spent effort (person-days of work in progress)");
    expect(html).toContain('<th scope="col">Required share (spent)</th>');
  });

  it("ends with the org's quarters on spent person-days and their flags, escaped", () => {
    const org = html.slice(html.indexOf('<section class="team" id="org"'));
    expect(org).toContain('<h2 id="org-title">Org, all teams</h2>');
    expect(org).toContain(
      '<td>2026-Q4</td><td>current</td><td class="num">60 / 10 / 5</td><td class="num">13.3%</td>',
    );
    expect(org).toContain("<h3>Open org flags</h3>");
    expect(org).toContain("<code>QUARTER_AT_RISK</code> The org&#39;s 2026-Q4 can no longer end");
    expect(org).toContain("so far) &lt;b&gt;.</li>");
    expect(html).toContain('<li><a href="#org">Org, all teams</a></li>');
    const noOrg = renderHtml({ ...report, org: { quarters: [], flags: [] } });
    expect(noOrg).not.toContain('id="org"');
  });

  it("lists at most 50 items to triage", () => {
    const items: ItemReport[] = Array.from({ length: 53 }, (_, i) => ({
      id: `X-${i}`,
      category: "unclassified",
      source: "none",
      via: null,
    }));
    const page = renderHtml({
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [makeTeam({ items })],
    });
    expect(page.match(/<code>X-\d+<\/code>/g)).toHaveLength(50);
    expect(page).toContain("53 unclassified items: ");
    expect(page).toContain(" and 3 more.");
  });
});
