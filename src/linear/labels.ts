import type { LinearSyncClient } from "./client";
import { LinearSyncError } from "./errors";
import type { LinearLabel } from "./schemas";

/** Names of the workspace label group and its two children (SPEC §3 defaults). */
export interface CapacityLabelConfig {
  readonly group: string;
  readonly roadmap: string;
  readonly investment: string;
}

export const DEFAULT_LABEL_CONFIG: CapacityLabelConfig = {
  group: "Capacity",
  roadmap: "Roadmap",
  investment: "Investment",
};

export interface CapacityLabels {
  /** Null only in a dry run that would create it. */
  readonly groupId: string | null;
  readonly roadmapId: string | null;
  readonly investmentId: string | null;
  /** What was created (or, in a dry run, would be), as `Capacity` or `Capacity › Roadmap`. */
  readonly created: readonly string[];
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Finds or creates the workspace label group and its `Roadmap` and `Investment` children, by
 * name, case-insensitively. Idempotent: a second run finds everything and creates nothing. A
 * creation whose answer was lost (and retried into Linear's duplicate-name refusal) is resolved by
 * looking the name up again, so a retry never leaves two labels.
 */
export async function bootstrapCapacityLabels(
  client: LinearSyncClient,
  options: {
    readonly config?: CapacityLabelConfig;
    readonly dryRun?: boolean;
    /**
     * Every label of the workspace, when the caller has read them anyway (a sync reads the
     * directory once to name issues' labels): the group and its children are looked up in it
     * instead of with a query each.
     */
    readonly directory?: readonly LinearLabel[];
  } = {},
): Promise<CapacityLabels> {
  const config = options.config ?? DEFAULT_LABEL_CONFIG;
  const created: string[] = [];
  const directory = options.directory;
  const queryGroup = async () =>
    firstLive(
      await client.listLabels({ name: { eqIgnoreCase: config.group }, isGroup: { eq: true } }),
      (label) => label.team === null,
    );
  const findGroup = async () =>
    directory === undefined
      ? queryGroup()
      : firstLive(
          directory,
          (label) => label.isGroup && label.team === null && sameName(label.name, config.group),
        );
  let group = await findGroup();
  if (group === undefined) {
    created.push(config.group);
    if (options.dryRun === true) {
      return {
        groupId: null,
        roadmapId: null,
        investmentId: null,
        created: [
          ...created,
          ...[config.roadmap, config.investment].map((n) => `${config.group} › ${n}`),
        ],
      };
    }
    group = await createOnce(client, { name: config.group, isGroup: true }, queryGroup);
  }
  const groupId = group.id;
  const queryChild = async (name: string) =>
    firstLive(
      await client.listLabels({ name: { eqIgnoreCase: name }, parent: { isGroup: { eq: true } } }),
      (label) => label.parent?.id === groupId && sameName(label.name, name),
    );
  const findChild = async (name: string) =>
    directory === undefined
      ? queryChild(name)
      : firstLive(directory, (label) => label.parent?.id === groupId && sameName(label.name, name));
  const ids: Record<"roadmap" | "investment", string | null> = { roadmap: null, investment: null };
  for (const kind of ["roadmap", "investment"] as const) {
    const name = config[kind];
    const existing = await findChild(name);
    if (existing !== undefined) {
      ids[kind] = existing.id;
      continue;
    }
    created.push(`${config.group} › ${name}`);
    if (options.dryRun === true) continue;
    const label = await createOnce(client, { name, parentId: groupId }, () => queryChild(name));
    ids[kind] = label.id;
  }
  return { groupId, roadmapId: ids.roadmap, investmentId: ids.investment, created };
}

async function createOnce(
  client: LinearSyncClient,
  input: Parameters<LinearSyncClient["createLabel"]>[0],
  find: () => Promise<LinearLabel | undefined>,
): Promise<LinearLabel> {
  try {
    return await client.createLabel(input);
  } catch (error) {
    if (!(error instanceof LinearSyncError) || error.code !== "LINEAR_BAD_REQUEST") throw error;
    const existing = await find();
    if (existing === undefined) throw error;
    return existing;
  }
}

/**
 * SPEC §3 "setting a category by hand" as label ids: one of the two Capacity labels added and the
 * other removed, or both removed to clear. No other label is named, so none is touched.
 */
export function categoryLabelChange(
  category: "roadmap" | "investment" | null,
  labels: { readonly roadmapId: string; readonly investmentId: string },
): { readonly added: readonly string[]; readonly removed: readonly string[] } {
  const { roadmapId, investmentId } = labels;
  if (category === null) return { added: [], removed: [roadmapId, investmentId] };
  return category === "roadmap"
    ? { added: [roadmapId], removed: [investmentId] }
    : { added: [investmentId], removed: [roadmapId] };
}

/** Sets an issue's category by its labels (see `categoryLabelChange`); returns its labels afterwards. */
export async function setIssueCategory(
  client: LinearSyncClient,
  issueId: string,
  category: "roadmap" | "investment",
  labels: { readonly roadmapId: string; readonly investmentId: string },
): Promise<readonly string[]> {
  return (await client.updateIssueLabels(issueId, categoryLabelChange(category, labels))).labelIds;
}

/**
 * The first label matching, one not archived when there is one: Linear keeps archived labels
 * (read with `includeArchived`), and a name can belong to an archived label and a live one.
 */
function firstLive(
  labels: readonly LinearLabel[],
  matches: (label: LinearLabel) => boolean,
): LinearLabel | undefined {
  const found = labels.filter(matches);
  return found.find((label) => label.archivedAt === null) ?? found[0];
}
