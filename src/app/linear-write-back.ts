import {
  BATCH_UPDATE_SIZE,
  type CapacityLabels,
  categoryLabelChange,
  describeLabelWrite,
  type LabelWrite,
  type LinearSyncClient,
  LinearSyncError,
  type LinearTeam,
  planWriteBack,
  type PulledLinearTeam,
  type RecordedWrite,
  type WrittenLabels,
  type WrittenLabelsRecord,
} from "../linear/index";
import { type Store, storeKeys } from "../store/index";
import type { TeamReport } from "../domain/index";
import type { LinearSyncProgress } from "./linear-sync";

/**
 * Writes one team's derived categories as labels (see `planWriteBack`) in batches, each recorded
 * as pending before it is sent and as written, with an echo record for the webhook it causes,
 * once Linear has answered.
 */
export async function writeBackTeam(
  client: LinearSyncClient,
  store: Store,
  input: {
    readonly team: LinearTeam;
    readonly pulled: PulledLinearTeam;
    readonly classified: TeamReport;
    readonly written: WrittenLabels;
    readonly labels: CapacityLabels;
    readonly names: { readonly roadmap: string; readonly investment: string };
    readonly dryRun: boolean;
    readonly now: number;
    readonly progress: (event: LinearSyncProgress) => void;
  },
): Promise<readonly string[]> {
  const plan = planWriteBack({
    items: input.pulled.items,
    classified: input.classified.items,
    written: input.written,
    names: input.names,
    at: new Date(input.now).toISOString(),
    archived: new Set(input.pulled.archived ?? []),
  });
  const described = plan.writes.map((write) => describeLabelWrite(write, input.names));
  if (input.dryRun) return described;
  const key = storeKeys.linearWritten(input.team.key);
  const record: Record<string, WrittenLabelsRecord[string]> = { ...input.written };
  // Entries released or dropped by the plan without a write are settled first.
  for (const id of Object.keys(record)) {
    if (!plan.writes.some((write) => write.issue === id)) {
      const next = plan.written[id];
      if (next === undefined) delete record[id];
      else record[id] = next;
    }
  }
  await store.set(key, record);
  const total = plan.writes.length;
  input.progress({ team: input.team.key, phase: "write-back", done: 0, total });
  let done = 0;
  // Writes making the same change go together, up to Linear's 50 issues per batch update.
  const groups = new Map<string, LabelWrite[]>();
  for (const write of plan.writes) {
    const change = `${write.add ?? ""}/${write.remove ?? ""}`;
    groups.set(change, [...(groups.get(change) ?? []), write]);
  }
  for (const writes of groups.values()) {
    for (let start = 0; start < writes.length; start += BATCH_UPDATE_SIZE) {
      const batch = writes.slice(start, start + BATCH_UPDATE_SIZE);
      const ids = batch.map((write) => {
        const id = input.pulled.issueIds[write.issue];
        if (id === undefined) {
          throw new LinearSyncError(
            `Issue ${write.issue} was pulled without its Linear id.`,
            "LINEAR_MALFORMED_RESPONSE",
            false,
            null,
          );
        }
        return id;
      });
      const first = batch[0];
      if (first === undefined) continue;
      // Recorded before it is sent: a run stopped before the outcome is saved leaves it pending.
      for (const write of batch) {
        const before = record[write.issue];
        record[write.issue] = {
          pending: { add: write.add, remove: write.remove, at: new Date(input.now).toISOString() },
          ...(before === undefined || "pending" in before ? {} : { before }),
        };
      }
      await store.set(key, record);
      const updated = await client.updateIssuesLabels(ids, labelChange(first, input.labels));
      for (const issue of updated) {
        await recordWrite(store, issue.id, {
          type: "Issue",
          at: Date.now(),
          labelIds: [...issue.labelIds],
        });
      }
      for (const write of batch) {
        const next = plan.written[write.issue];
        if (next === undefined) delete record[write.issue];
        else record[write.issue] = next;
      }
      await store.set(key, record);
      done += batch.length;
      input.progress({ team: input.team.key, phase: "write-back", done, total });
    }
  }
  return described;
}

function labelChange(
  write: LabelWrite,
  labels: CapacityLabels,
): { readonly added: string[]; readonly removed: string[] } {
  const idOf = (category: "roadmap" | "investment") => {
    const id = category === "roadmap" ? labels.roadmapId : labels.investmentId;
    if (id === null) {
      throw new LinearSyncError(
        `The Capacity label for ${category} is missing in Linear.`,
        "LINEAR_MALFORMED_RESPONSE",
        false,
        null,
      );
    }
    return id;
  };
  return {
    added: write.add === null ? [] : [idOf(write.add)],
    removed: write.remove === null ? [] : [idOf(write.remove)],
  };
}

/** Remembers a write so the webhook it causes is recognised as the sync's own (`isOwnEcho`). */
export async function recordWrite(
  store: Store,
  entityId: string,
  write: RecordedWrite,
): Promise<void> {
  await store.set(storeKeys.linearWrite(entityId), write);
}

/**
 * SPEC §3 "setting a category by hand" on a Linear issue: one Capacity label added and the other
 * removed (or both removed to clear), no other label touched; the write is recorded so its webhook is not taken for a
 * person's change. Returns the issue's labels afterwards.
 */
export async function classifyLinearIssue(
  client: LinearSyncClient,
  store: Store,
  input: {
    readonly issueId: string;
    /** Null clears the category: both Capacity labels come off. */
    readonly category: "roadmap" | "investment" | null;
    readonly labels: { readonly roadmapId: string; readonly investmentId: string };
    readonly now?: number;
  },
): Promise<readonly string[]> {
  const result = await client.updateIssueLabels(
    input.issueId,
    categoryLabelChange(input.category, input.labels),
  );
  await recordWrite(store, result.id, {
    type: "Issue",
    at: input.now ?? Date.now(),
    labelIds: [...result.labelIds],
  });
  return result.labelIds;
}
