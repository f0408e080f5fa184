/**
 * The explicit label swap of SPEC §3: setting a category adds its label and removes the other one;
 * clearing removes both; no other label is ever touched. Jira labels are case-sensitive strings but
 * SPEC §3 matches them case-insensitively, so an existing `Capacity-Roadmap` counts as the roadmap
 * label: it is kept rather than duplicated, and removed by its own spelling.
 */

export type CategoryChoice = "roadmap" | "investment" | null;

export interface CategoryLabels {
  readonly roadmap: string;
  readonly investment: string;
}

export interface LabelPlan {
  /** Labels to add, as the team spells them. */
  readonly add: readonly string[];
  /** Labels to remove, as the issue spells them. */
  readonly remove: readonly string[];
  /** The labels after the change. */
  readonly labels: readonly string[];
}

export function planLabelUpdate(
  current: readonly string[],
  category: CategoryChoice,
  labels: CategoryLabels,
): LabelPlan {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const wanted = category === null ? null : labels[category];
  const unwanted = [labels.roadmap, labels.investment].filter(
    (label) => wanted === null || !same(label, wanted),
  );
  const remove = current.filter((label) => unwanted.some((other) => same(label, other)));
  const add = wanted !== null && !current.some((label) => same(label, wanted)) ? [wanted] : [];
  const labelsAfter = [...current.filter((label) => !remove.includes(label)), ...add];
  return { add, remove: [...new Set(remove)], labels: labelsAfter };
}
