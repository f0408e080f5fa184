export {
  startFakeLinear,
  fakeLinearSchema,
  estimateComplexity,
  estimateDocumentComplexity,
  FAKE_LINEAR_API_KEY,
  FAKE_KEY_OWNER,
  FAKE_APP_USER,
  MAX_QUERY_COMPLEXITY,
  type FakeLinear,
  type FakeLinearOptions,
  type LinearFault,
} from "./server";
export { historyRow, seedData, type LinearData, type SeedOptions } from "./workspace-data";
export { FAKE_ORGANIZATION, type FakeWebhookEvent } from "./resolvers";
export { signedWebhook } from "./webhooks";
