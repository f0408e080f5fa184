import {
  AuthError,
  JiraError,
  planLabelUpdate,
  RateLimitedError,
  TEAM_OPTION_DEFAULTS,
  unboundedFilterMessage,
  type JiraClient,
  type LabelChange,
} from "../jira/index";
import { TaskPool } from "../shared/index";
import { storeKeys, type Store } from "../store/index";
import { DEFAULT_LABELS } from "../workspace/index";
import { AppError } from "./app-error";
import { readBoardData, readBoardHead } from "./board-data";
import { readIssueIds } from "./board-issue-ids";
import { recordWritten } from "./board-leaving";
import {
  classifyingWorkspace,
  readBoardSyncState,
  reportFromStore,
  requestBoardSync,
  storedBoardWorkspace,
  type SyncRequest,
} from "./board-refresh";
import type {
  BoardSource,
  BoardSyncing,
  ItemAnswer,
  LabelEdit,
  PlannedLabelEdit,
} from "./board-source";
import { describeDecidingRule, type Status } from "../domain/index";
import {
  getBoardView,
  judgeStamp,
  listKnownBoards,
  markBoardChanged,
  readStoredReport,
  readStoredSprint,
  readWrittenCategory,
  type BoardView,
} from "./board-sync";
import { classifyWithStoredAncestors } from "./stored-classification";
import { getTeamSettings } from "./team-settings";
import { readTriageProjection, triageRowsOf } from "./triage-projection";

/** Label edits in flight at once for a bulk classify. */
const CLASSIFY_CONCURRENCY = 4;
/** Why a queued job left an issue alone when Jira refused the app its check of the person. */
const CANNOT_CHECK =
  "Jira did not let Capacity Split check that you may still edit it, so it was left as it was.";

/**
 * Boards read from the app's store, kept current by the board sync (`board-refresh.ts`): the
 * report, triage list and rules preview ask Jira nothing, the issue panel one request. Reads that
 * a person sees run as that person, so Jira's own permissions decide what the panel shows and who
 * may classify. A board not read yet gets its first pull queued, and the pages show its progress.
 */
export function jiraBoardSource(ports: {
  readonly jira: JiraClient;
  readonly store: Store;
  readonly now: () => number;
  /** Queues a board sync (a Forge queue event); without it nothing is queued from a page. */
  readonly enqueue?: (request: SyncRequest) => Promise<void>;
  /**
   * Who label edits and their reads run as: the person by default (a resolver, where they are
   * present), the app in a queued job, where Forge has no user to act as and the person's edit
   * permission was checked before the job was queued.
   */
  readonly writeAs?: "app" | "user";
}): BoardSource {
  const { jira, store } = ports;
  const writeAs = ports.writeAs ?? "user";

  /** Queues the board's sync unless one is waiting; a page works without a queue too. */
  const requestSync = async (boardId: number): Promise<void> => {
    const enqueue = ports.enqueue;
    if (enqueue !== undefined) await requestBoardSync({ ...ports, enqueue }, boardId);
  };

  const syncing = async (boardId: number): Promise<BoardSyncing> => {
    await assertReadable(boardId);
    await requestSync(boardId);
    const state = await readBoardSyncState(store, boardId);
    return { syncing: { done: state?.done ?? 0, total: state?.total ?? null } };
  };

  const source: BoardSource = {
    async projectOf(boardId) {
      // A board the app synced is known with its project; only a new one is asked of Jira.
      const known = (await listKnownBoards(store)).find((board) => board.boardId === boardId);
      if (known) return known.projectKey;
      const board = await jira.getBoard(boardId);
      return board.location?.projectKey ?? null;
    },

    async listBoards(projectKey) {
      // Jira's list, as the person sees it; a fresh install knows no board yet.
      const boards = await jira.listProjectBoards(projectKey, { as: "user" });
      return boards.map((board) => ({
        boardId: board.id,
        projectKey: board.location?.projectKey ?? projectKey,
        name: board.name,
      }));
    },

    async loadWorkspace(boardId, options) {
      // Current fields only (a rules preview): one stored value, however big the board.
      const light = options?.history === false ? await classifyingWorkspace(store, boardId) : null;
      if (light !== null) return light;
      const data = await readBoardData(store, boardId);
      if (data === null) {
        const { syncing: progress } = await syncing(boardId);
        throw new AppError(
          "UPSTREAM",
          `Board ${boardId} is still being read from Jira (${progress.done} of ${progress.total ?? "?"} issues). Try again when the project page shows its report.`,
        );
      }
      return storedBoardWorkspace(store, data);
    },

    async loadReport(boardId) {
      const stored = await readStoredReport(ports, boardId);
      if (stored) {
        // A change since, new settings or targets, or a day: the page shows this one, saying
        // so, while the queued sync computes the next (a big board's recompute does not fit a
        // resolver's 25 s).
        if (!stored.current) await requestSync(boardId);
        return { ...stored, cached: true, recomputing: !stored.inputsMatch };
      }
      // The kept report was lost: computed again from the board's copy.
      const data = await readBoardData(store, boardId);
      if (data === null) return syncing(boardId);
      const { report, titles } = await reportFromStore(boardId, ports, data);
      return { report, titles, computedAt: report.now, cached: false };
    },

    async teamDefaults(boardId) {
      // The board's estimation as the last pull read it; a board not read yet counts points.
      const head = await readBoardHead(store, boardId);
      return {
        ...TEAM_OPTION_DEFAULTS,
        rules: [],
        unit: head?.context.unit ?? "points",
        actual: "delivered",
        fiscalYearStartMonth: 1,
      };
    },

    async settingsChanged(boardId) {
      // Labels and rules move categories: the sync writes the properties that changed.
      await requestSync(boardId);
    },

    async browsableKeys(boardId, keys, issueIds) {
      // As the user: Jira's own browse permission (issue security included) decides.
      return (
        await keysWithPermission(
          boardId,
          keys,
          (ids) => jira.issuesWithPermission(ids, "BROWSE_PROJECTS", { as: "user" }),
          issueIds,
        )
      ).granted;
    },

    async triageRows(boardId) {
      // The board's triage projection: what the list shows of the issues it lists, one value.
      const kept = await readTriageProjection(store, boardId);
      if (kept === null) return null;
      const { current } = await judgeStamp(ports, boardId, kept.stamp);
      if (!current) await requestSync(boardId);
      const settings = await getTeamSettings(store, String(boardId));
      return {
        rows: triageRowsOf(kept, boardId, settings, ports.now()),
        issueIds: kept.issueIds,
      };
    },

    async refusedEdits(boardId, keys) {
      // As the user, while they are present: Jira's edit permission decides, issue by issue.
      return refusedBy(
        boardId,
        keys,
        (ids) => jira.issuesWithPermission(ids, "EDIT_ISSUES", { as: "user" }),
        {
          missing: `It is not on board ${boardId} as last read from Jira.`,
          refused: "Jira does not let you edit it.",
        },
      );
    },

    async refusedEditsNow(boardId, keys, accountId) {
      // Edits as the person are checked by Jira one by one; only the app's are asked about.
      if (writeAs === "user") return new Map();
      try {
        return await refusedBy(boardId, keys, (ids) => jira.issuesEditableBy(accountId, ids), {
          missing: `It is no longer on board ${boardId} as last read from Jira.`,
          refused: "You can no longer edit this issue.",
        });
      } catch (error) {
        // Jira will not tell the app: nothing of the batch is edited, each says why.
        if (!(error instanceof AuthError && error.code === "JIRA_FORBIDDEN")) throw error;
        return new Map(keys.map((key) => [key, CANNOT_CHECK]));
      }
    },

    async isProjectAdmin(projectKey) {
      const permissions = await jira.getMyPermissions(projectKey, ["ADMINISTER_PROJECTS"], {
        as: "user",
      });
      return permissions.ADMINISTER_PROJECTS === true;
    },

    async getItem(boardId, key, context) {
      const view = await getBoardView(store, boardId);
      const projectKey = view?.projectKey ?? (await this.projectOf(boardId));
      if (context.projectKey === null || projectKey !== context.projectKey) {
        throw new AppError("FORBIDDEN", `Board ${boardId} does not belong to this project.`);
      }
      if (view === null) await requestSync(boardId);
      const teamId = String(boardId);
      // As the user: the panel shows only what the person may browse. The one Jira request.
      const { item, sprints } = await jira.getIssue(
        key,
        {
          teamId,
          sprintFieldId: view?.sprintFieldId ?? null,
          estimateFieldId: view?.estimateFieldId ?? null,
        },
        { as: "user" },
      );
      return answerFor(boardId, view, key, item, sprints);
    },

    async getItemOfIssue(key, context) {
      // The issue panel has no board in its context: the board of the issue's own sprint.
      const known = (await listKnownBoards(store)).filter(
        (board) => board.projectKey !== null && board.projectKey === context.projectKey,
      );
      const views = (
        await Promise.all(known.map((board) => getBoardView(store, board.boardId)))
      ).filter((view): view is BoardView => view !== null);
      const first = views[0];
      if (first === undefined) {
        throw new AppError(
          "NOT_FOUND",
          "Capacity Split has not read a board of this project yet. Open the project page once.",
        );
      }
      // The sprint field is the site's; the estimate field of the project's first board serves
      // for reading the issue. The one Jira request, as the user.
      const { item, sprints } = await jira.getIssue(
        key,
        {
          teamId: String(first.boardId),
          sprintFieldId: first.sprintFieldId,
          estimateFieldId: first.estimateFieldId,
        },
        { as: "user" },
      );
      const ours = (sprint: { boardId?: number | undefined }) =>
        views.find((view) => view.boardId === sprint.boardId);
      const view =
        sprints
          .filter((sprint) => sprint.state === "active")
          .map(ours)
          .find(Boolean) ??
        [...sprints].reverse().map(ours).find(Boolean) ??
        first;
      return answerFor(view.boardId, view, key, item, sprints);
    },

    async classify(boardId, issueKeys, category) {
      const outcomes = await applyLabelEdits(
        boardId,
        issueKeys.map((issueKey) => ({ issueKey, set: category })),
      );
      const failed = outcomes.find((outcome) => !outcome.ok);
      if (failed && !failed.ok) throw failed.error;
      return outcomes.flatMap((outcome) =>
        outcome.ok
          ? [{ issueKey: outcome.issueKey, changed: outcome.changed, labels: outcome.labels }]
          : [],
      );
    },

    async planLabels(boardId, edits) {
      const settings = await getTeamSettings(store, String(boardId));
      const labels = settings.labels ?? DEFAULT_LABELS.jira;
      const read = await eachIssue(edits, async (edit) => {
        const before = await jira.getLabels(edit.issueKey, { as: writeAs });
        return { before, ...planLabelUpdate(before, edit.set, labels) };
      });
      // A rate limit is no answer about the issue: the caller waits and plans the batch again.
      throwUnanswered(read);
      return read.map((result): PlannedLabelEdit =>
        result.ok
          ? {
              issueKey: result.issueKey,
              ok: true,
              before: result.value.before,
              add: result.value.add,
              remove: result.value.remove,
            }
          : { issueKey: result.issueKey, ok: false, message: messageOf(result.error) },
      );
    },

    async editLabels(boardId, edits) {
      const outcomes = await applyLabelEdits(boardId, edits);
      return outcomes.map((outcome) =>
        outcome.ok
          ? { issueKey: outcome.issueKey, ok: true, added: outcome.added, removed: outcome.removed }
          : { issueKey: outcome.issueKey, ok: false, message: messageOf(outcome.error) },
      );
    },
  };
  return source;

  /**
   * A board whose first pull can never finish, its filter having no search restriction Jira's
   * search needs, is answered with what to change instead of progress that never moves.
   */
  async function assertReadable(boardId: number): Promise<void> {
    const saved = await store.get(storeKeys.boardPullCursor(String(boardId)));
    const jql =
      typeof saved === "object" && saved !== null && "context" in saved
        ? (saved.context as { jql?: unknown } | null)?.jql
        : undefined;
    const message = typeof jql === "string" ? unboundedFilterMessage(jql) : null;
    if (message !== null) throw new AppError("BAD_REQUEST", `Board ${boardId}: ${message}`);
  }

  /**
   * The board's key → id map, one small read; a board last written before it kept one is read
   * whole (its next sync writes the map). Null before the first pull.
   */
  async function issueIdsOf(boardId: number): Promise<ReadonlyMap<string, string> | null> {
    const kept = await readIssueIds(store, boardId);
    if (kept !== null) return kept;
    const data = await readBoardData(store, boardId);
    return data === null ? null : new Map([...data.issues.values()].map((i) => [i.key, i.id]));
  }

  /**
   * Each edit on its own, a few at a time, as `writeAs`: as the user, Jira's edit permission
   * decides; as the app, the caller checked it first. One failing leaves the others running.
   */
  async function applyLabelEdits(
    boardId: number,
    edits: readonly LabelEdit[],
  ): Promise<AppliedEdit[]> {
    const settings = await getTeamSettings(store, String(boardId));
    const labels = settings.labels ?? DEFAULT_LABELS.jira;
    const results = await eachIssue(edits, (edit) =>
      "set" in edit
        ? jira.setCategoryLabel(edit.issueKey, edit.set, labels, { as: writeAs })
        : editExactLabels(edit),
    );
    // The sync reads the new labels and writes the properties, also when an edit failed. Jira's
    // search shows an edit only after a while, so the sync's search names these issues to it.
    const changed = results.flatMap((result) =>
      result.ok && result.value.changed ? [result.issueKey] : [],
    );
    if (changed.length > 0) {
      const idOfKey = await issueIdsOf(boardId);
      const ids = changed.flatMap((key) => idOfKey?.get(key) ?? []);
      await recordWritten(store, boardId, ids, ports.now());
      await markBoardChanged(store, boardId, ports.now());
      await requestSync(boardId);
    }
    // A rate limit is no answer about the issue: the caller waits and runs the edits again, which
    // repeat nothing that went through.
    throwUnanswered(results);
    return results.map((result) =>
      result.ok
        ? { issueKey: result.issueKey, ok: true, ...result.value }
        : { issueKey: result.issueKey, ok: false, error: result.error },
    );
  }

  async function editExactLabels(edit: {
    readonly issueKey: string;
    readonly add: readonly string[];
    readonly remove: readonly string[];
  }): Promise<LabelChange> {
    const changed = edit.add.length > 0 || edit.remove.length > 0;
    if (changed) await jira.editLabels(edit.issueKey, edit, { as: writeAs });
    return { changed, added: edit.add, removed: edit.remove, labels: [] };
  }

  /**
   * The keys `ask` does not grant edit permission on, each with the `refused` reason, and those
   * the board's copy does not know with the `missing` one.
   */
  async function refusedBy(
    boardId: number,
    keys: readonly string[],
    ask: (issueIds: readonly string[]) => Promise<ReadonlySet<string>>,
    reasons: { readonly missing: string; readonly refused: string },
  ): Promise<Map<string, string>> {
    const { granted, known } = await keysWithPermission(boardId, keys, ask);
    const refused = new Map<string, string>();
    for (const key of new Set(keys)) {
      if (!known.has(key)) refused.set(key, reasons.missing);
      else if (!granted.has(key)) refused.set(key, reasons.refused);
    }
    return refused;
  }

  /**
   * Which of the board's issues (by key) `ask` says hold a permission (it takes Jira's issue ids
   * and answers a bulk check), and which of the keys the board's copy knows (only those have an
   * id to ask about).
   */
  async function keysWithPermission(
    boardId: number,
    keys: readonly string[],
    ask: (issueIds: readonly string[]) => Promise<ReadonlySet<string>>,
    /** The keys' ids when the caller has them; else the board's key → id map is read. */
    issueIds?: ReadonlyMap<string, string>,
  ): Promise<{ granted: ReadonlySet<string>; known: ReadonlySet<string> }> {
    const idOfKey = keys.length === 0 ? null : (issueIds ?? (await issueIdsOf(boardId)));
    if (idOfKey === null) return { granted: new Set(), known: new Set() };
    const known = new Set(keys.filter((key) => idOfKey.has(key)));
    const ids = [...known].flatMap((key) => idOfKey.get(key) ?? []);
    const granted = await ask(ids);
    return {
      granted: new Set([...known].filter((key) => granted.has(idOfKey.get(key) ?? ""))),
      known,
    };
  }

  /** The panel's answer for an issue read from Jira, with the board's settings and view. */
  async function answerFor(
    boardId: number,
    view: BoardView | null,
    key: string,
    item: Parameters<typeof classifyWithStoredAncestors>[0],
    sprints: readonly { id: number; name: string; state: string; boardId?: number | undefined }[],
  ): Promise<ItemAnswer> {
    const settings = await getTeamSettings(store, String(boardId));
    // Of the categories last written, only the parent's decides (SPEC §3 inheritance).
    const parentId = item.parentId ?? null;
    const parent = parentId === null ? null : await readWrittenCategory(store, boardId, parentId);
    const classification = classifyWithStoredAncestors(
      item,
      settings,
      new Map(parentId !== null && parent !== null ? [[parentId, parent]] : []),
    );
    const sprint = currentJiraSprint(sprints, item.status);
    const active =
      sprint?.state === "closed" && sprint.backlog !== true
        ? await readStoredSprint(
            store,
            sprints.find((entry) => String(entry.id) === sprint.id)?.boardId ?? boardId,
            sprint.id,
          )
        : await activeSprintOf(store, view, sprints);
    return {
      boardId,
      item: {
        id: key,
        title: item.title,
        ...classification,
        ruleText: describeDecidingRule({ rules: settings.rules ?? [] }, classification.via),
      },
      sprint,
      actual: settings.actual ?? "delivered",
      sprintReport: active?.sprint ?? null,
      sprintFlags: active?.flags ?? [],
      computedAt: view?.computedAt ?? new Date(ports.now()).toISOString(),
    };
  }
}

type EachResult<T> =
  | { readonly issueKey: string; readonly ok: true; readonly value: T }
  | { readonly issueKey: string; readonly ok: false; readonly error: unknown };

/** `run` for each issue, a few at a time, as a pool: each answer or failure, in the input's order. */
async function eachIssue<E extends { readonly issueKey: string }, T>(
  edits: readonly E[],
  run: (edit: E) => Promise<T>,
): Promise<EachResult<T>[]> {
  const results = new Map<string, EachResult<T>>();
  const pool = new TaskPool(CLASSIFY_CONCURRENCY);
  for (const edit of edits) {
    pool.add(async () => {
      try {
        results.set(edit.issueKey, { issueKey: edit.issueKey, ok: true, value: await run(edit) });
      } catch (error) {
        results.set(edit.issueKey, { issueKey: edit.issueKey, ok: false, error });
      }
    });
  }
  await pool.settle();
  return edits.flatMap((edit) => results.get(edit.issueKey) ?? []);
}

/**
 * Throws the first failure that is no answer about its issue: a rate limit (the caller waits and
 * runs the batch again), or anything that is not Jira's (Forge's "allow access" for a person who
 * has not consented yet, which must reach the platform untouched, or a bug).
 */
function throwUnanswered(results: readonly EachResult<unknown>[]): void {
  for (const result of results) {
    if (result.ok) continue;
    if (result.error instanceof RateLimitedError || !(result.error instanceof JiraError)) {
      throw result.error;
    }
  }
}

type AppliedEdit =
  | ({ readonly issueKey: string; readonly ok: true } & LabelChange)
  | { readonly issueKey: string; readonly ok: false; readonly error: unknown };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The sprint an issue is in by Jira's sprint field: the active one, else a future one, else the
 * last closed one (the field lists an issue's sprints in the order it was added to them): a done
 * issue stays in its closed sprint, an unfinished one is in the backlog, last in it.
 */
function currentJiraSprint(
  sprints: readonly { id: number; name: string; state: string }[],
  status: Status,
): ItemAnswer["sprint"] {
  const open =
    sprints.find((sprint) => sprint.state === "active") ??
    sprints.find((sprint) => sprint.state === "future");
  if (open !== undefined) {
    return {
      id: String(open.id),
      name: open.name,
      state: open.state === "active" ? "active" : "future",
    };
  }
  const last = sprints.filter((sprint) => sprint.state === "closed").at(-1);
  if (last === undefined) return null;
  const finished = status === "done" || status === "canceled";
  return {
    id: String(last.id),
    name: last.name,
    state: "closed",
    ...(finished ? {} : { backlog: true }),
  };
}

/**
 * The active sprint the issue is in, with its split and flags as the last sync of that sprint's
 * board computed them: the issue's own sprint, whichever board it belongs to; null when the issue
 * is in no active sprint the app has computed.
 */
async function activeSprintOf(
  store: Store,
  view: BoardView | null,
  sprints: readonly { id: number; state: string; boardId?: number | undefined }[],
): Promise<BoardView["activeSprints"][number] | null> {
  for (const sprint of sprints.filter((candidate) => candidate.state === "active")) {
    const id = String(sprint.id);
    const own = view?.activeSprints.find((entry) => entry.sprint.id === id);
    if (own) return own;
    if (sprint.boardId === undefined || sprint.boardId === view?.boardId) continue;
    const other = await getBoardView(store, sprint.boardId);
    const found = other?.activeSprints.find((entry) => entry.sprint.id === id);
    if (found) return found;
  }
  return null;
}
