import { z } from "zod";
import type { Category, ItemReport } from "../domain/index";
import type { WorkspaceFile } from "../workspace/index";
import type { CapacityLabelNames } from "./map-team";

type ItemFile = NonNullable<WorkspaceFile["items"]>[number];

const capacityCategorySchema = z.enum(["roadmap", "investment"]);

/**
 * What the sync wrote back on one issue. `released` means a person has since changed or removed
 * that label: the issue is theirs from then on and the sync never writes to it again.
 */
export const writtenCategorySchema = z.object({
  category: capacityCategorySchema,
  at: z.string(),
  released: z.boolean().optional(),
});
export type WrittenCategory = z.infer<typeof writtenCategorySchema>;

/**
 * A label write recorded before it is sent and replaced by its outcome once Linear has answered,
 * so a run stopped in between (killed, timed out) leaves the record saying what may have landed:
 * the next run reads the issue's label to settle it ({@link settleWrittenLabels}), never taking
 * the sync's own label for a person's.
 */
export const pendingLabelWriteSchema = z.object({
  pending: z.object({
    add: capacityCategorySchema.nullable(),
    remove: capacityCategorySchema.nullable(),
    at: z.string(),
  }),
  /** What was recorded before the write; absent when nothing was. */
  before: writtenCategorySchema.optional(),
});
export type PendingLabelWrite = z.infer<typeof pendingLabelWriteSchema>;

/** Per issue identifier, what the sync wrote back, as stored: settled or pending. */
export const writtenLabelsSchema = z.record(
  z.string(),
  z.union([writtenCategorySchema, pendingLabelWriteSchema]),
);
export type WrittenLabelsRecord = Readonly<Record<string, WrittenCategory | PendingLabelWrite>>;
/** Per issue identifier, what the sync wrote back, every write settled. */
export type WrittenLabels = Readonly<Record<string, WrittenCategory>>;

/** One label change on one issue: at most one label added and one removed, both Capacity's. */
export interface LabelWrite {
  /** The issue's identifier, e.g. `ENG-12` (Linear's `issueUpdate` takes it as the id). */
  readonly issue: string;
  readonly add: Category | null;
  readonly remove: Category | null;
}

/** The Capacity label an item carries, by name and case-insensitively as SPEC §3 reads it. */
export function capacityLabelOf(
  item: Pick<ItemFile, "labels">,
  names: CapacityLabelNames,
): Category | "conflict" | null {
  const labels = (item.labels ?? []).map((label) => label.toLowerCase());
  const roadmap = labels.includes(names.roadmap.toLowerCase());
  const investment = labels.includes(names.investment.toLowerCase());
  if (roadmap && investment) return "conflict";
  return roadmap ? "roadmap" : investment ? "investment" : null;
}

/**
 * The record with every pending write settled by the label the issue carries now: the label the
 * write leaves (none, for a removal) means it landed, and the entry becomes what the write made;
 * anything else means it did not, and the entry is what it was before. An issue a person changed
 * meanwhile is then settled as theirs by `planWriteBack`, like every other one.
 */
export function settleWrittenLabels(
  record: WrittenLabelsRecord,
  items: readonly Pick<ItemFile, "id" | "labels">[],
  names: CapacityLabelNames,
): WrittenLabels {
  const labelOf = new Map(items.map((item) => [item.id, capacityLabelOf(item, names)]));
  const settled: Record<string, WrittenCategory> = {};
  for (const [issue, entry] of Object.entries(record)) {
    if (!("pending" in entry)) {
      settled[issue] = entry;
      continue;
    }
    const { add, at } = entry.pending;
    // An issue not pulled (deleted, moved away) keeps what was known before the write.
    const landed = labelOf.has(issue) && labelOf.get(issue) === add;
    if (landed && add !== null) settled[issue] = { category: add, at };
    else if (!landed && entry.before !== undefined) settled[issue] = entry.before;
  }
  return settled;
}

/** Whether any write in the record is still pending. */
export function hasPendingWrites(record: WrittenLabelsRecord): boolean {
  return Object.values(record).some((entry) => "pending" in entry);
}

/**
 * Items as the report should see them: a label the sync wrote, still exactly as it wrote it, is
 * taken off again, so the issue keeps counting as what it was derived as (inherited or rule) and
 * follows its parent or the rules when they change. Labels a person set are left as they are.
 */
export function withoutWrittenLabels(
  items: readonly ItemFile[],
  written: WrittenLabels,
  names: CapacityLabelNames,
): ItemFile[] {
  return items.map((item) => {
    const entry = written[item.id];
    if (entry === undefined || entry.released === true) return item;
    if (capacityLabelOf(item, names) !== entry.category) return item;
    const name = names[entry.category].toLowerCase();
    return { ...item, labels: (item.labels ?? []).filter((label) => label.toLowerCase() !== name) };
  });
}

/**
 * The label writes that make Linear carry every derived category (SPEC §3 provenance `inherited`
 * or `rule`) as the team's Capacity label, and the record of what the sync wrote afterwards.
 *
 * - An issue with a Capacity label a person set is never touched.
 * - A label the sync wrote follows the derivation: it is swapped when the derived category
 *   changes and removed when nothing derives one any more.
 * - When a person changed or removed a label the sync wrote, the issue is released for good,
 *   so the sync never fights them.
 *
 * `items` are as pulled (labels as Linear holds them); `classified` is the report's items,
 * computed on {@link withoutWrittenLabels}.
 */
export function planWriteBack(input: {
  readonly items: readonly ItemFile[];
  readonly classified: readonly ItemReport[];
  readonly written: WrittenLabels;
  readonly names: CapacityLabelNames;
  readonly at: string;
  /** Identifiers of archived issues: Linear refuses edits to them, so none is planned. */
  readonly archived?: ReadonlySet<string>;
}): { readonly writes: readonly LabelWrite[]; readonly written: WrittenLabels } {
  const derived = new Map<string, Category>();
  for (const item of input.classified) {
    if ((item.source === "inherited" || item.source === "rule") && item.category !== "unclassified")
      derived.set(item.id, item.category);
  }
  const writes: LabelWrite[] = [];
  const next: Record<string, WrittenCategory> = {};
  for (const item of input.items) {
    const current = capacityLabelOf(item, input.names);
    const entry = input.written[item.id];
    const wanted = derived.get(item.id) ?? null;
    if (input.archived?.has(item.id) === true) {
      if (entry !== undefined) next[item.id] = entry;
      continue;
    }
    if (entry?.released === true) {
      next[item.id] = entry;
      continue;
    }
    if (entry !== undefined) {
      if (current !== entry.category) {
        next[item.id] = { ...entry, released: true };
        continue;
      }
      if (wanted === entry.category) {
        next[item.id] = entry;
        continue;
      }
      writes.push({ issue: item.id, add: wanted, remove: entry.category });
      if (wanted !== null) next[item.id] = { category: wanted, at: input.at };
      continue;
    }
    if (current === null && wanted !== null) {
      writes.push({ issue: item.id, add: wanted, remove: null });
      next[item.id] = { category: wanted, at: input.at };
    }
  }
  return { writes, written: next };
}

/** A write as a person reads it: `ENG-12 + Investment`, `ENG-12 Roadmap → Investment`. */
export function describeLabelWrite(write: LabelWrite, names: CapacityLabelNames): string {
  if (write.add !== null && write.remove !== null) {
    return `${write.issue} ${names[write.remove]} → ${names[write.add]}`;
  }
  if (write.add !== null) return `${write.issue} + ${names[write.add]}`;
  return `${write.issue} − ${write.remove === null ? "" : names[write.remove]}`;
}
