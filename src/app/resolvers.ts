import { buildReport } from "./build-report";
import { drillDown } from "./drill-down";
import {
  AuthError,
  BadRequestError,
  BULK_PERMISSION_CHECK_MAX,
  type JiraClient,
  JiraError,
  NotFoundError,
  RateLimitedError,
} from "../jira/index";
import type { Store } from "../store/index";
import { parsePayload } from "./parse-payload";
import { AppError, type AppErrorCode } from "./app-error";
import {
  isResolverKey,
  payloadSchemaOf,
  type Envelope,
  type ParsedPayload,
  type ResolverKey,
  type ResolverResult,
} from "./contract";
import type { SyncRequest } from "./board-refresh";
import type { BoardReport, BoardSource, BoardSyncing } from "./board-source";
import { withholdUnbrowsable } from "./board-visibility";
import { jiraBoardSource } from "./jira-board-source";
import { LINEAR_RESOLVERS, type LinearAdminPort } from "./linear-admin";
import { appendOrgTarget, appendTarget, listOrgTargets, listTargets } from "./targets";
import { computeOrgOverview, orgTeamKey } from "./org-overview";
import { loadOrgInput } from "./org-teams";
import { drillLinearTeam } from "./org-linear-drill";
import { listKnownBoards } from "./board-sync";
import { teamsHiddenFrom } from "./org-visibility";
import { previewRules } from "./rules-preview";
import { listTriageRows, pageTriage, type TriageRow } from "./triage";
import { findRejudgedPeriods } from "./target-impact";
import {
  BULK_BATCH,
  describeBulkJob,
  findBulkJob,
  getBulkJob,
  isFinished,
  listBulkFailures,
  resumeIfStalled,
  getLastBulkJob,
  startBulkClassify,
  startBulkUndo,
  type BulkPorts,
  type BulkRunner,
} from "./bulk-classify";
import { answerOf, readTeamSettings, setTeamSettings } from "./team-settings";

/** Who calls and from where: the host fills this from its own trusted context, never the payload. */
export interface CallContext {
  readonly accountId: string | null;
  /** The project the page or panel is shown in; no resolver reads or writes outside it. */
  readonly projectKey: string | null;
}

export interface ResolverPorts {
  /** Jira as the app and, per request (`as: "user"`), as the calling user. */
  readonly jira?: JiraClient;
  /** Where boards come from when they are not Jira's (the self-hosted demo); wins over `jira`. */
  readonly boards?: BoardSource;
  readonly store: Store;
  readonly now: () => number;
  /** Queues a Jira board's sync (Forge's queue); a page of a board not read yet asks for one. */
  readonly enqueueBoardSync?: (request: SyncRequest) => Promise<void>;
  /** Linear for the admin page; a host without it answers that Linear is not configured. */
  readonly linear?: LinearAdminPort;
  /**
   * Runs a bulk classify or undo of more than one batch outside the request (Forge's queue, the
   * server's background); without it the resolver runs it to the end before answering.
   */
  readonly enqueueBulk?: (job: {
    readonly boardId: number;
    readonly jobId: string;
  }) => Promise<void>;
}

export type { Envelope } from "./contract";

/** Resolver `K` of the contract: its parsed payload in, its answer out. */
export type ResolverHandler<K extends ResolverKey> = (
  payload: ParsedPayload<K>,
  context: CallContext,
  ports: ResolverPorts,
) => Promise<ResolverResult<K>>;

/** An implementation of resolvers `K` of the contract (`contract.ts`), each answering its type. */
export type ResolverHandlers<K extends ResolverKey = ResolverKey> = {
  readonly [Key in K]: ResolverHandler<Key>;
};

/**
 * Every resolver of the contract, by namespaced key. Payloads are parsed with the contract's
 * schemas before anything runs; each resolver checks that the board or issue belongs to the
 * caller's project, and writes that a person makes run as that person, so Jira's own
 * permissions decide.
 */
export const RESOLVERS: ResolverHandlers = {
  // The admin page's, implemented beside the Linear port.
  ...LINEAR_RESOLVERS,

  "report/get": async ({ boardId }, context, ports) => {
    const answer = await reportOfBoard(boardId, context, ports);
    if ("syncing" in answer) return answer;
    const { computedAt, cached, recomputing } = answer;
    // The issues listed are those the caller may browse, checked in one request.
    const { report, withheld } = await withholdUnbrowsable(answer.report, (keys) =>
      browsableOf(boardId, keys, ports),
    );
    return {
      ...report,
      computedAt,
      cached,
      ...(recomputing === true ? { recomputing } : {}),
      ...(withheld === null ? {} : { withheld }),
    };
  },

  "triage/list": async ({ boardId, ...query }, context, ports) => {
    const source = sourceOf(ports);
    await assertBoardInProject(boardId, context, ports);
    // Kept ahead (a Jira board): one stored value of the listed issues, not the board's items.
    const kept = (await source.triageRows?.(boardId)) ?? null;
    const listed = kept ?? (await triageFromReport(boardId, ports));
    if ("syncing" in listed) return listed;
    const { rows } = listed;
    // The titles shown are those the caller may browse: one check, of the page's rows.
    const browsable = source.browsableKeys
      ? (keys: readonly string[]) =>
          browsableOf(boardId, keys, ports, kept === null ? undefined : kept.issueIds)
      : null;
    return pageTriage(
      rows,
      {
        page: query.page ?? 0,
        pageSize: query.pageSize ?? TRIAGE_PAGE_SIZE,
        filter: query.filter ?? "",
        conflictsOnly: query.conflictsOnly ?? false,
        sort: query.sort ?? null,
        keys: query.keys ?? false,
      },
      browsable,
      { hiddenTitle: HIDDEN_ISSUE_TITLE, checkMax: BULK_PERMISSION_CHECK_MAX },
    );
  },

  "report/drill": async (payload, context, ports) => {
    await assertBoardInProject(payload.boardId, context, ports);
    return drillBoard(payload, ports);
  },

  "item/get": async ({ boardId, issueKey: key }, context, ports) => {
    assertIssueInProject(key, context);
    const source = sourceOf(ports);
    if (boardId !== undefined) return source.getItem(boardId, key, context);
    if (source.getItemOfIssue) return source.getItemOfIssue(key, context);
    const [first] = context.projectKey === null ? [] : await source.listBoards(context.projectKey);
    if (first === undefined) {
      throw new AppError("NOT_FOUND", `No board of this project holds ${key}.`);
    }
    return source.getItem(first.boardId, key, context);
  },

  "item/classify": async (input, context, ports) => {
    for (const key of input.issueKeys) assertIssueInProject(key, context);
    await assertBoardInProject(input.boardId, context, ports);
    return sourceOf(ports).classify(input.boardId, input.issueKeys, input.category);
  },

  "bulk/start": async (input, context, ports) => {
    for (const key of input.issueKeys) assertIssueInProject(key, context);
    await assertBoardInProject(input.boardId, context, ports);
    const source = sourceOf(ports);
    const existing = await findBulkJob(ports.store, input.boardId, input.requestId);
    if (existing !== null) return { ...existing, message: describeBulkJob(existing) };
    // Asked of Jira as the person, now that they are here: a queued job edits as the app, so it
    // edits only what they may, and names the rest as refused.
    const refused = (await source.refusedEdits?.(input.boardId, input.issueKeys)) ?? new Map();
    const runner = bulkRunnerOf(ports, input.issueKeys.length);
    const job = await startBulkClassify(bulkPortsOf(ports), runner, {
      ...input,
      requestedBy: context.accountId,
      refused,
    });
    return { ...job, message: describeBulkJob(job) };
  },

  "bulk/status": async ({ boardId, jobId }, context, ports) => {
    await assertBoardInProject(boardId, context, ports);
    const stored = await getBulkJob(ports.store, boardId, jobId);
    // Asked after by a page: a job whose run was lost goes on from where it was recorded.
    const job = await resumeIfStalled(bulkPortsOf(ports), ports.enqueueBulk ?? null, stored);
    return { ...job, message: describeBulkJob(job) };
  },

  "bulk/last": async ({ boardId }, context, ports) => {
    await assertBoardInProject(boardId, context, ports);
    const stored = await getLastBulkJob(ports.store, boardId);
    if (stored === null) return null;
    const job = await resumeIfStalled(bulkPortsOf(ports), ports.enqueueBulk ?? null, stored);
    return { ...job, message: describeBulkJob(job) };
  },

  "bulk/failures": async ({ boardId, jobId, fromBatch }, context, ports) => {
    await assertBoardInProject(boardId, context, ports);
    return listBulkFailures(ports.store, boardId, jobId, fromBatch ?? 0);
  },

  "bulk/undo": async (input, context, ports) => {
    await assertBoardInProject(input.boardId, context, ports);
    const last = await getBulkJob(ports.store, input.boardId, input.jobId);
    // An undo of a classify still under way waits for its run on the host's runner, one board's
    // jobs one at a time; the undo edits only what the classify planned, as it was before.
    const runner = isFinished(last)
      ? bulkRunnerOf(ports, last.changed)
      : (ports.enqueueBulk ?? null);
    const undo = await startBulkUndo(bulkPortsOf(ports), runner, {
      ...input,
      requestedBy: context.accountId,
    });
    return { ...undo, message: describeBulkJob(undo) };
  },

  "board/list": async (_payload, context, ports) => {
    if (context.projectKey === null) return [];
    return sourceOf(ports).listBoards(context.projectKey);
  },

  "target/list": async ({ boardId }, context, ports) => {
    await assertBoardInProject(boardId, context, ports);
    return listTargets(ports.store, String(boardId));
  },

  "target/append": async (input, context, ports) => {
    const projectKey = await assertBoardInProject(input.boardId, context, ports);
    await assertProjectAdmin(projectKey, ports);
    const { boardId, ...target } = input;
    return appendTarget(ports.store, String(boardId), target, {
      by: context.accountId ?? "unknown",
      at: ports.now(),
    });
  },

  "target/impact": async ({ boardId, ...proposed }, context, ports) => {
    const answer = await reportOfBoard(boardId, context, ports);
    // A board still being read has no closed period the app knows of yet.
    if ("syncing" in answer) return [];
    const workspace = await sourceOf(ports).loadWorkspace(boardId, { history: false });
    return findRejudgedPeriods(workspace, answer.report, proposed, ports.now());
  },
  "org/get": async (_payload, _context, ports) => computeOrgOverview(await loadOrgInput(ports)),

  "org/drill": async (payload, _context, ports) => {
    if ("linearTeam" in payload) return drillLinearTeam(payload, ports);
    await assertBoardBrowsable(payload.boardId, ports);
    return drillBoard(payload, ports);
  },

  "org-target/list": async (_payload, _context, ports) => {
    return listOrgTargets(ports.store);
  },

  "org-target/add": async (input, context, ports) => {
    if (!(await isSiteAdmin(ports))) {
      throw new AppError(
        "FORBIDDEN",
        "Only site administrators can declare the company target. Ask one of them.",
      );
    }
    return appendOrgTarget(ports.store, input, {
      by: context.accountId ?? "unknown",
      at: ports.now(),
    });
  },

  "settings/get": async ({ boardId }, context, ports) => {
    await assertBoardInProject(boardId, context, ports);
    const [reading, defaults] = await Promise.all([
      readTeamSettings(ports.store, String(boardId)),
      sourceOf(ports).teamDefaults(boardId),
    ]);
    return answerOf(reading, defaults);
  },

  "rules/preview": async ({ boardId, rules }, context, ports) => {
    await assertBoardInProject(boardId, context, ports);
    // Rules read only current fields, so a big board is previewed without its change history.
    return previewRules(await sourceOf(ports).loadWorkspace(boardId, { history: false }), rules);
  },

  "settings/set": async (input, context, ports) => {
    const projectKey = await assertBoardInProject(input.boardId, context, ports);
    await assertProjectAdmin(projectKey, ports);
    const saved = await setTeamSettings(ports.store, String(input.boardId), input.settings);
    await sourceOf(ports).settingsChanged?.(input.boardId);
    return saved;
  },
};

/**
 * Runs one resolver and answers with the envelope every host returns: the payload is parsed with
 * the contract's schema first; expected failures become `{ ok: false, error }` with a message a
 * person can act on; anything else is rethrown.
 */
export async function runResolver(
  key: string,
  payload: unknown,
  context: CallContext,
  ports: ResolverPorts,
): Promise<Envelope> {
  if (!isResolverKey(key)) {
    return failure(
      "NOT_FOUND",
      `Unknown resolver ${JSON.stringify(key)}. Known: ${Object.keys(RESOLVERS).join(", ")}.`,
    );
  }
  try {
    return { ok: true, data: await runParsed(key, payload, context, ports) };
  } catch (error) {
    const known = toAppError(error);
    if (known) return failure(known.code, known.message);
    throw error;
  }
}

/** Resolver `key` on its payload once parsed. */
async function runParsed<K extends ResolverKey>(
  key: K,
  payload: unknown,
  context: CallContext,
  ports: ResolverPorts,
): Promise<ResolverResult<K>> {
  const handler: ResolverHandler<K> = RESOLVERS[key];
  return handler(parsePayload(payloadSchemaOf(key), payload), context, ports);
}

function failure(code: AppErrorCode, message: string): Envelope {
  return { ok: false, error: { code, message } };
}

function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof RateLimitedError) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000));
    return new AppError("RATE_LIMITED", `Jira is rate-limiting, try again in ${seconds} s.`, {
      cause: error,
    });
  }
  if (error instanceof AuthError) return new AppError("FORBIDDEN", error.message, { cause: error });
  if (error instanceof NotFoundError)
    return new AppError("NOT_FOUND", error.message, { cause: error });
  if (error instanceof BadRequestError)
    return new AppError("BAD_REQUEST", error.message, { cause: error });
  if (error instanceof JiraError) return new AppError("UPSTREAM", error.message, { cause: error });
  return null;
}

/** Rows on a page of the triage list unless the page asks for another number. */
const TRIAGE_PAGE_SIZE = 50;

/** What a person sees in place of the title of an issue Jira does not let them browse. */
export const HIDDEN_ISSUE_TITLE = "Issue you cannot view";

/** The keys among `keys` the caller may browse, in one check; null when the source has no check. */
async function browsableOf(
  boardId: number,
  keys: readonly string[],
  ports: ResolverPorts,
  issueIds?: ReadonlyMap<string, string>,
): Promise<ReadonlySet<string> | null> {
  const source = sourceOf(ports);
  if (!source.browsableKeys) return null;
  return source.browsableKeys(boardId, keys, issueIds);
}

/** The triage list's rows worked out from the board's report and its items' current fields. */
async function triageFromReport(
  boardId: number,
  ports: ResolverPorts,
): Promise<{ rows: TriageRow[] } | BoardSyncing> {
  const answer = await boardReportOf(boardId, ports);
  if ("syncing" in answer) return answer;
  const { report, titles } = answer;
  // Current fields only: for a Jira board one stored value, no Jira request.
  const workspace = await sourceOf(ports).loadWorkspace(boardId, { history: false });
  const items = report.teams[0]?.items ?? [];
  return { rows: listTriageRows(workspace, items, titles, { now: ports.now() }) };
}

/** The issues behind a board's number; those the caller may not browse count but are not listed. */
async function drillBoard(
  { boardId, at, ...request }: ParsedPayload<"report/drill">,
  ports: ResolverPorts,
): Promise<ResolverResult<"report/drill">> {
  const drill = drillDown(
    await sourceOf(ports).loadWorkspace(boardId),
    request,
    at === undefined ? ports.now() : Date.parse(at),
  );
  const browsable = await browsableOf(
    boardId,
    [...new Set(drill.rows.map((row) => row.id))],
    ports,
  );
  if (browsable === null) return { ...drill, withheld: 0 };
  // Issues the caller may not browse still count in the totals; their keys and titles do not show.
  const rows = drill.rows.filter((row) => browsable.has(row.id));
  const withheld = new Set(drill.rows.filter((row) => !browsable.has(row.id)).map((r) => r.id));
  return { ...drill, rows, withheld: withheld.size };
}

/**
 * A board of the org page the caller may see: inside Jira, one the app keeps whose project the
 * caller may browse; elsewhere, any board of the source.
 */
async function assertBoardBrowsable(boardId: number, ports: ResolverPorts): Promise<void> {
  if (ports.boards !== undefined || ports.jira === undefined) {
    await sourceOf(ports).projectOf(boardId);
    return;
  }
  const board = (await listKnownBoards(ports.store)).find((entry) => entry.boardId === boardId);
  if (board === undefined) {
    throw new AppError(
      "NOT_FOUND",
      `The app has not read board ${boardId}: it is not on the company page.`,
    );
  }
  const team = {
    key: orgTeamKey({ source: "board", boardId }),
    source: "board" as const,
    boardId,
    projectId: board.projectId ?? null,
  };
  const hidden = await teamsHiddenFrom([team], { jira: ports.jira, store: ports.store });
  if (hidden.size > 0) {
    throw new AppError("FORBIDDEN", `You cannot browse the project of board ${boardId} in Jira.`);
  }
}

function assertIssueInProject(key: string, context: CallContext): void {
  if (context.projectKey === null || !key.startsWith(`${context.projectKey}-`)) {
    throw new AppError("FORBIDDEN", `${key} is not an issue of this project.`);
  }
}

/** The board's project, which must be the caller's. */
async function assertBoardInProject(
  boardId: number,
  context: CallContext,
  ports: ResolverPorts,
): Promise<string> {
  const projectKey = await sourceOf(ports).projectOf(boardId);
  if (context.projectKey === null || projectKey !== context.projectKey) {
    throw new AppError("FORBIDDEN", `Board ${boardId} does not belong to this project.`);
  }
  return projectKey;
}

/** Whether the caller administers the site: Jira's ADMINISTER permission, or the host's own answer. */
async function isSiteAdmin(ports: ResolverPorts): Promise<boolean> {
  if (ports.linear) return ports.linear.isAdmin();
  if (ports.jira) {
    const permissions = await ports.jira.getMyPermissions(null, ["ADMINISTER"], { as: "user" });
    return permissions.ADMINISTER === true;
  }
  return false;
}

async function assertProjectAdmin(projectKey: string, ports: ResolverPorts): Promise<void> {
  if (!(await sourceOf(ports).isProjectAdmin(projectKey))) {
    throw new AppError(
      "FORBIDDEN",
      `Only administrators of ${projectKey} can change its targets and settings. Ask one of them.`,
    );
  }
}

async function reportOfBoard(
  boardId: number,
  context: CallContext,
  ports: ResolverPorts,
): Promise<BoardReport | BoardSyncing> {
  await assertBoardInProject(boardId, context, ports);
  return boardReportOf(boardId, ports);
}

/** The board's report as its source keeps or computes it; the caller checked the project. */
async function boardReportOf(
  boardId: number,
  ports: ResolverPorts,
): Promise<BoardReport | BoardSyncing> {
  const source = sourceOf(ports);
  if (source.loadReport) return source.loadReport(boardId);
  const workspace = await source.loadWorkspace(boardId);
  const report = buildReport(workspace, { now: ports.now() });
  const titles = new Map(workspace.items.map((item) => [item.id, item.title]));
  return { report, titles, computedAt: report.now, cached: false };
}

function bulkPortsOf(ports: ResolverPorts): BulkPorts {
  return { store: ports.store, source: sourceOf(ports), now: ports.now };
}

/** One batch runs inside the request; more go to the host's runner when it has one. */
function bulkRunnerOf(ports: ResolverPorts, issues: number): BulkRunner {
  return issues <= BULK_BATCH ? null : (ports.enqueueBulk ?? null);
}

/** The ports' board source: the one given, else Jira's. */
function sourceOf(ports: ResolverPorts): BoardSource {
  if (ports.boards) return ports.boards;
  if (ports.jira) {
    return jiraBoardSource({
      jira: ports.jira,
      store: ports.store,
      now: ports.now,
      ...(ports.enqueueBoardSync === undefined ? {} : { enqueue: ports.enqueueBoardSync }),
    });
  }
  throw new Error("ResolverPorts needs either `boards` or `jira`: the host wired neither.");
}
