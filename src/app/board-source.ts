import type {
  Category,
  Flag,
  ItemCategory,
  ProvenanceSource,
  Report,
  SprintReport,
  Workspace,
} from "../domain/index";
import type { CallContext } from "./resolvers";

/** A board as the pages know it. */
export interface BoardSummary {
  readonly boardId: number;
  readonly projectKey: string | null;
  readonly name: string;
}

/** The issue panel's answer (`item/get`). */
export interface ItemAnswer {
  readonly item: {
    readonly id: string;
    readonly title: string;
    readonly category: ItemCategory;
    readonly source: ProvenanceSource;
    readonly via: string | null;
    /** A rule's condition in words when a rule decided, e.g. `type is Story`. */
    readonly ruleText?: string | null;
  };
  readonly activeSprint: SprintReport | null;
  readonly activeSprintFlags: readonly Flag[];
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
  /** The team's settings changed (labels, rules): what depends on them is computed again. */
  settingsChanged?(boardId: number): Promise<void>;
  /**
   * Which of the board's issues (by key) the calling person may browse in Jira; a source whose
   * host has one user leaves it out and every issue is shown.
   */
  browsableKeys?(boardId: number, keys: readonly string[]): Promise<ReadonlySet<string>>;
  /** Whether the calling person may change the project's targets and settings. */
  isProjectAdmin(projectKey: string): Promise<boolean>;
  getItem(boardId: number, issueKey: string, context: CallContext): Promise<ItemAnswer>;
  classify(
    boardId: number,
    issueKeys: readonly string[],
    category: Category | null,
  ): Promise<ClassifyChange[]>;
}
