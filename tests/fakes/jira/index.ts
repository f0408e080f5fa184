export { startFakeJira, DEFAULT_USER, type FakeJira, type FakeJiraOptions } from "./server.js";
export type { Fault } from "./faults.js";
export type { FakeUser, PermissionKey } from "./routes.js";
export {
  DECOY_POINTS_FIELD_ID,
  ESTIMATE_FIELD_ID,
  SPRINT_FIELD_ID,
  type BoardSeed,
  type FakeSite,
} from "./site.js";
export { workspaceToFile } from "./seed-file.js";
