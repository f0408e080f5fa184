import { describe, expect, it } from "vitest";
import { renderSplitChartSvg } from "../../src/render/index";
import { makeSprint, makeTeam, payments, platform, split } from "./fixture";

function patternIds(svg: string): string[] {
  return Array.from(svg.matchAll(/<pattern id="([^"]+)"/g), (m) => m[1] ?? "");
}

describe("renderSplitChartSvg", () => {
  const svg = renderSplitChartSvg(payments);

  it("is a standalone SVG image with a text alternative", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(svg.endsWith("</svg>")).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(
      /aria-label="Investment share per sprint for Payments \| &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;, EU \(PAY\): PAY 1, closed, delivered 30%, spent 28.6%, target 30% ± 5%; /,
    );
    expect(svg).not.toContain("<script");
  });

  it("draws one bar with a tooltip per sprint, and names the basis of each", () => {
    expect(svg.match(/<g class="sprint /g)).toHaveLength(payments.sprints.length);
    expect(svg).toContain(
      "<title>PAY 2 (closed), delivered: roadmap 12, investment 4, unclassified 4 points; investment share 25%; " +
        "spent R / I / U 38 / 17 / 3 person-days, investment share 30.9%; target 30% ± 5%; flags judge delivered</title>",
    );
    expect(svg).toContain("<title>PAY 5 (future), committed: roadmap 6, investment 2");
    expect(svg).not.toMatch(/PAY 5 \(future\)[^<]*spent/);
    expect(svg).toMatch(/>delivered<\/text>.*>committed<\/text>/s);
    expect(svg).toContain(
      "Bars and line, closed: delivered weight · active and future (faded, dashed): committed",
    );
  });

  it("marks each sprint's spent investment share with a diamond, explained in the legend", () => {
    // Every sprint with a spent share but the future one, plus the legend's own.
    expect(svg.match(/<path class="spent-marker" /g)).toHaveLength(5);
    expect(svg).toContain(">Spent investment share (person-days)</text>");
    // PAY 3 spent 21.7%: y = 84 + 200 × (1 − 0.2174) = 240.5, centred in its 76px slot at 246.
    expect(svg).toContain(
      '<path class="spent-marker" d="M246 234.5L252 240.5L246 246.5L240 240.5Z"',
    );
  });

  it("fills categories with patterns as well as colours", () => {
    const [investment, unclassified] = patternIds(svg);
    expect(svg).toContain(`fill="url(#${investment ?? ""})"`);
    expect(svg).toContain(`fill="url(#${unclassified ?? ""})"`);
    expect(svg).toContain('fill="#0C66E4"');
  });

  it("draws the target band at t ± tol on the share axis, only where a target applies", () => {
    // Plot from y = 84 (100%) to y = 284 (0%): 35% → 214, 25% → 234.
    expect(svg).toContain('<rect x="56" y="214" width="76" height="20" fill="#22A06B"');
    const noTarget = renderSplitChartSvg(platform);
    expect(noTarget).not.toContain('fill="#22A06B" fill-opacity="0.28"');
    expect(noTarget).toContain(">No target declared: no band</text>");
    expect(noTarget).toContain(
      "Cycle 1, closed, delivered no classified work, spent no classified work, no target;",
    );
  });

  it("gives each chart its own pattern ids, even for ids that slug alike", () => {
    const a = patternIds(renderSplitChartSvg(makeTeam({ id: "A B" })));
    const b = patternIds(renderSplitChartSvg(makeTeam({ id: "A_B" })));
    expect(a).toHaveLength(2);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it("says so when a team has no sprints or a sprint has no work", () => {
    expect(renderSplitChartSvg(makeTeam())).toContain("No sprints.");
    const empty = renderSplitChartSvg(
      makeTeam({ sprints: [makeSprint({ delivered: split(0, 0) })] }),
    );
    expect(empty).toContain(">no work</text>");
  });
});
