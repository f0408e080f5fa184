/**
 * Where a team's project page and its settings are. Inside Jira, Forge's project page lives at
 * `/jira/{projectType}/projects/{projectKey}/apps/{appId}/{envId}`
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-project-page)
 * and its project settings page at `/jira/software/projects/{projectKey}/settings/apps/{appId}/{envId}`
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-project-settings-page);
 * the app and environment ids are in the module's `localId`
 * (`ari:cloud:ecosystem::extension/{appId}/{envId}/static/{moduleKey}`). The project type is not
 * known here, so inside Jira a click goes by `router.navigate({ target: "module", moduleKey,
 * projectKey })` (https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/router),
 * which lets Jira build the URL for the project's own type; the `href` (a new tab) names a
 * software project, the type of almost every board's project. The self-hosted server serves the
 * same pages under `/pages/project-page/` and `/pages/project-settings/`.
 */
import { router, view } from "@forge/bridge";
import type { MouseEvent } from "react";

export type ProjectPageLink = (projectKey: string, boardId: number) => string;

type Location = Exclude<Parameters<typeof router.navigate>[0], string>;

/** The app's modules the links lead to, as `manifest.yml` names them. */
const PROJECT_PAGE_MODULE = "capacity-project-page";
const PROJECT_SETTINGS_MODULE = "capacity-project-settings";

/** Where each link built for Jira leads, for the host to build its URL on a click. */
const locations = new Map<string, Location>();

function inJira(url: string, moduleKey: string, projectKey: string): string {
  locations.set(url, { target: "module", moduleKey, projectKey });
  return url;
}

export interface PageLinks {
  readonly projectPage: ProjectPageLink;
  /** The project's Capacity split settings, where its targets are declared. */
  readonly settingsPage: ProjectPageLink;
  /** The self-hosted server's company page (its home); null inside Jira. */
  readonly companyPage: string | null;
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
        inJira(
          `/jira/software/projects/${encodeURIComponent(projectKey)}/apps/${app}`,
          PROJECT_PAGE_MODULE,
          projectKey,
        ),
      settingsPage: (projectKey) =>
        inJira(
          `/jira/software/projects/${encodeURIComponent(projectKey)}/settings/apps/${app}`,
          PROJECT_SETTINGS_MODULE,
          projectKey,
        ),
      companyPage: null,
      boardsPage: null,
    };
  }
  const query = (projectKey: string, boardId: number): string =>
    `?project=${encodeURIComponent(projectKey)}&board=${boardId}`;
  return {
    projectPage: (projectKey, boardId) => `/pages/project-page/${query(projectKey, boardId)}`,
    settingsPage: (projectKey, boardId) => `/pages/project-settings/${query(projectKey, boardId)}`,
    companyPage: "/",
    boardsPage: "/boards",
  };
}

/**
 * Follows a link through the host: Jira moves its own page, not the app's frame, to the module's
 * page in the project whatever its type; a link Jira cannot place goes by its URL.
 */
export function navigate(url: string): void {
  const location = locations.get(url);
  const byUrl = () => router.navigate(url).catch(() => undefined);
  if (location === undefined) void byUrl();
  else router.navigate(location).catch(byUrl);
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
