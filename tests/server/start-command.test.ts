/**
 * `npm start` as a person runs it: the real entry point in a child process, its exit code and what
 * it prints, and the server it starts.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStartArgs, start } from "../../src/server/main";

const MAIN = new URL("../../src/server/main.ts", import.meta.url).pathname;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "capacity-start-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm start -- ...args` the way the script does (tsx on src/server/main.ts). */
function npmStart(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", MAIN, ...args],
      { timeout: 60_000, env: { ...process.env, CAPACITY_SPLIT_TOKEN: "" } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** A port some other program holds, for as long as the test needs it. */
async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const holder: Server = createServer();
  await new Promise<void>((done) => holder.listen(0, "127.0.0.1", done));
  const address = holder.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    release: () => new Promise<void>((done) => holder.close(() => done())),
  };
}

/** The options an unknown one is told about: the ones the parser accepts. */
function acceptedOptions(): string[] {
  try {
    parseStartArgs(["--nope"], {});
  } catch (error) {
    return /Options: (.*?)\. Run/.exec(String(error))?.[1]?.split(", ") ?? [];
  }
  return [];
}

describe("npm start -- --help", () => {
  it("prints every option the server takes and exits 0", async () => {
    const { code, stdout, stderr } = await npmStart(["--help"]);
    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout).toMatch(/^Usage: npm start -- \[options\]\n/);
    const accepted = acceptedOptions();
    expect(accepted).toContain("--sync-every");
    for (const option of accepted) {
      expect(stdout).toMatch(new RegExp(`^  (-h, )?${option}\\b`, "m"));
    }
    for (const variable of ["JIRA_API_TOKEN", "LINEAR_API_KEY", "CAPACITY_SPLIT_TOKEN"]) {
      expect(stdout).toContain(variable);
    }
  });

  it("ends quietly when its reader closes the pipe first (| head)", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "--help"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect([code, stderr]).toEqual([0, ""]);
  });

  it("exits 2 on an unknown option, saying what is expected", async () => {
    const { code, stdout, stderr } = await npmStart(["--colour"]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toMatch(
      /^Unknown option --colour\. Options: --port, --host, .*--help\. Run "npm start -- --help" for what each option does\.\n$/,
    );
  });

  it.each([
    [["--port"], /^Option --port needs a value\. Run "npm start -- --help"/],
    [["--port", "--host", "0.0.0.0"], /^Option --port needs a value\./],
    [["serve"], /^Unexpected argument "serve": the server takes only options\. Options: --port/],
    [["--linear=yes"], /^Option --linear takes no value, got "yes"\.$/],
    [
      ["--port", "http"],
      /^Invalid --port value: "http"\. Must be a whole number from 0 to 65535\./,
    ],
  ])("%j is refused with what is expected", (args, message) => {
    expect(() => parseStartArgs(args, {})).toThrow(message);
  });
});

describe("a taken port", () => {
  it("is said, with --port to try, before anything is seeded or written", async () => {
    const held = await holdPort();
    try {
      const dataFile = join(dir, "taken", "store.sqlite");
      const { code, stdout, stderr } = await npmStart([
        "--port",
        String(held.port),
        "--data",
        dataFile,
      ]);
      expect([code, stdout]).toEqual([1, ""]);
      expect(stderr).toBe(
        `Port ${held.port} on 127.0.0.1 is taken (another Capacity Split, or another program). Start on a free port with --port, such as: npm start -- --port ${held.port + 1}\n`,
      );
      expect(existsSync(join(dir, "taken"))).toBe(false);
    } finally {
      await held.release();
    }
  });

  it("start() refuses a taken port before it opens the store", async () => {
    const held = await holdPort();
    const dataFile = join(dir, "in-process", "store.sqlite");
    await expect(
      start({ port: held.port, host: "127.0.0.1", dataFile, token: null }),
    ).rejects.toThrow(/is taken .* --port/);
    expect(existsSync(dataFile)).toBe(false);
    await held.release();
  });
});

describe("the started server", () => {
  it("answers /favicon.ico with the app's icon, not a 404", async () => {
    const server = await start({
      port: 0,
      host: "127.0.0.1",
      dataFile: join(dir, "favicon", "store.sqlite"),
      token: null,
    });
    try {
      const base = server.url.replace(/\/$/, "");
      const icon = await fetch(`${base}/favicon.ico`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get("content-type")).toBe("image/svg+xml");
      expect(await icon.text()).toMatch(/^<svg [^>]*aria-label="Capacity split"/);
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      // The org page, its assets named from its own folder.
      const shell = await home.text();
      expect(shell).toContain("<title>Capacity split · the whole company</title>");
      expect(shell).toMatch(/src="\/pages\/org-page\/assets\/[^"]+\.js"/);
      const boards = await fetch(`${base}/boards`);
      expect(await boards.text()).toContain("<h1>Capacity Split · every board</h1>");
    } finally {
      await server.close();
    }
  });
});
