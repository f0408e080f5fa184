/**
 * The order of a sorted table, the same in the pages and in the backend that pages a list for
 * them: numbers by value, text by the collation of `locale` (the runtime's when absent) with the
 * numbers in it read as numbers (`PAY-9` before `PAY-10`), case and accents aside; ties keep the
 * rows' order.
 */
export function sortByValue<Row>(
  rows: readonly Row[],
  value: (row: Row) => string | number,
  direction: "ascending" | "descending",
  locale?: string,
): Row[] {
  const sign = direction === "ascending" ? 1 : -1;
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: "base" });
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((a, b) => {
      const order =
        typeof a.key === "number" && typeof b.key === "number"
          ? a.key - b.key
          : collator.compare(String(a.key), String(b.key));
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map((entry) => entry.row);
}
