/** The messages a refused payload gives: every problem where it is, in words, no field names. */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { RESOLVER_CONTRACT } from "../../src/app/index";
import { parsePayload } from "../../src/app/parse-payload";

const refusal = (key: keyof typeof RESOLVER_CONTRACT, payload: unknown): string => {
  try {
    const schema: z.ZodType = RESOLVER_CONTRACT[key].payload;
    parsePayload(schema, payload);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error(`${key} accepted ${JSON.stringify(payload)}`);
};

describe("a refused payload's message", () => {
  it("names a malformed issue key without the field's name", () => {
    const message = refusal("item/get", { issueKey: "<script>" });
    expect(message).toBe("Invalid request: issue key: expected an issue key such as PAY-12.");
    expect(message).not.toMatch(/issueKey/);
  });

  it("says which item of a list is wrong, counting from one", () => {
    const message = refusal("item/classify", {
      boardId: 1,
      issueKeys: ["PAY-1", "nope"],
      category: "roadmap",
    });
    expect(message).toBe(
      "Invalid request: issue keys, item 2: expected an issue key such as PAY-12.",
    );
  });

  it("words an id by what it names and splits other names into words", () => {
    expect(refusal("report/get", { boardId: "12" })).toMatch(/^Invalid request: board: /);
    const bulk = refusal("bulk/status", { boardId: 1, jobId: 5 });
    expect(bulk).toMatch(/^Invalid request: bulk change: /);
    expect(bulk).not.toMatch(/[a-z][A-Z]/);
  });

  it("says what a number, a length or a list is held to, without echoing what was sent", () => {
    expect(refusal("report/get", { boardId: Number.NaN })).toBe(
      "Invalid request: board: expected number, got NaN, not a number.",
    );
    expect(refusal("report/get", { boardId: 0 })).toBe(
      "Invalid request: board: expected more than 0, got 0.",
    );
    expect(refusal("triage/list", { boardId: 1, filter: "x".repeat(1_000_000) })).toBe(
      "Invalid request: filter: expected at most 200 characters, got 1000000 characters.",
    );
    const keys = Array.from({ length: 100_000 }, () => "PAY-1");
    expect(
      refusal("bulk/start", { boardId: 1, issueKeys: keys, category: null, requestId: "abc" }),
    ).toBe(
      "Invalid request: issue keys: expected at most 40000 items, got 100000 items; request: expected at least 8 characters, got 3 characters.",
    );
    const date = refusal("target/impact", {
      boardId: 1,
      investmentShare: 0.3,
      tolerance: 0.05,
      effectiveFrom: "9".repeat(1_000_000),
    });
    expect(date.length).toBeLessThan(200);
  });

  it("names an unknown field as sent, __proto__ included, and says to leave it out", () => {
    expect(refusal("report/get", JSON.parse('{"__proto__": {"admin": true}, "boardId": 1}'))).toBe(
      'Invalid request: unknown field "__proto__": leave it out.',
    );
  });

  it("tells a payload that is neither of a union's shapes what the closer one lacks", () => {
    expect(refusal("org/drill", { period: { kind: "quarter", id: "2026-Q4" } })).toBe(
      "Invalid request: board: missing (expected number).",
    );
    expect(
      refusal("org/drill", { linearTeam: "eng", period: { kind: "quarter", id: "2026-Q4" } }),
    ).toBe("Invalid request: linear team: expected a Linear team key such as ENG.");
  });

  it("refuses settings Jira could never hold: a 1 MB label, a 100,000-value rule, a 1 MB pattern", () => {
    const settings = (extra: Record<string, unknown>) => ({ boardId: 1, settings: extra });
    expect(
      refusal("settings/set", settings({ labels: { roadmap: "x".repeat(256), investment: "i" } })),
    ).toBe(
      "Invalid request: settings, labels, roadmap: expected at most 255 characters, got 256 characters.",
    );
    const many = Array.from({ length: 100_000 }, (_, index) => `label-${index}`);
    expect(
      refusal("settings/set", settings({ rules: [{ if: { labels: many }, then: "roadmap" }] })),
    ).toMatch(/labels lists 100000 values; at most 100\.$/);
    const pattern = refusal("rules/preview", {
      boardId: 1,
      rules: [{ if: { titleMatches: "a".repeat(1_000_000) }, then: "roadmap" }],
    });
    expect(pattern).toMatch(/title pattern: 1000000 characters long, more than the 500/);
    expect(pattern.length).toBeLessThan(300);
  });
});
