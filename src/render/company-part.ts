import { formatPercent, type Split, type TargetRef } from "../domain/index";

/** A team's row on the company page, as far as its part in the company's gap goes. */
export interface TeamPart {
  readonly name: string;
  /** Its spent days in the org's current quarter. */
  readonly orgSpent: Split | null;
  /** Its own target for its current quarter. */
  readonly ownTarget: TargetRef | null;
  /** Investment days short of the company target: positive holds the company below. */
  readonly contribution: number | null;
}

/**
 * Why a team holds the company off its target, in the measure the company target judges: the
 * company is judged on time spent (SPEC §7, §9), so a team's part is its spent share in the org's
 * current quarter set against what the company asks, beside the team's own target. A team can be
 * on its own target and still hold the company below a higher one; the sentence says so.
 */
export function explainTeamPart(team: TeamPart, company: TargetRef): string | null {
  const spent = team.orgSpent;
  if (spent === null) return null;
  const total = spent.roadmap + spent.investment;
  const share = total > 0 ? spent.investment / total : null;
  const asks = formatPercent(company.investmentShare);
  const opening = `spent ${formatPercent(share)} of its time on investment; the company asks ${asks}`;
  const own = team.ownTarget;
  if (own === null) return `${opening}, and ${team.name} has declared no target of its own`;
  const ownWords = `${formatPercent(own.investmentShare)} ± ${formatPercent(own.tolerance)}`;
  const short = (team.contribution ?? 0) > 0;
  const ownIsLower = own.investmentShare < company.investmentShare;
  if (own.investmentShare !== company.investmentShare && short === ownIsLower) {
    return `${opening} while ${team.name}'s own target is ${ownWords}, so even on its own target it holds the company ${short ? "below" : "above"}`;
  }
  return `${opening}; ${team.name}'s own target is ${ownWords}`;
}
