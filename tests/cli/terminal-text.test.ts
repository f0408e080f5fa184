/**
 * Tracker text never reaches a terminal as commands: the installed bin is run on a workspace, a
 * fake Jira and a fake Linear whose names and titles hold an ANSI colour, a bare CR, a
 * right-to-left override, a one-byte CSI and DEL, and every command and format is checked for
 * them on stdout and stderr.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import type { WorkspaceFile } from "../../src/workspace/schema";
import { useFakeJira, useFakeLinear } from "../helpers/fake-trackers";

const NOW = "2026-11-24T00:00:00Z";
const HOSTILE = "\u001b[31mRED\rEVIL\u202eLIVE\u009b2J\u007fEND";
/** What a terminal shows of it: every control as U+FFFD, the CR as a space. */
const SHOWN = "\uFFFD[31mRED EVIL\uFFFDLIVE\uFFFD2J\uFFFDEND";
const RAW = ["\u001b", "\u202e", "\u009b", "\u007f"];
const BIN = new URL("../../bin/capacity-split.js", import.meta.url).pathname;
const run = promisify(execFile);

/** Runs the bin as a user would, off a terminal; a failing exit is an answer, not an error. */
async function bin(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
      // A pulled workspace on stdout is megabytes; execFile's default keeps 1 MiB.
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function expectNoRawControls(output: { stdout: string; stderr: string }): void {
  for (const text of [output.stdout, output.stderr]) {
    for (const raw of RAW) expect(text).not.toContain(raw);
    // CSV ends its rows in CRLF; no other CR may pass.
    expect(text.replace(/\r\n/g, "")).not.toContain("\r");
  }
}

/** The demo with hostile text in the first team's name, its sprints, titles and labels. */
function hostileWorkspace(): WorkspaceFile {
  const demo = generateDemoWorkspace(Date.parse(NOW));
  const teamId = demo.teams[0]?.id ?? "";
  return {
    ...demo,
    teams: demo.teams.map((team) =>
      team.id === teamId
        ? {
            ...team,
            name: `${team.name} ${HOSTILE}`,
            rules: [{ if: { labels: [`x${HOSTILE}`], type: [HOSTILE] }, then: "investment" }],
          }
        : team,
    ),
    sprints: (demo.sprints ?? []).map((sprint) =>
      sprint.teamId === teamId ? { ...sprint, name: `${sprint.name} ${HOSTILE}` } : sprint,
    ),
    items: (demo.items ?? []).map((item) =>
      item.teamId === teamId
        ? {
            ...item,
            title: `${item.title} ${HOSTILE}`,
            labels: [...(item.labels ?? []), `x${HOSTILE}`],
          }
        : item,
    ),
  };
}

let dir: string;
let file: string;
const workspace = hostileWorkspace();
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "capacity-split-terminal-"));
  file = join(dir, "hostile.json");
  writeFileSync(file, JSON.stringify(workspace));
});

describe("tracker text on a terminal", () => {
  it.each(["table", "md", "csv", "html", "json"])(
    "report --format %s prints names without their controls",
    async (format) => {
      const output = await bin(["report", "--input", file, "--now", NOW, "--format", format]);
      expect(output.code).toBe(0);
      expectNoRawControls(output);
      if (format === "json") {
        expect(output.stdout).toContain("\\u001b[31mRED\\rEVIL\\u202ELIVE\\u009B2J\\u007FEND");
      } else if (format === "table" || format === "csv") {
        expect(output.stdout).toContain("\uFFFD[31mRED");
      } else {
        expect(output.stdout).toContain(format === "md" ? "\uFFFD\\[31mRED EVIL" : SHOWN);
      }
    },
  );

  it("check prints flags whose messages quote hostile sprint names without their controls", async () => {
    const output = await bin(["check", "--input", file, "--now", NOW, "--fail-on", "warning"]);
    expect(output.code).toBe(1);
    expectNoRawControls(output);
    expect(output.stdout).toContain(SHOWN);
  });

  it("explain prints titles, labels and rules without their controls", async () => {
    const item = (workspace.items ?? []).find(
      (candidate) => candidate.teamId === workspace.teams[0]?.id && candidate.parentId,
    );
    if (item === undefined) throw new Error("the demo has no child item in its first team");
    const output = await bin(["explain", "--input", file, "--now", NOW, item.id]);
    expect(output.code).toBe(0);
    expectNoRawControls(output);
    expect(output.stdout.split("\n")[0]).toBe(`${item.id} ${item.title.replace(HOSTILE, SHOWN)}`);
  });

  it("an error quoting a workspace file's values prints them without their controls", async () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, JSON.stringify({ ...workspace, version: HOSTILE }));
    const output = await bin(["report", "--input", broken, "--now", NOW]);
    expect(output.code).toBe(2);
    expectNoRawControls(output);
    expect(output.stderr).toContain("is not a valid workspace file");
  });

  describe("over the trackers' APIs", () => {
    const jira = useFakeJira({
      workspace,
      now: Date.parse(NOW),
      boards: [{ teamId: workspace.teams[0]?.id ?? "", boardId: 12 }],
    });
    const linearTeam = workspace.teams.find((team) => team.source === "linear");
    const linear = useFakeLinear({
      workspace: {
        ...workspace,
        teams: workspace.teams.map((team) =>
          team.id === linearTeam?.id ? { ...team, name: `${team.name} ${HOSTILE}` } : team,
        ),
        sprints: (workspace.sprints ?? []).map((sprint) =>
          sprint.teamId === linearTeam?.id
            ? { ...sprint, name: `${sprint.name} ${HOSTILE}` }
            : sprint,
        ),
      },
      seed: { now: Date.parse(NOW) },
    });

    it("pull jira prints the board's name without its controls", async () => {
      const output = await bin(
        ["pull", "jira", "--site", jira.url, "--board", "12", "--out", join(dir, "jira.json")],
        { JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.token },
      );
      expect(output.code).toBe(0);
      expectNoRawControls(output);
      expect(output.stderr).toContain(SHOWN);
    });

    it("pull linear on stdout and sync linear's summary print names without their controls", async () => {
      const env = { LINEAR_API_KEY: linear.apiKey, LINEAR_API_URL: linear.url };
      const pulled = await bin(["pull", "linear"], env);
      expect(pulled.code).toBe(0);
      expectNoRawControls(pulled);
      expect(pulled.stdout).toContain("\\u001b[31mRED");
      const synced = await bin(["sync", "linear", "--publish", "--dry-run"], env);
      expect(synced.code).toBe(0);
      expectNoRawControls(synced);
      expect(synced.stdout).toContain(SHOWN);
    });
  });
});
