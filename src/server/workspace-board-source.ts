import {
  appendOrgTarget,
  appendTarget,
  AppError,
  asWorkspaceTargets,
  type BoardSource,
  type BoardSummary,
  buildReport,
  currentSprintOf,
  getTeamSettings,
  type LabelEdit,
  type LabelOutcome,
  listOrgTargets,
  type PlannedLabelEdit,
  listTargets,
  orgAsWorkspaceTargets,
} from "../app/index";
import { describeDecidingRule, type Workspace } from "../domain/index";
import { planLabelUpdate } from "../jira/index";
import { type Store, storeKeys } from "../store/index";
import {
  DEFAULT_LABELS,
  generateDemoWorkspace,
  type ParsedWorkspaceFile,
  parseWorkspace,
  workspaceFileSchema,
} from "../workspace/index";
import type { TrackerMirror } from "./tracker-mirror";

/**
 * Writes the demo workspace into an empty store; a store that has one keeps it untouched. The
 * file's targets become declarations in the store, so the settings page shows the whole history
 * and every later declaration lands in the same list.
 */
export async function seedDemoWorkspace(store: Store, now: number): Promise<boolean> {
  if ((await store.get(storeKeys.workspaceFile())) !== undefined) return false;
  const { targets = [], ...file } = generateDemoWorkspace(now);
  const boardIds = new Map(file.teams.map((team, index) => [team.id, index + 1]));
  for (const [index, target] of targets.entries()) {
    // Declared on the day it took effect; the index keeps the file's order for same-day entries.
    const input = { ...target, requestId: `demo-seed-${index}` };
    const declared = {
      by: target.setBy,
      at: Date.parse(`${target.effectiveFrom}T00:00:00Z`) + index,
    };
    if (target.teamId === null) {
      await appendOrgTarget(store, input, declared);
      continue;
    }
    const boardId = boardIds.get(target.teamId);
    if (boardId === undefined) continue;
    await appendTarget(store, String(boardId), input, declared);
  }
  await store.set(storeKeys.workspaceFile(), { ...file, targets: [] });
  return true;
}

export async function readWorkspaceFile(store: Store): Promise<ParsedWorkspaceFile> {
  const parsed = workspaceFileSchema.safeParse(await store.get(storeKeys.workspaceFile()));
  if (!parsed.success) {
    throw new AppError(
      "UPSTREAM",
      "The stored workspace is missing or damaged; start with a fresh --data file.",
    );
  }
  return parsed.data;
}

/** Boards are the file's teams in order, numbered from 1, so the pages' `boardId` works unchanged. */
export function boardsOf(file: ParsedWorkspaceFile): (BoardSummary & { teamId: string })[] {
  return file.teams.map((team, index) => ({
    boardId: index + 1,
    teamId: team.id,
    name: team.name ?? team.id,
    projectKey: file.items?.find((item) => item.teamId === team.id)?.id.split("-")[0] ?? team.id,
  }));
}

/**
 * Boards from a workspace file kept in the store: the self-hosted server's demo. Classifying sets
 * or clears the team's explicit label on the stored item, exactly what the Jira source does to an
 * issue, so every number is recomputed from the edited facts. The person at the laptop owns the
 * data, so they administer every project.
 */
export function workspaceBoardSource(
  store: Store,
  now: () => number,
  options: {
    /** The tracker the workspace mirrors; a classification reaches it before the mirror changes. */
    readonly writeThrough?: TrackerMirror["writeCategory"];
  } = {},
): BoardSource {
  const boardOf = async (boardId: number) => {
    const file = await readWorkspaceFile(store);
    const board = boardsOf(file).find((entry) => entry.boardId === boardId);
    if (!board)
      throw new AppError("NOT_FOUND", `There is no board ${boardId}. Pick one from the home page.`);
    return { file, board };
  };

  const loadWorkspace = async (boardId: number): Promise<Workspace> => {
    const { file, board } = await boardOf(boardId);
    return workspaceOf(file, board);
  };

  /** One board of `file` as a workspace, with its stored settings and target histories. */
  const workspaceOf = async (
    file: ParsedWorkspaceFile,
    board: ReturnType<typeof boardsOf>[number],
  ): Promise<Workspace> => {
    const { boardId } = board;
    const settings = await getTeamSettings(store, String(boardId));
    const { entries } = await listTargets(store, String(boardId));
    const team = file.teams.find((entry) => entry.id === board.teamId);
    const sprints = (file.sprints ?? []).filter((sprint) => sprint.teamId === board.teamId);
    const items = (file.items ?? []).filter((item) => item.teamId === board.teamId);
    const org = await listOrgTargets(store);
    const declared = [
      ...asWorkspaceTargets(entries, board.teamId),
      ...orgAsWorkspaceTargets(org.entries),
    ];
    const parsed = parseWorkspace({
      ...file,
      settings: {
        ...file.settings,
        fiscalYearStartMonth:
          settings.fiscalYearStartMonth ?? file.settings?.fiscalYearStartMonth ?? 1,
      },
      teams: team
        ? [
            {
              ...team,
              ...(settings.unit ? { unit: settings.unit } : {}),
              ...(settings.labels ? { labels: settings.labels } : {}),
              ...(settings.rules ? { rules: settings.rules } : {}),
              ...(settings.timezone ? { timezone: settings.timezone } : {}),
              ...(settings.actual ? { actual: settings.actual } : {}),
              ...(settings.unestimatedWeight !== undefined
                ? { unestimatedWeight: settings.unestimatedWeight }
                : {}),
            },
          ]
        : [],
      targets: declared,
      sprints,
      items,
    });
    if (!parsed.ok) {
      throw new AppError(
        "UPSTREAM",
        `Board ${boardId} could not be read: ${parsed.problems.slice(0, 3).join("; ")}`,
      );
    }
    return parsed.workspace;
  };

  /** The edits of issues on the board, and the keys of those that are not. */
  const partitionEdits = async (boardId: number, edits: readonly LabelEdit[]) => {
    const { file, board } = await boardOf(boardId);
    const onBoard = new Set(
      (file.items ?? []).filter((item) => item.teamId === board.teamId).map((item) => item.id),
    );
    return {
      known: edits.filter((edit) => onBoard.has(edit.issueKey)),
      missing: edits.filter((edit) => !onBoard.has(edit.issueKey)).map((edit) => edit.issueKey),
    };
  };

  /** The team's explicit category labels (SPEC §3): its settings', else the file's. */
  const categoryLabelsOf = async (
    file: ParsedWorkspaceFile,
    board: ReturnType<typeof boardsOf>[number],
  ) =>
    (await getTeamSettings(store, String(board.boardId))).labels ??
    file.teams.find((team) => team.id === board.teamId)?.labels ?? {
      roadmap: "capacity-roadmap",
      investment: "capacity-investment",
    };

  /**
   * Sets or clears the team's explicit label (SPEC §3), or adds and removes exact labels, on the
   * stored items: the tracker first when the workspace mirrors one, then the stored file.
   */
  const applyEdits = async (boardId: number, edits: readonly LabelEdit[]) => {
    const { file, board } = await boardOf(boardId);
    const labels = await categoryLabelsOf(file, board);
    const explicit = new Set([labels.roadmap, labels.investment]);
    const editOf = new Map(edits.map((edit) => [edit.issueKey, edit]));
    const labelsAfter = (before: readonly string[], edit: LabelEdit): string[] => {
      if ("set" in edit) {
        const kept = before.filter((label) => !explicit.has(label));
        return edit.set === null ? kept : [...kept, labels[edit.set]];
      }
      const kept = before.filter((label) => !edit.remove.includes(label));
      return [...kept, ...edit.add.filter((label) => !kept.includes(label))];
    };
    const relabel = (items: ParsedWorkspaceFile["items"]) => {
      const results: { issueKey: string; before: string[]; after: string[] }[] = [];
      const next = (items ?? []).map((item) => {
        const edit = item.teamId === board.teamId ? editOf.get(item.id) : undefined;
        if (edit === undefined) return item;
        const before = item.labels ?? [];
        const after = labelsAfter(before, edit);
        results.push({ issueKey: item.id, before, after });
        return { ...item, labels: after };
      });
      return { items: next, results };
    };
    const { results } = relabel(file.items);
    const changed = results.filter(
      ({ before, after }) =>
        after.length !== before.length || after.some((label, i) => label !== before[i]),
    );
    if (options.writeThrough && changed.length > 0) {
      // The tracker speaks categories: each changed item goes over as the category it now has.
      for (const category of ["roadmap", "investment", null] as const) {
        const keys = changed
          .filter(({ after }) => categoryOfLabels(after, labels) === category)
          .map(({ issueKey }) => issueKey);
        if (keys.length > 0) await options.writeThrough(board.teamId, keys, category, labels);
      }
    }
    // Read again: a pull that landed while the tracker was written to must not be undone.
    const latest = options.writeThrough ? await readWorkspaceFile(store) : file;
    await store.set(storeKeys.workspaceFile(), { ...latest, items: relabel(latest.items).items });
    return results;
  };

  return {
    async projectOf(boardId) {
      return (await boardOf(boardId)).board.projectKey;
    },

    async listBoards(projectKey) {
      const boards = boardsOf(await readWorkspaceFile(store));
      return boards
        .filter((board) => board.projectKey === projectKey)
        .map(({ boardId, name, projectKey: key }) => ({ boardId, name, projectKey: key }));
    },

    async loadAllWorkspaces() {
      // The file is read and checked once for every board, not once a board.
      const file = await readWorkspaceFile(store);
      const boards = boardsOf(file);
      const workspaces = [];
      for (const board of boards) {
        const { boardId, name, projectKey } = board;
        workspaces.push({
          board: { boardId, name, projectKey },
          workspace: await workspaceOf(file, board),
        });
      }
      return workspaces;
    },

    loadWorkspace,

    async teamDefaults(boardId) {
      // What `workspaceOf` applies under the stored settings: the file's team, its defaults filled.
      const { file, board } = await boardOf(boardId);
      const team = file.teams.find((entry) => entry.id === board.teamId);
      if (!team) throw new AppError("NOT_FOUND", `There is no board ${boardId}.`);
      return {
        unit: team.unit,
        actual: team.actual ?? "delivered",
        timezone: team.timezone,
        labels: team.labels ?? DEFAULT_LABELS[team.source],
        rules: team.rules,
        unestimatedWeight: team.unestimatedWeight,
        fiscalYearStartMonth: file.settings?.fiscalYearStartMonth ?? 1,
      };
    },

    isProjectAdmin() {
      return Promise.resolve(true);
    },

    async getItem(boardId, issueKey) {
      const workspace = await loadWorkspace(boardId);
      const item = workspace.items.find((entry) => entry.id === issueKey);
      if (!item) throw new AppError("NOT_FOUND", `${issueKey} is not on board ${boardId}.`);
      const report = buildReport(workspace, { now: now() });
      const team = report.teams[0];
      const classification = team?.items.find((entry) => entry.id === issueKey);
      if (!team || !classification)
        throw new AppError("NOT_FOUND", `${issueKey} is not on board ${boardId}.`);
      // The issue's own sprint, never the board's: a backlog issue is in none.
      const current = currentSprintOf(
        workspace.sprints.filter((entry) => item.sprintIds.includes(entry.id)),
        now(),
        item.status,
      );
      // The sprint's split as the project page shows it: active, or closed with the issue in it.
      const sprint =
        current?.state === "active" || (current?.state === "closed" && !current.backlog)
          ? (team.sprints.find((entry) => entry.id === current.id) ?? null)
          : null;
      return {
        item: {
          id: issueKey,
          title: item.title,
          category: classification.category,
          source: classification.source,
          via: classification.via,
          ruleText: describeDecidingRule(workspace.teams[0] ?? { rules: [] }, classification.via),
        },
        sprint: current,
        actual: team.actual,
        sprintReport: sprint,
        sprintFlags: sprint
          ? team.flags.filter(
              (flag) => flag.period.kind === "sprint" && flag.period.id === sprint.id,
            )
          : [],
        computedAt: new Date(now()).toISOString(),
      };
    },

    async classify(boardId, issueKeys, category) {
      const edits = issueKeys.map((issueKey) => ({ issueKey, set: category }));
      const { known, missing } = await partitionEdits(boardId, edits);
      // All or nothing: a request naming an unknown issue changes nothing.
      if (missing.length > 0)
        throw new AppError("NOT_FOUND", `Not on board ${boardId}: ${missing.join(", ")}.`);
      const results = await applyEdits(boardId, known);
      return results.map(({ issueKey, before, after }) => ({
        issueKey,
        changed: after.length !== before.length || after.some((label, i) => label !== before[i]),
        labels: after,
      }));
    },

    async planLabels(boardId, edits) {
      const { file, board } = await boardOf(boardId);
      const labels = await categoryLabelsOf(file, board);
      const labelsOf = new Map(
        (file.items ?? [])
          .filter((item) => item.teamId === board.teamId)
          .map((item) => [item.id, item.labels ?? []]),
      );
      return edits.map((edit): PlannedLabelEdit => {
        const before = labelsOf.get(edit.issueKey);
        if (before === undefined) {
          return { issueKey: edit.issueKey, ok: false, message: `Not on board ${boardId}.` };
        }
        const { add, remove } = planLabelUpdate(before, edit.set, labels);
        return { issueKey: edit.issueKey, ok: true, before, add, remove };
      });
    },

    async editLabels(boardId, edits) {
      const { known, missing } = await partitionEdits(boardId, edits);
      const results = new Map(
        (await applyEdits(boardId, known)).map((result) => [result.issueKey, result]),
      );
      return edits.map((edit): LabelOutcome => {
        const result = results.get(edit.issueKey);
        if (result === undefined || missing.includes(edit.issueKey)) {
          return { issueKey: edit.issueKey, ok: false, message: `Not on board ${boardId}.` };
        }
        return {
          issueKey: edit.issueKey,
          ok: true,
          added: result.after.filter((label) => !result.before.includes(label)),
          removed: result.before.filter((label) => !result.after.includes(label)),
        };
      });
    },
  };
}

/** The category the explicit labels say, null for none or both (a conflict clears nothing more). */
function categoryOfLabels(
  labels: readonly string[],
  names: { readonly roadmap: string; readonly investment: string },
): "roadmap" | "investment" | null {
  const roadmap = labels.includes(names.roadmap);
  const investment = labels.includes(names.investment);
  if (roadmap === investment) return null;
  return roadmap ? "roadmap" : "investment";
}
