import type { Workspace } from "../../src/domain/types";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspace } from "../../src/workspace/load-workspace";
import type { WorkspaceFile } from "../../src/workspace/schema";

type FileTeam = WorkspaceFile["teams"][number];
type FileSprint = NonNullable<WorkspaceFile["sprints"]>[number];
type FileItem = NonNullable<WorkspaceFile["items"]>[number];
type FileTarget = NonNullable<WorkspaceFile["targets"]>[number];

export function makeTeam(overrides: Partial<FileTeam> = {}): FileTeam {
  return { id: "PAY", name: "Payments", ...overrides };
}

export function makeSprint(overrides: Partial<FileSprint> = {}): FileSprint {
  return {
    id: "S1",
    teamId: "PAY",
    name: "PAY 1",
    startAt: "2026-07-01T00:00:00Z",
    endAt: "2026-07-15T00:00:00Z",
    completeAt: "2026-07-15T00:00:00Z",
    ...overrides,
  };
}

export function makeItem(overrides: Partial<FileItem> = {}): FileItem {
  return {
    id: "PAY-1",
    teamId: "PAY",
    title: "An item",
    type: "Task",
    labels: [],
    estimate: 1,
    status: "todo",
    createdAt: "2026-06-01T00:00:00Z",
    sprintIds: [],
    ...overrides,
  };
}

export function makeTarget(overrides: Partial<FileTarget> = {}): FileTarget {
  return {
    teamId: "PAY",
    investmentShare: 0.3,
    tolerance: 0.05,
    effectiveFrom: "2026-01-01",
    setBy: "cto@example.com",
    reason: "plan",
    ...overrides,
  };
}

/** A parsed workspace from literal parts; throws with every problem when they are invalid. */
export function makeWorkspace(parts: Partial<WorkspaceFile> = {}): Workspace {
  const result = parseWorkspace({ version: 1, teams: [makeTeam()], ...parts });
  if (!result.ok) throw new Error(`invalid test workspace:\n${result.problems.join("\n")}`);
  return result.workspace;
}

export const at = (iso: string): number => Date.parse(iso);

/** The demo workspace at `now` narrowed to `teamIds`, so a test syncs only their boards. */
export function demoOfTeams(now: number, teamIds: readonly string[]): WorkspaceFile {
  const demo = generateDemoWorkspace(now);
  const kept = (teamId: string | null | undefined) => teamId != null && teamIds.includes(teamId);
  return {
    ...demo,
    teams: demo.teams.filter((team) => kept(team.id)),
    sprints: (demo.sprints ?? []).filter((sprint) => kept(sprint.teamId)),
    items: (demo.items ?? []).filter((item) => kept(item.teamId)),
    targets: (demo.targets ?? []).filter((target) => kept(target.teamId)),
  };
}
