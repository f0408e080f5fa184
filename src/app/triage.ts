import {
  readExplicitLabel,
  ruleMatches,
  rulesOf,
  sprintStateAt,
  type Category,
  type ItemReport,
  type ProvenanceSource,
  type Sprint,
  type SprintState,
  type Status,
  type Workspace,
} from "../domain/index";

/** What the triage list shows of one unclassified item. */
export interface TriageRow {
  readonly id: string;
  readonly title: string;
  /** True when the caller may not browse the issue: its title and fields are left out. */
  readonly hidden?: boolean;
  readonly category: "unclassified";
  readonly source: ProvenanceSource;
  readonly via: string | null;
  readonly type: string | null;
  readonly status: Status | null;
  /** The sprint the issue is in now (active, else the next planned one); null in the backlog. */
  readonly sprint: {
    readonly id: string;
    readonly name: string;
    readonly state: SprintState;
  } | null;
  readonly estimate: number | null;
  /**
   * What the team's rules say with the category labels set aside (SPEC §3 rule 3, first
   * match wins), with the 1-based rule; null when no rule matches.
   */
  readonly rules: { readonly category: Category; readonly rule: number } | null;
  /**
   * Why a person must decide: `labels` when both category labels are set (SPEC §3 conflict),
   * `rules` when matching rules disagree, so the first match wins only by its place in the list.
   */
  readonly conflicts: readonly ("labels" | "rules")[];
}

/**
 * The board's unclassified items with their columns, read from the workspace the board source
 * keeps (no tracker request); items the caller may not browse keep their row but not their
 * fields. `browsable` null means every item may be shown.
 */
export function listTriageRows(
  workspace: Workspace,
  items: readonly ItemReport[],
  titles: ReadonlyMap<string, string>,
  browsable: ReadonlySet<string> | null,
  options: { readonly now: number; readonly hiddenTitle: string },
): TriageRow[] {
  const team = workspace.teams[0];
  const byId = new Map(workspace.items.map((item) => [item.id, item]));
  const sprintById = new Map(workspace.sprints.map((sprint) => [sprint.id, sprint]));
  return items
    .filter((item) => item.category === "unclassified")
    .map((entry): TriageRow => {
      const base = {
        id: entry.id,
        category: "unclassified" as const,
        source: entry.source,
        via: entry.via,
      };
      const item = byId.get(entry.id);
      if (browsable !== null && !browsable.has(entry.id)) {
        return {
          ...base,
          title: options.hiddenTitle,
          hidden: true,
          type: null,
          status: null,
          sprint: null,
          estimate: null,
          rules: null,
          conflicts: [],
        };
      }
      const matching =
        item && team
          ? rulesOf(team).flatMap((rule, index) =>
              ruleMatches(rule, item) ? [{ category: rule.then, rule: index + 1 }] : [],
            )
          : [];
      const conflicts: ("labels" | "rules")[] = [];
      if (item && team && readExplicitLabel(item, team) === "conflict") conflicts.push("labels");
      if (new Set(matching.map((match) => match.category)).size > 1) conflicts.push("rules");
      const sprints = (item?.sprintIds ?? []).flatMap((id) => sprintById.get(id) ?? []);
      return {
        ...base,
        title: titles.get(entry.id) ?? item?.title ?? "",
        type: item?.type ?? null,
        status: item?.status ?? null,
        sprint: currentSprintOf(sprints, options.now),
        estimate: item?.estimate ?? null,
        rules: matching[0] ?? null,
        conflicts,
      };
    });
}

/**
 * The sprint an issue is in now: an active one, else the earliest planned one; null when all of
 * its sprints are closed (the issue sits in the backlog) or it has none.
 */
export function currentSprintOf(
  sprints: readonly Sprint[],
  now: number,
): { id: string; name: string; state: SprintState } | null {
  const open = sprints
    .map((sprint) => ({ sprint, state: sprintStateAt(sprint, now) }))
    .filter(({ state }) => state !== "closed")
    .sort(
      (a, b) =>
        (a.state === "active" ? 0 : 1) - (b.state === "active" ? 0 : 1) ||
        a.sprint.startAt - b.sprint.startAt,
    );
  const first = open[0];
  return first ? { id: first.sprint.id, name: first.sprint.name, state: first.state } : null;
}
