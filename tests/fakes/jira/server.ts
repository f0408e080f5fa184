import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { WorkspaceFile } from "../../../src/workspace/schema";
import { FaultQueue, type Fault, type QueuedFault } from "./faults";
import { ROUTES, type FakeUser, type RouteResult } from "./routes";
import { createSite, type BoardSeed, type FakeSite } from "./site";

/**
 * A fake Jira Cloud site on 127.0.0.1 for tests, the benchmark and local work: the REST v3 and
 * Agile 1.0 endpoints the client uses, seeded from a workspace file, with Basic auth, per-endpoint
 * request counters, simulated latency and injected faults.
 */

export interface FakeJiraOptions {
  readonly workspace: WorkspaceFile;
  /** Which teams become boards (default: every team not from Linear, boards 12, 13, …). */
  readonly boards?: readonly BoardSeed[];
  /** Decides which sprints are future, active or closed (default: the clock). */
  readonly now?: number;
  /** Added to every response. */
  readonly latencyMs?: number;
  /** Accounts that may sign in (default: one with every permission). */
  readonly users?: readonly FakeUser[];
  /** Loopback port to listen on (default: any free one). */
  readonly port?: number;
  /** How long a write takes to reach the search index (default 0); see `FakeSite.searchLagMs`. */
  readonly searchLagMs?: number;
}

export interface FakeJira {
  readonly url: string;
  /** The first user's credentials. */
  readonly email: string;
  readonly token: string;
  readonly site: FakeSite;
  /** Requests received per endpoint (`POST /rest/api/3/search/jql`), faulted ones included. */
  readonly requests: Readonly<Record<string, number>>;
  totalRequests(): number;
  /** The most requests that were being answered at once since the last reset. */
  maxInFlight(): number;
  resetRequests(): void;
  inject(fault: Fault): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export const DEFAULT_USER: FakeUser = {
  email: "capacity-bot@example.com",
  token: "ATATT3xFfGF0-fake-token",
};

export async function startFakeJira(options: FakeJiraOptions): Promise<FakeJira> {
  const now = options.now ?? Date.now();
  const site = createSite(options.workspace, options.boards, now);
  site.searchLagMs = options.searchLagMs ?? 0;
  const users = options.users ?? [DEFAULT_USER];
  const firstUser = users[0] ?? DEFAULT_USER;
  const faults = new FaultQueue();
  const requests: Record<string, number> = {};
  const searches = new Map<string, string[]>();
  let latencyMs = options.latencyMs ?? 0;
  let inFlight = 0;
  let peak = 0;
  let url = "";

  const server = createServer((request, response) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    response.on("close", () => inFlight--);
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        send(response, { status: 500, body: { errorMessages: [String(error)], errors: {} } });
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = new URL(request.url ?? "/", "http://fake");
    const route = ROUTES.find(
      (candidate) => candidate.method === request.method && candidate.pattern.test(target.pathname),
    );
    const name = route?.name ?? "unmatched";
    requests[name] = (requests[name] ?? 0) + 1;
    const text = await readBody(request);
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = faults.take(name);
    if (fault !== undefined && (await applyFault(fault, request, response))) return;
    if (response.destroyed) return;

    const user = authenticate(request.headers.authorization, users);
    if (user === null) {
      send(response, {
        status: 401,
        body: {
          errorMessages: ["Client must be authenticated to access this resource."],
          errors: {},
        },
      });
      return;
    }
    if (route === undefined) {
      send(response, {
        status: 404,
        body: { errorMessages: ["No such endpoint in the fake Jira."], errors: {} },
      });
      return;
    }
    let body: unknown = undefined;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        send(response, {
          status: 400,
          body: { errorMessages: ["Unexpected character in the request body."], errors: {} },
        });
        return;
      }
    }
    const params = (route.pattern.exec(target.pathname) ?? []).slice(1).map(decodeURIComponent);
    send(
      response,
      route.handle({
        params,
        query: target.searchParams,
        body,
        user,
        users,
        site,
        url,
        now: () => Date.now(),
        searches,
      }),
    );
  }

  /** True when the fault answered (or dropped) the request itself. */
  async function applyFault(
    fault: QueuedFault,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<boolean> {
    switch (fault.kind) {
      case "status": {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
        if (fault.rateLimitReset !== undefined) headers["X-RateLimit-Reset"] = fault.rateLimitReset;
        if (fault.status === 429) headers["RateLimit-Reason"] = fault.reason ?? "jira-burst-based";
        send(
          response,
          {
            status: fault.status,
            body:
              fault.status === 429
                ? { errorMessages: ["Rate limit exceeded."], errors: {} }
                : { errorMessages: ["Internal server error"], errors: {} },
          },
          headers,
        );
        return true;
      }
      case "slow":
        await sleep(fault.delayMs);
        return false;
      case "near-limit":
        response.setHeader("X-RateLimit-NearLimit", "true");
        return false;
      case "malformed":
        response.writeHead(200, { "Content-Type": "application/json;charset=UTF-8" });
        response.end('{"issues":[{"id":"10001","key":"PAY-1","fields":{"summ');
        return true;
      case "wrong-shape":
        send(response, { status: 200, body: { message: "Scheduled maintenance: back soon." } });
        return true;
      case "disconnect":
        request.socket.destroy();
        return true;
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    email: firstUser.email,
    token: firstUser.token,
    site,
    requests,
    totalRequests: () => Object.values(requests).reduce((sum, count) => sum + count, 0),
    maxInFlight: () => peak,
    resetRequests: () => {
      for (const key of Object.keys(requests)) delete requests[key];
      peak = inFlight;
    },
    inject(fault) {
      if (fault.kind === "expire-page-tokens") site.tokenGeneration++;
      else faults.add(fault);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function authenticate(header: string | undefined, users: readonly FakeUser[]): FakeUser | null {
  const match = /^Basic\s+(.+)$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const email = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  return users.find((user) => user.email === email && user.token === token) ?? null;
}

function send(
  response: ServerResponse,
  result: RouteResult,
  headers: Record<string, string> = {},
): void {
  if (response.destroyed || response.writableEnded) return;
  if (result.body === undefined) {
    response.writeHead(result.status, { ...result.headers, ...headers });
    response.end();
    return;
  }
  response.writeHead(result.status, {
    "Content-Type": "application/json;charset=UTF-8",
    ...headers,
  });
  response.end(JSON.stringify(result.body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
