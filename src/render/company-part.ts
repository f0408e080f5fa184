import {
  formatPercent,
  isAbove,
  isBelow,
  possessive,
  type Split,
  type TargetRef,
} from "../domain/index";

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
 * current quarter set against what the company asks, and against the team's own band on the same
 * share: below its own band too, inside a band lower (or higher) than the company's, or above it.
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
  if (share === null) return `${opening}; ${possessive(team.name)} own target is ${ownWords}`;
  if (isBelow(share, own.investmentShare - own.tolerance)) {
    return `${opening}, and its time spent is below its own target of ${ownWords} too`;
  }
  if (isAbove(share, own.investmentShare + own.tolerance)) {
    return `${opening}; its time spent is above its own target of ${ownWords}`;
  }
  const short = (team.contribution ?? 0) > 0;
  const ownIsLower = own.investmentShare < company.investmentShare;
  if (own.investmentShare !== company.investmentShare && short === ownIsLower) {
    return `${opening} while ${possessive(team.name)} own target is ${ownWords}, so even on its own target it holds the company ${short ? "below" : "above"}`;
  }
  return `${opening}; its time spent is inside its own target of ${ownWords}`;
}
