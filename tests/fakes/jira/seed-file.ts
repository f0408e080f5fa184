import type { Workspace } from "../../../src/domain/types";
import type { WorkspaceFile } from "../../../src/workspace/schema";

/** A domain workspace (epoch ms) as the workspace file the fake is seeded from (ISO times). */
export function workspaceToFile(workspace: Workspace): WorkspaceFile {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    version: 1,
    settings: { ...workspace.settings },
    teams: workspace.teams.map((team) => ({
      ...team,
      labels: { ...team.labels },
      rules: team.rules.map((rule) => ({
        if: {
          ...(rule.if.type ? { type: [...rule.if.type] } : {}),
          ...(rule.if.labels ? { labels: [...rule.if.labels] } : {}),
          ...(rule.if.components ? { components: [...rule.if.components] } : {}),
          ...(rule.if.project ? { project: [...rule.if.project] } : {}),
          ...(rule.if.titleMatches !== undefined ? { titleMatches: rule.if.titleMatches } : {}),
        },
        then: rule.then,
      })),
    })),
    targets: workspace.targets.map((target) => ({ ...target })),
    sprints: workspace.sprints.map((sprint) => ({
      ...sprint,
      startAt: iso(sprint.startAt),
      endAt: iso(sprint.endAt),
      completeAt: sprint.completeAt === null ? null : iso(sprint.completeAt),
    })),
    items: workspace.items.map((item) => ({
      ...item,
      labels: [...item.labels],
      components: [...item.components],
      sprintIds: [...item.sprintIds],
      createdAt: iso(item.createdAt),
      completedAt: item.completedAt === null ? null : iso(item.completedAt),
      history: [...item.history]
        .sort((a, b) => a.at - b.at)
        .map((event) =>
          event.field === "sprint"
            ? { ...event, at: iso(event.at), from: [...event.from], to: [...event.to] }
            : { ...event, at: iso(event.at) },
        ),
    })),
  };
}
