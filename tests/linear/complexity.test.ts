import { LinearClient } from "@linear/sdk";
import { Kind, parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  HISTORY_BATCH,
  HISTORY_PER_ISSUE,
  LINEAR_DOCUMENTS,
  LINEAR_PUBLISH_DOCUMENTS,
  MAX_INLINE_HISTORY,
  PAGE_SIZE,
} from "../../src/linear/documents";
import { LinearSyncError } from "../../src/linear/index";
import { toLinearError } from "../../src/linear/errors";
import { estimateComplexity, MAX_QUERY_COMPLEXITY } from "../fakes/linear/index";
import { useFakeLinear } from "../helpers/fake-trackers";

/** The page sizes the client sends with each document (src/linear/client.ts). */
const VARIABLES: Readonly<Record<string, Record<string, unknown>>> = {
  TEAMS_QUERY: { first: PAGE_SIZE },
  CYCLES_QUERY: { teamId: "team", first: PAGE_SIZE },
  ISSUES_QUERY: { filter: {}, first: PAGE_SIZE, historyFirst: MAX_INLINE_HISTORY },
  ISSUES_BY_ID_QUERY: { ids: [], first: PAGE_SIZE },
  VIEWER_QUERY: {},
  ISSUE_HISTORY_QUERY: { ids: [], first: HISTORY_BATCH, historyFirst: HISTORY_PER_ISSUE },
  ISSUE_HISTORY_PAGE_QUERY: { id: "issue", first: PAGE_SIZE },
  LABELS_QUERY: { filter: {}, first: PAGE_SIZE },
  LABEL_CREATE_MUTATION: {},
  ISSUE_LABELS_UPDATE_MUTATION: {},
  ISSUE_BATCH_LABELS_MUTATION: {},
  PROJECTS_QUERY: { name: "Capacity split · Team", first: 10 },
  PROJECT_CREATE_MUTATION: {},
  DOCUMENT_CREATE_MUTATION: {},
  DOCUMENT_UPDATE_MUTATION: {},
  PROJECT_UPDATE_CREATE_MUTATION: {},
};

function complexityOf(source: string, variables: Record<string, unknown>): number {
  let total = 0;
  for (const definition of parse(source).definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      total += estimateComplexity(definition.selectionSet, variables);
    }
  }
  return total;
}

describe("every document the project sends stays under Linear's cap at its page size", () => {
  it.each(Object.entries({ ...LINEAR_DOCUMENTS, ...LINEAR_PUBLISH_DOCUMENTS }))(
    "%s",
    (name, source) => {
      const variables = VARIABLES[name];
      expect(variables, `no page sizes listed for ${name}`).toBeDefined();
      expect(complexityOf(source, variables ?? {})).toBeLessThan(MAX_QUERY_COMPLEXITY);
    },
  );
});

describe("a page of issues holds as much history inline as the cap allows", () => {
  it("MAX_INLINE_HISTORY entries fit under the cap with 250 issues; one more does not", async () => {
    const { ISSUES_QUERY } = await import("../../src/linear/documents");
    const at = (historyFirst: number) =>
      complexityOf(ISSUES_QUERY, { filter: {}, first: PAGE_SIZE, historyFirst });
    expect(at(MAX_INLINE_HISTORY)).toBeLessThanOrEqual(MAX_QUERY_COMPLEXITY);
    expect(at(MAX_INLINE_HISTORY + 1)).toBeGreaterThan(MAX_QUERY_COMPLEXITY);
  });
});

describe("the fake refuses a query over the cap as Linear does", () => {
  const fake = useFakeLinear();

  // A nested connection multiplies: 250 issues × 250 labels is far over 10,000 points.
  const TOO_COMPLEX = /* GraphQL */ `
    query TooComplex {
      issues(first: 250) {
        nodes {
          id
          labels(first: 250) {
            nodes {
              id
              name
            }
          }
        }
      }
    }
  `;

  it("answers HTTP 400 with Linear's invalid-input error and runs nothing", async () => {
    fake.resetCounters();
    const response = await fetch(fake.url, {
      method: "POST",
      headers: { authorization: fake.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ query: TOO_COMPLEX }),
    });
    expect(response.status).toBe(400);
    const body: unknown = await response.json();
    expect(body).toEqual({
      errors: [
        {
          message: "Query too complex",
          extensions: {
            type: "invalid input",
            code: "INPUT_ERROR",
            userError: true,
            userPresentableMessage: `The query is too complex. Complexity: ${complexityOf(TOO_COMPLEX, {})}. Maximum allowed complexity: 10000.`,
          },
        },
      ],
    });
    expect(fake.complexity()).toBe(0);
  });

  it("reaches the client as a final (not retried) bad request naming the reason", async () => {
    const sdk = new LinearClient({ apiKey: fake.apiKey, apiUrl: fake.url });
    const error = await sdk.client
      .rawRequest(TOO_COMPLEX, {})
      .then(() => undefined)
      .catch((thrown: unknown) => toLinearError(thrown, "TooComplex", Date.now()));
    expect(error).toBeInstanceOf(LinearSyncError);
    expect(error).toMatchObject({ code: "LINEAR_BAD_REQUEST", retryable: false });
    expect(error?.message).toMatch(
      /The query is too complex\. Complexity: [\d.]+\. Maximum allowed complexity: 10000\./,
    );
  });
});
