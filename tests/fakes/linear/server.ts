import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  buildSchema,
  graphql,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { WorkspaceFile } from "../../../src/workspace/schema";
import { createOAuth, ensureUser, FAKE_APP_USER, FAKE_KEY_OWNER } from "./oauth";
import { createRoot, type FakeWebhookEvent } from "./resolvers";
import { emptyData, seedData, type LinearData, type SeedOptions } from "./workspace-data";

/**
 * A fake Linear API on 127.0.0.1: graphql-js executing the project's subset SDL
 * (`schema.graphql`, checked against Linear's by tests/linear/contract.test.ts) over an in-memory
 * workspace, with the API key in `Authorization`, request and complexity counting, latency and
 * Linear's way of failing: HTTP 400 with `errors[0].extensions` (a `type` the SDK reads, or for a
 * rate limit only the documented `code`).
 */

export const FAKE_LINEAR_API_KEY = "lin_api_fake0000000000000000000000000000000000";

/** Linear's cap on one query's estimated complexity (linear.app/developers/rate-limiting). */
export const MAX_QUERY_COMPLEXITY = 10_000;

export type LinearFault =
  | {
      readonly kind: "ratelimited";
      /** When the spent budget refills, from now (default 1 s). */
      readonly retryAfterSeconds?: number;
      /** HTTP status: Linear documents 400, and answers 429 too (default 400). */
      readonly status?: 400 | 429;
      /** Which hourly budget ran out (default requests). */
      readonly budget?: "requests" | "complexity";
    }
  | { readonly kind: "server"; readonly status: number }
  | { readonly kind: "reset" }
  /** Refuses the key, as Linear does a revoked one: final, so it stops a run where it is. */
  | { readonly kind: "unauthorized" }
  /** Answers normally: lets `injectOn` fail a later request of an operation, not the next. */
  | { readonly kind: "pass" };

export interface FakeLinearOptions {
  readonly workspace?: WorkspaceFile;
  readonly seed?: SeedOptions;
  readonly apiKey?: string;
  readonly latencyMs?: number;
  /** An OAuth application registered with the fake: `/oauth/authorize` and `/oauth/token`. */
  readonly oauth?: { readonly clientId: string; readonly clientSecret: string };
  /** Lifetime of the access tokens the fake hands out (Linear: 24 hours). */
  readonly accessTokenSeconds?: number;
}

export { FAKE_APP_USER, FAKE_KEY_OWNER };

export interface FakeLinear {
  /** The GraphQL endpoint, for `LinearClient({ apiUrl })`. */
  readonly url: string;
  /** Where `/oauth/authorize` and `/oauth/token` are served (Linear: linear.app, api.linear.app). */
  readonly origin: string;
  readonly apiKey: string;
  readonly data: LinearData;
  /** Requests received, faulted and refused ones included. */
  requests(): number;
  /** Summed complexity of the operations answered (see {@link estimateComplexity}). */
  complexity(): number;
  /** Operation names received, in order. */
  operations(): readonly string[];
  /** Complexity of each operation answered, in order, with its name. */
  costs(): readonly { readonly operation: string; readonly complexity: number }[];
  /** Data-change webhook payloads Linear would send for the writes so far, oldest first. */
  webhookEvents(): readonly FakeWebhookEvent[];
  resetCounters(): void;
  /** Requests to `/oauth/token`, with their grant type, in order. */
  tokenRequests(): readonly string[];
  /** Makes every access token handed out so far expire now, as 24 hours passing would. */
  expireAccessTokens(): void;
  /** Fails the next requests, one fault each, in order. */
  inject(...faults: LinearFault[]): void;
  /** Fails the next requests of one operation (e.g. `CapacityDocumentCreate`), one fault each. */
  injectOn(operation: string, ...faults: LinearFault[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

let cachedSchema: GraphQLSchema | undefined;

export function fakeLinearSchema(): GraphQLSchema {
  cachedSchema ??= buildSchema(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));
  return cachedSchema;
}

export async function startFakeLinear(options: FakeLinearOptions = {}): Promise<FakeLinear> {
  const data =
    options.workspace === undefined ? emptyData() : seedData(options.workspace, options.seed);
  const apiKey = options.apiKey ?? FAKE_LINEAR_API_KEY;
  const schema = fakeLinearSchema();
  const events: FakeWebhookEvent[] = [];
  let currentActor: LinearData["users"][number] | null = null;
  const root = createRoot(
    data,
    (event) => events.push(event),
    () => currentActor,
  );
  const oauth = createOAuth(options, data);
  const faults: LinearFault[] = [];
  const faultsOn = new Map<string, LinearFault[]>();
  const operationNames: string[] = [];
  const operationCosts: { operation: string; complexity: number }[] = [];
  let requestCount = 0;
  let complexityTotal = 0;
  let latencyMs = options.latencyMs ?? 0;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      send(response, 500, { errors: [{ message: String(error) }] });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    if (path.startsWith("/oauth/")) {
      oauth.handle(request, response, await readBody(request));
      return;
    }
    requestCount += 1;
    const body = await readBody(request);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const operation = /^\s*(?:query|mutation)\s+(\w+)/m.exec(queryOf(body))?.[1] ?? "anonymous";
    const fault = faultsOn.get(operation)?.shift() ?? faults.shift();
    if (fault?.kind === "reset") {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === "server") {
      send(response, fault.status, { errors: [{ message: "Internal server error" }] });
      return;
    }
    if (fault?.kind === "ratelimited") {
      // The documented answer (linear.app/developers/rate-limiting): a GraphQL error whose
      // `extensions.code` is RATELIMITED, on HTTP 400 (Linear also answers 429), with the reset of
      // each budget as epoch ms in `x-ratelimit-{requests,complexity}-reset`. No `extensions.type`:
      // the page shows none (quoted in github.com/gannonh/kata/pull/78: `{"errors":[{"message":
      // "…","extensions":{"code":"RATELIMITED"}}]}`).
      const reset = Date.now() + (fault.retryAfterSeconds ?? 1) * 1000;
      const spent = fault.budget ?? "requests";
      send(
        response,
        fault.status ?? 400,
        { errors: [{ message: "Rate limit exceeded", extensions: { code: "RATELIMITED" } }] },
        {
          "x-ratelimit-requests-limit": "5000",
          "x-ratelimit-requests-remaining": spent === "requests" ? "0" : "4000",
          "x-ratelimit-requests-reset": String(spent === "requests" ? reset : Date.now() + 1000),
          "x-ratelimit-complexity-limit": "3000000",
          "x-ratelimit-complexity-remaining": spent === "complexity" ? "0" : "2000000",
          "x-ratelimit-complexity-reset": String(
            spent === "complexity" ? reset : Date.now() + 1000,
          ),
        },
      );
      return;
    }
    const authorization = request.headers.authorization;
    const user =
      authorization === apiKey
        ? ensureUser(data, FAKE_KEY_OWNER)
        : oauth.userOf(authorization ?? "", Date.now());
    if (fault?.kind === "unauthorized" || user === null) {
      send(response, 400, {
        errors: [
          {
            message: "Authentication required, not authenticated",
            extensions: { type: "authentication error", code: "AUTHENTICATION_ERROR" },
          },
        ],
      });
      return;
    }
    const parsed: unknown = JSON.parse(body);
    if (!isRecord(parsed) || typeof parsed.query !== "string") {
      send(response, 400, { errors: [{ message: "Body must hold a GraphQL query." }] });
      return;
    }
    const variables = isRecord(parsed.variables) ? parsed.variables : {};
    const document = parse(parsed.query);
    const complexity = estimateDocumentComplexity(document, variables);
    if (complexity > MAX_QUERY_COMPLEXITY) {
      // Linear refuses the whole query before running it, as an invalid-input user error.
      send(response, 400, {
        errors: [
          {
            message: "Query too complex",
            extensions: {
              type: "invalid input",
              code: "INPUT_ERROR",
              userError: true,
              userPresentableMessage: `The query is too complex. Complexity: ${complexity}. Maximum allowed complexity: ${MAX_QUERY_COMPLEXITY}.`,
            },
          },
        ],
      });
      return;
    }
    operationNames.push(operation);
    operationCosts.push({ operation, complexity });
    complexityTotal += complexity;
    // The resolvers are synchronous, so the actor set here is the one this execution sees.
    currentActor = user;
    const result = await graphql({
      schema,
      source: parsed.query,
      rootValue: root,
      variableValues: variables,
    });
    currentActor = null;
    // Linear answers GraphQL errors with 400 and user errors with the error's own type.
    send(response, result.errors === undefined ? 200 : 400, result);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    origin: `http://127.0.0.1:${port}`,
    tokenRequests: () => oauth.requests,
    expireAccessTokens: () => oauth.expireAll(),
    apiKey,
    data,
    requests: () => requestCount,
    complexity: () => complexityTotal,
    operations: () => operationNames,
    costs: () => operationCosts,
    webhookEvents: () => events,
    resetCounters: () => {
      requestCount = 0;
      complexityTotal = 0;
      operationNames.length = 0;
      operationCosts.length = 0;
    },
    inject: (...more) => faults.push(...more),
    injectOn: (operation, ...more) => {
      const queue = faultsOn.get(operation) ?? [];
      queue.push(...more);
      faultsOn.set(operation, queue);
    },
    setLatency: (ms) => (latencyMs = ms),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

/**
 * Linear's published rule (linear.app/developers/rate-limiting, "Query complexity"), approximated:
 * each object 1 point, each scalar 0.1, and a connection multiplies the cost of its records by
 * `first` (50 when absent): every node is an object with its fields, billed whether or not the
 * page holds that many. The connection's own `pageInfo` is one object per connection and is
 * billed once. Fragments count where they are spread, as the SDK's generated documents select
 * almost everything through them.
 */
export function estimateComplexity(
  selectionSet: SelectionSetNode,
  variables: Record<string, unknown>,
  fragments: ReadonlyMap<string, FragmentDefinitionNode> = new Map(),
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (fragment !== undefined) {
        total += estimateComplexity(fragment.selectionSet, variables, fragments);
      }
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += estimateComplexity(selection.selectionSet, variables, fragments);
      continue;
    }
    if (selection.selectionSet === undefined) {
      total += 0.1;
      continue;
    }
    const firstArg = selection.arguments?.find((argument) => argument.name.value === "first");
    const first = firstArg === undefined ? null : valueOf(firstArg.value, variables);
    const isConnection = fieldNames(selection.selectionSet, fragments).has("nodes");
    if (!isConnection) {
      total += 1 + estimateComplexity(selection.selectionSet, variables, fragments);
      continue;
    }
    const multiplier = typeof first === "number" ? first : 50;
    const { records, rest } = connectionParts(selection.selectionSet, variables, fragments);
    total += 1 + multiplier * records + rest;
  }
  return Math.round(total * 10) / 10;
}

/**
 * A connection's selection split into the cost of one record (`nodes`/`edges`, each element an
 * object) and the cost of the rest (`pageInfo`), fragments expanded.
 */
function connectionParts(
  selectionSet: SelectionSetNode,
  variables: Record<string, unknown>,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): { records: number; rest: number } {
  let records = 0;
  let rest = 0;
  for (const selection of selectionSet.selections) {
    const inner = fragmentSelection(selection, fragments);
    if (inner !== undefined) {
      const part = connectionParts(inner, variables, fragments);
      records += part.records;
      rest += part.rest;
      continue;
    }
    if (selection.kind !== Kind.FIELD) continue;
    const cost = estimateComplexity(
      { kind: Kind.SELECTION_SET, selections: [selection] },
      variables,
      fragments,
    );
    if (selection.name.value === "nodes" || selection.name.value === "edges") records += cost;
    else rest += cost;
  }
  return { records, rest };
}

/** What a fragment spread or inline fragment selects; undefined for a field. */
function fragmentSelection(
  selection: SelectionSetNode["selections"][number],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): SelectionSetNode | undefined {
  if (selection.kind === Kind.FRAGMENT_SPREAD)
    return fragments.get(selection.name.value)?.selectionSet;
  return selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : undefined;
}

/** The fields a selection set selects directly, through fragments too. */
function fieldNames(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): Set<string> {
  const names = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.add(selection.name.value);
    const inner = fragmentSelection(selection, fragments);
    if (inner !== undefined) for (const name of fieldNames(inner, fragments)) names.add(name);
  }
  return names;
}

/** The complexity of a whole document: its operations, fragments counted where spread. */
export function estimateDocumentComplexity(
  document: DocumentNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  let total = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      total += estimateComplexity(definition.selectionSet, variables, fragments);
    }
  }
  return Math.round(total * 10) / 10;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return null;
}

function queryOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) && typeof parsed.query === "string" ? parsed.query : "";
  } catch {
    return "";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}
