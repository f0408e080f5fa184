import { z } from "zod";
import type {
  Classification,
  Flag,
  ItemReport,
  Report,
  SprintReport,
  TeamReport,
  Workspace,
} from "../domain/index";
import type { BoardContext, JiraClient } from "../jira/index";
import { decodeKeyPart, type Store, storeKeys } from "../store/index";
import { listTargets } from "./targets";
import { getTeamSettings } from "./team-settings";

export interface SyncPorts {
  readonly jira: JiraClient;
  readonly store: Store;
  readonly now: () => number;
}

const knownBoardSchema = z.object({
  boardId: z.number().int(),
  projectKey: z.string().nullable(),
  /** Jira's id of the project, which permission checks take; absent on boards kept before it. */
  projectId: z.number().int().positive().nullable().optional(),
});
export type KnownBoard = z.infer<typeof knownBoardSchema>;

/** Remembers a board, so events of its project and the daily reconcile reach it. */
export async function rememberBoard(store: Store, board: KnownBoard): Promise<void> {
  await store.set(storeKeys.board(String(board.boardId)), board);
}

export async function listKnownBoards(store: Store): Promise<KnownBoard[]> {
  const entries = await store.listByPrefix(storeKeys.boardPrefix());
  return entries.flatMap(({ value }) => {
    const parsed = knownBoardSchema.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * The issue panel's view of a board, refreshed by every recompute: enough to answer for one issue
 * with a single Jira call. Sprint reports are kept as computed (SPEC §10 shapes).
 */
const boardViewSchema = z.object({
  boardId: z.number(),
  projectKey: z.string().nullable(),
  sprintFieldId: z.string().nullable(),
  estimateFieldId: z.string().nullable(),
  computedAt: z.iso.datetime(),
  activeSprints: z.array(
    z.object({
      sprint: z.custom<SprintReport>((v) => typeof v === "object" && v !== null),
      flags: z.array(z.custom<Flag>((v) => typeof v === "object" && v !== null)),
    }),
  ),
});
export type BoardView = z.infer<typeof boardViewSchema>;

export async function getBoardView(store: Store, boardId: number): Promise<BoardView | null> {
  const parsed = boardViewSchema.safeParse(await store.get(storeKeys.boardView(String(boardId))));
  return parsed.success ? parsed.data : null;
}

const writtenSchema = z.object({
  category: z.enum(["roadmap", "investment", "unclassified"]),
  source: z.enum(["explicit", "conflict", "inherited", "rule", "none"]),
  via: z.string().nullable(),
});
/** One map for the board, `[category, source, via]` by item id: a few bytes an item. */
const writtenMapSchema = z.record(
  z.string(),
  z.tuple([writtenSchema.shape.category, writtenSchema.shape.source, z.string().nullable()]),
);

/**
 * The categories last written to the board's issue properties, by item id. Read from the board's
 * one map; a board recorded before it had one is read from its per-item entries.
 */
export async function readWrittenCategories(
  store: Store,
  boardId: number,
): Promise<Map<string, Classification>> {
  const teamId = String(boardId);
  const map = writtenMapSchema.safeParse(await store.get(storeKeys.writtenCategories(teamId)));
  if (map.success) {
    return new Map(
      Object.entries(map.data).map(([id, [category, source, via]]) => [
        id,
        { category, source, via },
      ]),
    );
  }
  const prefix = storeKeys.writtenCategoryPrefix(teamId);
  const result = new Map<string, Classification>();
  for (const { key, value } of await store.listByPrefix(prefix)) {
    const parsed = writtenSchema.safeParse(value);
    if (parsed.success) result.set(decodeKeyPart(key.slice(prefix.length)), parsed.data);
  }
  return result;
}

/**
 * The category last written to one issue's property, or null when none was: one read of the
 * board's map, of which only that entry is checked (the issue panel needs its parent's).
 */
export async function readWrittenCategory(
  store: Store,
  boardId: number,
  itemId: string,
): Promise<Classification | null> {
  const teamId = String(boardId);
  const map = await store.get(storeKeys.writtenCategories(teamId));
  if (typeof map === "object" && map !== null && !Array.isArray(map)) {
    const entry = writtenMapSchema.valueType.safeParse((map as Record<string, unknown>)[itemId]);
    if (!entry.success) return null;
    const [category, source, via] = entry.data;
    return { category, source, via };
  }
  const parsed = writtenSchema.safeParse(
    await store.get(storeKeys.writtenCategory(teamId, itemId)),
  );
  return parsed.success ? parsed.data : null;
}

export async function writeWrittenCategories(
  store: Store,
  boardId: number,
  written: ReadonlyMap<string, Classification>,
): Promise<void> {
  await store.set(
    storeKeys.writtenCategories(String(boardId)),
    Object.fromEntries(
      [...written].map(([id, { category, source, via }]) => [id, [category, source, via]]),
    ),
  );
}

/** The issue panel's view of the board, from a report just computed. */
export async function storeBoardView(
  ports: Pick<SyncPorts, "store" | "now">,
  boardId: number,
  context: BoardContext,
  report: Report,
): Promise<void> {
  const team = report.teams[0];
  const view: BoardView = {
    boardId,
    projectKey: context.board.projectKey,
    sprintFieldId: context.sprintFieldId,
    estimateFieldId: context.estimateFieldId,
    computedAt: new Date(ports.now()).toISOString(),
    activeSprints: (team?.sprints ?? [])
      .filter((sprint) => sprint.state === "active")
      .map((sprint) => ({
        sprint,
        flags: (team?.flags ?? []).filter(
          (f) => f.period.kind === "sprint" && f.period.id === sprint.id,
        ),
      })),
  };
  await ports.store.set(storeKeys.boardView(String(boardId)), view);
}

export const snapshotSchema = z.object({
  sprintId: z.string(),
  boardId: z.number(),
  phase: z.enum(["started", "closed"]),
  recordedAt: z.iso.datetime(),
  split: z.object({ roadmap: z.number(), investment: z.number(), unclassified: z.number() }),
  investmentShare: z.number().nullable(),
  flags: z.array(z.object({ code: z.string(), severity: z.string() })),
});
export type SprintSnapshot = z.infer<typeof snapshotSchema>;

export async function getSprintSnapshot(
  store: Store,
  sprintId: string,
  phase: "started" | "closed",
): Promise<SprintSnapshot | null> {
  const parsed = snapshotSchema.safeParse(
    await store.get(storeKeys.sprintSnapshot(sprintId, phase)),
  );
  return parsed.success ? parsed.data : null;
}

/**
 * The board's last computed report, kept so that `report/get` and the triage list answer big
 * boards from the store instead of pulling them inside Forge's 25-second resolver limit. Forge KVS
 * holds at most 240 KiB in one value, so the periods are one entry and the items are kept in
 * parts; titles are kept for unclassified items only, the ones the triage list shows.
 */
const PART_BYTES = 200 * 1024;

/**
 * A cached report older than this is computed again: the daily reconcile recomputes every board,
 * and the shares that depend on the day itself (a quarter's required share) must not drift further.
 */
export const MAX_REPORT_AGE_MS = 26 * 60 * 60 * 1000;

const cachedHeadSchema = z.object({
  /** When something that can move a number last happened on the board (an issue event, a label the app wrote). */
  changedAt: z.iso.datetime().nullable(),
  computed: z
    .object({
      /** When the pull it was computed from began: changes after this are not in it. */
      basisAt: z.iso.datetime(),
      computedAt: z.iso.datetime(),
      /** The team's settings and target history it was computed with. */
      inputs: z.string(),
      /** Tags this write's parts, so a reader never mixes parts of two writes. */
      write: z.string(),
      parts: z.number().int().nonnegative(),
      report: z.custom<Report>((v) => typeof v === "object" && v !== null),
    })
    .nullable(),
});
type CachedHead = z.infer<typeof cachedHeadSchema>;

const cachedItemSchema = z.tuple([
  z.string(),
  z.enum(["roadmap", "investment", "unclassified"]),
  z.enum(["explicit", "conflict", "inherited", "rule", "none"]),
  z.string().nullable(),
  z.string(),
]);
type CachedItem = z.infer<typeof cachedItemSchema>;
const CATEGORIES: readonly unknown[] = cachedItemSchema.def.items[1].options;
/**
 * One part of the items, tagged with the write it belongs to. The app wrote it with the schema
 * above: read back, each item's shape is checked, not every field (the full parse of a 20,000-issue
 * board's items costs a page a few hundred milliseconds).
 */
const cachedPartSchema = z.object({
  write: z.string(),
  items: z.array(
    z.custom<CachedItem>(
      (v) =>
        Array.isArray(v) && v.length === 5 && typeof v[0] === "string" && CATEGORIES.includes(v[1]),
    ),
  ),
});

export interface CachedReport {
  readonly report: Report;
  /** Titles of the unclassified items, by id. */
  readonly titles: ReadonlyMap<string, string>;
  readonly computedAt: string;
}

/** When a kept report was computed and from what: what tells whether it is current. */
export interface ReportStamp {
  readonly basisAt: string;
  readonly computedAt: string;
  /** The settings and targets the report was computed with. */
  readonly inputs: string;
  /** Tags the report's write.*/
  readonly write: string;
  /** A change marked in the report's head by an earlier version, if any. */
  readonly changedAt: string | null;
}

/** What a report is computed from besides the board: read before the pull begins. */
export interface ReportBasis {
  readonly at: number;
  readonly inputs: string;
}

export async function readReportBasis(
  ports: Pick<SyncPorts, "store" | "now">,
  boardId: number,
): Promise<ReportBasis> {
  return { at: ports.now(), inputs: await readInputs(ports.store, boardId) };
}

async function readInputs(store: Store, boardId: number): Promise<string> {
  const teamId = String(boardId);
  const [settings, { entries }] = await Promise.all([
    getTeamSettings(store, teamId),
    listTargets(store, teamId),
  ]);
  return JSON.stringify({ settings, targets: entries });
}

async function readHead(store: Store, boardId: number): Promise<CachedHead | null> {
  const parsed = cachedHeadSchema.safeParse(
    await store.get(storeKeys.cachedReport(String(boardId))),
  );
  return parsed.success ? parsed.data : null;
}

/**
 * Something on the board changed (an issue event, a label the app wrote): the cached report no
 * longer counts as fresh, and neither does one whose pull began before `at` and lands later.
 *
 * Each mark is a key of its own, set only when absent and never read back first, so marks made at
 * once (two issue events a few milliseconds apart) never overwrite each other: the board's changed
 * time is the latest mark, and it never goes back. A stored report prunes the marks below the
 * latest ({@link pruneChangeMarks}), so they stay a handful.
 */
export async function markBoardChanged(store: Store, boardId: number, at: number): Promise<void> {
  await store.setIfAbsent(
    storeKeys.boardChangedMark(String(boardId), at),
    new Date(at).toISOString(),
  );
}

const isoSchema = z.iso.datetime();

/** The marks of the board's changes, each with its key, as stored. */
async function readChangeMarks(
  store: Store,
  boardId: number,
): Promise<{ key: string; at: string | null }[]> {
  const entries = await store.listByPrefix(storeKeys.boardChangedPrefix(String(boardId)));
  return entries.map(({ key, value }) => {
    const parsed = isoSchema.safeParse(value);
    return { key, at: parsed.success ? parsed.data : null };
  });
}

/**
 * When the board last changed: the latest of its marks, of the one key earlier versions kept, and
 * of a head written before either existed; null when nothing was marked.
 */
export async function readChangedAt(
  store: Store,
  boardId: number,
  headChangedAt: string | null = null,
): Promise<string | null> {
  // The one key first: a prune turns it into a mark before deleting it, so it is never missed.
  const parsed = isoSchema.safeParse(await store.get(storeKeys.boardChanged(String(boardId))));
  const marks = await readChangeMarks(store, boardId);
  const candidates = [
    ...marks.flatMap((mark) => mark.at ?? []),
    ...(parsed.success ? [parsed.data] : []),
    ...(headChangedAt === null ? [] : [headChangedAt]),
  ];
  return latestOf(candidates);
}

/**
 * Forgets the marks a stored report has made needless: every one below the latest mark listed
 * (that one stays, so the changed time never goes back, and so does every mark made since the
 * listing). The one key earlier versions kept becomes a mark first.
 */
export async function pruneChangeMarks(store: Store, boardId: number): Promise<void> {
  const singleKey = storeKeys.boardChanged(String(boardId));
  const single = isoSchema.safeParse(await store.get(singleKey));
  if (single.success) {
    await markBoardChanged(store, boardId, Date.parse(single.data));
    await store.delete(singleKey);
  }
  const marks = await readChangeMarks(store, boardId);
  const latest = latestOf(marks.flatMap((mark) => mark.at ?? []));
  // A mark that is no instant (another version's) counts for nothing: forgotten with the rest.
  for (const mark of marks) {
    if (mark.at === null || (latest !== null && mark.at < latest)) await store.delete(mark.key);
  }
}

/** The latest of ISO instants (they sort as text), or null when there are none. */
function latestOf(instants: readonly string[]): string | null {
  return instants.reduce<string | null>((a, b) => (a === null || b > a ? b : a), null);
}

/** Keeps a just computed report of a board, the items in parts, the parts before the head. */
export async function storeCachedReport(
  ports: Pick<SyncPorts, "store" | "now">,
  boardId: number,
  computed: { basis: ReportBasis; workspace: Workspace; report: Report },
): Promise<ReportStamp> {
  const { store } = ports;
  const teamId = String(boardId);
  const team = computed.report.teams[0];
  const titles = new Map(computed.workspace.items.map((item) => [item.id, item.title]));
  const items = (team?.items ?? []).map((item): CachedItem => [
    item.id,
    item.category,
    item.source,
    item.via,
    item.category === "unclassified" ? (titles.get(item.id) ?? "") : "",
  ]);
  const before = await readHead(store, boardId);
  const slices = splitBySize(items, PART_BYTES);
  const parts = slices.length;
  const write = crypto.randomUUID();
  for (const [index, slice] of slices.entries()) {
    await store.set(storeKeys.cachedReportPart(teamId, index), { write, items: slice });
  }
  const stamp: ReportStamp = {
    basisAt: new Date(computed.basis.at).toISOString(),
    computedAt: new Date(ports.now()).toISOString(),
    inputs: computed.basis.inputs,
    write,
    // Changes are marked under their own keys; a head written before them kept its own.
    changedAt: before?.changedAt ?? null,
  };
  const head: CachedHead = {
    changedAt: stamp.changedAt,
    computed: {
      basisAt: stamp.basisAt,
      computedAt: stamp.computedAt,
      inputs: stamp.inputs,
      write,
      parts,
      report: {
        ...computed.report,
        teams: computed.report.teams.map((entry) => ({ ...entry, items: [] })),
      },
    },
  };
  await store.set(storeKeys.cachedReport(teamId), head);
  for (let index = parts; index < (before?.computed?.parts ?? 0); index++) {
    await store.delete(storeKeys.cachedReportPart(teamId, index));
  }
  await pruneChangeMarks(store, boardId);
  return stamp;
}

/**
 * The board's cached report when it is fresh: computed from a pull that began after the board's
 * last change, with the settings and targets in the store now, and less than a day old. Null
 * otherwise.
 */
export async function readFreshReport(
  ports: Pick<SyncPorts, "store" | "now">,
  boardId: number,
): Promise<CachedReport | null> {
  const stored = await readStoredReport(ports, boardId);
  return stored?.current === true ? stored : null;
}

/**
 * The periods of the board's last cached report (its items left out: one read, whatever the
 * board's size), with when it was computed; null when there is none.
 */
export async function readStoredPeriods(
  store: Store,
  boardId: number,
): Promise<{ report: Report; computedAt: string } | null> {
  const computed = (await readHead(store, boardId))?.computed;
  return computed ? { report: computed.report, computedAt: computed.computedAt } : null;
}

/**
 * The board's last cached report, fresh or not: `inputsMatch` says whether it was computed with
 * the settings and targets in the store now, `current` whether besides no change and no day has
 * passed since. Null when there is none or a part is lost.
 */
export async function readStoredReport(
  ports: Pick<SyncPorts, "store" | "now">,
  boardId: number,
): Promise<(CachedReport & { readonly current: boolean; readonly inputsMatch: boolean }) | null> {
  const { store } = ports;
  const head = await readHead(store, boardId);
  const computed = head?.computed;
  if (!head || !computed) return null;
  const { current, inputsMatch } = await judgeStamp(ports, boardId, {
    ...computed,
    changedAt: head.changedAt,
  });
  const parts = await Promise.all(
    Array.from({ length: computed.parts }, async (_, index) =>
      cachedPartSchema.safeParse(
        await store.get(storeKeys.cachedReportPart(String(boardId), index)),
      ),
    ),
  );
  const items: ItemReport[] = [];
  const titles = new Map<string, string>();
  for (const part of parts) {
    // A part lost or from another write: not this report any more.
    if (!part.success || part.data.write !== computed.write) return null;
    for (const [id, category, source, via, title] of part.data.items) {
      items.push({ id, category, source, via });
      if (category === "unclassified") titles.set(id, title);
    }
  }
  const [team, ...others] = computed.report.teams;
  const teams: TeamReport[] = team ? [{ ...team, items }, ...others] : [];
  return {
    report: { ...computed.report, teams },
    titles,
    computedAt: computed.computedAt,
    current,
    inputsMatch,
  };
}

/**
 * A sprint's split and flags as the board's last recompute left them (the kept report's head, one
 * value): a closed sprint's, which the issue panel's view does not keep; null when none is kept.
 */
export async function readStoredSprint(
  store: Store,
  boardId: number,
  sprintId: string,
): Promise<BoardView["activeSprints"][number] | null> {
  const team = (await readHead(store, boardId))?.computed?.report.teams[0];
  const sprint = team?.sprints.find((entry) => entry.id === sprintId);
  if (!team || !sprint) return null;
  const flags = team.flags.filter((f) => f.period.kind === "sprint" && f.period.id === sprintId);
  return { sprint, flags };
}

/**
 * Whether what was computed with `stamp` is current: `inputsMatch` when the settings and targets
 * in the store now are those it was computed with, `current` when besides the board has not
 * changed since its pull began and no day has passed since.
 */
export async function judgeStamp(
  ports: Pick<SyncPorts, "store" | "now">,
  boardId: number,
  stamp: Omit<ReportStamp, "write">,
): Promise<{ current: boolean; inputsMatch: boolean }> {
  const inputsMatch = stamp.inputs === (await readInputs(ports.store, boardId));
  const changedAt = await readChangedAt(ports.store, boardId, stamp.changedAt);
  const current =
    inputsMatch &&
    (changedAt === null || stamp.basisAt > changedAt) &&
    ports.now() - Date.parse(stamp.computedAt) < MAX_REPORT_AGE_MS;
  return { current, inputsMatch };
}

/** Consecutive runs of `values` whose JSON stays under `bytes` in UTF-8, as Forge measures. */
function splitBySize<T>(values: readonly T[], bytes: number): T[][] {
  const encoder = new TextEncoder();
  const slices: T[][] = [];
  let current: T[] = [];
  let size = 2;
  for (const value of values) {
    const length = encoder.encode(JSON.stringify(value)).length + 1;
    if (current.length > 0 && size + length > bytes) {
      slices.push(current);
      current = [];
      size = 2;
    }
    current.push(value);
    size += length;
  }
  if (current.length > 0) slices.push(current);
  return slices;
}
