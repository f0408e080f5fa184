import type { WorkspaceFile } from "../workspace/index";
import type { MappedBoard } from "./map-board";

/**
 * A whole workspace file (SPEC §11) from pulled boards: targets and settings are the product's,
 * not Jira's, so the caller brings them (none by default: SPEC §8 flags a team without one).
 */
export function toWorkspaceFile(
  boards: readonly Pick<MappedBoard, "team" | "sprints" | "items">[],
  extra: {
    readonly targets?: WorkspaceFile["targets"];
    readonly settings?: WorkspaceFile["settings"];
  } = {},
): WorkspaceFile {
  return {
    version: 1,
    settings: extra.settings ?? { fiscalYearStartMonth: 1 },
    teams: boards.map((board) => board.team),
    targets: extra.targets ?? [],
    sprints: boards.flatMap((board) => board.sprints),
    items: boards.flatMap((board) => board.items),
  };
}
