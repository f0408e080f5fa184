import {
  readExplicitLabel,
  ruleMatches,
  rulesOf,
  sprintStateAt,
  type Category,
  type ItemReport,
  type ProvenanceSource,
  type Sprint,
  type Status,
  type Workspace,
} from "../domain/index";
import { describeIssueSprint, sortByValue, type IssueSprint } from "../render/index";

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
  /** The sprint the issue is in ({@link currentSprintOf}); null when it never was in one. */
  readonly sprint: IssueSprint | null;
  readonly estimate: number | null;
  /**
   * What the team's rules say with the issue's category labels set aside (SPEC §3 rule 3, first
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
 * keeps (no tracker request). Every row carries its fields: {@link pageTriage} hides those of the
 * issues the caller may not browse.
 */
export function listTriageRows(
  workspace: Pick<Workspace, "teams" | "items" | "sprints">,
  items: readonly ItemReport[],
  titles: ReadonlyMap<string, string>,
  options: { readonly now: number },
): TriageRow[] {
  const team = workspace.teams[0];
  const byId = new Map(workspace.items.map((item) => [item.id, item]));
  const sprintById = new Map(workspace.sprints.map((sprint) => [sprint.id, sprint]));
  return items
    .filter((item) => item.category === "unclassified")
    .map((entry): TriageRow => {
      const item = byId.get(entry.id);
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
        id: entry.id,
        category: "unclassified",
        source: entry.source,
        via: entry.via,
        title: titles.get(entry.id) ?? item?.title ?? "",
        type: item?.type ?? null,
        status: item?.status ?? null,
        sprint: currentSprintOf(sprints, options.now, item?.status ?? null),
        estimate: item?.estimate ?? null,
        rules: matching[0] ?? null,
        conflicts,
      };
    });
}

/** The row of an issue the caller may not browse: its key and why it is unclassified, nothing else. */
function hiddenRow(row: TriageRow, hiddenTitle: string): TriageRow {
  return {
    id: row.id,
    category: row.category,
    source: row.source,
    via: row.via,
    title: hiddenTitle,
    hidden: true,
    type: null,
    status: null,
    sprint: null,
    estimate: null,
    rules: null,
    conflicts: [],
  };
}

export const TRIAGE_SORT_KEYS = [
  "id",
  "title",
  "type",
  "status",
  "sprint",
  "estimate",
  "rules",
  "conflicts",
] as const;
export type TriageSortKey = (typeof TRIAGE_SORT_KEYS)[number];

/** Which page of the list, in what order, filtered how. */
export interface TriageQuery {
  /** 0-based. */
  readonly page: number;
  readonly pageSize: number;
  /** Matched, case aside, in the key, title, type, status or sprint name. */
  readonly filter: string;
  readonly conflictsOnly: boolean;
  readonly sort: {
    readonly key: TriageSortKey;
    readonly direction: "ascending" | "descending";
  } | null;
  /** Answer the keys of every matching row as well (to select them all). */
  readonly keys: boolean;
}

/** One page of the triage list, with what the page needs of the rest. */
export interface TriagePage {
  readonly rows: TriageRow[];
  /** The board's unclassified items. */
  readonly total: number;
  /** Rows the filter keeps, over every page. */
  readonly matching: number;
  /** Unclassified items with a conflict, counted like the report's numbers: naming no issue. */
  readonly conflicts: number;
  /** The page shown, the one asked for: past the last, it has no rows. */
  readonly page: number;
  readonly pageSize: number;
  /** With `keys` asked for: every matching row's key, in the list's order. */
  readonly keys?: string[];
  /** Why the filter or order asked for was set aside, when it was. */
  readonly notice?: string;
}

const STATUS_ORDER = ["todo", "inProgress", "done", "canceled"] as const;
const SORT_NAMES: Readonly<Record<TriageSortKey, string>> = {
  id: "key",
  title: "title",
  type: "type",
  status: "status",
  sprint: "sprint",
  estimate: "estimate",
  rules: "what the rules say",
  conflicts: "conflict",
};

function sortValue(row: TriageRow, key: TriageSortKey): string | number {
  switch (key) {
    case "id":
      return row.id;
    case "title":
      return row.title;
    case "type":
      return row.type ?? "";
    case "status":
      return row.status === null ? -1 : STATUS_ORDER.indexOf(row.status);
    case "sprint":
      return row.sprint ? describeIssueSprint(row.sprint) : "";
    case "estimate":
      return row.estimate ?? -1;
    case "rules":
      return row.rules?.category ?? "";
    case "conflicts":
      return row.conflicts.length;
  }
}

/** Rows in the query's order (English collation: the backend does not know the reader's). */
function sortTriage(rows: readonly TriageRow[], sort: TriageQuery["sort"]): readonly TriageRow[] {
  return sort === null
    ? rows
    : sortByValue(rows, (row) => sortValue(row, sort.key), sort.direction, "en");
}

/**
 * One page of the triage list, checked against what the caller may browse with at most one
 * request of at most `checkMax` issues. A hidden row keeps its key, and nothing of its fields
 * counts: it matches a filter by its key only, is no conflict, and sorts as its blank columns.
 * The check covers the page's rows, and besides them, when the filter, "only conflicts" or the
 * order reads the fields, every row whose place in the list depends on them; when those are more
 * than `checkMax`, what reads the fields is set aside and the answer says so (that threshold, like
 * the conflicts count, is the one thing that counts hidden rows: it names none and shows none of
 * their fields). `browsable` is null when every issue may be shown.
 */
export async function pageTriage(
  all: readonly TriageRow[],
  query: TriageQuery,
  browsable: ((keys: readonly string[]) => Promise<ReadonlySet<string> | null>) | null,
  options: { readonly hiddenTitle: string; readonly checkMax: number },
): Promise<TriagePage> {
  const needle = query.filter.trim().toLowerCase();
  const byKey = (row: TriageRow) => needle === "" || row.id.toLowerCase().includes(needle);
  const byFields = (row: TriageRow) =>
    [row.title, row.type ?? "", row.status ?? "", describeIssueSprint(row.sprint)].some((text) =>
      text.toLowerCase().includes(needle),
    );
  const readsFields = {
    sort: query.sort !== null && query.sort.key !== "id",
    filter: needle !== "" && all.some((row) => !byKey(row) && byFields(row)),
    conflicts: query.conflictsOnly,
  };
  /** A hidden row's fields are blank: it matches by its key only and has no conflict. */
  const kept = (row: TriageRow) =>
    (byKey(row) || (row.hidden !== true && byFields(row))) &&
    (!query.conflictsOnly || row.conflicts.length > 0);
  // Every row as if the caller could browse it: a superset of the list, in its order if nothing hides.
  const optimistic = sortTriage(all.filter(kept), query.sort);
  const dependent = optimistic.filter(
    (row) => readsFields.sort || readsFields.conflicts || !byKey(row),
  );
  // The page asked for, even past the end: which page holds the last rows may depend on hidden ones.
  const { page, pageSize } = query;
  const start = page * pageSize;
  const dependentKeys = new Set(dependent.map((row) => row.id));
  const independent = optimistic.filter((row) => !dependentKeys.has(row.id));
  // A row not in `dependent` keeps its place among its kind; hidden dependent rows before it can
  // only move it up by their number.
  const around = independent.slice(Math.max(0, start - dependent.length), start + pageSize);
  const wanted = [...dependent, ...around];
  const base = { total: all.length, conflicts: all.filter((r) => r.conflicts.length > 0).length };

  if (browsable === null) {
    return answerOf(optimistic, null, page);
  }
  if (wanted.length > options.checkMax) {
    // Too many to check in one request: what reads the fields is set aside, and said so.
    const setAside = [
      ...(readsFields.sort && query.sort
        ? [[`Sorting by ${SORT_NAMES[query.sort.key]}`, "the list is in the board's order"]]
        : []),
      ...(readsFields.filter
        ? [["Filtering by title, type, status or sprint", "the filter matches keys only"]]
        : []),
      ...(readsFields.conflicts
        ? [["Showing only conflicts", "every unclassified issue is listed"]]
        : []),
    ];
    const byKeyOnly = all.filter(byKey);
    const shown = byKeyOnly.slice(start, start + pageSize);
    const allowed = await browsable(shown.map((row) => row.id));
    const max = options.checkMax.toLocaleString("en");
    return {
      ...answerOf(byKeyOnly, allowed, page),
      notice: `${setAside.map(([what]) => what).join(", ")} would need more issues checked against your Jira permissions than the ${max} one check covers: ${setAside.map(([, instead]) => instead).join(", ")}. Narrow the filter to bring them back.`,
    };
  }
  const allowed =
    wanted.length === 0 ? new Set<string>() : await browsable(wanted.map((r) => r.id));
  if (allowed === null) return answerOf(optimistic, null, page);
  const checked = new Set(wanted.map((row) => row.id));
  const visible = (row: TriageRow) => !dependentKeys.has(row.id) || allowed.has(row.id);
  const candidates = new Set(optimistic.map((row) => row.id));
  // Sorted again from the board's order: hidden rows tie on their blank columns, and must not
  // keep the order their own fields gave them.
  const list = sortTriage(
    all
      .filter((row) => candidates.has(row.id))
      .map((row) => (visible(row) ? row : hiddenRow(row, options.hiddenTitle)))
      .filter(kept),
    query.sort,
  );
  return answerOf(list, allowed, page, checked);

  function answerOf(
    list: readonly TriageRow[],
    allowedKeys: ReadonlySet<string> | null,
    shownPage: number,
    checkedKeys?: ReadonlySet<string>,
  ): TriagePage {
    const rows = list
      .slice(shownPage * pageSize, (shownPage + 1) * pageSize)
      .map((row) =>
        allowedKeys === null ||
        (allowedKeys.has(row.id) && (checkedKeys === undefined || checkedKeys.has(row.id)))
          ? row
          : hiddenRow(row, options.hiddenTitle),
      );
    return {
      ...base,
      rows,
      matching: list.length,
      page: shownPage,
      pageSize,
      ...(query.keys ? { keys: list.map((row) => row.id) } : {}),
    };
  }
}

/**
 * The sprint an issue is in, in Jira's terms: its active sprint, else its next planned one, else,
 * when all its sprints are closed, the last of them: a finished issue stays in it (Jira keeps done
 * issues in their closed sprint), an unfinished one is in the backlog, last in it. Null when the
 * issue was never in a sprint.
 */
export function currentSprintOf(
  sprints: readonly Sprint[],
  now: number,
  status: Status | null = null,
): IssueSprint | null {
  const states = sprints.map((sprint) => ({ sprint, state: sprintStateAt(sprint, now) }));
  const open = states
    .filter(({ state }) => state !== "closed")
    .sort(
      (a, b) =>
        (a.state === "active" ? 0 : 1) - (b.state === "active" ? 0 : 1) ||
        a.sprint.startAt - b.sprint.startAt,
    );
  const first = open[0];
  if (first) return { id: first.sprint.id, name: first.sprint.name, state: first.state };
  const ended = (sprint: Sprint): number => sprint.completeAt ?? sprint.endAt;
  const last = states.map(({ sprint }) => sprint).sort((a, b) => ended(b) - ended(a))[0];
  if (!last) return null;
  const finished = status === "done" || status === "canceled";
  return { id: last.id, name: last.name, state: "closed", ...(finished ? {} : { backlog: true }) };
}
