import { z } from "zod";
import { encodeKeyPart, type Store, storeKeys } from "../store/index";
import { isoDate, type WorkspaceFile } from "../workspace/index";

/** What a person submits to declare a target (SPEC §8). */
export const targetInputSchema = z.strictObject({
  investmentShare: z.number().min(0).max(1),
  tolerance: z.number().min(0).max(0.5),
  effectiveFrom: isoDate,
  reason: z.string().trim().min(1, { error: "say why: a reason is required" }).max(500),
  /** Chosen by the client once per submission, so a retried request never adds a second entry. */
  requestId: z.string().min(8).max(100),
});
export type TargetInput = z.infer<typeof targetInputSchema>;

/** A stored declaration: the target plus who declared it and when. */
export const targetEntrySchema = z.object({
  teamId: z.string(),
  investmentShare: z.number().min(0).max(1),
  tolerance: z.number().min(0).max(0.5),
  effectiveFrom: z.iso.date(),
  setBy: z.string(),
  reason: z.string(),
  declaredAt: z.iso.datetime(),
});
export type TargetEntry = z.infer<typeof targetEntrySchema>;

/**
 * The team's declarations in the order they were made. Targets are append-only (SPEC §2): a
 * change or a confirmation is a new entry and nothing is edited in place. Entries that no longer
 * parse are counted, not guessed at.
 */
export async function listTargets(
  store: Store,
  teamId: string,
): Promise<{ entries: TargetEntry[]; unreadable: number }> {
  return readEntries(store, teamLog(teamId));
}

/** Declarations as the workspace file's targets (SPEC §11) of team `teamId`: who and why, not when. */
export function asWorkspaceTargets(
  entries: readonly TargetEntry[],
  teamId: string,
): NonNullable<WorkspaceFile["targets"]> {
  return entries.map(({ declaredAt: _declaredAt, ...target }) => ({ ...target, teamId }));
}

/**
 * Appends a declaration under its own key (declaration time + request id): two people declaring
 * at once both land, and a retry of the same request rewrites the same entry instead of adding one.
 */
export async function appendTarget(
  store: Store,
  teamId: string,
  input: TargetInput,
  declared: { readonly by: string; readonly at: number },
): Promise<TargetEntry> {
  return appendEntry(store, teamLog(teamId), input, declared);
}

/** A stored declaration of the org target (SPEC §2, §8): the split agreed for the whole workspace. */
export const orgTargetEntrySchema = targetEntrySchema.extend({ teamId: z.null() });
export type OrgTargetEntry = z.infer<typeof orgTargetEntrySchema>;

/** The org target's declarations in the order they were made; append-only like a team's. */
export async function listOrgTargets(
  store: Store,
): Promise<{ entries: OrgTargetEntry[]; unreadable: number }> {
  return readEntries(store, ORG_LOG);
}

/** Org declarations as the workspace file's targets with `teamId: null`. */
export function orgAsWorkspaceTargets(
  entries: readonly OrgTargetEntry[],
): NonNullable<WorkspaceFile["targets"]> {
  return entries.map(({ declaredAt: _declaredAt, ...target }) => ({ ...target, teamId: null }));
}

/**
 * Appends a declaration of the org target under its own key; a retry of the same request answers
 * the entry it stored the first time instead of adding one.
 */
export async function appendOrgTarget(
  store: Store,
  input: TargetInput,
  declared: { readonly by: string; readonly at: number },
): Promise<OrgTargetEntry> {
  return appendEntry(store, ORG_LOG, input, declared);
}

/** Where one scope's declarations live: a team's, or the org's. */
interface TargetLog<T> {
  readonly prefix: string;
  readonly schema: z.ZodType<T>;
  /** The stored entry of a declaration. */
  readonly entry: (declaration: Omit<TargetEntry, "teamId">) => T;
  /** Its key: declaration time + request id. */
  readonly keyOf: (declaredAt: string, requestId: string) => string;
}

function teamLog(teamId: string): TargetLog<TargetEntry> {
  return {
    prefix: storeKeys.targetPrefix(teamId),
    schema: targetEntrySchema,
    entry: (declaration) => ({ teamId, ...declaration }),
    keyOf: (declaredAt, requestId) => storeKeys.targetEntry(teamId, declaredAt, requestId),
  };
}

const ORG_LOG: TargetLog<OrgTargetEntry> = {
  prefix: storeKeys.orgTargetPrefix(),
  schema: orgTargetEntrySchema,
  entry: (declaration) => ({ teamId: null, ...declaration }),
  keyOf: (declaredAt, requestId) => storeKeys.orgTargetEntry(declaredAt, requestId),
};

/** Every entry of the log that parses, in key order; the others are counted, not guessed at. */
async function readEntries<T>(
  store: Store,
  log: TargetLog<T>,
): Promise<{ entries: T[]; unreadable: number }> {
  const entries: T[] = [];
  let unreadable = 0;
  for (const { value } of await store.listByPrefix(log.prefix)) {
    const parsed = log.schema.safeParse(value);
    if (parsed.success) entries.push(parsed.data);
    else unreadable++;
  }
  return { entries, unreadable };
}

function declaration(
  input: TargetInput,
  declared: { readonly by: string; readonly at: number },
): Omit<TargetEntry, "teamId"> {
  return {
    investmentShare: input.investmentShare,
    tolerance: input.tolerance,
    effectiveFrom: input.effectiveFrom,
    setBy: declared.by,
    reason: input.reason,
    declaredAt: new Date(declared.at).toISOString(),
  };
}

/**
 * Stores the declaration under its own key (declaration time + request id), unless an entry of
 * the same request is already stored: a retry answers that one instead of adding a second.
 */
async function appendEntry<T>(
  store: Store,
  log: TargetLog<T>,
  input: TargetInput,
  declared: { readonly by: string; readonly at: number },
): Promise<T> {
  const existing = (await store.listByPrefix(log.prefix)).find((stored) =>
    stored.key.endsWith(`:${encodeKeyPart(input.requestId)}`),
  );
  const previous = existing ? log.schema.safeParse(existing.value) : undefined;
  if (previous?.success) return previous.data;
  const made = declaration(input, declared);
  const entry = log.entry(made);
  await store.set(log.keyOf(made.declaredAt, input.requestId), entry);
  return entry;
}
