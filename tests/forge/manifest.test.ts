import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validate } from "@forge/manifest";
import * as handlers from "../../src/forge/index";

const root = new URL("../../", import.meta.url).pathname;
const manifest = parse(readFileSync(`${root}manifest.yml`, "utf8")) as {
  modules: { function: { key: string; handler: string }[] };
  resources: { key: string; path: string }[];
};

describe("manifest.yml", () => {
  it("names only handlers that src/forge/index.ts exports as functions", () => {
    const named = manifest.modules.function.map((f) => f.handler);
    for (const handler of named) {
      expect(handler).toMatch(/^forge\/index\./);
      const name = handler.replace("forge/index.", "");
      expect(typeof (handlers as Record<string, unknown>)[name], handler).toBe("function");
    }
    expect(Object.keys(handlers).sort()).toEqual(
      named.map((h) => h.replace("forge/index.", "")).sort(),
    );
  });

  it("passes @forge/manifest's full offline validation, built pages included", async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const result = await validate(false);
      const errors = (result.errors ?? []).filter((e) => e.level === "error").map((e) => e.message);
      expect(errors).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("@forge/lint's offline client-side linters", () => {
  it("report nothing on the manifest and the Forge sources", async () => {
    const { getClientSideLintersOnly, lint, PermissionLinter } = await import("@forge/lint");
    const { StatsigReader } = await import("@forge/cli-shared");
    /** Forge's feature-flag service is online only; offline every flag keeps its default. */
    class OfflineFlags extends StatsigReader {
      checkGate(): Promise<null> {
        return Promise.resolve(null);
      }
      getDynamicConfig(): Promise<null> {
        return Promise.resolve(null);
      }
    }
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const logger = {
        info: () => {},
        debug: () => {},
        warn: () => {},
        error: () => {},
        trace: () => {},
      };
      // The linters read flags only through StatsigReader's methods; the service's private
      // fields (credentials, HTTP clients) are what the offline reader leaves out.
      const flags = new OfflineFlags() as unknown as Parameters<typeof lint>[4];
      const parsed = parse(readFileSync("manifest.yml", "utf8")) as Parameters<typeof lint>[1];
      // The permission linter downloads Atlassian's scope specification, so it cannot run offline.
      const linters = (await getClientSideLintersOnly(parsed, "development", logger, flags)).filter(
        (linter) => !(linter instanceof PermissionLinter),
      );
      expect(linters.length).toBeGreaterThan(10);
      const files = [
        "src/forge/index.ts",
        "src/forge/resolver.ts",
        "src/forge/sync-handlers.ts",
        "src/forge/jira-transport.ts",
        "src/forge/linear-handlers.ts",
        "src/store/forge/forge-kvs-store.ts",
      ];
      const results = await lint(files, parsed, "development", logger, flags, {
        linter: { mode: "client-side" },
        linters,
      });
      const problems = results.flatMap((result) =>
        [...result.errors, ...result.warnings].map(
          (problem) => `${result.file}:${problem.line} ${problem.message}`,
        ),
      );
      expect(problems).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);
});
