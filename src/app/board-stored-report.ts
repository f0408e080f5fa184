import { z } from "zod";
import { computeReport, type Item, type Report, type Workspace } from "../domain/index";
import { type Store, storeKeys } from "../store/index";
import { mapBoardData, mappingKeyOf, readBoardHead, type BoardData } from "./board-data";
import { readReportBasis, storeCachedReport, type SyncPorts } from "./board-sync";
import { boardAsWorkspace, currentItem, teamOptionsOf } from "./board-workspace";
import { projectTriage, storeTriageProjection } from "./triage-projection";
import { getTeamSettings } from "./team-settings";

// From the store: the report, the panel's view, the properties

/** The board's workspace from its stored copy: no Jira request. */
export async function storedBoardWorkspace(store: Store, data: BoardData): Promise<Workspace> {
  return (await mapStoredBoard(store, data)).workspace;
}

/**
 * The board's workspace from its stored copy, mapping only the issues without a kept item (all
 * of them when what items depend on changed, see `mappingKeyOf`), and the board with every item
 * kept for the next time. `remapped` names the issues mapped now, by id.
 */
export async function mapStoredBoard(
  store: Store,
  data: BoardData,
): Promise<{ workspace: Workspace; data: BoardData; remapped: Set<string>; all: boolean }> {
  const { boardId } = data.head;
  const settings = await getTeamSettings(store, String(boardId));
  const mapping = mappingKeyOf(data.head);
  const all = data.head.mapping !== mapping;
  const kept = all ? new Map<string, Item>() : data.items;
  const pending = [...data.issues.values()].filter((issue) => !kept.has(issue.id));
  const options = teamOptionsOf(settings);
  const mapped = all ? mapBoardData(data, options) : mapBoardData(data, options, pending);
  const keptItems = [...kept].flatMap(([id, item]) => (data.issues.has(id) ? [item] : []));
  const workspace = await boardAsWorkspace(store, boardId, mapped, keptItems);
  const idOfKey = new Map([...data.issues.values()].map((issue) => [issue.key, issue.id]));
  const items = new Map<string, Item>();
  for (const item of workspace.items) {
    const id = idOfKey.get(item.id);
    if (id !== undefined) items.set(id, item);
  }
  return {
    workspace,
    data: { ...data, head: { ...data.head, mapping }, items },
    remapped: new Set(pending.map((issue) => issue.id)),
    all,
  };
}

/**
 * Per item: id, title, type, labels, components, project, parent; then what the triage list
 * shows besides: status, estimate, sprints (absent from values kept before it showed them).
 */
const classifyingItemsSchema = z.array(
  z.tuple([
    z.string(),
    z.string(),
    z.string(),
    z.array(z.string()),
    z.array(z.string()),
    z.string().nullable(),
    z.string().nullable(),
    z.enum(["todo", "inProgress", "done", "canceled"]).optional(),
    z.number().nullable().optional(),
    z.array(z.string()).optional(),
  ]),
);

/**
 * Read back, the first item in full and the others' shape only: the app wrote them all with the
 * schema above, and parsing 20,000 in full would cost every page that reads them (board-data.ts).
 */
const storedClassifyingItemsSchema = z
  .array(
    z.custom<z.infer<typeof classifyingItemsSchema>[number]>(
      (v) => Array.isArray(v) && typeof v[0] === "string" && Array.isArray(v[3]),
    ),
  )
  .refine((items) => classifyingItemsSchema.safeParse(items.slice(0, 1)).success);

async function storeClassifyingItems(
  store: Store,
  boardId: number,
  workspace: Workspace,
): Promise<void> {
  await store.set(
    storeKeys.boardItems(String(boardId)),
    workspace.items.map((item): z.infer<typeof classifyingItemsSchema>[number] => [
      item.id,
      item.title,
      item.type,
      [...item.labels],
      [...item.components],
      item.project,
      item.parentId,
      item.status,
      item.estimate,
      [...item.sprintIds],
    ]),
  );
}

/**
 * The board as far as classifying goes (SPEC §3: type, labels, components, project, parent), the
 * team with the settings in the store now, from what the last sync kept: a rules preview or the
 * triage list of a big board reads one value instead of the whole board. Items carry their
 * current status, estimate and sprints, and the board its sprints, but no history. Null before
 * the first sync.
 */
export async function classifyingWorkspace(
  store: Store,
  boardId: number,
): Promise<Workspace | null> {
  const [head, stored] = await Promise.all([
    readBoardHead(store, boardId),
    store.get(storeKeys.boardItems(String(boardId))),
  ]);
  const items = storedClassifyingItemsSchema.safeParse(stored);
  if (head === null || !items.success) return null;
  const settings = await getTeamSettings(store, String(boardId));
  const empty: BoardData = {
    head,
    issues: new Map(),
    changelogs: new Map(),
    items: new Map(),
  };
  const base = await boardAsWorkspace(store, boardId, mapBoardData(empty, teamOptionsOf(settings)));
  const teamId = String(boardId);
  return {
    ...base,
    items: items.data.map(
      ([id, title, type, labels, components, project, parentId, status, estimate, sprintIds]) =>
        currentItem({
          id,
          teamId,
          title,
          type,
          labels,
          components,
          project,
          parentId,
          estimate: estimate ?? null,
          status: status ?? "todo",
          sprintIds: sprintIds ?? [],
        }),
    ),
  };
}

/** Computes the report from the stored board and keeps it for the pages; no Jira request. */
export async function reportFromStore(
  boardId: number,
  ports: Pick<SyncPorts, "store" | "now">,
  data: BoardData,
  mapped?: Workspace,
): Promise<{ report: Report; titles: Map<string, string> }> {
  const basis = { ...(await readReportBasis(ports, boardId)), at: Date.parse(data.head.syncedAt) };
  const workspace = mapped ?? (await storedBoardWorkspace(ports.store, data));
  const report = computeReport(workspace, { now: ports.now() });
  const stamp = await storeCachedReport(ports, boardId, { basis, workspace, report });
  await storeClassifyingItems(ports.store, boardId, workspace);
  await storeTriageProjection(ports.store, boardId, projectTriage(stamp, workspace, report, data));
  return { report, titles: new Map(workspace.items.map((item) => [item.id, item.title])) };
}
