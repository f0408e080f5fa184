import { describe, expect, it } from "vitest";
import { explainTeamPart } from "../../src/render/company-part";

const COMPANY = { investmentShare: 0.45, tolerance: 0.05 };
const spent = (roadmap: number, investment: number) => ({ roadmap, investment, unclassified: 0 });

describe("why a team holds the company off its target", () => {
  it("quotes the spent share the company target judges, and says a team on its own lower target still holds the company below", () => {
    const text = explainTeamPart(
      {
        name: "Growth",
        orgSpent: spent(80, 20),
        ownTarget: { investmentShare: 0.2, tolerance: 0.1 },
        contribution: 25,
      },
      COMPANY,
    );
    expect(text).toBe(
      "spent 20% of its time on investment; the company asks 45% while Growth's own target is 20% ± 10%, so even on its own target it holds the company below",
    );
  });

  it("words a team with no target of its own", () => {
    const text = explainTeamPart(
      { name: "Mobile", orgSpent: spent(90, 10), ownTarget: null, contribution: 35 },
      COMPANY,
    );
    expect(text).toBe(
      "spent 10% of its time on investment; the company asks 45%, and Mobile has declared no target of its own",
    );
    expect(text).not.toContain("no target declared on delivered");
  });

  it("does not blame a team's own target when that target is above the company's", () => {
    const text = explainTeamPart(
      {
        name: "Payments",
        orgSpent: spent(100, 0),
        ownTarget: { investmentShare: 0.5, tolerance: 0.05 },
        contribution: 45,
      },
      COMPANY,
    );
    expect(text).toBe(
      "spent 0% of its time on investment; the company asks 45%, and its time spent is below its own target of 50% ± 5% too",
    );
  });

  it("says a team below its own band is below it too, whatever the two targets are", () => {
    const text = explainTeamPart(
      {
        name: "Payments",
        orgSpent: spent(84.4, 15.6),
        ownTarget: { investmentShare: 0.3, tolerance: 0.05 },
        contribution: 30,
      },
      COMPANY,
    );
    expect(text).toBe(
      "spent 15.6% of its time on investment; the company asks 45%, and its time spent is below its own target of 30% ± 5% too",
    );
  });

  it("says a team above its own band is above it, not that its own target holds the company below", () => {
    const text = explainTeamPart(
      {
        name: "Platform",
        orgSpent: spent(55.3, 44.7),
        ownTarget: { investmentShare: 0.35, tolerance: 0.05 },
        contribution: 0.7,
      },
      COMPANY,
    );
    expect(text).toBe(
      "spent 44.7% of its time on investment; the company asks 45%; its time spent is above its own target of 35% ± 5%",
    );
  });

  it("says a team inside its own band, no lower than the company's, is inside it", () => {
    const text = explainTeamPart(
      {
        name: "Data",
        orgSpent: spent(50, 50),
        ownTarget: { investmentShare: 0.5, tolerance: 0.05 },
        contribution: -5,
      },
      COMPANY,
    );
    expect(text).toBe(
      "spent 50% of its time on investment; the company asks 45% while Data's own target is 50% ± 5%, so even on its own target it holds the company above",
    );
    expect(
      explainTeamPart(
        { name: "Data", orgSpent: spent(55, 45), ownTarget: COMPANY, contribution: 0 },
        COMPANY,
      ),
    ).toBe(
      "spent 45% of its time on investment; the company asks 45%; its time spent is inside its own target of 45% ± 5%",
    );
  });

  it("says nothing for a team outside the company's sum", () => {
    expect(
      explainTeamPart({ name: "X", orgSpent: null, ownTarget: null, contribution: null }, COMPANY),
    ).toBeNull();
  });
});
