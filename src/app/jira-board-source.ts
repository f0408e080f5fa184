import type { JiraClient } from "../jira/client";
import type { Store } from "../store/store";
import { DEFAULT_LABELS } from "../workspace/load-workspace";
import { AppError } from "./app-error";
import type { BoardSource, ClassifyChange } from "./board-source";
import { describeDecidingRule } from "../domain/explain";
import { computeReport } from "../domain/report";
import {
  getBoardView,
  getWrittenCategories,
  markBoardChanged,
  readFreshReport,
  readReportBasis,
  recomputeBoard,
  storeCachedReport,
} from "./board-sync";
import { loadBoardWorkspace } from "./board-workspace";
import { classifyWithStoredAncestors } from "./stored-classification";
import { getTeamSettings } from "./team-settings";

/**
 * Boards read from Jira (the Forge host, and the server's `--jira`). Reads that a person sees run
 * as that person, so Jira's own permissions decide what the panel shows and who may classify.
 */
export function jiraBoardSource(ports: {
  readonly jira: JiraClient;
  readonly store: Store;
  readonly now: () => number;
}): BoardSource {
  const { jira, store } = ports;
  return {
    async projectOf(boardId) {
      const board = await jira.getBoard(boardId);
      return board.location?.projectKey ?? null;
    },

    async listBoards(projectKey) {
      // Jira's list, as the person sees it; a fresh install knows no board yet.
      const boards = await jira.listProjectBoards(projectKey, { as: "user" });
      return boards.map((board) => ({
        boardId: board.id,
        projectKey: board.location?.projectKey ?? projectKey,
        name: board.name,
      }));
    },

    async loadWorkspace(boardId, options) {
      return (await loadBoardWorkspace(jira, store, boardId, options)).workspace;
    },

    async loadReport(boardId) {
      const fresh = await readFreshReport(ports, boardId);
      if (fresh) return { ...fresh, cached: true };
      const basis = await readReportBasis(ports, boardId);
      const { workspace } = await loadBoardWorkspace(jira, store, boardId);
      const report = computeReport(workspace, { now: ports.now() });
      // Kept for the next request: a big board is pulled once, not once per page view.
      await storeCachedReport(ports, boardId, { basis, workspace, report });
      const titles = new Map(workspace.items.map((item) => [item.id, item.title]));
      return { report, titles, computedAt: report.now, cached: false };
    },

    async isProjectAdmin(projectKey) {
      const permissions = await jira.getMyPermissions(projectKey, ["ADMINISTER_PROJECTS"], {
        as: "user",
      });
      return permissions.ADMINISTER_PROJECTS === true;
    },

    async getItem(boardId, key, context) {
      let view = await getBoardView(store, boardId);
      if (!view) {
        // First visit: compute the board once; afterwards the panel needs one Jira call.
        const projectKey = await this.projectOf(boardId);
        if (context.projectKey === null || projectKey !== context.projectKey) {
          throw new AppError("FORBIDDEN", `Board ${boardId} does not belong to this project.`);
        }
        await recomputeBoard(boardId, ports);
        view = await getBoardView(store, boardId);
      }
      if (!view || view.projectKey !== context.projectKey) {
        throw new AppError("FORBIDDEN", `Board ${boardId} does not belong to this project.`);
      }
      const teamId = String(boardId);
      // As the user: the panel shows only what the person may browse.
      const { item } = await jira.getIssue(
        key,
        { teamId, sprintFieldId: view.sprintFieldId, estimateFieldId: view.estimateFieldId },
        { as: "user" },
      );
      const settings = await getTeamSettings(store, teamId);
      const classification = classifyWithStoredAncestors(
        item,
        settings,
        await getWrittenCategories(store, boardId),
      );
      const sprintIds = item.sprintIds ?? [];
      const active =
        view.activeSprints.find((entry) => sprintIds.includes(entry.sprint.id)) ??
        view.activeSprints.at(-1) ??
        null;
      return {
        item: {
          id: key,
          title: item.title,
          ...classification,
          ruleText: describeDecidingRule({ rules: settings.rules ?? [] }, classification.via),
        },
        activeSprint: active?.sprint ?? null,
        activeSprintFlags: active?.flags ?? [],
        computedAt: view.computedAt,
      };
    },

    async classify(boardId, issueKeys, category) {
      const settings = await getTeamSettings(store, String(boardId));
      const labels = settings.labels ?? DEFAULT_LABELS.jira;
      const results: ClassifyChange[] = [];
      try {
        for (const key of issueKeys) {
          // As the user: classifying edits the issue, so Jira's edit permission decides.
          const change = await jira.setCategoryLabel(key, category, labels, { as: "user" });
          if (category !== null) {
            await jira.setCategoryProperty(key, {
              category,
              source: "explicit",
              via: null,
              updatedAt: new Date(ports.now()).toISOString(),
            });
          }
          results.push({ issueKey: key, changed: change.changed, labels: change.labels });
        }
      } finally {
        // The app's own label writes come back as events it ignores, so it marks them itself,
        // also when a later issue of the batch failed.
        if (results.some((result) => result.changed)) {
          await markBoardChanged(store, boardId, ports.now());
        }
      }
      return results;
    },
  };
}
