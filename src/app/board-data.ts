import { z } from "zod";
import type { Item } from "../domain/index";
import {
  type BoardContext,
  type ChangeHistory,
  type JiraIssue,
  type JiraSprint,
  mapBoard,
  type MappedBoard,
  type TeamOptions,
} from "../jira/index";
import { type Store, storeKeys } from "../store/index";
import { writeIssueIds } from "./board-issue-ids";

/**
 * A Jira board as the app keeps it between syncs, so that no page has to pull it: the board's
 * configuration and sprints in a small head, its issues (as the client parsed them) with their
 * change history in {@link SHARDS} shards by issue id, and beside each issue the item it maps to
 * (SPEC §2), so a refresh maps only the issues that changed. A refresh rewrites the head and only
 * the shards its changed issues fall in; the store chunks a shard that outgrows one KVS value.
 */

/** Fixed, so an issue's shard never moves: about 1,250 issues a shard on a 20,000-issue board. */
export const SHARDS = 16;

export const shardOf = (issueId: string): number => {
  const id = Number(issueId);
  if (Number.isSafeInteger(id)) return Math.abs(id) % SHARDS;
  let hash = 0;
  for (const unit of issueId) hash = (hash * 31 + (unit.codePointAt(0) ?? 0)) >>> 0;
  return hash % SHARDS;
};

const headSchema = z.object({
  version: z.literal(1),
  boardId: z.number(),
  /** The app's own record of what Jira answered; checked for shape only. */
  context: z.custom<BoardContext>(
    (v) => typeof v === "object" && v !== null && "jql" in v && "board" in v,
  ),
  sprints: z.array(z.custom<JiraSprint>((v) => typeof v === "object" && v !== null)),
  /** When the last pull or refresh began: every change before it is in the shards. */
  syncedAt: z.iso.datetime(),
  /** When the last full pull began (the daily reconcile starts another). */
  fullAt: z.iso.datetime(),
  issues: z.number().int().nonnegative(),
  /**
   * What the kept items were mapped with ({@link mappingKeyOf}); items mapped with anything else
   * are mapped again. Absent before the first mapping.
   */
  mapping: z.string().optional(),
});
export type BoardDataHead = z.infer<typeof headSchema>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * A shard as the app wrote it: its issues and histories were parsed with the Jira schemas when
 * they came from Jira, and its items by the workspace schema when they were mapped, so reading it
 * back checks its shape only (parsing 20,000 issues again would cost a refresh a second of CPU).
 */
const shardSchema = z.object({
  issues: z.array(
    z.custom<JiraIssue>(
      (v) => isRecord(v) && typeof v.id === "string" && typeof v.key === "string",
    ),
  ),
  changelogs: z.record(z.string(), z.array(z.custom<ChangeHistory>(isRecord))),
  items: z
    .record(
      z.string(),
      z.custom<Item>((v) => isRecord(v) && typeof v.id === "string" && Array.isArray(v.history)),
    )
    .optional(),
});
type Shard = z.infer<typeof shardSchema>;

export interface BoardData {
  readonly head: BoardDataHead;
  readonly issues: ReadonlyMap<string, JiraIssue>;
  readonly changelogs: ReadonlyMap<string, readonly ChangeHistory[]>;
  /**
   * The item each issue maps to, by issue id, as mapped with `head.mapping`; an issue without
   * one (new, changed, or its parent came or went) is mapped when the board is next read.
   */
  readonly items: ReadonlyMap<string, Item>;
}

export async function readBoardHead(store: Store, boardId: number): Promise<BoardDataHead | null> {
  const parsed = headSchema.safeParse(await store.get(storeKeys.boardData(String(boardId))));
  return parsed.success ? parsed.data : null;
}

/** The whole board, or null when it was never pulled or a shard is missing or unreadable. */
export async function readBoardData(store: Store, boardId: number): Promise<BoardData | null> {
  const head = await readBoardHead(store, boardId);
  if (!head) return null;
  const shards = await Promise.all(
    Array.from({ length: SHARDS }, (_, index) => readShard(store, boardId, index)),
  );
  const issues = new Map<string, JiraIssue>();
  const changelogs = new Map<string, readonly ChangeHistory[]>();
  const items = new Map<string, Item>();
  for (const shard of shards) {
    if (!shard) return null;
    for (const issue of shard.issues) issues.set(issue.id, issue);
    for (const [id, list] of Object.entries(shard.changelogs)) changelogs.set(id, list);
    for (const [id, item] of Object.entries(shard.items ?? {})) items.set(id, item);
  }
  return { head, issues, changelogs, items };
}

async function readShard(store: Store, boardId: number, index: number): Promise<Shard | null> {
  const parsed = shardSchema.safeParse(
    await store.get(storeKeys.boardDataShard(String(boardId), index)),
  );
  return parsed.success ? parsed.data : null;
}

/**
 * Writes the board: the shards and the key → id map first, the head last, so a reader never finds
 * a head whose shards are not written yet. `shards` names the shards to write (all when absent).
 */
export async function writeBoardData(
  store: Store,
  data: BoardData,
  shards?: ReadonlySet<number>,
): Promise<void> {
  const boardId = data.head.boardId;
  const grouped = Array.from({ length: SHARDS }, (): Required<Shard> => ({
    issues: [],
    changelogs: {},
    items: {},
  }));
  for (const issue of data.issues.values()) {
    const shard = grouped[shardOf(issue.id)];
    if (!shard) continue;
    shard.issues.push(issue);
    shard.changelogs[issue.id] = [...(data.changelogs.get(issue.id) ?? [])];
    const item = data.items.get(issue.id);
    if (item !== undefined) shard.items[issue.id] = item;
  }
  await Promise.all(
    grouped.map((shard, index) =>
      shards === undefined || shards.has(index)
        ? store.set(storeKeys.boardDataShard(String(boardId), index), shard)
        : Promise.resolve(),
    ),
  );
  await writeIssueIds(store, boardId, data.issues.values());
  await store.set(storeKeys.boardData(String(boardId)), data.head);
}

/**
 * The stored board mapped as a pull maps it (SPEC §11), with the team's settings; with `only`,
 * just those issues (by id), their parents looked up among every issue of the board.
 */
export function mapBoardData(
  data: Pick<BoardData, "head" | "issues" | "changelogs">,
  options: TeamOptions,
  only?: readonly JiraIssue[],
): MappedBoard {
  const { context, sprints } = data.head;
  return mapBoard(
    {
      board: context.board,
      unit: context.unit,
      sprintFieldId: context.sprintFieldId,
      estimateFieldId: context.estimateFieldId,
      statuses: context.statuses,
      sprints,
      issues: only ?? [...data.issues.values()],
      changelogs: data.changelogs,
      ...(only === undefined
        ? {}
        : { boardKeys: new Set([...data.issues.values()].map((issue) => issue.key)) }),
    },
    options,
  );
}

/** Bumped when the mapping of an issue changes, so items kept by an older version are remapped. */
const MAPPING_VERSION = 1;

/**
 * Everything an issue's item depends on besides the issue itself and whether its parent is on
 * the board: the sprints that can be placed in time, the statuses' categories, the sprint and
 * estimate fields (`mapIssue` in map-board.ts). Team settings shape the team, not its items.
 */
export function mappingKeyOf(head: BoardDataHead): string {
  const { context } = head;
  const placed = mapBoardData({ head, issues: new Map(), changelogs: new Map() }, {}).sprints.map(
    (sprint) => sprint.id,
  );
  return JSON.stringify([
    MAPPING_VERSION,
    placed,
    context.statuses.map((status) => [status.id, status.name, status.statusCategory.key]),
    context.sprintFieldId,
    context.estimateFieldId,
  ]);
}
