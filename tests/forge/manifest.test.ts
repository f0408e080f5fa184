import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validate } from "@forge/manifest";
import * as handlers from "../../src/forge/index";
import { LINEAR_REVOKE_URL, LINEAR_TOKEN_URL } from "../../src/linear/oauth";

const root = new URL("../../", import.meta.url).pathname;
const manifest = parse(readFileSync(`${root}manifest.yml`, "utf8")) as {
  modules: {
    function: { key: string; handler: string }[];
    webtrigger: { key: string; function: string; response?: { type?: string } }[];
  };
  resources: { key: string; path: string }[];
  permissions: { external: { fetch: { backend: { address: string }[] } } };
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

  it("takes Linear's OAuth redirect on a web trigger whose answer is the function's page", () => {
    const callback = manifest.modules.webtrigger.find(
      (trigger) => trigger.key === "linear-oauth-callback",
    );
    expect(callback?.response?.type).toBe("dynamic");
    const handler = manifest.modules.function.find((f) => f.key === callback?.function)?.handler;
    expect(handler).toBe("forge/index.onLinearOAuthCallback");
    // The code exchange and the revoke go to api.linear.app, as the GraphQL API does: nothing else.
    const egress = manifest.permissions.external.fetch.backend.map((entry) => entry.address);
    expect(egress).toEqual(["api.linear.app"]);
    for (const url of [LINEAR_TOKEN_URL, LINEAR_REVOKE_URL]) {
      expect(egress).toContain(new URL(url).host);
    }
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
