import { describe, expect, expectTypeOf, it } from "vitest";
import {
  isResolverKey,
  RESOLVER_CONTRACT,
  RESOLVERS,
  runResolver,
  type BoardSummary,
  type BoardSyncing,
  type CallContext,
  type LinearConnectionView,
  type OrgTargetEntry,
  type ParsedPayload,
  type ReportAnswer,
  type ResolverHandler,
  type ResolverKey,
  type ResolverPayload,
  type ResolverPorts,
  type ResolverResult,
} from "../../src/app/index";
import { MemoryStore } from "../../src/store/index";

/** A store that counts what is written to it, secrets included. */
class CountingStore extends MemoryStore {
  writes = 0;
  override set(key: string, value: unknown): Promise<void> {
    this.writes += 1;
    return super.set(key, value);
  }
  override delete(key: string): Promise<void> {
    this.writes += 1;
    return super.delete(key);
  }
  override setSecret(key: string, value: string): Promise<void> {
    this.writes += 1;
    return super.setSecret(key, value);
  }
}

const inPay: CallContext = { accountId: "acc-1", projectKey: "PAY" };

/**
 * Ports with no board source, no Jira and no Linear: a resolver that got past its payload would
 * fail otherwise than with BAD_REQUEST (an error thrown, or NOT_FOUND for Linear).
 */
function bare(store: MemoryStore): ResolverPorts {
  return { store, now: () => Date.parse("2026-11-24T00:00:00Z") };
}

describe("the resolver contract", () => {
  it("has one resolver per key, and no resolver outside it", () => {
    expect(Object.keys(RESOLVERS).sort()).toEqual(Object.keys(RESOLVER_CONTRACT).sort());
  });

  it("covers every resolver the pages call, the admin page's Linear ones and the org target's included", () => {
    const keys: ResolverKey[] = [
      "report/get",
      "triage/list",
      "item/get",
      "item/classify",
      "board/list",
      "target/list",
      "target/append",
      "org-target/list",
      "org-target/add",
      "settings/get",
      "settings/set",
      "rules/preview",
      "linear/get",
      "linear/connect",
      "linear/disconnect",
      "linear/webhook-secret",
      "linear/settings",
      "linear/last-sync",
      "linear/sync-now",
    ];
    for (const key of keys) expect(isResolverKey(key), key).toBe(true);
  });

  it("answers a key outside it with NOT_FOUND, inherited property names included", async () => {
    for (const key of ["toString", "__proto__", "constructor", "hasOwnProperty", "report/delete"]) {
      expect(isResolverKey(key), key).toBe(false);
      const answer = await runResolver(key, {}, inPay, bare(new MemoryStore()));
      expect(answer, key).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    }
  });

  it("parses every payload with the key's schema before its resolver runs: a bad one changes nothing", async () => {
    for (const key of Object.keys(RESOLVER_CONTRACT)) {
      const store = new CountingStore();
      for (const payload of [{ unexpected: true }, null, "PAY-1", []]) {
        const answer = await runResolver(key, payload, inPay, bare(store));
        const which = `${key} with ${JSON.stringify(payload)}`;
        expect(answer, which).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
        expect(answer.ok ? null : answer.error.message, which).toMatch(/^Invalid request: /);
      }
      expect(store.writes, key).toBe(0);
    }
  });

  it("types each key's payload and answer once, for the pages and the resolvers alike", () => {
    expectTypeOf<ResolverResult<"board/list">>().toEqualTypeOf<BoardSummary[]>();
    expectTypeOf<ResolverResult<"report/get">>().toEqualTypeOf<ReportAnswer | BoardSyncing>();
    expectTypeOf<ResolverResult<"org-target/add">>().toEqualTypeOf<OrgTargetEntry>();
    expectTypeOf<ResolverResult<"linear/settings">>().toEqualTypeOf<LinearConnectionView>();
    // A page may send read-only arrays; the resolver gets the parsed, plain value.
    expectTypeOf<ResolverPayload<"item/classify">>().toEqualTypeOf<{
      readonly boardId: number;
      readonly issueKeys: readonly string[];
      readonly category: "roadmap" | "investment" | null;
    }>();
    expectTypeOf<ParsedPayload<"item/classify">>().toEqualTypeOf<{
      boardId: number;
      issueKeys: string[];
      category: "roadmap" | "investment" | null;
    }>();
    expectTypeOf<ResolverPayload<"org-target/list">>().toEqualTypeOf<
      ResolverPayload<"board/list">
    >();
  });

  it("refuses, at the typecheck, a resolver that answers anything but its key's type", () => {
    // @ts-expect-error: board/list answers boards, not their number.
    const count: ResolverHandler<"board/list"> = () => Promise.resolve(3);
    const unnamed: ResolverHandler<"board/list"> = () =>
      // @ts-expect-error: a board summary has a name.
      Promise.resolve([{ boardId: 1, projectKey: null }]);
    const named: ResolverHandler<"board/list"> = () =>
      Promise.resolve([{ boardId: 1, projectKey: "PAY", name: "PAY board" }]);
    expect([count, unnamed, named]).toHaveLength(3);
  });
});
