import { detectQuarterFlags } from "./flags";
import { nextQuarter, quarterOf } from "./quarter-calendar";
import { computeRequired } from "./quarter-split";
import { addTo, emptySplit, investmentShareOf, unclassifiedShareOf } from "./split";
import type { SpentLedger } from "./spent";
import { resolveTarget } from "./targets";
import type { Flag, ItemCategory, OrgQuarterReport, OrgReport, Target } from "./types";

export interface OrgInputs {
  readonly now: number;
  readonly fiscalYearStartMonth: number;
  /** The teams reported, whose spent splits the org sums. */
  readonly teamIds: readonly string[];
  /** The start of the earliest quarter of those teams, epoch ms (Infinity when none). */
  readonly earliestTeamQuarter: number;
  /** The org's declarations (`teamId: null`), in declaration order. */
  readonly targets: readonly Target[];
  readonly ledger: SpentLedger;
}

const CATEGORIES: readonly ItemCategory[] = ["roadmap", "investment", "unclassified"];

/**
 * SPEC §7, §9: the org quarters in UTC on the workspace's fiscal year, from the one holding the
 * earliest team quarter's start to the one holding `now`; each sums the teams' spent splits over
 * [start, min(end, now)) (days add up across teams, points never do) and is judged on spent
 * against the org target. `NO_TARGET` is never raised for the org.
 */
export function reportOrg(input: OrgInputs): OrgReport {
  const { now, fiscalYearStartMonth: fsm, ledger } = input;
  const earliest = Number.isFinite(input.earliestTeamQuarter)
    ? Math.min(input.earliestTeamQuarter, now)
    : now;
  const current = quarterOf(now, "UTC", fsm);
  const quarters: OrgQuarterReport[] = [];
  const flags: Flag[] = [];
  for (let q = quarterOf(earliest, "UTC", fsm); ; q = nextQuarter(q, "UTC", fsm)) {
    const state = q.end <= now ? "closed" : "current";
    const spent = emptySplit();
    for (const teamId of input.teamIds) {
      const split = ledger.spentBetween(teamId, q.start, Math.min(q.end, now));
      for (const category of CATEGORIES) addTo(spent, category, split[category]);
    }
    const found = resolveTarget(input.targets, q.firstDay, q.lastDay);
    const target = found && { investmentShare: found.investmentShare, tolerance: found.tolerance };
    const required = computeRequired(spent, target, q, state, now);
    const investmentShare = investmentShareOf(spent);
    const unclassifiedShare = unclassifiedShareOf(spent);
    const own = detectQuarterFlags({
      kind: "org-quarter",
      id: q.id,
      state,
      target,
      measure: "spent",
      share: investmentShare,
      unclassifiedShare,
      requiredToBand: required.requiredToBand,
    });
    flags.push(...own);
    quarters.push({
      id: q.id,
      start: new Date(q.start).toISOString(),
      end: new Date(q.end).toISOString(),
      state,
      target,
      spent,
      investmentShare,
      unclassifiedShare,
      ...required,
      flags: own.map(({ code, severity }) => ({ code, severity })),
    });
    if (q.start >= current.start) break;
  }
  return { quarters, flags };
}
