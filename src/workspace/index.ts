export { generateDemoWorkspace } from "./demo/index";
export { findMomentProblem, parseIsoTime } from "./iso-time";
export {
  DEFAULT_LABELS,
  formatPath,
  messageFor,
  parseWorkspace,
  parseWorkspaceText,
} from "./load-workspace";
export {
  type ParsedWorkspaceFile,
  type WorkspaceFile,
  isoDate,
  itemFileSchema,
  sprintFileSchema,
  teamFileSchema,
  workspaceFileSchema,
} from "./schema";
