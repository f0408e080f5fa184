/**
 * One page of the triage list against what the caller may browse: at most one check of at most
 * `checkMax` issues, the page a full check of every row would give, and nothing in the answer
 * that depends on the fields of an issue the caller may not browse.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  pageTriage,
  TRIAGE_SORT_KEYS,
  type TriagePage,
  type TriageQuery,
  type TriageRow,
} from "../../src/app/triage";

const HIDDEN = "Issue you cannot view";
const STATUSES = ["todo", "inProgress", "done", "canceled"] as const;
const WORDS = ["alpha", "beta", "login", "bug", "payments"];

/** What may differ between issues: the fields a hidden row must not let through. */
const fields = fc.record({
  word: fc.constantFrom(...WORDS),
  type: fc.constantFrom("Bug", "Story", null),
  status: fc.constantFrom(...STATUSES),
  sprint: fc.constantFrom(null, "Sprint 1", "Sprint 12"),
  estimate: fc.constantFrom(null, 1, 3, 8),
  rules: fc.constantFrom(null, "roadmap" as const, "investment" as const),
  conflict: fc.boolean(),
});
type Fields = typeof fields extends fc.Arbitrary<infer T> ? T : never;

function rowOf(index: number, f: Fields): TriageRow {
  return {
    id: `T-${index + 1}`,
    // Delimited, so no title is a part of another.
    title: `«${f.word} ${index + 1}»`,
    category: "unclassified",
    source: "none",
    via: null,
    type: f.type,
    status: f.status,
    sprint: f.sprint === null ? null : { id: f.sprint, name: f.sprint, state: "active" },
    estimate: f.estimate,
    rules: f.rules === null ? null : { category: f.rules, rule: 1 },
    conflicts: f.conflict ? ["labels"] : [],
  };
}

const query = fc.record({
  page: fc.nat({ max: 6 }),
  pageSize: fc.integer({ min: 1, max: 8 }),
  filter: fc.constantFrom("", "1", "T-2", "alpha", "bug", "LOGIN", "sprint 1", "inprogress"),
  conflictsOnly: fc.boolean(),
  sort: fc.option(
    fc.record({
      key: fc.constantFrom(...TRIAGE_SORT_KEYS),
      direction: fc.constantFrom("ascending" as const, "descending" as const),
    }),
  ),
  keys: fc.constant(true),
}) satisfies fc.Arbitrary<TriageQuery>;

/** A board: each issue with its fields, another set of fields, and whether the caller may see it. */
const board = fc.array(fc.record({ seen: fields, other: fields, hidden: fc.boolean() }), {
  maxLength: 40,
});

async function run(
  rows: readonly TriageRow[],
  hidden: ReadonlySet<string>,
  asked: TriageQuery,
  checkMax: number,
): Promise<{ page: TriagePage; checks: string[][] }> {
  const checks: string[][] = [];
  const page = await pageTriage(
    rows,
    asked,
    (keys) => {
      checks.push([...keys]);
      return Promise.resolve(new Set(keys.filter((key) => !hidden.has(key))));
    },
    { hiddenTitle: HIDDEN, checkMax },
  );
  return { page, checks };
}

/** The list as a check of every row gives it: hidden rows blank, then filtered, then sorted. */
function oracle(rows: readonly TriageRow[], hidden: ReadonlySet<string>, q: TriageQuery) {
  const needle = q.filter.trim().toLowerCase();
  const shown = rows.map((row): TriageRow =>
    hidden.has(row.id)
      ? {
          ...row,
          title: HIDDEN,
          hidden: true,
          type: null,
          status: null,
          sprint: null,
          estimate: null,
          rules: null,
          conflicts: [],
        }
      : row,
  );
  const texts = (row: TriageRow) =>
    row.hidden
      ? [row.id]
      : [row.id, row.title, row.type ?? "", row.status ?? "", row.sprint?.name ?? ""];
  const kept = shown.filter(
    (row) =>
      (needle === "" || texts(row).some((text) => text.toLowerCase().includes(needle))) &&
      (!q.conflictsOnly || row.conflicts.length > 0),
  );
  if (q.sort === null) return kept;
  const { key, direction } = q.sort;
  const value = (row: TriageRow): string | number =>
    key === "id"
      ? row.id
      : key === "title"
        ? row.title
        : key === "type"
          ? (row.type ?? "")
          : key === "status"
            ? row.status === null
              ? -1
              : STATUSES.indexOf(row.status)
            : key === "sprint"
              ? (row.sprint?.name ?? "")
              : key === "estimate"
                ? (row.estimate ?? -1)
                : key === "rules"
                  ? (row.rules?.category ?? "")
                  : row.conflicts.length;
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  const sign = direction === "ascending" ? 1 : -1;
  return kept
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const [x, y] = [value(a.row), value(b.row)];
      const order =
        typeof x === "number" && typeof y === "number"
          ? x - y
          : collator.compare(String(x), String(y));
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map(({ row }) => row);
}

describe("a page of the triage list", () => {
  it("is the page a check of every row gives, checked in one request of at most the cap", async () => {
    await fc.assert(
      fc.asyncProperty(board, query, async (issues, q) => {
        const rows = issues.map((issue, index) => rowOf(index, issue.seen));
        const hidden = new Set(rows.filter((_, i) => issues[i]?.hidden).map((row) => row.id));
        const { page, checks } = await run(rows, hidden, q, 1000);
        expect(checks.length).toBeLessThanOrEqual(1);
        expect(page.notice).toBeUndefined();
        const list = oracle(rows, hidden, q);
        expect(page.matching).toBe(list.length);
        expect(page.keys).toEqual(list.map((row) => row.id));
        expect(page.page).toBe(q.page);
        expect(page.rows).toEqual(list.slice(q.page * q.pageSize, (q.page + 1) * q.pageSize));
        expect(page.total).toBe(rows.length);
      }),
      { numRuns: 400 },
    );
  });

  it("says nothing of a hidden issue's fields: changing them changes no answer", async () => {
    await fc.assert(
      fc.asyncProperty(board, query, async (issues, q) => {
        const hidden = new Set(issues.flatMap((issue, i) => (issue.hidden ? [`T-${i + 1}`] : [])));
        const rows = issues.map((issue, index) => rowOf(index, issue.seen));
        // The same board, every hidden issue with other fields (its key aside).
        const altered = issues.map((issue, index) =>
          rowOf(index, issue.hidden ? issue.other : issue.seen),
        );
        const a = await run(rows, hidden, q, 1000);
        const b = await run(altered, hidden, q, 1000);
        // The conflicts count names no issue, like the report's numbers; all else must agree.
        expect({ ...b.page, conflicts: 0 }).toEqual({ ...a.page, conflicts: 0 });
      }),
      { numRuns: 400 },
    );
  });

  it("never shows a hidden title, and checks at most the cap, also when the cap is small", async () => {
    await fc.assert(
      // At least a page: the resolver's pages (100 rows at most) are far below its cap.
      fc.asyncProperty(board, query, fc.integer({ min: 8, max: 20 }), async (issues, q, cap) => {
        const rows = issues.map((issue, index) => rowOf(index, issue.seen));
        const hidden = new Set(rows.filter((_, i) => issues[i]?.hidden).map((row) => row.id));
        const { page, checks } = await run(rows, hidden, q, cap);
        expect(checks.length).toBeLessThanOrEqual(1);
        for (const check of checks) expect(check.length).toBeLessThanOrEqual(cap);
        const text = JSON.stringify(page);
        for (const row of rows.filter((r) => hidden.has(r.id))) {
          expect(text).not.toContain(row.title);
        }
        for (const row of page.rows) {
          expect(row.hidden === true).toBe(hidden.has(row.id));
        }
      }),
      { numRuns: 400 },
    );
  });

  it("sets aside an order that would need more issues checked than one request covers, and says so", async () => {
    const rows = Array.from({ length: 30 }, (_, index) =>
      rowOf(index, {
        word: WORDS[index % WORDS.length] ?? "alpha",
        type: null,
        status: "todo",
        sprint: null,
        estimate: null,
        rules: null,
        conflict: false,
      }),
    );
    const { page, checks } = await run(
      rows,
      new Set(["T-2"]),
      {
        page: 0,
        pageSize: 5,
        filter: "",
        conflictsOnly: false,
        sort: { key: "title", direction: "descending" },
        keys: false,
      },
      10,
    );
    expect(page.notice).toMatch(/^Sorting by title would need more issues checked/);
    expect(page.notice).toMatch(/the list is in the board's order/);
    expect(page.rows.map((row) => row.id)).toEqual(["T-1", "T-2", "T-3", "T-4", "T-5"]);
    expect(page.rows[1]).toMatchObject({ title: HIDDEN, hidden: true });
    expect(checks).toEqual([["T-1", "T-2", "T-3", "T-4", "T-5"]]);
  });
});
