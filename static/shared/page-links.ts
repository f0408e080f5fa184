/**
 * Where a team's project page and its settings are. Inside Jira, Forge's project page lives at
 * `/jira/{projectType}/projects/{projectKey}/apps/{appId}/{envId}`
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-project-page)
 * and its project settings page at `/jira/software/projects/{projectKey}/settings/apps/{appId}/{envId}`
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-project-settings-page);
 * the app and environment ids are in the module's `localId`
 * (`ari:cloud:ecosystem::extension/{appId}/{envId}/static/{moduleKey}`). The self-hosted server
 * serves the same pages under `/pages/project-page/` and `/pages/project-settings/`.
 */
import { router, view } from "@forge/bridge";
import type { MouseEvent } from "react";

export type ProjectPageLink = (projectKey: string, boardId: number) => string;

export interface PageLinks {
  readonly projectPage: ProjectPageLink;
  /** The project's Capacity split settings, where its targets are declared. */
  readonly settingsPage: ProjectPageLink;
  /** The self-hosted server's list of every board's pages; null inside Jira. */
  readonly boardsPage: string | null;
}

export async function pageLinks(): Promise<PageLinks> {
  const context: unknown = await view.getContext();
  const localId =
    typeof context === "object" && context !== null && "localId" in context
      ? String(context.localId)
      : "";
  const forge = /^ari:cloud:ecosystem::extension\/([^/]+)\/([^/]+)\//.exec(localId);
  if (forge) {
    const [, appId = "", envId = ""] = forge;
    const app = `${encodeURIComponent(appId)}/${encodeURIComponent(envId)}`;
    return {
      projectPage: (projectKey) =>
        `/jira/software/projects/${encodeURIComponent(projectKey)}/apps/${app}`,
      settingsPage: (projectKey) =>
        `/jira/software/projects/${encodeURIComponent(projectKey)}/settings/apps/${app}`,
      boardsPage: null,
    };
  }
  const query = (projectKey: string, boardId: number): string =>
    `?project=${encodeURIComponent(projectKey)}&board=${boardId}`;
  return {
    projectPage: (projectKey, boardId) => `/pages/project-page/${query(projectKey, boardId)}`,
    settingsPage: (projectKey, boardId) => `/pages/project-settings/${query(projectKey, boardId)}`,
    boardsPage: "/boards",
  };
}

/** Follows a link through the host: Jira moves its own page, not the app's frame. */
export function navigate(url: string): void {
  router.navigate(url).catch(() => undefined);
}

/**
 * A link's click, followed through the host (`navigate`); a click meant for a new tab is left to
 * the browser.
 */
export function followInHost(url: string): (event: MouseEvent<HTMLAnchorElement>) => void {
  return (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(url);
  };
}

/** An outside address (a team in Linear): Jira's router opens it in a new tab. */
export function openOutside(url: string): (event: MouseEvent<HTMLAnchorElement>) => void {
  return (event) => {
    event.preventDefault();
    router.open(url).catch(() => undefined);
  };
}
