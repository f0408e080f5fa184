export { DEMO_SEED, generateDemoWorkspace } from "./generate";
