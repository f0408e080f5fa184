import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/args";
import { writeFileAtomically } from "../../src/cli/io";
import { cli } from "./run";

const BIN = new URL("../../bin/capacity-split.js", import.meta.url).pathname;
const NOW = "2026-11-24T00:00:00Z";
const scratch = () => mkdtempSync(join(tmpdir(), "capacity-split-out-"));

/** Runs the installed bin (the bundle `npm run build` makes) with the given environment. */
function runBin(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("--now is checked the same way by every command (SPEC §11)", () => {
  const NO_OFFSET =
    'has no offset: add "Z" for UTC or an offset such as "+02:00" (a time is never read in the timezone of the machine).';
  const commands: string[][] = [
    ["report", "--demo"],
    ["check", "--demo"],
    ["explain", "--demo", "PAY-1"],
    ["demo"],
  ];

  it.each(commands)(
    "%s refuses a day that does not exist and a time without offset",
    async (...command) => {
      const [name] = command;
      const day = await cli([...command, "--now", "2026-02-30"]);
      expect([day.code, day.stdout, day.stderr]).toEqual([
        2,
        "",
        `capacity-split ${name}: Invalid --now value: "2026-02-30" is a day that does not exist: February 2026 has 28 days.\n`,
      ]);
      const local = await cli([...command, "--now", "2026-11-24T09:00:00"]);
      expect([local.code, local.stdout, local.stderr]).toEqual([
        2,
        "",
        `capacity-split ${name}: Invalid --now value: "2026-11-24T09:00:00" ${NO_OFFSET}\n`,
      ]);
    },
  );

  it.each<[string, string]>([
    ["1969-12-31T00:00:00Z", '"1969-12-31T00:00:00Z" is before 1970: years run from 1970 to 9999'],
    ["2026-11-24T25:00Z", '"2026-11-24T25:00Z" is not a time of day (00:00:00 to 23:59:59)'],
    ["2026-11-24T00:00:00+14:60", "has an offset that does not exist (+14:60)"],
    ["24/11/2026", 'expected an ISO 8601 time such as "2026-07-01T00:00:00Z" or a date such as'],
  ])("refuses --now %s", async (value, message) => {
    const { code, stderr } = await cli(["report", "--demo", "--now", value]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it("reads a date as its midnight UTC and a time at its offset, whatever the machine's timezone", () => {
    const at = (now: string, tz: string) =>
      runBin(["report", "--demo", "--now", now, "--format", "json"], { TZ: tz });
    const utc = at("2026-11-24", "UTC");
    expect([utc.code, utc.stderr]).toEqual([0, ""]);
    expect((JSON.parse(utc.stdout) as { now: string }).now).toBe("2026-11-24T00:00:00.000Z");
    expect(at("2026-11-24", "Pacific/Kiritimati").stdout).toBe(utc.stdout);
    expect(at("2026-11-24T01:00:00+01:00", "America/Los_Angeles").stdout).toBe(utc.stdout);
  });
});

describe("--out is written whole or not at all", () => {
  it("writes the file, leaving nothing else in its directory", async () => {
    const dir = scratch();
    const out = join(dir, "report.json");
    writeFileSync(out, "an older report");
    const written = await cli(["report", "--demo", "--now", NOW, "--format", "json", "--out", out]);
    expect([written.code, written.stdout]).toEqual([0, ""]);
    const printed = await cli(["report", "--demo", "--now", NOW, "--format", "json"]);
    expect(readFileSync(out, "utf8")).toBe(printed.stdout);
    expect(readdirSync(dir)).toEqual(["report.json"]);
  });

  it.each<[string, (dir: string) => string, (dir: string) => string]>([
    [
      "a missing directory",
      (dir) => join(dir, "missing", "report.json"),
      (dir) => `the directory ${join(dir, "missing")} does not exist.`,
    ],
    ["a directory", (dir) => dir, () => "it is a directory; give a file name."],
    [
      "a path through a file",
      (dir) => join(dir, "file.json", "report.json"),
      (dir) => `${join(dir, "file.json")} is not a directory.`,
    ],
  ])(
    "refuses %s with exit 2 before doing any work, for every command",
    async (_name, path, reason) => {
      const dir = scratch();
      writeFileSync(join(dir, "file.json"), "{}");
      for (const command of [["report", "--demo"], ["demo"]]) {
        const result = await cli([...command, "--now", NOW, "--out", path(dir)]);
        expect([result.code, result.stdout, result.stderr]).toEqual([
          2,
          "",
          `capacity-split ${command[0]}: Cannot write --out ${path(dir)}: ${reason(dir)}\n`,
        ]);
      }
      const pulled = await cli(["pull", "linear", "--out", path(dir)]);
      expect([pulled.code, pulled.stderr]).toEqual([
        2,
        `capacity-split pull: Cannot write --out ${path(dir)}: ${reason(dir)}\n`,
      ]);
      expect(readdirSync(dir)).toEqual(["file.json"]);
    },
  );

  it("refuses a directory it may not write in with exit 2 and leaves nothing there", (context) => {
    // sysfs takes no new files, not even from root, so the refusal does not depend on who runs this.
    if (!existsSync("/sys/kernel")) {
      console.log("Skipped: no /sys here to stand for a directory nobody may write in.");
      context.skip();
    }
    const before = readdirSync("/sys");
    const result = runBin(["report", "--demo", "--now", NOW, "--out", "/sys/report.txt"]);
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      "",
      "capacity-split report: Cannot write --out /sys/report.txt: permission denied in /sys.\n",
    ]);
    expect(readdirSync("/sys")).toEqual(before);
  });

  it("leaves no file when the command fails, and an existing file as it was", async () => {
    const dir = scratch();
    const input = join(dir, "ws.json");
    writeFileSync(input, JSON.stringify({ version: 1, teams: [{ id: "PAY" }] }));
    const out = join(dir, "report.json");
    const failed = await cli(["report", "--input", input, "--out", out]);
    expect(failed.code).toBe(2);
    expect(readdirSync(dir)).toEqual(["ws.json"]);
    writeFileSync(out, "kept");
    expect((await cli(["report", "--input", input, "--out", out])).code).toBe(2);
    expect(readFileSync(out, "utf8")).toBe("kept");
    expect(readdirSync(dir).sort()).toEqual(["report.json", "ws.json"]);
  });

  it("removes its temporary file when the rename fails", () => {
    const dir = scratch();
    const target = join(dir, "report.json");
    mkdirSync(join(target, "inside"), { recursive: true });
    let error: unknown;
    try {
      writeFileAtomically(target, "text");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toBe(
      `Cannot write --out ${target}: it is a directory; give a file name.`,
    );
    expect(readdirSync(dir)).toEqual(["report.json"]);
    expect(readdirSync(target)).toEqual(["inside"]);
  });
});

describe("a reader that goes away", () => {
  it("ends `report | head -1` quietly: no stack trace, exit 0", async () => {
    const child = spawn(process.execPath, [
      BIN,
      "report",
      "--demo",
      "--now",
      NOW,
      "--format",
      "json",
    ]);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    let first = "";
    child.stdout.setEncoding("utf8").once("data", (text: string) => {
      first = text;
      // What `head -1` does once it has its line.
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(first.startsWith("{")).toBe(true);
    expect([code, stderr]).toEqual([0, ""]);
  });

  it("ends quietly in a shell pipeline too", (context) => {
    const shell = spawnSync("sh", ["-c", "true"]);
    if (shell.status !== 0) {
      console.log("Skipped: no sh to run a pipeline with.");
      context.skip();
    }
    const pipeline = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${BIN}" demo --now ${NOW} | head -1`],
      { encoding: "utf8" },
    );
    expect([pipeline.status, pipeline.stdout, pipeline.stderr]).toEqual([0, "{\n", ""]);
  });
});
