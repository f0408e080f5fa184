import { test } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo.js";
test("bench", () => {
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (let i = 0; i < 12; i++) {
    const now = base + i * 31 * 86_400_000 + i * 3_600_000;
    const t = performance.now();
    const file = generateDemoWorkspace(now);
    console.log(new Date(now).toISOString(), (performance.now() - t).toFixed(1), "ms", file.items?.length);
  }
});
