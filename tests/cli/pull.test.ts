import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { parseWorkspaceText } from "../../src/workspace/load-workspace";
import { jiraEnv, useFakeJira } from "../helpers/fake-trackers";
import { paymentsBoard12 } from "../jira/helpers";
import { cli } from "./run";

const NOW = "2026-11-24T00:00:00Z";
const scratch = () => mkdtempSync(join(tmpdir(), "capacity-split-pull-"));
/** `pull jira` of the Payments board (12) in New York time into `out`. */
const pullBoard12 = (site: string, out: string) => [
  "pull",
  "jira",
  "--site",
  site,
  "--board",
  "12",
  "--timezone",
  "America/New_York",
  "--out",
  out,
];

describe("capacity-split pull jira", () => {
  const fake = useFakeJira({
    workspace: generateDemoWorkspace(Date.parse(NOW)),
    now: Date.parse(NOW),
    boards: [
      { teamId: "PAY", boardId: 12 },
      { teamId: "CHK", boardId: 13 },
    ],
  });
  const env = jiraEnv(fake);

  it("writes the board as a workspace file, with plain progress lines off a terminal", async () => {
    const out = join(scratch(), "ws.json");
    const { code, stdout, stderr } = await cli(pullBoard12(fake.url, out), { env });
    expect([code, stdout]).toEqual([0, ""]);
    const loaded = parseWorkspaceText(readFileSync(out, "utf8"));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.workspace.teams).toMatchObject([
      { id: "12", name: "Payments board", source: "jira", timezone: "America/New_York" },
    ]);
    expect(loaded.workspace.items).toHaveLength(377);
    const lines = stderr.trimEnd().split("\n");
    expect(stderr).not.toContain("\r");
    expect(lines[0]).toBe("Board 12: reading the board's configuration");
    expect(lines.at(-3)).toMatch(/^Board 12: issues 377\/377, history 377\/377, \d+ requests$/);
    // Each progress line says something new: no line repeats the one before it.
    expect(lines.filter((line, i) => line === lines[i - 1])).toEqual([]);
    expect(lines.at(-1)).toMatch(new RegExp(`^Wrote 1 board, 37 sprints and 377 items to ${out}$`));
    expect(lines.at(-2)).toMatch(
      /^Board 12 "Payments board": 377 issues, 37 sprints, \d+ requests\.$/,
    );
    expect(existsSync(`${out}.board-12.pull-cursor.json`)).toBe(false);
  });

  it("prints the file to stdout without --out, boards side by side", async () => {
    const { code, stdout } = await cli(
      ["pull", "jira", "--site", fake.url, "--board", "12", "--board", "13"],
      { env },
    );
    expect(code).toBe(0);
    const loaded = parseWorkspaceText(stdout);
    expect(loaded.ok && loaded.workspace.teams.map((team) => team.id)).toEqual(["12", "13"]);
  });

  it("redraws one progress line on a terminal", async () => {
    const { code, stderr } = await cli(["pull", "jira", "--site", fake.url, "--board", "12"], {
      env,
      stderrTty: true,
    });
    expect(code).toBe(0);
    const shown = stderr.replaceAll("\r\x1b[K", "<redraw>");
    expect(
      shown.startsWith(
        `<redraw>[${"-".repeat(24)}]   0% Board 12: reading the board's configuration`,
      ),
    ).toBe(true);
    expect(shown).toContain(
      `<redraw>[${"#".repeat(24)}] 100% Board 12: issues 377/377, history 377/377`,
    );
    expect(shown).toMatch(
      /<redraw>Board 12 "Payments board": 377 issues, 37 sprints, \d+ requests\.\n$/,
    );
  });

  it("keeps a failed pull's progress and continues from it on the next run", async () => {
    const out = join(scratch(), "ws.json");
    const cursor = `${out}.board-12.pull-cursor.json`;
    const args = ["pull", "jira", "--site", fake.url, "--board", "12", "--out", out];
    // Rate limited for longer than the retries last (Retry-After: 0 keeps the test fast).
    fake.inject({
      kind: "status",
      status: 429,
      endpoint: "POST /rest/api/3/changelog/bulkfetch",
      retryAfter: "0",
      times: 6,
    });
    const failed = await cli(args, { env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      `capacity-split pull: Board 12: Jira is rate limiting requests to ${fake.url} (while trying to read the issues' change history). It asked to wait 0 s. Try again later or pull fewer boards at once. What was read (377 issues) is saved in ${cursor}; run the same command again to continue.\n`,
    );
    expect(existsSync(cursor)).toBe(true);
    expect(existsSync(out)).toBe(false);

    fake.resetRequests();
    const again = await cli(args, { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`Continuing the pull saved in ${cursor}.\n`);
    expect(fake.requests["POST /rest/api/3/search/jql"]).toBeUndefined();
    expect(existsSync(cursor)).toBe(false);
    expect(parseWorkspaceText(readFileSync(out, "utf8")).ok).toBe(true);
  });

  it.each([
    [
      ["pull", "jira", "--site", "SITE", "--board", "12"],
      {},
      2,
      "capacity-split pull: Set JIRA_EMAIL and JIRA_API_TOKEN in the environment: the Atlassian account's email and an API token from https://id.atlassian.com/manage-profile/security/api-tokens. Credentials are never passed as flags.\n",
    ],
    [
      ["pull", "jira", "--site", "SITE", "--board", "12"],
      { JIRA_EMAIL: "me@example.com" },
      2,
      "capacity-split pull: Set JIRA_API_TOKEN in the environment: the Atlassian account's email and an API token from https://id.atlassian.com/manage-profile/security/api-tokens. Credentials are never passed as flags.\n",
    ],
    [
      ["pull", "jira", "--board", "12"],
      null,
      2,
      "capacity-split pull: Missing --site URL: the Jira Cloud site, e.g. https://example.atlassian.net.\n",
    ],
    [
      ["pull", "jira", "--site", "SITE"],
      null,
      2,
      "capacity-split pull: Missing --board ID: the board's number, as in …/boards/12 in Jira.\n",
    ],
    [
      ["pull", "jira", "--site", "SITE", "--board", "twelve"],
      null,
      2,
      'capacity-split pull: Invalid --board value: "twelve". Must be a board id such as 12.\n',
    ],
    [
      ["pull", "jira", "--site", "SITE", "--board", "12", "--timezone", "Mars/Olympus"],
      null,
      2,
      'capacity-split pull: Invalid --timezone value: "Mars/Olympus". Must be an IANA timezone such as Europe/Zurich.\n',
    ],
    [
      ["pull", "jira", "--site", "example.atlassian.net", "--board", "12"],
      null,
      2,
      'capacity-split pull: Invalid --site value: "example.atlassian.net". Invalid Jira site "example.atlassian.net": expected a URL such as https://example.atlassian.net.\n',
    ],
    [
      ["pull", "linear"],
      null,
      2,
      "capacity-split pull: Set LINEAR_API_KEY in the environment: a personal API key from Linear › Settings › Security & access. Keys are never passed as flags.\n",
    ],
    [
      ["pull", "jira", "--site", "SITE", "--board", "12", "--token", "x"],
      null,
      2,
      'capacity-split pull: Unknown option --token for "pull". Run "capacity-split pull --help" for its options.\n',
    ],
  ] as const)("%j: a message naming what to fix", async (args, envOverride, code, message) => {
    const site = fake.url;
    const result = await cli(
      args.map((arg) => (arg === "SITE" ? site : arg)),
      { env: envOverride ?? env },
    );
    expect([result.code, result.stdout, result.stderr]).toEqual([code, "", message]);
  });

  it("exits 1 with what to fix when Jira refuses the credentials or the board", async () => {
    const rejected = await cli(["pull", "jira", "--site", fake.url, "--board", "12"], {
      env: { JIRA_EMAIL: fake.email, JIRA_API_TOKEN: "revoked" },
    });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(
      `capacity-split pull: Board 12: Jira rejected the credentials: check JIRA_EMAIL and JIRA_API_TOKEN for ${fake.url}. (Pass --out FILE to keep the progress of a long pull.)\n`,
    );
    const missing = await cli(["pull", "jira", "--site", fake.url, "--board", "99"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Board 99: Jira could not read board 99");
  });

  it("answers --help", async () => {
    const { code, stdout } = await cli(["pull", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: capacity-split pull jira --site URL --board ID/);
    expect(stdout).toContain("JIRA_API_TOKEN");
  });
});

describe("capacity-split report --jira", () => {
  const fake = useFakeJira(paymentsBoard12());

  it("reports straight from the site, the same as from the pulled file", async () => {
    const env = { JIRA_EMAIL: fake.email, JIRA_API_TOKEN: fake.token };
    const site = ["--jira", fake.url, "--board", "12", "--timezone", "America/New_York"];
    const direct = await cli(["report", ...site, "--now", NOW, "--format", "json"], { env });
    expect(direct.code).toBe(0);
    const out = join(scratch(), "ws.json");
    await cli(pullBoard12(fake.url, out), { env });
    const fromFile = await cli(["report", "--input", out, "--now", NOW, "--format", "json"]);
    expect(direct.stdout).toBe(fromFile.stdout);
    const report = JSON.parse(direct.stdout) as {
      teams: { id: string; flags: { code: string }[] }[];
    };
    expect(report.teams[0]?.id).toBe("12");
    // Targets live in the app, not in Jira: a pulled board has none, and says so.
    expect(report.teams[0]?.flags.map((flag) => flag.code)).toContain("NO_TARGET");
  });

  it.each([
    [
      ["report", "--jira", "URL", "--demo", "--board", "12"],
      "capacity-split report: Pass one of --input FILE, --demo or --jira URL, not several.\n",
    ],
    [
      ["report", "--demo", "--board", "12"],
      "capacity-split report: --board and --timezone go with --jira URL.\n",
    ],
  ])("%j exits 2", async (args, message) => {
    const result = await cli(args.map((arg) => (arg === "URL" ? fake.url : arg)));
    expect([result.code, result.stderr]).toEqual([2, message]);
  });
});
