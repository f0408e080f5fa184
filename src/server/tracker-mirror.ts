import type { Category } from "../domain/index";
import {
  JiraError,
  connectJira,
  toWorkspaceFile,
  type JiraClient,
  type PullProgress,
  type PulledBoard,
} from "../jira/index";
import {
  AppError,
  asWorkspaceTargets,
  classifyLinearIssue,
  connectConfigured,
  ensureCapacityLabels,
  type LinearOAuthApp,
  listTargets,
  runConfiguredLinearSync,
} from "../app/index";
import { connectLinear, type CapacityLabels } from "../linear/index";
import { type Store, storeKeys } from "../store/index";
import type { WorkspaceFile } from "../workspace/index";
import { readWorkspaceFile } from "./workspace-board-source";

/**
 * A tracker the server mirrors into its stored workspace file: the pages read the mirror (so they
 * answer fast and offline from the tracker), a refresh pulls it again, and a classification is
 * written to the tracker first and to the mirror only once the tracker took it.
 */
export interface TrackerMirror {
  /** For the log and the home page, e.g. "Jira https://example.atlassian.net, board 12". */
  readonly description: string;
  /** Pulls the tracker and replaces the mirrored teams; resolves with a one-line summary. */
  refresh(): Promise<string>;
  /** Sets or clears the explicit category of issues of one team in the tracker. */
  writeCategory(
    teamId: string,
    issueKeys: readonly string[],
    category: Category | null,
    labels: { readonly roadmap: string; readonly investment: string },
  ): Promise<void>;
}

/**
 * Writes pulled teams as the stored workspace file. Teams keep the positions they had, so board
 * numbers (and the targets and settings stored under them) survive every refresh; a new team goes
 * last. Targets live in the store, not the file.
 */
export async function storeMirroredWorkspace(store: Store, pulled: WorkspaceFile): Promise<void> {
  const previous = await readWorkspaceFile(store).catch(() => null);
  const previousTeams = previous?.teams ?? [];
  const pulledById = new Map(pulled.teams.map((team) => [team.id, team]));
  // Teams no longer pulled stay, so no board number is ever reassigned to another team.
  const kept = new Set(
    previousTeams.filter((team) => !pulledById.has(team.id)).map((team) => team.id),
  );
  await store.set(storeKeys.workspaceFile(), {
    version: 1,
    settings: previous?.settings ?? pulled.settings ?? { fiscalYearStartMonth: 1 },
    teams: [
      ...previousTeams.map((team) => pulledById.get(team.id) ?? team),
      ...pulled.teams.filter((team) => !previousTeams.some((known) => known.id === team.id)),
    ],
    targets: [],
    sprints: [
      ...(previous?.sprints ?? []).filter((sprint) => kept.has(sprint.teamId)),
      ...(pulled.sprints ?? []),
    ],
    items: [
      ...(previous?.items ?? []).filter((item) => kept.has(item.teamId)),
      ...(pulled.items ?? []),
    ],
  });
}

/** The board number (1-based position) a team has in the stored file, or null. */
export async function boardIdOfTeam(store: Store, teamId: string): Promise<number | null> {
  const file = await readWorkspaceFile(store).catch(() => null);
  const index = file?.teams.findIndex((team) => team.id === teamId) ?? -1;
  return index < 0 ? null : index + 1;
}

/** The declared targets of a mirrored team, as workspace-file targets. */
export async function targetsOfTeam(
  store: Store,
  teamId: string,
): Promise<NonNullable<WorkspaceFile["targets"]>> {
  const boardId = await boardIdOfTeam(store, teamId);
  if (boardId === null) return [];
  return asWorkspaceTargets((await listTargets(store, String(boardId))).entries, teamId);
}

export interface JiraMirrorOptions {
  readonly site: string;
  readonly email: string;
  readonly apiToken: string;
  readonly boardIds: readonly number[];
  readonly timezone?: string;
  readonly log?: (line: string) => void;
}

/**
 * Jira boards mirrored with the same pull as `capacity-split pull jira`. A pull that fails keeps
 * its cursor in the store, so the next refresh continues it instead of starting over.
 */
export function jiraMirror(store: Store, options: JiraMirrorOptions): TrackerMirror {
  const log = options.log ?? (() => {});
  const client: JiraClient = connectJira({
    site: options.site,
    email: options.email,
    apiToken: options.apiToken,
    onRetry: ({ delayMs, error }) =>
      log(`Jira: ${error.message} Retrying in ${Math.ceil(delayMs / 1000)} s.`),
  });
  return {
    description: `Jira ${options.site}, board${options.boardIds.length === 1 ? "" : "s"} ${options.boardIds.join(", ")}`,

    async refresh() {
      const boards: PulledBoard[] = [];
      for (const boardId of options.boardIds) {
        const cursorKey = storeKeys.serverPullCursor(`jira-${boardId}`);
        const resume = await store.get(cursorKey);
        const seen: { latest: PullProgress | null } = { latest: null };
        try {
          boards.push(
            await client.pullBoard(boardId, {
              ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
              resume,
              onProgress: (progress) => {
                seen.latest = progress;
              },
            }),
          );
        } catch (error) {
          const progress = seen.latest;
          if (progress !== null && progress.phase !== "context") {
            await store.set(cursorKey, progress.cursor());
          }
          if (error instanceof JiraError) {
            throw new Error(`Board ${boardId}: ${error.message}`, { cause: error });
          }
          throw error;
        }
        await store.delete(cursorKey);
      }
      await storeMirroredWorkspace(store, toWorkspaceFile(boards));
      const issues = boards.reduce((sum, board) => sum + board.items.length, 0);
      const requests = boards.reduce((sum, board) => sum + board.requests, 0);
      return `Pulled ${issues} issues from ${boards.length} board${boards.length === 1 ? "" : "s"} in ${requests} requests.`;
    },

    async writeCategory(_teamId, issueKeys, category, labels) {
      for (const key of issueKeys) {
        await client.setCategoryLabel(key, category, labels, { as: "app" });
      }
    },
  };
}

type LinearClient = ReturnType<typeof connectLinear>;

export interface LinearMirrorOptions {
  /** From LINEAR_API_KEY; null means the key saved on the admin page. */
  readonly apiKey: string | null;
  readonly apiUrl?: string;
  /** Empty: the teams chosen on the admin page. */
  readonly teamKeys: readonly string[];
  readonly now: () => number;
  /** The OAuth application behind "Connect Linear", when the server offers it. */
  readonly oauthApp?: LinearOAuthApp;
}

/**
 * Linear teams mirrored by the same sync the Forge app runs (labels, incremental pull, optional
 * write-back, reports published inside Linear). A classification sets the issue's Capacity label
 * in Linear and is recorded, so the webhook it causes is not taken for a person's change.
 */
export function linearMirror(
  store: Store,
  options: LinearMirrorOptions,
): TrackerMirror & { readonly connect: (apiKey: string) => LinearClient } {
  const connect = (apiKey: string): LinearClient =>
    connectLinear({ apiKey, ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }) });
  let labels: CapacityLabels | null = null;
  const app = options.oauthApp;
  const oauth =
    app === undefined
      ? {}
      : {
          oauth: {
            app,
            connect: (accessToken: string) =>
              connectLinear({
                apiKey: "",
                accessToken,
                ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
              }),
          },
        };

  const client = async (): Promise<LinearClient> => {
    const linear = await connectConfigured({
      store,
      now: options.now,
      connect,
      apiKey: options.apiKey,
      ...oauth,
    });
    if (linear === null) {
      throw new AppError(
        "BAD_REQUEST",
        "No Linear connection: connect Linear or save an API key on the admin page, or set LINEAR_API_KEY.",
      );
    }
    return linear;
  };

  return {
    description: `Linear ${options.teamKeys.length > 0 ? `teams ${options.teamKeys.join(", ")}` : "workspace"}`,
    connect,

    async refresh() {
      const outcome = await runConfiguredLinearSync({
        store,
        now: options.now,
        connect,
        apiKey: options.apiKey,
        ...oauth,
        // Without --team, the admin page's choice; with none saved, nothing is synced.
        ...(options.teamKeys.length > 0 ? { teamKeys: options.teamKeys } : {}),
        targetsOf: (teamKey) => targetsOfTeam(store, teamKey),
      });
      if (!outcome.ok || outcome.result === null) throw new Error(outcome.message);
      labels = outcome.result.labels;
      await storeMirroredWorkspace(store, { ...outcome.result.workspace, targets: [] });
      return outcome.message;
    },

    async writeCategory(_teamId, issueKeys, category) {
      const linear = await client();
      labels ??= await ensureCapacityLabels(linear);
      const { roadmapId, investmentId } = labels;
      if (roadmapId === null || investmentId === null) {
        throw new AppError("UPSTREAM", "The Capacity labels are missing in Linear; sync again.");
      }
      for (const issueId of issueKeys) {
        await classifyLinearIssue(linear, store, {
          issueId,
          category,
          labels: { roadmapId, investmentId },
          now: options.now(),
        });
      }
    },
  };
}
