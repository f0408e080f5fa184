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
      "spent 0% of its time on investment; the company asks 45%; Payments's own target is 50% ± 5%",
    );
  });

  it("says nothing for a team outside the company's sum", () => {
    expect(
      explainTeamPart({ name: "X", orgSpent: null, ownTarget: null, contribution: null }, COMPANY),
    ).toBeNull();
  });
});
