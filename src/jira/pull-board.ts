import { z } from "zod";
import { ESTIMATE_FIELD_NAMES, type BoardContext, type JiraClient } from "./client";
import { CHANGELOG_BATCH_SIZE } from "./limits";
import { BadRequestError } from "./errors";
import { mapBoard, type MappedBoard, type TeamOptions } from "./map-board";
import {
  changeHistorySchema,
  jiraIssueSchema,
  type ChangeHistory,
  type FieldIdsByName,
  type JiraIssue,
  type JiraSprint,
} from "./schemas";
import { TaskPool } from "../shared/index";

/**
 * The whole pull of one board:
 *
 * 1. the fixed calls (board, configuration, filter, fields, statuses), unless the caller passes a
 *    `context` it kept; the sprint pages and the issue count run beside the search;
 * 2. the search, page after page (a `nextPageToken` only exists once the previous page arrived);
 * 3. as soon as 1000 issue ids have accumulated, their changelogs in one bulk request (and its
 *    pages), at most `changelogConcurrency` batches in flight, while the search goes on.
 *
 * After every page `onProgress` gets a cursor: the issues read, the changelogs complete and the
 * search's next token. Passed back as `resume`, a pull continues from there instead of starting
 * over; a page token Jira no longer accepts restarts the search alone (issues already read keep
 * their changelogs, so only search pages are read twice).
 */

/** The cursor's version; a cursor of another version is ignored and the pull starts over. */
const CURSOR_VERSION = 1;
/** How many times an expired page token may restart the search (or one changelog batch). */
const MAX_RESTARTS = 3;
/** Changelog requests in flight at once: inside Jira's per-endpoint burst limits. */
export const DEFAULT_CHANGELOG_CONCURRENCY = 4;

export const pullCursorSchema = z.strictObject({
  version: z.literal(CURSOR_VERSION),
  boardId: z.number(),
  /** The issues were read with these; another configuration makes the cursor stale. */
  jql: z.string(),
  sprintFieldId: z.string().nullable(),
  estimateFieldId: z.string().nullable(),
  nextPageToken: z.string().nullable(),
  searchDone: z.boolean(),
  issues: z.array(jiraIssueSchema),
  /** Changelog histories by issue id, for the issues whose changelog is complete. */
  changelogs: z.record(z.string(), z.array(changeHistorySchema)),
});
export type PullCursor = z.infer<typeof pullCursorSchema>;

export type PullPhase = "context" | "issues" | "changelogs" | "done";

export interface PullProgress {
  readonly phase: PullPhase;
  readonly issuesRead: number;
  /** Jira's approximate count of the board's issues; null until it arrives (or when it failed). */
  readonly issuesExpected: number | null;
  /** Issues whose change history is complete. */
  readonly changelogsRead: number;
  /** Requests the client sent so far, retries included. */
  readonly requests: number;
  /** A JSON snapshot to persist; pass it back as `resume` to continue from here. */
  cursor(): PullCursor;
}

export interface PullOptions extends TeamOptions {
  readonly onProgress?: (progress: PullProgress) => void;
  /** A cursor from an earlier `onProgress`; `unknown` because it usually comes back from storage. */
  readonly resume?: unknown;
  /** The board's fixed facts, if the caller kept them from `getBoardContext`. */
  readonly context?: BoardContext;
  readonly changelogConcurrency?: number;
  /** Stops the pull between pages; the last cursor stays valid. */
  readonly signal?: AbortSignal;
  /**
   * False reads the issues as they are now without their change history (no changelog requests):
   * enough for what depends only on current fields, such as which rule classifies an issue.
   */
  readonly history?: boolean;
}

export interface PulledBoard extends MappedBoard {
  readonly context: BoardContext;
  /** Requests this pull sent, retries included. */
  readonly requests: number;
}

export async function pullBoard(
  client: JiraClient,
  boardId: number,
  options: PullOptions = {},
): Promise<PulledBoard> {
  const startRequests = client.requestCount;
  const signal = options.signal;
  const notes: string[] = [];
  const emitContext = (): void =>
    options.onProgress?.({
      phase: "context",
      issuesRead: 0,
      issuesExpected: null,
      changelogsRead: 0,
      requests: client.requestCount - startRequests,
      cursor: () => {
        throw new Error("No cursor before the board's configuration is read.");
      },
    });
  if (options.context === undefined) emitContext();
  const context = options.context ?? (await client.getBoardContext(boardId));
  signal?.throwIfAborted();
  const fieldIds = changelogFieldIds(context);
  const fieldNames = fieldIdsByName(context);

  const resumed = readCursor(options.resume, boardId, context, notes);
  const issues = new Map<string, JiraIssue>(resumed?.issues.map((issue) => [issue.id, issue]));
  const changelogs = new Map<string, ChangeHistory[]>(Object.entries(resumed?.changelogs ?? {}));
  let token = resumed?.nextPageToken ?? null;
  let searchDone = resumed?.searchDone ?? false;
  let expected: number | null = searchDone ? issues.size : null;

  const cursor = (): PullCursor => ({
    version: CURSOR_VERSION,
    boardId,
    jql: context.jql,
    sprintFieldId: context.sprintFieldId,
    estimateFieldId: context.estimateFieldId,
    nextPageToken: token,
    searchDone,
    issues: [...issues.values()],
    changelogs: Object.fromEntries(changelogs),
  });
  const emit = (phase: PullPhase): void =>
    options.onProgress?.({
      phase,
      issuesRead: issues.size,
      issuesExpected: expected,
      changelogsRead: changelogs.size,
      requests: client.requestCount - startRequests,
      cursor,
    });

  // Started now, awaited after the search: they need nothing from it.
  const sprintsRead = settle(readSprints(client, context, notes));
  if (!searchDone && options.onProgress !== undefined) {
    // Only for the progress bar: a failure here costs nothing but the bar's total.
    client.countIssues(context.jql).then(
      (count) => {
        expected ??= count;
      },
      () => undefined,
    );
  }

  const pool = new TaskPool(options.changelogConcurrency ?? DEFAULT_CHANGELOG_CONCURRENCY);
  const waiting = [...issues.keys()].filter((id) => !changelogs.has(id));
  const dispatch = (final: boolean): void => {
    if (options.history === false) return;
    while (waiting.length >= CHANGELOG_BATCH_SIZE || (final && waiting.length > 0)) {
      const batch = waiting.splice(0, CHANGELOG_BATCH_SIZE);
      pool.add(async () => {
        const histories = await readChangelogBatch(client, batch, fieldIds, fieldNames, signal);
        for (const id of batch) changelogs.set(id, histories.get(id) ?? []);
        emit("changelogs");
      });
    }
  };

  try {
    dispatch(searchDone);
    let restarts = 0;
    type Page = Awaited<ReturnType<JiraClient["searchIssuesDeferred"]>>;
    const request = (from: string | null) =>
      settle(client.searchIssuesDeferred(context.jql, context, from));
    // The next page is asked for as soon as this one's token is known, while its issues are
    // validated and queued: the pages are chained by their tokens, so this is the critical path.
    let next: Promise<Settled<Page>> | null = searchDone ? null : request(token);
    while (next !== null) {
      const result = await next;
      next = null;
      signal?.throwIfAborted();
      if (pool.hasFailed) break;
      if (!result.ok) {
        // Jira answers 400 to a page token it no longer accepts (they expire after 7 days).
        if (result.error instanceof BadRequestError && token !== null && restarts < MAX_RESTARTS) {
          restarts++;
          token = null;
          notes.push(
            "Jira no longer accepted the search's page token; the issue search was restarted (issues already read kept their history).",
          );
          next = request(null);
          continue;
        }
        throw result.error;
      }
      const page = result.value;
      if (page.nextPageToken !== null) next = request(page.nextPageToken);
      for (const issue of page.issues()) {
        if (!issues.has(issue.id) && !changelogs.has(issue.id)) waiting.push(issue.id);
        // A re-read issue replaces the older copy: the fields are newer.
        issues.set(issue.id, issue);
      }
      token = page.nextPageToken;
      searchDone = token === null;
      if (searchDone) expected = issues.size;
      dispatch(searchDone);
      emit(searchDone ? "changelogs" : "issues");
    }
    await pool.drain();
  } catch (error) {
    // Let the batches in flight finish, so what they read is in the last cursor.
    await pool.settle();
    emit(searchDone ? "changelogs" : "issues");
    throw error;
  }

  const sprints = await sprintsRead;
  if (!sprints.ok) throw sprints.error;
  signal?.throwIfAborted();
  const mapped = mapBoard(
    {
      board: context.board,
      unit: context.unit,
      sprintFieldId: context.sprintFieldId,
      estimateFieldId: context.estimateFieldId,
      statuses: context.statuses,
      sprints: sprints.value,
      issues: [...issues.values()],
      changelogs,
    },
    options,
  );
  if (context.sprintFieldId === null) {
    notes.push(
      "This site has no sprint field (Jira Software's gh-sprint): no item is in a sprint.",
    );
  }
  emit("done");
  return {
    ...mapped,
    notes: [...notes, ...mapped.notes],
    context,
    requests: client.requestCount - startRequests,
  };
}

/**
 * The board's sprints. Scrum boards have them, and so may team-managed boards (`simple`), which
 * answer 400 "The board does not support sprints" when the feature is off: no sprints then, not a
 * failed pull. Kanban boards never have sprints, so they are not asked.
 */
async function readSprints(
  client: JiraClient,
  context: BoardContext,
  notes: string[],
): Promise<JiraSprint[]> {
  if (context.board.type === "kanban") return [];
  try {
    return await client.getSprints(context.board.id);
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    notes.push(
      `Board "${context.board.name}" has no sprints (Jira: ${error.jiraMessages.join(" ") || "bad request"}); items are read without sprints.`,
    );
    return [];
  }
}

/** All pages of one batch's changelogs; an expired page token restarts the batch. */
async function readChangelogBatch(
  client: JiraClient,
  issueIds: readonly string[],
  fieldIds: readonly string[],
  fieldNames: FieldIdsByName,
  signal: AbortSignal | undefined,
): Promise<Map<string, ChangeHistory[]>> {
  let histories = new Map<string, ChangeHistory[]>();
  let token: string | null = null;
  let restarts = 0;
  for (;;) {
    signal?.throwIfAborted();
    let page: Awaited<ReturnType<JiraClient["getChangelogs"]>>;
    try {
      page = await client.getChangelogs(issueIds, fieldIds, token, fieldNames);
    } catch (error) {
      if (error instanceof BadRequestError && token !== null && restarts < MAX_RESTARTS) {
        restarts++;
        token = null;
        histories = new Map();
        continue;
      }
      throw error;
    }
    for (const [id, list] of page.histories) {
      const known = histories.get(id);
      if (known === undefined) histories.set(id, list);
      else known.push(...list);
    }
    token = page.nextPageToken;
    if (token === null) return histories;
  }
}

/**
 * status and resolution (canceled = done + a dropped-work resolution), assignee (SPEC §6a), the
 * sprint and estimate fields.
 */
export function changelogFieldIds(context: BoardContext): string[] {
  const ids = ["status", "resolution", "assignee"];
  if (context.sprintFieldId !== null) ids.push(context.sprintFieldId);
  if (context.estimateFieldId !== null) ids.push(context.estimateFieldId);
  return ids;
}

/**
 * Names to field ids for changelog items without `fieldId`: the context's, else the names Jira
 * gives these fields by default (a context kept from before it carried names).
 */
export function fieldIdsByName(context: BoardContext): FieldIdsByName {
  const names = new Map<string, string>(Object.entries(context.fieldNames ?? {}));
  if (context.fieldNames === undefined) {
    if (context.sprintFieldId !== null) names.set("sprint", context.sprintFieldId);
    if (context.estimateFieldId !== null) {
      for (const name of ESTIMATE_FIELD_NAMES)
        names.set(name.toLowerCase(), context.estimateFieldId);
    }
  }
  return names;
}

function readCursor(
  resume: unknown,
  boardId: number,
  context: BoardContext,
  notes: string[],
): PullCursor | null {
  if (resume === undefined || resume === null) return null;
  const parsed = pullCursorSchema.safeParse(resume);
  if (!parsed.success) {
    notes.push("The saved pull cursor is not one this version can read; the pull started over.");
    return null;
  }
  const cursor = parsed.data;
  if (
    cursor.boardId !== boardId ||
    cursor.jql !== context.jql ||
    cursor.sprintFieldId !== context.sprintFieldId ||
    cursor.estimateFieldId !== context.estimateFieldId
  ) {
    notes.push(
      "The saved pull cursor belongs to another board or an older board configuration; the pull started over.",
    );
    return null;
  }
  return cursor;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects, so a failure waits for its turn instead of going unhandled. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
