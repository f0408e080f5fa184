import { z } from "zod";
import { buildReport } from "./build-report.js";
import type { Report } from "../domain/types.js";
import type { JiraClient } from "../jira/client.js";
import {
  AuthError,
  BadRequestError,
  JiraError,
  NotFoundError,
  RateLimitedError,
} from "../jira/errors.js";
import type { Store } from "../store/store.js";
import { formatPath, messageFor } from "../workspace/load-workspace.js";
import { AppError, type AppErrorCode } from "./app-error.js";
import { getBoardView, getWrittenCategories, recomputeBoard } from "./board-sync.js";
import { loadBoardWorkspace } from "./board-workspace.js";
import { classifyWithStoredAncestors } from "./stored-classification.js";
import { appendTarget, listTargets, targetInputSchema } from "./targets.js";
import { getTeamSettings, setTeamSettings, teamSettingsSchema } from "./team-settings.js";
import { DEFAULT_LABELS } from "../workspace/load-workspace.js";

/** Who calls and from where: the host fills this from its own trusted context, never the payload. */
export interface CallContext {
  readonly accountId: string | null;
  /** The project the page or panel is shown in; no resolver reads or writes outside it. */
  readonly projectKey: string | null;
}

export interface ResolverPorts {
  /** Jira as the app and, per request (`as: "user"`), as the calling user. */
  readonly jira: JiraClient;
  readonly store: Store;
  readonly now: () => number;
}

export type Envelope<T = unknown> =
  | { readonly ok: true; readonly data: T }
  | {
      readonly ok: false;
      readonly error: { readonly code: AppErrorCode; readonly message: string };
    };

type Resolver = (payload: unknown, context: CallContext, ports: ResolverPorts) => Promise<unknown>;

const boardPayload = z.strictObject({ boardId: z.number().int().positive() });
const issueKey = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]+-\d+$/, { error: "expected an issue key such as PAY-12" });

/**
 * Every resolver, by namespaced key. Payloads are parsed with zod before anything runs; each
 * resolver checks that the board or issue belongs to the caller's project, and writes that a
 * person makes run as that person, so Jira's own permissions decide.
 */
export const RESOLVERS: Readonly<Record<string, Resolver>> = {
  "report/get": async (payload, context, ports) => {
    const { boardId } = parse(boardPayload, payload);
    return (await reportOfBoard(boardId, context, ports)).report;
  },

  "triage/list": async (payload, context, ports) => {
    const { boardId } = parse(boardPayload, payload);
    const { report, titles } = await reportOfBoard(boardId, context, ports);
    return (report.teams[0]?.items ?? [])
      .filter((item) => item.category === "unclassified")
      .map((item) => ({ ...item, title: titles.get(item.id) ?? "" }));
  },

  "item/get": async (payload, context, ports) => {
    const { boardId, issueKey: key } = parse(
      z.strictObject({ boardId: z.number().int().positive(), issueKey }),
      payload,
    );
    assertIssueInProject(key, context);
    let view = await getBoardView(ports.store, boardId);
    if (!view) {
      // First visit: compute the board once; afterwards the panel needs one Jira call.
      await assertBoardInProject(boardId, context, ports);
      await recomputeBoard(boardId, ports);
      view = await getBoardView(ports.store, boardId);
    }
    if (!view || view.projectKey !== context.projectKey) {
      throw new AppError("FORBIDDEN", `Board ${boardId} does not belong to this project.`);
    }
    const teamId = String(boardId);
    // As the user: the panel shows only what the person may browse.
    const { item } = await ports.jira.getIssue(
      key,
      { teamId, sprintFieldId: view.sprintFieldId, estimateFieldId: view.estimateFieldId },
      { as: "user" },
    );
    const settings = await getTeamSettings(ports.store, teamId);
    const classification = classifyWithStoredAncestors(
      item,
      settings,
      await getWrittenCategories(ports.store, boardId),
    );
    const sprintIds = item.sprintIds ?? [];
    const active =
      view.activeSprints.find((entry) => sprintIds.includes(entry.sprint.id)) ??
      view.activeSprints.at(-1) ??
      null;
    return {
      item: { id: key, title: item.title, ...classification },
      activeSprint: active?.sprint ?? null,
      activeSprintFlags: active?.flags ?? [],
      computedAt: view.computedAt,
    };
  },

  "item/classify": async (payload, context, ports) => {
    const input = parse(
      z.strictObject({
        boardId: z.number().int().positive(),
        issueKeys: z.array(issueKey).min(1).max(50),
        category: z.enum(["roadmap", "investment"]).nullable(),
      }),
      payload,
    );
    for (const key of input.issueKeys) assertIssueInProject(key, context);
    await assertBoardInProject(input.boardId, context, ports);
    const settings = await getTeamSettings(ports.store, String(input.boardId));
    const labels = settings.labels ?? DEFAULT_LABELS.jira;
    const results = [];
    for (const key of input.issueKeys) {
      // As the user: classifying edits the issue, so Jira's edit permission decides.
      const change = await ports.jira.setCategoryLabel(key, input.category, labels, { as: "user" });
      if (input.category !== null) {
        await ports.jira.setCategoryProperty(key, {
          category: input.category,
          source: "explicit",
          via: null,
          updatedAt: new Date(ports.now()).toISOString(),
        });
      }
      results.push({ issueKey: key, changed: change.changed, labels: change.labels });
    }
    return results;
  },

  "target/list": async (payload, context, ports) => {
    const { boardId } = parse(boardPayload, payload);
    await assertBoardInProject(boardId, context, ports);
    return listTargets(ports.store, String(boardId));
  },

  "target/append": async (payload, context, ports) => {
    const input = parse(
      targetInputSchema.extend({ boardId: z.number().int().positive() }),
      payload,
    );
    const projectKey = await assertBoardInProject(input.boardId, context, ports);
    await assertProjectAdmin(projectKey, ports);
    const { boardId, ...target } = input;
    return appendTarget(ports.store, String(boardId), target, {
      by: context.accountId ?? "unknown",
      at: ports.now(),
    });
  },

  "settings/get": async (payload, context, ports) => {
    const { boardId } = parse(boardPayload, payload);
    await assertBoardInProject(boardId, context, ports);
    return getTeamSettings(ports.store, String(boardId));
  },

  "settings/set": async (payload, context, ports) => {
    const input = parse(
      z.strictObject({ boardId: z.number().int().positive(), settings: teamSettingsSchema }),
      payload,
    );
    const projectKey = await assertBoardInProject(input.boardId, context, ports);
    await assertProjectAdmin(projectKey, ports);
    return setTeamSettings(ports.store, String(input.boardId), input.settings);
  },
};

/**
 * Runs one resolver and answers with the envelope every host returns: expected failures become
 * `{ ok: false, error }` with a message a person can act on; anything else is rethrown.
 */
export async function runResolver(
  key: string,
  payload: unknown,
  context: CallContext,
  ports: ResolverPorts,
): Promise<Envelope> {
  const resolver = Object.hasOwn(RESOLVERS, key) ? RESOLVERS[key] : undefined;
  if (!resolver) {
    return failure(
      "NOT_FOUND",
      `Unknown resolver ${JSON.stringify(key)}. Known: ${Object.keys(RESOLVERS).join(", ")}.`,
    );
  }
  try {
    return { ok: true, data: await resolver(payload, context, ports) };
  } catch (error) {
    const known = toAppError(error);
    if (known) return failure(known.code, known.message);
    throw error;
  }
}

function failure(code: AppErrorCode, message: string): Envelope {
  return { ok: false, error: { code, message } };
}

function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof RateLimitedError) {
    return new AppError("RATE_LIMITED", `${error.message} Try again in a minute.`, {
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

function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload, { reportInput: true, error: messageFor });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${formatPath(issue.path)}: ${issue.message}`,
  );
  throw new AppError("BAD_REQUEST", `Invalid request: ${problems.join("; ")}.`);
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
  const board = await ports.jira.getBoard(boardId);
  const projectKey = board.location?.projectKey ?? null;
  if (context.projectKey === null || projectKey !== context.projectKey) {
    throw new AppError("FORBIDDEN", `Board ${boardId} does not belong to this project.`);
  }
  return projectKey;
}

async function assertProjectAdmin(projectKey: string, ports: ResolverPorts): Promise<void> {
  const permissions = await ports.jira.getMyPermissions(projectKey, ["ADMINISTER_PROJECTS"], {
    as: "user",
  });
  if (!permissions.ADMINISTER_PROJECTS) {
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
): Promise<{ report: Report; titles: Map<string, string> }> {
  await assertBoardInProject(boardId, context, ports);
  const { workspace } = await loadBoardWorkspace(ports.jira, ports.store, boardId);
  const report = buildReport(workspace, { now: ports.now() });
  return { report, titles: new Map(workspace.items.map((item) => [item.id, item.title])) };
}
