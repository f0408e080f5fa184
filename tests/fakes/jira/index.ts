export { issueCreatedEvent, issueDeletedEvent, issueMovedEvent, issueUpdatedEvent } from "./events";
export { startFakeJira, DEFAULT_USER, type FakeJira, type FakeJiraOptions } from "./server";
export type { Fault } from "./faults";
export type { FakeUser, PermissionKey } from "./routes";
export {
  DECOY_POINTS_FIELD_ID,
  ESTIMATE_FIELD_ID,
  SPRINT_FIELD_ID,
  type BoardSeed,
  type FakeSite,
} from "./site";
export { workspaceToFile } from "./seed-file";
