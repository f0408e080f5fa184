import type { DrillRequest } from "../domain/index";
import type { JiraClient } from "../jira/index";
import type { Store } from "../store/index";
import { AppError } from "./app-error";
import type { BoardSource } from "./board-source";
import type { DrillAnswer } from "./contract";
import { drillDown } from "./drill-down";
import { isLinearAppUrl } from "../render/index";
import { linearIssueUrl, readLinearOrgAccess, readLinearOrgDrill } from "./org-linear-teams";
import { orgTeamKey } from "./org-overview";
import { teamsHiddenFrom } from "./org-visibility";

/**
 * The issues behind a Linear team's number on the Jira company page, from what the app's Linear
 * sync keeps of the team (`linear-drill:{KEY}`), computed by the same drill as a board's. Only for
 * a person who sees the team on the page: one who may browse the Jira project chosen for it, or a
 * Jira administrator when none is. Asked first, so a team the caller may not see is refused the
 * same whether the app keeps it or not. Each row links to its issue in Linear.
 */
export async function drillLinearTeam(
  {
    linearTeam,
    at,
    ...request
  }: DrillRequest & { readonly linearTeam: string; readonly at?: string },
  ports: {
    readonly store: Store;
    readonly jira?: JiraClient;
    readonly boards?: BoardSource;
  },
): Promise<DrillAnswer> {
  if (ports.boards !== undefined || ports.jira === undefined) {
    throw new AppError(
      "NOT_FOUND",
      "This host shows Linear teams as boards: open the team's numbers from its board.",
    );
  }
  const access = await readLinearOrgAccess(ports.store);
  const team = {
    key: orgTeamKey({ source: "linear", teamKey: linearTeam }),
    source: "linear" as const,
    boardId: null,
    projectId: access[linearTeam]?.projectId ?? null,
  };
  const hidden = await teamsHiddenFrom([team], { jira: ports.jira, store: ports.store });
  if (hidden.size > 0) {
    throw new AppError(
      "FORBIDDEN",
      team.projectId === null
        ? `Linear team ${linearTeam} is shown to Jira administrators only: ask one of them.`
        : `Linear team ${linearTeam} is shown to the people who may browse its Jira project, and you may not.`,
    );
  }
  const kept = await readLinearOrgDrill(ports.store, linearTeam);
  if (kept === null) {
    throw new AppError(
      "NOT_FOUND",
      `The app keeps no issues of Linear team ${linearTeam}: it is not synced, or its issues are kept from its next sync on.`,
    );
  }
  const drill = drillDown(kept.workspace, request, Date.parse(at ?? kept.computedAt));
  const urlKey = kept.workspaceUrlKey;
  const issueUrls: Record<string, string> = {};
  if (urlKey !== null) {
    for (const { id } of drill.rows) {
      const url = linearIssueUrl(urlKey, id);
      if (isLinearAppUrl(url)) issueUrls[id] = url;
    }
  }
  return { ...drill, withheld: 0, issueUrls };
}
