import { type Classification, classifyItem, type Item, type Team } from "../domain/index";
import { DEFAULT_LABELS, type WorkspaceFile } from "../workspace/index";
import type { TeamSettings } from "./team-settings";

type ItemFile = NonNullable<WorkspaceFile["items"]>[number];

/**
 * SPEC §3 for one freshly read issue, with its ancestors' categories taken from the last
 * recompute instead of reading them again: the parent's explicit label is inherited from the
 * parent, an inherited one from the same ancestor; otherwise no ancestor of the parent had one,
 * so the issue's own rules decide.
 */
export function classifyWithStoredAncestors(
  file: ItemFile,
  settings: TeamSettings,
  written: ReadonlyMap<string, Classification>,
): Classification {
  const team: Team = {
    id: file.teamId,
    name: file.teamId,
    source: "jira",
    unit: settings.unit ?? "points",
    unestimatedWeight: settings.unestimatedWeight ?? 1,
    timezone: settings.timezone ?? "UTC",
    labels: settings.labels ?? DEFAULT_LABELS.jira,
    rules: settings.rules ?? [],
  };
  const item: Item = {
    id: file.id,
    teamId: file.teamId,
    title: file.title,
    type: file.type ?? "Task",
    labels: file.labels ?? [],
    components: file.components ?? [],
    project: file.project ?? null,
    parentId: null,
    estimate: file.estimate ?? null,
    status: file.status,
    createdAt: 0,
    completedAt: null,
    sprintIds: file.sprintIds ?? [],
    history: [],
  };
  const context = { itemById: new Map([[item.id, item]]), teamById: new Map([[team.id, team]]) };
  const own = classifyItem(item, context);
  if (own.source === "explicit" || own.source === "conflict") return own;
  const parent = file.parentId ? written.get(file.parentId) : undefined;
  if (parent?.source === "explicit" && file.parentId) {
    return { category: parent.category, source: "inherited", via: file.parentId };
  }
  if (parent?.source === "inherited") return parent;
  return own;
}
