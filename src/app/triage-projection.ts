import { z } from "zod";
import type { Item, Report, Sprint, Team, Workspace } from "../domain/index";
import type { JiraIssue } from "../jira/index";
import { type Store, storeKeys } from "../store/index";
import { DEFAULT_LABELS } from "../workspace/index";
import { currentItem } from "./board-workspace";
import type { ReportStamp } from "./board-sync";
import type { TeamSettings } from "./team-settings";
import { listTriageRows, type TriageRow } from "./triage";

/**
 * What the triage list of a Jira board reads instead of the board's items: the items it lists
 * (the report's unclassified ones, conflicts among them) with what it filters, sorts and shows of
 * each, their issue ids for the browse check, and the sprints they are in. Written with the
 * report, at the first pull and every refresh (a label edit marks the board changed and queues
 * the refresh that writes it again), so it always lists what the kept report lists. What depends
 * on the day or on the settings (the current sprint, what the rules say, a labels conflict) is
 * worked out when it is read, as the list from the whole board works it out.
 */

const statusSchema = z.enum(["todo", "inProgress", "done", "canceled"]);
/** An item's fields: type, labels, components, project, status, estimate, sprint ids. */
const fieldsSchema = z.tuple([
  z.string(),
  z.array(z.string()),
  z.array(z.string()),
  z.string().nullable(),
  statusSchema,
  z.number().nullable(),
  z.array(z.string()),
]);
/** Key, issue id, source, via, title, then the fields (null: the board holds no such item). */
const rowSchema = z.tuple([
  z.string(),
  z.string().nullable(),
  z.enum(["explicit", "conflict", "inherited", "rule", "none"]),
  z.string().nullable(),
  z.string(),
  fieldsSchema.nullable(),
]);
type StoredRow = z.infer<typeof rowSchema>;
const sprintSchema = z.tuple([
  z.string(),
  z.string(),
  z.number(),
  z.number(),
  z.number().nullable(),
]);

const stampSchema = z.object({
  basisAt: z.iso.datetime(),
  computedAt: z.iso.datetime(),
  inputs: z.string(),
  write: z.string(),
  changedAt: z.iso.datetime().nullable(),
});

/**
 * Read back, the first row and sprint in full and the others' shape only: the app wrote them with
 * the schemas above, and parsing thousands of rows in full would cost every page of the list.
 */
const projectionSchema = z.object({
  version: z.literal(1),
  stamp: stampSchema,
  sprints: z
    .array(z.custom<z.infer<typeof sprintSchema>>((v) => Array.isArray(v) && v.length === 5))
    .refine((sprints) => z.array(sprintSchema).safeParse(sprints.slice(0, 1)).success),
  rows: z
    .array(
      z.custom<StoredRow>((v) => Array.isArray(v) && v.length === 6 && typeof v[0] === "string"),
    )
    .refine((rows) => z.array(rowSchema).safeParse(rows.slice(0, 1)).success),
});
type StoredProjection = z.infer<typeof projectionSchema>;

export interface TriageProjection {
  readonly stamp: ReportStamp;
  readonly sprints: readonly Sprint[];
  readonly rows: readonly StoredRow[];
  /** The listed issues' ids by key, for the browse check of a page. */
  readonly issueIds: ReadonlyMap<string, string>;
}

/** The projection of a report just computed from `workspace`, with the board's Jira ids. */
export function projectTriage(
  stamp: ReportStamp,
  workspace: Workspace,
  report: Report,
  board: { readonly issues: ReadonlyMap<string, Pick<JiraIssue, "id" | "key">> },
): StoredProjection {
  const issueIds = new Map([...board.issues.values()].map((issue) => [issue.key, issue.id]));
  const byId = new Map(workspace.items.map((item) => [item.id, item]));
  const listed = (report.teams[0]?.items ?? []).filter((item) => item.category === "unclassified");
  const rows = listed.map((entry): StoredRow => {
    const item = byId.get(entry.id);
    return [
      entry.id,
      issueIds.get(entry.id) ?? null,
      entry.source,
      entry.via,
      item?.title ?? "",
      item
        ? [
            item.type,
            [...item.labels],
            [...item.components],
            item.project,
            item.status,
            item.estimate,
            [...item.sprintIds],
          ]
        : null,
    ];
  });
  const inRows = new Set(rows.flatMap(([, , , , , fields]) => fields?.[6] ?? []));
  const sprints = workspace.sprints
    .filter((sprint) => inRows.has(sprint.id))
    .map((s): z.infer<typeof sprintSchema> => [s.id, s.name, s.startAt, s.endAt, s.completeAt]);
  return { version: 1, stamp, sprints, rows };
}

/** Keeps the board's projection, one value (the store chunks it when it outgrows one entry). */
export async function storeTriageProjection(
  store: Store,
  boardId: number,
  projection: StoredProjection,
): Promise<void> {
  await store.set(storeKeys.boardTriage(String(boardId)), projection);
}

/** The board's projection, or null when none was kept (a board stored before it) or it is unreadable. */
export async function readTriageProjection(
  store: Store,
  boardId: number,
): Promise<TriageProjection | null> {
  const parsed = projectionSchema.safeParse(
    await store.get(storeKeys.boardTriage(String(boardId))),
  );
  if (!parsed.success) return null;
  const { stamp, rows } = parsed.data;
  const teamId = String(boardId);
  const sprints = parsed.data.sprints.map(([id, name, startAt, endAt, completeAt]): Sprint => ({
    id,
    teamId,
    name,
    startAt,
    endAt,
    completeAt,
  }));
  const issueIds = new Map<string, string>();
  for (const [key, id] of rows) if (id !== null) issueIds.set(key, id);
  return { stamp, sprints, rows, issueIds };
}

/**
 * The triage list's rows from the projection, with the team's settings now: the same rows as
 * {@link listTriageRows} gives from the report and the whole board, worked out by it.
 */
export function triageRowsOf(
  projection: TriageProjection,
  boardId: number,
  settings: TeamSettings,
  now: number,
): TriageRow[] {
  const teamId = String(boardId);
  // Only the labels and rules are read of the team.
  const team: Team = {
    id: teamId,
    name: teamId,
    source: "jira",
    unit: settings.unit ?? "points",
    unestimatedWeight: settings.unestimatedWeight ?? 1,
    timezone: settings.timezone ?? "UTC",
    labels: settings.labels ?? { ...DEFAULT_LABELS.jira },
    rules: settings.rules ?? [],
  };
  const items = projection.rows.flatMap(([id, , , , title, fields]): Item[] => {
    if (fields === null) return [];
    const [type, labels, components, project, status, estimate, sprintIds] = fields;
    return [
      currentItem({
        id,
        teamId,
        title,
        type,
        labels,
        components,
        project,
        parentId: null,
        status,
        estimate,
        sprintIds,
      }),
    ];
  });
  const listed = projection.rows.map(([id, , source, via]) => ({
    id,
    category: "unclassified" as const,
    source,
    via,
  }));
  const titles = new Map(projection.rows.map(([id, , , , title]) => [id, title]));
  return listTriageRows({ teams: [team], items, sprints: projection.sprints }, listed, titles, {
    now,
  });
}
