/**
 * Where a team's project page is. Inside Jira, Forge's project page lives at
 * `/jira/{projectType}/projects/{projectKey}/apps/{appId}/{envId}`
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-project-page),
 * and the app and environment ids are in the module's `localId`
 * (`ari:cloud:ecosystem::extension/{appId}/{envId}/static/{moduleKey}`). The self-hosted server
 * serves the same page under `/pages/project-page/`.
 */
import { router, view } from "@forge/bridge";

export type ProjectPageLink = (projectKey: string, boardId: number) => string;

export interface PageLinks {
  readonly projectPage: ProjectPageLink;
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
    return {
      projectPage: (projectKey) =>
        `/jira/software/projects/${encodeURIComponent(projectKey)}/apps/${encodeURIComponent(appId)}/${encodeURIComponent(envId)}`,
      boardsPage: null,
    };
  }
  return {
    projectPage: (projectKey, boardId) =>
      `/pages/project-page/?project=${encodeURIComponent(projectKey)}&board=${boardId}`,
    boardsPage: "/boards",
  };
}

/** Follows a link through the host: Jira moves its own page, not the app's frame. */
export function navigate(url: string): void {
  router.navigate(url).catch(() => undefined);
}
