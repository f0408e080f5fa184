/**
 * The CLI's `--state FILE` survives a run killed in the middle of writing it: a process keeps
 * saving large states and is killed (SIGKILL, no chance to clean up) while a new state file is
 * being written; the next open reads the state before it or a later one, whole, never a mix.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { StateFileStore } from "../../src/cli/state-file-store";

const dir = mkdtempSync(join(tmpdir(), "capacity-state-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STORE_MODULE = new URL("../../src/cli/state-file-store.ts", import.meta.url).href;
/** Large enough that writing one state file takes a while, small enough to keep the test quick. */
const VALUE_BYTES = 6 * 1024 * 1024;

/** Saves state after state: generation n is `n` repeated, so a whole one is easy to recognise. */
const WRITER = `
const { StateFileStore } = await import(${JSON.stringify(STORE_MODULE)});
const store = await StateFileStore.open(process.argv[1]);
for (let n = 1; ; n++) {
  await store.set("state:big", { generation: n, text: String(n % 10).repeat(${VALUE_BYTES}) });
  await store.save();
}
`;

describe("a run killed while writing --state", () => {
  it("leaves the state before it, or a later one, readable and whole", async () => {
    const file = join(dir, "sync-state.json");
    const before = await StateFileStore.open(file);
    await before.set("state:big", { generation: 0, text: "before" });
    await before.save();

    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", WRITER, file],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = once(child, "exit");
    // Killed the moment a temporary sibling exists: the new state is half written.
    const deadline = Date.now() + 60_000;
    let killedMidWrite = false;
    while (Date.now() < deadline && child.exitCode === null) {
      if (readdirSync(dir).some((name) => name.endsWith(".tmp"))) {
        child.kill("SIGKILL");
        killedMidWrite = true;
        break;
      }
      await new Promise((done) => setImmediate(done));
    }
    if (!killedMidWrite) child.kill("SIGKILL");
    await exited;
    expect(killedMidWrite, `the writer never started a state file: ${stderr}`).toBe(true);

    const after = await StateFileStore.open(file, { readOnly: true });
    const state = z
      .object({ generation: z.number(), text: z.string() })
      .parse(await after.get("state:big"));
    const expected =
      state.generation === 0 ? "before" : String(state.generation % 10).repeat(VALUE_BYTES);
    // Compared as a flag: a mismatch of megabytes is no help printed.
    expect(state.text === expected, `generation ${state.generation} is not whole`).toBe(true);
  });
});
