import { JiraClient } from "../jira/client";
import { createNodeTransport, normalizeSite } from "../jira/node-transport";
import type { PulledBoard, PullOptions } from "../jira/pull-board";
import type { RetryEvent } from "../jira/retry";
import { toWorkspaceFile } from "../jira/workspace-file";
import type { WorkspaceFile } from "../workspace/schema";

export { JiraError } from "../jira/errors";
export type { JiraClient } from "../jira/client";
export type { PulledBoard, PullProgress } from "../jira/pull-board";

/** A Jira site reached with an Atlassian account's email and API token (CLI, self-hosted server). */
export function connectJira(options: {
  readonly site: string;
  readonly email: string;
  readonly apiToken: string;
  readonly onRetry?: (event: RetryEvent) => void;
}): JiraClient {
  return new JiraClient(
    createNodeTransport({ site: options.site, email: options.email, apiToken: options.apiToken }),
    { retry: { onRetry: options.onRetry } },
  );
}

/** `https://x.atlassian.net`, or an error that says what is wrong with the address. */
export function normalizeJiraSite(site: string): string {
  return normalizeSite(site);
}

/** Pulls one board (SPEC §11 parts), resumable from a cursor `onProgress` handed out earlier. */
export function pullJiraBoard(
  client: JiraClient,
  boardId: number,
  options: Pick<PullOptions, "timezone" | "resume" | "onProgress">,
): Promise<PulledBoard> {
  return client.pullBoard(boardId, options);
}

/** Pulled boards as one workspace file; targets are the product's, so none come from Jira. */
export function pulledWorkspace(boards: readonly PulledBoard[]): WorkspaceFile {
  return toWorkspaceFile(boards);
}
