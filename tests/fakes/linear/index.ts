export {
  startFakeLinear,
  fakeLinearSchema,
  estimateComplexity,
  estimateDocumentComplexity,
  FAKE_LINEAR_API_KEY,
  MAX_QUERY_COMPLEXITY,
  type FakeLinear,
  type FakeLinearOptions,
  type LinearFault,
} from "./server.js";
export { seedData, type LinearData, type SeedOptions } from "./workspace-data.js";
export type { FakeWebhookEvent } from "./resolvers.js";
export { signedWebhook } from "./webhooks.js";
