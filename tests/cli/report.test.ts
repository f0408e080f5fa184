import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/domain/report";
import { formatPercent, type Report } from "../../src/domain/index";
import { visibleWidth } from "../../src/render/text-width";
import { parseWorkspaceText } from "../../src/workspace/load-workspace";
import { cli } from "./run";

const EXAMPLE = new URL("../fixtures/worked-example.json", import.meta.url).pathname;
const NOW = "2026-11-24T00:00:00Z";
const scratch = () => mkdtempSync(join(tmpdir(), "capacity-split-"));

describe("capacity-split report", () => {
  it("prints the report JSON of SPEC §10", async () => {
    const { code, stdout, stderr } = await cli([
      "report",
      "--input",
      EXAMPLE,
      "--now",
      NOW,
      "--format",
      "json",
    ]);
    expect([code, stderr]).toEqual([0, ""]);
    const loaded = parseWorkspaceText(readFileSync(EXAMPLE, "utf8"));
    if (!loaded.ok) throw new Error("example invalid");
    expect(stdout).toBe(
      `${JSON.stringify(computeReport(loaded.workspace, { now: Date.parse(NOW) }), null, 2)}\n`,
    );
    const report = JSON.parse(stdout) as { teams: { sprints: { flags: { code: string }[] }[] }[] };
    expect(report.teams[0]?.sprints[0]?.flags.map((f) => f.code)).toContain("INVESTMENT_ZEROED");
    expect(Object.keys(JSON.parse(stdout) as object)).toEqual(["version", "now", "teams", "org"]);
  });

  it("keeps the key order of SPEC §10", async () => {
    const report = JSON.parse(
      (await cli(["report", "--input", EXAMPLE, "--now", NOW, "--format", "json"])).stdout,
    ) as {
      teams: [{ sprints: [object]; quarters: [object]; flags: [object]; items: [object] }];
    };
    const team = report.teams[0];
    expect(Object.keys(team)).toEqual([
      "id",
      "name",
      "unit",
      "actual",
      "sprints",
      "quarters",
      "flags",
      "items",
    ]);
    expect(Object.keys(team.sprints[0])).toEqual([
      "id",
      "name",
      "state",
      "startAt",
      "endAt",
      "completeAt",
      "target",
      "committed",
      "added",
      "removed",
      "delivered",
      "carriedOver",
      "spent",
      "investmentShare",
      "unclassifiedShare",
      "unestimated",
      "flags",
    ]);
    expect(Object.keys(team.quarters[0])).toEqual([
      "id",
      "start",
      "end",
      "state",
      "target",
      "delivered",
      "spent",
      "investmentShare",
      "unclassifiedShare",
      "requiredShare",
      "requiredToBand",
      "flags",
    ]);
    expect(Object.keys(team.flags[0])).toEqual([
      "code",
      "severity",
      "period",
      "message",
      "evidence",
    ]);
    expect(team.items[0]).toEqual({
      id: "PAY-1",
      category: "roadmap",
      source: "explicit",
      via: null,
    });
  });

  it("narrows to a quarter and to teams", async () => {
    const report = JSON.parse(
      (
        await cli([
          "report",
          "--input",
          EXAMPLE,
          "--now",
          NOW,
          "--format",
          "json",
          "--quarter",
          "2026-Q4",
          "--team",
          "PAY",
        ])
      ).stdout,
    ) as {
      teams: { sprints: unknown[]; quarters: { id: string }[] }[];
    };
    expect(report.teams[0]?.quarters.map((q) => q.id)).toEqual(["2026-Q4"]);
    expect(report.teams[0]?.sprints).toEqual([]);
  });

  it.each([
    [
      ["report", "--input", EXAMPLE, "--format", "pdf"],
      'capacity-split report: Invalid --format value: "pdf". Must be one of table, json, md, csv, html.\n',
    ],
    [
      ["report", "--input", EXAMPLE, "--now", "yesterday"],
      'capacity-split report: Invalid --now value: expected an ISO 8601 time such as "2026-07-01T00:00:00Z" or a date such as "2026-07-01" (midnight UTC), got "yesterday".\n',
    ],
    [
      ["report", "--input", EXAMPLE, "--colour"],
      'capacity-split report: Unknown option --colour for "report". Run "capacity-split report --help" for its options.\n',
    ],
    [["report", "--input"], "capacity-split report: Option --input needs a value: FILE.\n"],
    [
      ["report"],
      "capacity-split report: No workspace given. Pass --input FILE (a workspace file) or --demo (the embedded demo).\n",
    ],
    [
      ["report", "--input", "/nonexistent/ws.json"],
      "capacity-split report: Cannot read --input /nonexistent/ws.json: no such file.\n",
    ],
    [
      ["report", "--input", EXAMPLE, "--team", "GRO"],
      'capacity-split report: Unknown team "GRO". Teams in this workspace: PAY.\n',
    ],
    [
      ["report", "--input", EXAMPLE, "--now", NOW, "--quarter", "2027-Q1"],
      'capacity-split report: Unknown quarter "2027-Q1". Quarters in this report: 2026-Q3, 2026-Q4.\n',
    ],
    [
      ["report", "--input", EXAMPLE, "extra"],
      'capacity-split report: Unexpected argument "extra" for "report". Run "capacity-split report --help" for its options.\n',
    ],
    [
      ["repot"],
      'Unknown command "repot". Commands: report, check, explain, demo, pull, sync. Run "capacity-split --help".\n',
    ],
  ])("%j exits 2 with a message", async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect([code, stdout, stderr]).toEqual([2, "", message]);
  });

  it("prints one line per problem of a bad file, exits 2 and writes nothing", async () => {
    const dir = scratch();
    const input = join(dir, "bad.json");
    const out = join(dir, "report.json");
    writeFileSync(
      input,
      JSON.stringify({
        version: 1,
        teams: [{ id: "PAY", name: "P" }],
        items: [
          {
            id: "A",
            teamId: "PAY",
            title: "x",
            status: "todo",
            createdAt: "2026-07-01T00:00:00Z",
            estimate: "5",
          },
          { id: "B", teamId: "GRO", title: "y", status: "todo", createdAt: "2026-07-01T00:00:00Z" },
        ],
      }),
    );
    const { code, stderr } = await cli(["report", "--input", input, "--out", out]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `capacity-split report: ${input} is not a valid workspace file:\nitems[0].estimate: expected number or null, got "5"\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("writes --out files whole and says so", async () => {
    const dir = scratch();
    const out = join(dir, "r.html");
    const { code, stdout, stderr } = await cli([
      "report",
      "--demo",
      "--format",
      "html",
      "--out",
      out,
    ]);
    expect([code, stdout]).toEqual([0, ""]);
    expect(stderr).toMatch(/^Wrote the html report of \d+ teams? to /);
    const html = readFileSync(out, "utf8");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it("colours the table on a terminal unless NO_COLOR is set", async () => {
    const args = ["report", "--input", EXAMPLE, "--now", NOW];
    expect((await cli(args, { tty: true })).stdout).toContain("\u001b[");
    expect((await cli(args, { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(
      "\u001b[",
    );
    expect((await cli(args, { tty: false })).stdout).not.toContain("\u001b[");
  });

  it("renders every format from the same numbers", async () => {
    const base = ["report", "--input", EXAMPLE, "--now", NOW, "--format"];
    expect((await cli([...base, "md"])).stdout).toContain("## Payments");
    const csv = (await cli([...base, "csv"])).stdout.trim().split(/\r?\n/);
    // Header, a sprint, two team quarters, two org quarters.
    expect(csv).toHaveLength(1 + 1 + 2 + 2);
    expect(csv[1]).toContain("S1");
    expect(csv[4]).toMatch(/^,org,,org-quarter,/);
    const table = (await cli([...base, "table"])).stdout;
    expect(table).toContain("PAY 1");
    expect(table).toContain("Org, all teams (investment share of spent time)");
    expect(table).toMatch(/Delivered\* Spent /);
  });

  describe("on the demo's active sprints", () => {
    const demoReport = async (): Promise<Report> =>
      JSON.parse(
        (await cli(["report", "--demo", "--now", NOW, "--format", "json"])).stdout,
      ) as Report;

    it("puts the plan under committed and what is delivered so far under delivered, in every format", async () => {
      const report = await demoReport();
      const base = ["report", "--demo", "--now", NOW, "--format"];
      const md = (await cli([...base, "md"])).stdout;
      const html = (await cli([...base, "html"])).stdout;
      const csv = (await cli([...base, "csv"])).stdout.split("\r\n").map((row) => row.split(","));
      const header = csv[0] ?? [];
      const column = (name: string) => header.indexOf(name);
      let differ = 0;
      for (const team of report.teams) {
        const active = team.sprints.find((sprint) => sprint.state === "active");
        if (active === undefined) throw new Error(`${team.id} has no active sprint`);
        const { committed, delivered } = active.investmentShare;
        if (formatPercent(committed) !== formatPercent(delivered)) differ += 1;
        const pair = `${formatPercent(committed)} → ${formatPercent(delivered)}`;
        expect(md).toContain(`| ${active.name} | active |`);
        expect(md).toMatch(new RegExp(`\\| ${active.name} \\| active \\|[^\\n]* ${pair} \\|`));
        expect(html).toMatch(
          new RegExp(
            `<td>${active.name}</td><td>active</td>(?:<td[^>]*>[^<]*</td>){3}<td class="num">${pair}</td>`,
          ),
        );
        const row = csv.find((cells) => cells[column("period_id")] === active.id) ?? [];
        // CSV writes null as an empty field.
        expect(row[column("investment_share_committed")]).toBe(String(committed ?? ""));
        expect(row[column("investment_share_delivered")]).toBe(String(delivered ?? ""));
      }
      // Some active sprint has delivered a different share than it planned, so a swap would show.
      expect(differ).toBeGreaterThan(0);
    });

    it("fits the table in 80 columns off a terminal and with COLUMNS=80, every sprint name whole", async () => {
      const report = await demoReport();
      const plain = (await cli(["report", "--demo", "--now", NOW])).stdout;
      expect(
        (await cli(["report", "--demo", "--now", NOW], { env: { COLUMNS: "80" } })).stdout,
      ).toBe(plain);
      const lines = plain.split("\n");
      expect(Math.max(...lines.map(visibleWidth))).toBeLessThanOrEqual(80);
      for (const team of report.teams) {
        for (const sprint of team.sprints.slice(-8)) {
          expect(lines.filter((line) => line.startsWith(`${sprint.name} `))).toHaveLength(1);
        }
      }
      expect(lines.filter((line) => /^\S.*…\s+(closed|active|future) /.test(line))).toEqual([]);
    });

    it("uses a wider terminal, or COLUMNS, up to 120 columns, and 80 for a file", async () => {
      const widest = (text: string) => Math.max(...text.split("\n").map(visibleWidth));
      const args = ["report", "--demo", "--now", NOW];
      const tty = (await cli(args, { tty: true, columns: 100, env: { NO_COLOR: "1" } })).stdout;
      expect(widest(tty)).toBeGreaterThan(80);
      expect(widest(tty)).toBeLessThanOrEqual(100);
      const env = (await cli(args, { env: { COLUMNS: "200" } })).stdout;
      expect(widest(env)).toBeGreaterThan(100);
      expect(widest(env)).toBeLessThanOrEqual(120);
      const out = join(scratch(), "report.txt");
      await cli([...args, "--out", out], { tty: true, columns: 100 });
      expect(widest(readFileSync(out, "utf8"))).toBeLessThanOrEqual(80);
      // A COLUMNS that is no width is left aside.
      expect((await cli(args, { env: { COLUMNS: "wide" } })).stdout).toBe((await cli(args)).stdout);
    });
  });

  it("answers --help for every command", async () => {
    for (const command of ["report", "check", "explain", "demo"]) {
      const { code, stdout } = await cli([command, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: capacity-split ${command}`));
    }
    expect((await cli(["--help"])).stdout).toContain("Commands:");
    expect((await cli([])).code).toBe(2);
  });

  it("runs as the installed bin", () => {
    const bin = new URL("../../bin/capacity-split.js", import.meta.url).pathname;
    const out = execFileSync(
      process.execPath,
      [bin, "report", "--input", EXAMPLE, "--now", NOW, "--format", "json"],
      { encoding: "utf8" },
    );
    expect(out).toContain('"INVESTMENT_ZEROED"');
  });
});
