import { Queue } from "@forge/events";
import { z } from "zod";
import { listKnownBoards, recomputeBoard, type SyncPorts } from "../app/board-sync";
import { handleIssueEvent, handleSprintEvent } from "../app/jira-events";
import { JiraClient } from "../jira/client";
import { ForgeKvsStore } from "../store/forge-kvs-store";
import { createForgeTransport } from "./jira-transport";

/** The queue the manifest's consumer drains: one board per event, so big sites fan out. */
const RECOMPUTE_QUEUE = "board-recompute";

function ports(): SyncPorts {
  return {
    jira: new JiraClient(createForgeTransport()),
    store: new ForgeKvsStore(),
    now: Date.now,
  };
}

async function enqueue(boardId: number): Promise<void> {
  await new Queue({ key: RECOMPUTE_QUEUE }).push({ body: { boardId } });
}

/** Trigger: an issue was created or updated. */
export async function onIssueChanged(event: unknown): Promise<void> {
  await handleIssueEvent(event, { ...ports(), enqueue });
}

/** Trigger: a sprint started; its committed split is recorded exactly. */
export async function onSprintStarted(event: unknown): Promise<void> {
  await handleSprintEvent(event, "started", ports());
}

/** Trigger: a sprint closed; its delivered split is recorded. */
export async function onSprintClosed(event: unknown): Promise<void> {
  await handleSprintEvent(event, "closed", ports());
}

const recomputeEventSchema = z.object({ body: z.object({ boardId: z.number().int().positive() }) });

/** Consumer of the recompute queue: one board per event. */
export async function onBoardRecompute(event: unknown): Promise<void> {
  const parsed = recomputeEventSchema.safeParse(event);
  if (!parsed.success) return;
  await recomputeBoard(parsed.data.body.boardId, ports());
}

/** Scheduled trigger, daily: queue every known board, to catch what events missed. */
export async function onJiraReconcile(): Promise<void> {
  for (const board of await listKnownBoards(new ForgeKvsStore())) await enqueue(board.boardId);
}
