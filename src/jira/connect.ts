import { JiraClient } from "./client";
import { createNodeTransport } from "./node-transport";
import type { RetryEvent } from "./retry";

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
