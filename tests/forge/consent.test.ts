/**
 * A person who has not allowed the app access yet (first use, or after a scope change): every
 * `asUser()` call of theirs is refused by Forge with `NEEDS_AUTHENTICATION_ERR`, and the platform
 * shows "Allow access" only when that error leaves the function. The resolvers over the real Forge
 * transport must hand it up untouched, at the first refusal, with no retry and no envelope.
 */
import { NeedsAuthenticationError } from "@forge/api";
import { describe, expect, it } from "vitest";
import { syncBoard } from "../../src/app/board-refresh";
import { runResolver, type CallContext, type ResolverPorts } from "../../src/app/resolvers";
import { createForgeTransport } from "../../src/forge/jira-transport";
import { JiraClient } from "../../src/jira/index";
import { MemoryStore } from "../../src/store/index";
import { generateDemoWorkspace } from "../../src/workspace/demo";
import { forgeApiFor } from "../fakes/forge-api/index";
import { DEFAULT_USER } from "../fakes/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import type { FakeUser } from "../fakes/jira/routes";
import { clientFor } from "../jira/helpers";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const inMob: CallContext = { accountId: "5b10ac8d82e05b22cc7d4ef5", projectKey: "MOB" };
const dana: FakeUser = { email: "dana@example.com", token: "dana-token" };

/** The Mobile board, synced once into a store; nothing the tests do writes to Jira. */
const store = new MemoryStore();
let boardId = 0;
const site = useFakeJira(
  { workspace: generateDemoWorkspace(NOW), now: NOW, users: [DEFAULT_USER, dana] },
  async (started) => {
    boardId = started.site.boardIdOf.get("MOB") ?? 0;
    await syncBoard(boardId, { jira: clientFor(started).client, store, now: () => NOW });
  },
);

function setUp() {
  /** One resolver invocation by Dana, who has or has not allowed the app access. */
  const invocation = (consented: boolean) => {
    const api = forgeApiFor(site, { app: DEFAULT_USER, user: dana, consented });
    const ports: ResolverPorts = {
      jira: new JiraClient(createForgeTransport({ api }), {
        retry: { sleep: () => Promise.resolve() },
      }),
      store,
      now: () => NOW,
      enqueueBoardSync: () => Promise.resolve(),
    };
    return { api, ports };
  };
  const keys = [...site.site.issuesByKey.keys()].filter((key) => key.startsWith("MOB-"));
  return { boardId, keys, invocation };
}

describe("a person who has not allowed the app access yet", () => {
  it.each([
    ["board/list", () => ({})],
    ["item/get", (boardId: number, keys: string[]) => ({ boardId, issueKey: keys[0] })],
    [
      "item/classify",
      (boardId: number, keys: string[]) => ({
        boardId,
        issueKeys: keys.slice(0, 2),
        category: "investment",
      }),
    ],
  ] as const)(
    "%s hands Forge's NEEDS_AUTHENTICATION_ERR up untouched, after one call",
    async (key, payload) => {
      const t = setUp();
      const { api, ports } = t.invocation(false);
      const outcome = await runResolver(key, payload(t.boardId, t.keys), inMob, ports).then(
        (answer) => ({ answered: answer }),
        (error: unknown) => ({ thrown: error }),
      );
      expect("thrown" in outcome && outcome.thrown).toBeInstanceOf(NeedsAuthenticationError);
      expect("thrown" in outcome && (outcome.thrown as Error).name).toBe(
        "NEEDS_AUTHENTICATION_ERR",
      );
      // Refused by Forge before Jira: no retry of the person's call, nothing written.
      const asUser = api.calls.filter((call) => call.who === "user");
      expect(asUser.length).toBeGreaterThan(0);
      expect(new Set(asUser.map((call) => `${call.method} ${call.path}`)).size).toBe(asUser.length);
      expect(api.calls.some((call) => call.method === "PUT")).toBe(false);
    },
  );

  it("the same person answers as usual once they have allowed it", async () => {
    const t = setUp();
    const { ports } = t.invocation(true);
    const answer = await runResolver("board/list", {}, inMob, ports);
    expect(answer).toMatchObject({ ok: true });
  });
});
