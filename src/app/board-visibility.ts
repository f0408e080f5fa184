import type { ItemReport, Report } from "../domain/index";
import { BULK_PERMISSION_CHECK_MAX } from "../jira/index";

/** Items of a report left out because the caller may not see them, with a sentence saying so. */
export interface Withheld {
  readonly count: number;
  readonly message: string;
}

/**
 * The report as far as the caller may see it in Jira: the splits, shares and flags stay (they
 * name no issue), and the per-issue list keeps only the issues the caller may browse, an
 * inherited category naming its ancestor only when that one is browsable too. One bulk check
 * answers for at most {@link BULK_PERMISSION_CHECK_MAX} issues, so a bigger board's list is left
 * out whole rather than checked in many requests: the pages show the numbers, not the list.
 * `browsable` answers which keys the caller may browse, or null when the host has one user.
 */
export async function withholdUnbrowsable(
  report: Report,
  browsable: (keys: readonly string[]) => Promise<ReadonlySet<string> | null>,
): Promise<{ report: Report; withheld: Withheld | null }> {
  const [team, ...others] = report.teams;
  const items = team?.items ?? [];
  if (team === undefined || items.length === 0) return { report, withheld: null };
  const listed = (kept: readonly ItemReport[]): Report => ({
    ...report,
    teams: [{ ...team, items: kept }, ...others],
  });
  if (items.length > BULK_PERMISSION_CHECK_MAX) {
    return {
      report: listed([]),
      withheld: {
        count: items.length,
        message: `The ${items.length} issues of this board are counted in these numbers but not listed one by one: checking which of them you may see in Jira would take more than one request.`,
      },
    };
  }
  const allowed = await browsable(items.map((item) => item.id));
  if (allowed === null) return { report, withheld: null };
  const kept = items
    .filter((item) => allowed.has(item.id))
    .map((item) =>
      item.source === "inherited" && item.via !== null && !allowed.has(item.via)
        ? { ...item, via: null }
        : item,
    );
  const hidden = items.length - kept.length;
  return {
    report: listed(kept),
    withheld:
      hidden === 0
        ? null
        : {
            count: hidden,
            message: `${hidden} ${hidden === 1 ? "issue" : "issues"} you cannot see in Jira ${hidden === 1 ? "is" : "are"} counted in these numbers but not listed.`,
          },
  };
}
