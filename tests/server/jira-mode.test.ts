/**
 * `npm start -- --jira SITE --board ID` against the fake Jira over loopback: the server mirrors the
 * board into SQLite, serves the same resolvers, writes a classification to Jira before the mirror,
 * and a failed first pull with nothing to show stops the start with a message.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseStartArgs, start, type StartOptions } from "../../src/server/main";
import { DEFAULT_USER } from "../fakes/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { paymentsBoard12 } from "../jira/helpers";

const envelope = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
/** The triage list asked for every matching key. */
const triage = z.object({ keys: z.array(z.string()) });
const report = z.object({
  teams: z.array(z.object({ id: z.string(), sprints: z.array(z.object({ id: z.string() })) })),
});

const READ_ONLY = {
  email: "viewer@example.com",
  token: "viewer-token",
  permissions: { EDIT_ISSUES: false },
};

const fake = useFakeJira(paymentsBoard12([DEFAULT_USER, READ_ONLY]));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "capacity-server-jira-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function jiraSource() {
  return {
    kind: "jira" as const,
    site: fake.url,
    boardIds: [12],
    email: fake.email,
    apiToken: fake.token,
  };
}

function options(dataFile: string): StartOptions {
  return {
    port: 0,
    host: "127.0.0.1",
    dataFile,
    token: null,
    syncEveryMs: 0,
    source: jiraSource(),
  };
}

async function call(base: string, key: string, payload: unknown) {
  const response = await fetch(`${base}/api/resolve/${key}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-capacity-project": "PAY" },
    body: JSON.stringify(payload),
  });
  const parsed = envelope.parse(await response.json());
  if (!parsed.ok) throw new Error(`${key}: ${parsed.error.message}`);
  return parsed.data;
}

describe("the server on a Jira site", () => {
  it("mirrors the board, and a classification reaches Jira before the mirror", async () => {
    const dataFile = join(dir, "mirror.sqlite");
    const server = await start(options(dataFile));
    const base = server.url.replace(/\/$/, "");
    try {
      const boards = await (await fetch(`${base}/boards`)).text();
      expect(boards).toContain("PAY");
      const first = report.parse(await call(base, "report/get", { boardId: 1 }));
      expect(first.teams.map((team) => team.id)).toEqual(["12"]);
      expect(first.teams[0]?.sprints.length).toBeGreaterThan(3);

      const [key] = triage.parse(await call(base, "triage/list", { boardId: 1, keys: true })).keys;
      if (key === undefined) throw new Error("the demo's PAY board has unclassified issues");
      fake.resetRequests();
      await call(base, "item/classify", { boardId: 1, issueKeys: [key], category: "investment" });
      expect(fake.site.issuesByKey.get(key)?.labels).toContain("capacity-investment");
      expect(fake.requests["PUT /rest/api/3/issue/{issueIdOrKey}"]).toBe(1);
      const after = triage.parse(await call(base, "triage/list", { boardId: 1, keys: true })).keys;
      expect(after).not.toContain(key);
    } finally {
      await server.close();
    }
  });

  it("changes nothing in the mirror when Jira refuses the write", async () => {
    const dataFile = join(dir, "refused.sqlite");
    const server = await start({
      ...options(dataFile),
      source: { ...jiraSource(), email: READ_ONLY.email, apiToken: READ_ONLY.token },
    });
    const base = server.url.replace(/\/$/, "");
    try {
      const before = triage.parse(await call(base, "triage/list", { boardId: 1, keys: true })).keys;
      const key = before[0];
      if (key === undefined) throw new Error("the demo's PAY board has unclassified issues");
      const response = await fetch(`${base}/api/resolve/item/classify`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-capacity-project": "PAY" },
        body: JSON.stringify({ boardId: 1, issueKeys: [key], category: "roadmap" }),
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("permission to edit");
      expect(fake.site.issuesByKey.get(key)?.labels).not.toContain("capacity-roadmap");
      const after = triage.parse(await call(base, "triage/list", { boardId: 1, keys: true })).keys;
      expect(after).toContain(key);
    } finally {
      await server.close();
    }
  });

  it("refuses to start with nothing to show when the first pull fails, naming the cause", async () => {
    const dataFile = join(dir, "wrong-token.sqlite");
    await expect(
      start({
        ...options(dataFile),
        source: { ...jiraSource(), apiToken: "wrong" },
      }),
    ).rejects.toThrow(/Could not pull Jira .*board 12/);
  });

  it("reads --jira and --board, with credentials from the environment only", () => {
    const env = { JIRA_EMAIL: "me@example.com", JIRA_API_TOKEN: "t0ken" };
    const parsed = parseStartArgs(
      [
        "--jira",
        "https://example.atlassian.net",
        "--board",
        "12",
        "--board",
        "13",
        "--sync-every",
        "5",
      ],
      env,
    );
    expect(parsed.source).toEqual({
      kind: "jira",
      site: "https://example.atlassian.net",
      boardIds: [12, 13],
      email: "me@example.com",
      apiToken: "t0ken",
    });
    expect(parsed.syncEveryMs).toBe(300_000);
    expect(parsed.dataFile).toMatch(/capacity-split-jira\.sqlite$/);
    expect(() => parseStartArgs(["--jira", "https://example.atlassian.net"], env)).toThrow(
      /--jira needs at least one --board/,
    );
    expect(() =>
      parseStartArgs(["--jira", "https://example.atlassian.net", "--board", "x"], env),
    ).toThrow(/Invalid --board value: "x"/);
    expect(() =>
      parseStartArgs(["--jira", "https://example.atlassian.net", "--board", "1"], {}),
    ).toThrow(/Set JIRA_EMAIL and JIRA_API_TOKEN/);
    expect(() => parseStartArgs(["--board", "1"], env)).toThrow(/--board only applies with --jira/);
    expect(() => parseStartArgs(["--linear", "--jira", "https://x.atlassian.net"], env)).toThrow(
      /not both/,
    );
  });
});
