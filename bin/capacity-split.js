#!/usr/bin/env node
import { endQuietlyOnClosedPipe, runCli } from "../dist/cli/main.js";

endQuietlyOnClosedPipe(process, (code) => process.exit(code));

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
