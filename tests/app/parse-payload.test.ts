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
});
