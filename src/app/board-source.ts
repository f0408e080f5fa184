import type {
  ActualMeasure,
  Category,
  Flag,
  ItemCategory,
  ProvenanceSource,
  Report,
  SprintReport,
  Workspace,
} from "../domain/index";
import type { IssueSprint } from "../render/index";
import type { CallContext } from "./resolvers";
import type { TeamDefaults } from "./team-settings";
import type { TriageRow } from "./triage";

/** A board as the pages know it. */
export interface BoardSummary {
  readonly boardId: number;
  readonly projectKey: string | null;
  readonly name: string;
}

/** The issue panel's answer (`item/get`). */
export interface ItemAnswer {
  /** The board the answer is about: the one asked for, or the board of the issue's own sprint. */
  readonly boardId?: number;
  readonly item: {
    readonly id: string;
    readonly title: string;
    readonly category: ItemCategory;
    readonly source: ProvenanceSource;
    readonly via: string | null;
    /** A rule's condition in words when a rule decided, e.g. `type is Story`. */
    readonly ruleText?: string | null;
  };
  /**
   * The sprint the issue is in: an active one, else the next planned one, else the last closed one
   * (`backlog` when the issue was not finished in it); null when it never was in a sprint.
   */
  readonly sprint: IssueSprint | null;
  /** The measure the team's flags judge (SPEC §2): the panel shows that share first. */
  readonly actual?: ActualMeasure;
  /**
   * That sprint's split and flags when the app has computed them and the sprint is active, or
   * closed with the issue finished in it (as the project page's drill for that sprint); else null.
   */
  readonly sprintReport: SprintReport | null;
  readonly sprintFlags: readonly Flag[];
  readonly computedAt: string;
}

/** A board's report with the titles of its unclassified items and when it was computed. */
export interface BoardReport {
  readonly report: Report;
  readonly titles: ReadonlyMap<string, string>;
  readonly computedAt: string;
  /** True when it was read from the store rather than computed for this request. */
  readonly cached: boolean;
  /**
   * True when the settings or targets changed since it was computed and its next computation is
   * queued: the page shows it as the report from before the change.
   */
  readonly recomputing?: boolean;
}

/** A board whose first pull is still running: how far it got, for the page to show. */
export interface BoardSyncing {
  readonly syncing: {
    readonly done: number;
    /** Jira's estimate of the board's issues; null until it is known. */
    readonly total: number | null;
  };
}

export interface ClassifyChange {
  readonly issueKey: string;
  readonly changed: boolean;
  readonly labels: readonly string[];
}

/**
 * One issue's explicit-label edit (SPEC §3's two labels only): set a category, as classifying
 * does, or add and remove exact labels, as undoing one does.
 */
export type LabelEdit =
  | { readonly issueKey: string; readonly set: Category | null }
  | {
      readonly issueKey: string;
      readonly add: readonly string[];
      readonly remove: readonly string[];
    };

/**
 * An issue's labels before a bulk edit and the exact change that sets its category (SPEC §3),
 * computed and recorded before anything is written; or why the issue cannot be edited.
 */
export type PlannedLabelEdit =
  | {
      readonly issueKey: string;
      readonly ok: true;
      readonly before: readonly string[];
      readonly add: readonly string[];
      readonly remove: readonly string[];
    }
  | { readonly issueKey: string; readonly ok: false; readonly message: string };

/** What one edit did: the labels it added and removed, or why it failed. */
export type LabelOutcome =
  | {
      readonly issueKey: string;
      readonly ok: true;
      readonly added: readonly string[];
      readonly removed: readonly string[];
    }
  | { readonly issueKey: string; readonly ok: false; readonly message: string };

/**
 * Where the resolvers read boards and write categories: Jira inside Forge (`jira-board-source.ts`),
 * or a workspace kept in the store for the self-hosted demo (`src/server/workspace-board-source.ts`).
 * Resolvers parse payloads and check the caller's project before calling any of these.
 */
export interface BoardSource {
  /** The board's project key; null when the board has none. Throws NOT_FOUND for an unknown board. */
  projectOf(boardId: number): Promise<string | null>;
  /** Every board the app knows in a project. */
  listBoards(projectKey: string): Promise<BoardSummary[]>;
  /**
   * Every board of every project with its workspace, for the org page, when the source computes
   * reports on request; a source that keeps reports ahead (Jira's) leaves it out and the org page
   * reads its store.
   */
  loadAllWorkspaces?(): Promise<{ board: BoardSummary; workspace: Workspace }[]>;
  /**
   * The board as a workspace, with the stored settings and target history applied. With
   * `history: false` a source may leave out the items' change history (cheaper for a big board),
   * for callers that need only the current fields.
   */
  loadWorkspace(boardId: number, options?: { readonly history?: boolean }): Promise<Workspace>;
  /**
   * The board's report when the source keeps one computed ahead (Jira's big boards would not fit
   * Forge's 25-second resolver limit otherwise), or the progress of the board's first pull;
   * without it, the report is computed from `loadWorkspace`.
   */
  loadReport?(boardId: number): Promise<BoardReport | BoardSyncing>;
  /**
   * What applies to each team setting the stored settings leave out: the source's own values for
   * the board (a workspace file's team, or the product's defaults with the board's estimation).
   */
  teamDefaults(boardId: number): Promise<TeamDefaults>;
  /** The team's settings changed (labels, rules): what depends on them is computed again. */
  settingsChanged?(boardId: number): Promise<void>;
  /**
   * Which of the board's issues (by key) the calling person may browse in Jira; a source whose
   * host has one user leaves it out and every issue is shown.
   */
  browsableKeys?(
    boardId: number,
    keys: readonly string[],
    /** The keys' issue ids when the caller has them; else the source looks them up. */
    issueIds?: ReadonlyMap<string, string>,
  ): Promise<ReadonlySet<string>>;
  /**
   * The triage list's rows when the source keeps them ahead, with the listed issues' ids; null
   * when it keeps none for the board (the list is then worked out from the report).
   */
  triageRows?(
    boardId: number,
  ): Promise<{ rows: TriageRow[]; issueIds: ReadonlyMap<string, string> } | null>;
  /**
   * The issues (by key) the calling person may not edit, each with the reason, asked of Jira as
   * that person while they are present (a queued job runs without them); a source whose host has
   * one user leaves it out and every issue on the board may be edited.
   */
  refusedEdits?(boardId: number, keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * Of the issues (by key) a bulk job is about to edit, the ones the person who asked for it
   * (`accountId`) may not edit now, each with the reason: a job queued by a person edits as the
   * app, so before each batch it asks Jira, as the app, for that person. Throws when Jira gives no
   * answer (a rate limit, Jira down), so nothing is edited unchecked. A source whose edits are the
   * person's own, or whose host has one user, leaves it out.
   */
  refusedEditsNow?(
    boardId: number,
    keys: readonly string[],
    accountId: string,
  ): Promise<ReadonlyMap<string, string>>;
  /** Whether the calling person may change the project's targets and settings. */
  isProjectAdmin(projectKey: string): Promise<boolean>;
  getItem(boardId: number, issueKey: string, context: CallContext): Promise<ItemAnswer>;
  /**
   * The answer for an issue without a board given (the issue panel's context names none): the
   * board of the sprint the issue is in, read with the issue itself. Without it the project's
   * first board answers.
   */
  getItemOfIssue?(issueKey: string, context: CallContext): Promise<ItemAnswer>;
  classify(
    boardId: number,
    issueKeys: readonly string[],
    category: Category | null,
  ): Promise<ClassifyChange[]>;
  /**
   * Applies each edit on its own: one that fails (no edit permission, an issue gone) is answered
   * with its message and the others still run. An edit whose labels already say so changes nothing.
   */
  editLabels(boardId: number, edits: readonly LabelEdit[]): Promise<LabelOutcome[]>;
  /**
   * Reads each issue's labels now and plans the edit that gives it `set` (null clears it); changes
   * nothing. One that cannot be read is answered with its message and the others still run.
   */
  planLabels(
    boardId: number,
    edits: readonly { readonly issueKey: string; readonly set: Category | null }[],
  ): Promise<PlannedLabelEdit[]>;
}
