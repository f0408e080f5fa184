/**
 * The pages' one way to the backend: `invoke` from `@forge/bridge`, which inside Jira reaches the
 * Forge resolver and on the self-hosted server reaches `POST /api/resolve/{key}` through the
 * server's bridge shim. Either way the answer is the envelope of `runResolver`.
 */
import { invoke, view } from "@forge/bridge";
import type {
  BoardSyncing,
  Envelope,
  ItemAnswer,
  ResolverKey,
  ResolverPayload,
  ResolverResult,
} from "../../src/app/index";

export type { BoardSummary, ReportAnswer, TriageItem } from "../../src/app/index";

/** The issue panel's answer, as the resolver defines it. */
export type ItemView = ItemAnswer;

/** A board whose first read from Jira is still running: how far it got. */
export type Syncing = BoardSyncing;

/** Whether a board's answer is the progress of its first read rather than its data. */
export function isSyncing<T extends object>(value: T | Syncing): value is Syncing {
  return "syncing" in value && isRecord(value.syncing);
}

export type Outcome<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Calls one resolver and turns its envelope into data or a message for the person. Payload and
 * answer are typed by the resolver contract (`src/app/contract.ts`). A failed transport (network,
 * bridge) or an answer that is no envelope becomes a message too, so every page has one error path.
 */
export async function callResolver<K extends ResolverKey>(
  key: K,
  payload: ResolverPayload<K>,
): Promise<Outcome<ResolverResult<K>>> {
  try {
    const answer = await invoke<ResolverPayload<K>, Envelope<ResolverResult<K>>>(key, payload);
    // Asked without metadata, the bridge hands over the resolver's envelope itself; whatever else
    // answered (a proxy's error page, another app's host) is not one.
    if (!isRecord(answer) || "body" in answer || typeof answer.ok !== "boolean") {
      return {
        ok: false,
        message: "Capacity Split answered with something unexpected. Reload to try again.",
      };
    }
    if (answer.ok) return { ok: true, data: answer.data };
    const error: unknown = answer.error;
    const message =
      isRecord(error) && typeof error.message === "string"
        ? error.message
        : "Something went wrong.";
    return { ok: false, message };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `Could not reach Capacity Split (${detail}). Reload to try again.`,
    };
  }
}

export interface PageContext {
  readonly projectKey: string | null;
  readonly issueKey: string | null;
  readonly boardId: number | null;
  readonly accountId: string | null;
  /** The Jira site (its cloud id, else its address); null on the self-hosted server. */
  readonly site: string | null;
}

function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const part of path) current = isRecord(current) ? current[part] : undefined;
  return current;
}

/** Where the page is shown: Jira's context, or the one the self-hosted server puts in the URL. */
export async function getPageContext(): Promise<PageContext> {
  const context: unknown = await view.getContext();
  const text = (value: unknown): string | null =>
    typeof value === "string" && value !== "" ? value : null;
  // The project page's extension data carries `board.id` (a string) and `board.type` in Jira
  // Software projects only ("jira:projectPage", Extension data:
  // https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-project-page/);
  // elsewhere, and in the issue panel, there is none and the page offers a board picker. The
  // self-hosted server puts `extension.boardId` in the URL.
  const board = pick(context, "extension", "board", "id") ?? pick(context, "extension", "boardId");
  const boardId =
    typeof board === "number" ? board : typeof board === "string" ? Number(board) : NaN;
  return {
    projectKey: text(pick(context, "extension", "project", "key")),
    issueKey: text(pick(context, "extension", "issue", "key")),
    boardId: Number.isInteger(boardId) && boardId > 0 ? boardId : null,
    accountId: text(pick(context, "accountId")),
    site: text(pick(context, "cloudId")) ?? text(pick(context, "siteUrl")),
  };
}

/** Follows Jira's light or dark theme; a page without the host's theme keeps the light one. */
export function enableTheme(): void {
  view.theme.enable().catch(() => undefined);
}

/** One id per submission, so a retried request never declares a target twice. */
export function newRequestId(): string {
  return crypto.randomUUID();
}

/**
 * The board a page is about. Jira gives an issue panel no board, so there it is the project's
 * first board the app knows (a second resolver call); the self-hosted server puts it in the URL.
 */
export async function findBoardId(context: PageContext): Promise<Outcome<number>> {
  if (context.boardId !== null) return { ok: true, data: context.boardId };
  const boards = await callResolver("board/list", {});
  if (!boards.ok) return boards;
  const first = boards.data[0];
  return first
    ? { ok: true, data: first.boardId }
    : {
        ok: false,
        message:
          "Capacity Split has not seen a board of this project yet. Open the project page once.",
      };
}
