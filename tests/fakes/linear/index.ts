export {
  startFakeLinear,
  fakeLinearSchema,
  estimateComplexity,
  FAKE_LINEAR_API_KEY,
  type FakeLinear,
  type FakeLinearOptions,
  type LinearFault,
} from "./server.js";
export { seedData, type LinearData, type SeedOptions } from "./workspace-data.js";
