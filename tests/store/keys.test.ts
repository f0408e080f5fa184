import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORGE_KEY_PATTERN, FORGE_MAX_KEY_LENGTH, storeKeys } from "../../src/store/index";

// The rule as Forge documents it, not the project's copy of it.
const FORGE_DOCUMENTED_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/;

/** Strings rich in what encodings get wrong: separators, escapes, `%`, spaces, surrogate halves. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom("#", ":", "%", " ", "-", ".", "_", "a", "Z", "0", "é", "\ud83d", "\ude00"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});
const anyId = fc.oneof(tricky, fc.string({ unit: "binary" }), fc.string());
const isoInstant = fc
  .integer({ min: Date.parse("2000-01-01"), max: Date.parse("2100-01-01") })
  .map((at) => new Date(at).toISOString());

/** Arguments for every key function; the mapped type fails to compile when one is missing. */
const argumentsOf: {
  [name in keyof typeof storeKeys]: fc.Arbitrary<Parameters<(typeof storeKeys)[name]>>;
} = {
  teamSettings: fc.tuple(anyId),
  targetPrefix: fc.tuple(anyId),
  targetEntry: fc.tuple(anyId, isoInstant, anyId),
  orgTargetPrefix: fc.tuple(),
  orgTargetEntry: fc.tuple(isoInstant, anyId),
  sprintSnapshot: fc.tuple(anyId, fc.constantFrom("started" as const, "closed" as const)),
  boardPrefix: fc.tuple(),
  board: fc.tuple(anyId),
  writtenCategoryPrefix: fc.tuple(anyId),
  writtenCategory: fc.tuple(anyId, anyId),
  boardView: fc.tuple(anyId),
  boardData: fc.tuple(anyId),
  boardDataShard: fc.tuple(anyId, fc.nat()),
  boardItems: fc.tuple(anyId),
  boardTriage: fc.tuple(anyId),
  boardIssueIds: fc.tuple(anyId),
  boardSyncPrefix: fc.tuple(),
  boardSync: fc.tuple(anyId),
  boardPullCursor: fc.tuple(anyId),
  boardSyncQueued: fc.tuple(anyId),
  jiraReconcile: fc.tuple(),
  boardLeavingPrefix: fc.tuple(anyId),
  boardLeavingEntry: fc.tuple(anyId, anyId, fc.nat(), anyId),
  writtenCategories: fc.tuple(anyId),
  cachedReport: fc.tuple(anyId),
  boardChanged: fc.tuple(anyId),
  boardChangedPrefix: fc.tuple(anyId),
  boardChangedMark: fc.tuple(anyId, fc.nat()),
  cachedReportPart: fc.tuple(anyId, fc.nat()),
  bulkJob: fc.tuple(anyId, anyId),
  bulkJobPart: fc.tuple(
    anyId,
    anyId,
    fc.constantFrom("in" as const, "plan" as const, "out" as const),
    fc.nat(),
  ),
  bulkJobStop: fc.tuple(anyId, anyId),
  bulkLast: fc.tuple(anyId),
  workspaceFile: fc.tuple(),
  linearCursor: fc.tuple(anyId),
  linearIds: fc.tuple(anyId),
  linearTeamState: fc.tuple(anyId),
  linearRelistDue: fc.tuple(),
  linearTokenRefresh: fc.tuple(),
  linearSyncQueued: fc.tuple(),
  serverPullCursor: fc.tuple(anyId),
  linearWritten: fc.tuple(anyId),
  linearLastSync: fc.tuple(),
  linearOrgTeamPrefix: fc.tuple(),
  linearOrgTeam: fc.tuple(anyId),
  linearOrgDrill: fc.tuple(anyId),
  linearOrgAccess: fc.tuple(),
  linearWrite: fc.tuple(anyId),
  linearSettings: fc.tuple(),
  linearOAuthState: fc.tuple(),
  linearOAuth: fc.tuple(),
  linearPullProgress: fc.tuple(anyId),
  linearPullProgressPart: fc.tuple(
    anyId,
    fc.constantFrom("issues" as const, "history" as const),
    fc.nat(),
  ),
  linearDeliveryPrefix: fc.tuple(),
  linearDelivery: fc.tuple(anyId),
  linearDeliveredBody: fc.tuple(anyId),
};

const keyOf = (name: keyof typeof storeKeys, args: readonly unknown[]): string =>
  (storeKeys[name] as (...parts: readonly unknown[]) => string)(...args);

/** Inverts the part encoding: `#` and four hex digits stand for one UTF-16 code unit. */
function decodePart(encoded: string): string {
  return encoded.replace(/#([0-9a-f]{4})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

describe("store keys", () => {
  it("only ever use the characters Forge accepts and never start with the reserved `__`", () => {
    for (const name of Object.keys(argumentsOf) as (keyof typeof storeKeys)[]) {
      fc.assert(
        fc.property(argumentsOf[name], (args) => {
          const key = keyOf(name, args);
          expect(key, name).toMatch(FORGE_DOCUMENTED_PATTERN);
          expect(key, name).toMatch(FORGE_KEY_PATTERN);
          expect(key.startsWith("__"), name).toBe(false);
        }),
      );
    }
  });

  it("stay within Forge's 500 characters for ids of up to 45 code units of any kind", () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    const longest = fc.string({ unit: codeUnit, minLength: 45, maxLength: 45 });
    fc.assert(
      fc.property(longest, longest, (a, b) => {
        expect(storeKeys.writtenCategory(a, b).length).toBeLessThanOrEqual(FORGE_MAX_KEY_LENGTH);
        expect(storeKeys.targetEntry(a, new Date(0).toISOString(), b).length).toBeLessThanOrEqual(
          FORGE_MAX_KEY_LENGTH,
        );
      }),
    );
  });

  it("encode parts injectively: the id is recovered from its key", () => {
    fc.assert(
      fc.property(anyId, (id) => {
        const encoded = storeKeys.teamSettings(id).slice("settings:".length);
        expect(encoded).not.toContain(":");
        expect(decodePart(encoded)).toBe(id);
      }),
      { numRuns: 1000 },
    );
  });

  it("keep two-part keys apart, whatever separators the ids hold", () => {
    fc.assert(
      fc.property(anyId, anyId, anyId, anyId, (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        expect(storeKeys.writtenCategory(a, b)).not.toBe(storeKeys.writtenCategory(c, d));
      }),
    );
    expect(storeKeys.writtenCategory("A:1", "2")).not.toBe(storeKeys.writtenCategory("A", "1:2"));
    expect(storeKeys.writtenCategory("A#003a1", "2")).not.toBe(
      storeKeys.writtenCategory("A:1", "2"),
    );
  });

  it("list one team's entries without another's, even when one id starts another", () => {
    fc.assert(
      fc.property(anyId, anyId, isoInstant, anyId, (team, other, at, nonce) => {
        fc.pre(team !== other);
        expect(
          storeKeys.targetEntry(other, at, nonce).startsWith(storeKeys.targetPrefix(team)),
        ).toBe(false);
      }),
    );
  });

  it("leave ids of letters, digits, `.`, `_` and `-` as they are, so stored data keeps its keys", () => {
    expect(storeKeys.teamSettings("PAY")).toBe("settings:PAY");
    expect(storeKeys.linearTeamState("9cfb482a-81e3-4154-b5b9-2c805e70a02d")).toBe(
      "linear:9cfb482a-81e3-4154-b5b9-2c805e70a02d:state",
    );
    expect(storeKeys.writtenCategory("42", "PAY-17")).toBe("category:42:PAY-17");
    expect(storeKeys.serverPullCursor("v1.2_x")).toBe("server-pull:v1.2_x:cursor");
  });

  it("escape everything else as `#` and four hex digits, `#` and `%` included", () => {
    expect(storeKeys.targetPrefix("A:1")).toBe("targets:A#003a1:");
    expect(storeKeys.board("a b#%")).toBe("board:a#0020b#0023#0025");
    expect(storeKeys.board("😀")).toBe("board:#d83d#de00");
  });
});
