/**
 * `capacity-split sync linear --state FILE` keeps every change as it is made: the installed bin
 * is killed right after Linear has applied a batch of label writes and before the run heard back,
 * and the next run still knows those labels as the sync's own, writing none of them twice.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { StateFileStore } from "../../src/cli/state-file-store";
import { writtenLabelsSchema } from "../../src/linear/index";
import { storeKeys } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { useFakeLinear } from "../helpers/fake-trackers";
import { cli } from "./run";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const BIN = new URL("../../bin/capacity-split.js", import.meta.url).pathname;
const batchRequest = z.object({
  query: z.string(),
  variables: z.object({ ids: z.array(z.string()) }).loose(),
});

let dir: string;
const fake = useFakeLinear({
  workspace: generateDemoWorkspace(NOW),
  seed: { now: NOW, teams: ["GRO"] },
});
let proxy: Server;
let proxyUrl: string;
/** Issue ids of every label batch that reached Linear, in order. */
const batches: string[][] = [];
/** Called once Linear has answered a label batch, before the answer goes back. */
let afterBatch: (() => void) | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-sync-state-"));
  // Between the CLI and the fake: sees each label batch, and can stop the CLI once Linear applied it.
  proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      void (async () => {
        const answer = await fetch(fake.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: request.headers.authorization ?? "",
          },
          body,
        });
        const text = await answer.text();
        const parsed = batchRequest.safeParse(JSON.parse(body));
        if (parsed.success && parsed.data.query.includes("mutation CapacityIssueBatchLabels")) {
          batches.push(parsed.data.variables.ids);
          afterBatch?.();
        }
        response.writeHead(answer.status, { "content-type": "application/json" }).end(text);
      })();
    });
  });
  await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((done) => proxy.close(done));
  rmSync(dir, { recursive: true, force: true });
});

async function writtenRecord(state: string) {
  const store = await StateFileStore.open(state, { readOnly: true });
  return writtenLabelsSchema.parse((await store.get(storeKeys.linearWritten("GRO"))) ?? {});
}

describe("sync linear --write-back --state, killed mid-run", () => {
  it("keeps the labels of a batch Linear applied before the kill as the sync's, and writes none twice", async () => {
    const env = { LINEAR_API_KEY: fake.apiKey, LINEAR_API_URL: proxyUrl };
    const dry = await cli(["sync", "linear", "--write-back", "--dry-run"], { env });
    const planned = Number(/would write back (\d+) label/.exec(dry.stdout)?.[1]);
    // More than one batch of 50, so the kill lands with writes done and writes to go.
    expect(planned).toBeGreaterThan(50);

    const state = join(dir, "state.json");
    const child = spawn(
      process.execPath,
      [BIN, "sync", "linear", "--write-back", "--state", state],
      {
        env: { ...process.env, ...env },
        stdio: "ignore",
      },
    );
    afterBatch = () => {
      afterBatch = null;
      child.kill("SIGKILL");
    };
    const signal = await new Promise<NodeJS.Signals | null>((done) =>
      child.on("exit", (_code, killed) => done(killed)),
    );
    expect(signal).toBe("SIGKILL");
    expect(batches).toHaveLength(1);
    const firstBatch = batches[0] ?? [];
    expect(firstBatch.length).toBeGreaterThan(0);
    // The kill left no folded file, only the journal of what the run recorded.
    expect(existsSync(`${state}.journal`)).toBe(true);
    const identifierOf = new Map(fake.data.issues.map((issue) => [issue.id, issue.identifier]));
    const killedBatch = firstBatch.map((id) => identifierOf.get(id) ?? id);
    const afterKill = await writtenRecord(state);
    for (const issue of killedBatch) expect(afterKill[issue], issue).toHaveProperty("pending");

    const resumed = await cli(["sync", "linear", "--write-back", "--state", state], { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(existsSync(`${state}.journal`)).toBe(false);

    const written = batches.flat();
    expect(new Set(written).size).toBe(written.length);
    expect(written).toHaveLength(planned);
    const record = await writtenRecord(state);
    for (const issue of killedBatch) {
      const entry = record[issue];
      // Settled as the sync's own label, not released as if a person had set it.
      expect(entry !== undefined && "category" in entry && entry.released !== true, issue).toBe(
        true,
      );
    }
    expect(Object.values(record).filter((entry) => !("pending" in entry))).toHaveLength(planned);

    const again = await cli(["sync", "linear", "--write-back", "--state", state], { env });
    expect(again.stdout).toContain("GRO: every derived category already carries its label");
    expect(batches.flat()).toHaveLength(planned);
  }, 120_000);
});

describe("the state file", () => {
  it("replays the journal of a run that never saved, and drops a line cut short", async () => {
    const state = join(dir, "journal.json");
    const store = await StateFileStore.open(state);
    await store.set("linear:GRO:cursor", "2026-11-01T00:00:00Z");
    await store.set("linear:GRO:written", { "GRO-1": { category: "roadmap", at: "x" } });
    await store.delete("linear:GRO:cursor");
    writeFileSync(`${state}.journal`, `${readFileSync(`${state}.journal`, "utf8")}{"set":"tor`);
    const reopened = await StateFileStore.open(state);
    expect(await reopened.listByPrefix("")).toEqual([
      { key: "linear:GRO:written", value: { "GRO-1": { category: "roadmap", at: "x" } } },
    ]);
    await reopened.save();
    expect(existsSync(`${state}.journal`)).toBe(false);
    expect(JSON.parse(readFileSync(state, "utf8"))).toEqual({
      "linear:GRO:written": { "GRO-1": { category: "roadmap", at: "x" } },
    });
  });

  it("keeps a run's changes after a line cut short by the run before, when this run stops too", async () => {
    const state = join(dir, "twice.json");
    writeFileSync(`${state}.journal`, '{"set":"a","value":1}\n{"set":"tor');
    const second = await StateFileStore.open(state);
    await second.set("b", 2);
    // The second run is stopped as well, before it saves: the third still reads both changes.
    const third = await StateFileStore.open(state);
    expect(await third.listByPrefix("")).toEqual([
      { key: "a", value: 1 },
      { key: "b", value: 2 },
    ]);
  });

  it("refuses a journal damaged before its last line, naming both files", async () => {
    const state = join(dir, "damaged.json");
    writeFileSync(`${state}.journal`, 'not json\n{"set":"a","value":1}\n');
    await expect(StateFileStore.open(state)).rejects.toThrow(
      `--state ${state}: line 1 of ${state}.journal is damaged. Remove both files to start afresh.`,
    );
  });

  it("folds the journal into the file once it outgrows it, so the journal stays bounded", async () => {
    const state = join(dir, "fold.json");
    const store = await StateFileStore.open(state);
    const page = "x".repeat(512 * 1024);
    for (let index = 0; index < 12; index++) await store.set("linear:GRO:pull", { page, index });
    // 12 × 512 KiB passed through the journal; the fold at 4 MiB left it less than that.
    expect(readFileSync(`${state}.journal`, "utf8").length).toBeLessThan(4 * 1024 * 1024);
    expect(existsSync(state)).toBe(true);
    const reopened = await StateFileStore.open(state, { readOnly: true });
    expect(await reopened.get("linear:GRO:pull")).toEqual({ page, index: 11 });
  });

  it("writes nothing when read-only (a dry run)", async () => {
    const state = join(dir, "dry.json");
    const store = await StateFileStore.open(state, { readOnly: true });
    await store.set("linear:GRO:cursor", "c");
    await store.save();
    expect(existsSync(state) || existsSync(`${state}.journal`)).toBe(false);
  });
});
