/**
 * The pages' one way to the backend: `invoke` from `@forge/bridge`, which inside Jira reaches the
 * Forge resolver and on the self-hosted server reaches `POST /api/resolve/{key}` through the
 * server's bridge shim. Either way the answer is the envelope of `runResolver`.
 */
import { invoke, view } from "@forge/bridge";
import type { Report, ItemCategory } from "../../src/domain/types";
import type { ItemAnswer } from "../../src/app/board-source";
import type { RulesPreview } from "../../src/app/rules-preview";
import type { OrgTargetEntry, TargetEntry } from "../../src/app/targets";
import type { TeamSettings, TeamSettingsAnswer } from "../../src/app/team-settings";

/** The issue panel's answer, as the resolver defines it. */
export type ItemView = ItemAnswer;

export interface TriageItem {
  readonly id: string;
  readonly title: string;
  readonly category: ItemCategory;
}

export interface BoardSummary {
  readonly boardId: number;
  readonly projectKey: string | null;
  readonly name?: string;
}

/** A board whose first read from Jira is still running: how far it got. */
export interface Syncing {
  readonly syncing: { readonly done: number; readonly total: number | null };
}

export const isSyncing = (value: unknown): value is Syncing =>
  isRecord(value) && isRecord(value.syncing);

/** What each resolver answers with, by key: the client's half of `src/app/resolvers.ts`. */
export interface ResolverData {
  /** The report, when it was computed, and whether it came from the store's copy. */
  "report/get":
    | (Report & {
        readonly computedAt: string;
        readonly cached: boolean;
        /** Settings or targets changed and the report is being computed again. */
        readonly recomputing?: boolean;
      })
    | Syncing;
  "triage/list": readonly TriageItem[] | Syncing;
  "item/get": ItemView;
  "item/classify": readonly { issueKey: string; changed: boolean }[];
  "target/list": { readonly entries: readonly TargetEntry[] };
  "target/append": unknown;
  "org-target/list": { readonly entries: readonly OrgTargetEntry[] };
  "org-target/add": OrgTargetEntry;
  "settings/get": TeamSettingsAnswer;
  "settings/set": TeamSettings;
  "rules/preview": RulesPreview;
  "board/list": readonly BoardSummary[];
}

export type Outcome<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Calls one resolver and turns its envelope into data or a message for the person. A failed
 * transport (network, bridge) becomes a message too, so every page has one error path.
 */
export async function callResolver<K extends keyof ResolverData>(
  key: K,
  payload: Record<string, unknown>,
): Promise<Outcome<ResolverData[K]>> {
  let answer: unknown;
  try {
    answer = await invoke(key, payload);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `Could not reach Capacity Split (${detail}). Reload to try again.`,
    };
  }
  if (!isRecord(answer) || typeof answer.ok !== "boolean") {
    return {
      ok: false,
      message: "Capacity Split answered with something unexpected. Reload to try again.",
    };
  }
  if (answer.ok) return { ok: true, data: trustResolverData<K>(answer.data) };
  const error = answer.error;
  const message =
    isRecord(error) && typeof error.message === "string" ? error.message : "Something went wrong.";
  return { ok: false, message };
}

/**
 * The resolver and this client are compiled from the same repository and the resolver parsed its
 * own output's inputs with zod, so the data is trusted here rather than parsed a second time in
 * every page's bundle; this is the one place the client does so.
 */
function trustResolverData<K extends keyof ResolverData>(data: unknown): ResolverData[K] {
  return data as ResolverData[K];
}

export interface PageContext {
  readonly projectKey: string | null;
  readonly issueKey: string | null;
  readonly boardId: number | null;
  readonly accountId: string | null;
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
  // Jira's context names the board as `extension.board.id` where it has one; the self-hosted
  // server puts `extension.boardId` in the URL.
  const board = pick(context, "extension", "board", "id") ?? pick(context, "extension", "boardId");
  const boardId =
    typeof board === "number" ? board : typeof board === "string" ? Number(board) : NaN;
  return {
    projectKey: text(pick(context, "extension", "project", "key")),
    issueKey: text(pick(context, "extension", "issue", "key")),
    boardId: Number.isInteger(boardId) && boardId > 0 ? boardId : null,
    accountId: text(pick(context, "accountId")),
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
