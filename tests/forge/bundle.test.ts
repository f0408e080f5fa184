import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";

/**
 * Bundles the app's functions the way `forge deploy` does (see forge-bundle.cjs: @forge/bundler's
 * Node runtime bundler, webpack + ts-loader with Forge's own config, entry points from manifest.yml),
 * offline into a temp dir, then loads the bundle as the Forge runtime would: `require`.
 */

const root = new URL("../../", import.meta.url).pathname;
const script = new URL("forge-bundle.cjs", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "capacity-bundle-"));
const outputs: string[] = [];

afterAll(() => {
  for (const dir of [scratch, ...outputs]) rmSync(dir, { recursive: true, force: true });
});

const resultSchema = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    outputDir: z.string(),
    handlers: z.array(z.object({ module: z.string(), func: z.string() })),
    warnings: z.array(z.string()),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

/** Placeholders for the Forge runtime wrapper and loader `forge deploy` would download. */
function offlineRuntime(): string {
  const dir = join(scratch, "runtime");
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeFileSync(join(dir, "dist", "wrapper.js"), "// the Forge runtime wrapper, offline\n");
  writeFileSync(join(dir, "dist", "loader.js"), "// the Forge runtime loader, offline\n");
  return dir;
}

async function bundleApp(appDirectory: string): Promise<z.infer<typeof resultSchema>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [script, appDirectory, offlineRuntime()],
    { maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const result = resultSchema.parse(JSON.parse(stdout.trim().split("\n").at(-1) ?? "null"));
  if (result.ok) outputs.push(result.outputDir);
  return result;
}

describe("the Forge bundle", () => {
  it("builds with forge deploy's bundler, and every handler in manifest.yml is an exported function", async () => {
    const result = await bundleApp(root);
    if (!result.ok) throw new Error(`Forge's bundler failed:\n${result.error}`);
    expect(result.handlers.length).toBeGreaterThan(5);
    const load = createRequire(join(result.outputDir, "loader.cjs"));
    for (const { module, func } of result.handlers) {
      const exported = load(join(result.outputDir, `${module}.cjs`)) as Record<string, unknown>;
      expect(typeof exported[func], `${module}.${func}`).toBe("function");
    }
    expect(result.warnings).toEqual([]);
  }, 240_000);

  it("fails, as forge deploy does, on a relative import that ends in .js", async () => {
    const app = join(scratch, "js-import-app");
    mkdirSync(join(app, "src"), { recursive: true });
    writeFileSync(
      join(app, "manifest.yml"),
      [
        "modules:",
        "  function:",
        "    - key: main",
        "      handler: index.run",
        "app:",
        "  id: ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000",
        "  runtime:",
        "    name: nodejs22.x",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true } }),
    );
    writeFileSync(join(app, "src", "helper.ts"), "export const answer = 42;\n");
    writeFileSync(
      join(app, "src", "index.ts"),
      'import { answer } from "./helper.js";\nexport const run = () => answer;\n',
    );
    const result = await bundleApp(app);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(/Can't resolve '\.\/helper\.js'/);
  }, 120_000);
});
