import { defineConfig } from "vitest/config";

// The limits below are safety nets for a busy machine, not measurements: browser pages and
// spawned CLIs can take several seconds on two loaded cores. Speed is measured in bench/.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    expect: { poll: { timeout: 10_000 } },
  },
});
