"use strict";
/**
 * `node tests/forge/forge-bundle.cjs <appDirectory> <runtimeDirectory>`: bundles the app's functions
 * as `forge deploy` does, with @forge/bundler's Node runtime bundler and the entry points that
 * @forge/cli-shared's config reader takes from manifest.yml. Prints one JSON line
 * `{ ok: true, outputDir, handlers, warnings }` or `{ ok: false, error }`.
 *
 * A CommonJS main of its own because Forge's webpack config refuses to run without `require.main`,
 * which an ES module host (the test runner) does not have. The runtime wrapper `forge deploy`
 * downloads from Atlassian's CDN is read instead from `<runtimeDirectory>/dist/{wrapper,loader}.js`
 * by the bundler's own LocalWrapperProvider (what `FORGE_RUNTIME_PATH` selects); it ships beside
 * the bundle, not inside it.
 */
const path = require("node:path");

async function main() {
  const [appDirectory, runtimeDirectory] = process.argv.slice(2).map((dir) => path.resolve(dir));
  if (appDirectory === undefined || runtimeDirectory === undefined) {
    throw new Error("Usage: node forge-bundle.cjs <appDirectory> <runtimeDirectory>");
  }
  // Forge's config reader and entry points resolve manifest.yml and src/ from the cwd.
  process.chdir(appDirectory);
  const fromApp = (name) => require(require.resolve(name, { paths: [appDirectory, __dirname] }));
  const { getEntryPoints, getNodeBundler, LocalWrapperProvider } = fromApp("@forge/bundler");
  const { ConfigFile, FileSystemReader, FileSystemWriter } = fromApp("@forge/cli-shared");
  const reader = new FileSystemReader();
  const config = new ConfigFile(reader, new FileSystemWriter());
  const handlers = await config.getAppHandlers();
  const warnings = [];
  const logger = {
    info() {},
    debug() {},
    trace() {},
    error() {},
    warn: (message) => warnings.push(String(message)),
  };
  const bundler = getNodeBundler(
    logger,
    new LocalWrapperProvider(reader, runtimeDirectory),
    config,
  );
  const output = await bundler.bundle({ appDirectory, entryPoints: getEntryPoints(handlers) });
  return { ok: true, outputDir: output.outputDir, handlers, warnings };
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => {
    process.stdout.write(
      `${JSON.stringify({ ok: false, error: String(error?.message ?? error) })}\n`,
    );
    process.exitCode = 1;
  },
);
