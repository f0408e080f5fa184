/**
 * The self-hosted HTTP host over loopback: the headers every answer carries, bodies past their
 * limit cut off where the limit is, and paths with broken `%` escapes answered 400.
 */
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppServer } from "../../src/server/http-server";
import { seedDemoWorkspace } from "../../src/server/workspace-board-source";
import { MemoryStore } from "../../src/store/index";

const WEBHOOK_LIMIT = 1024 * 1024;
const RESOLVER_LIMIT = 64 * 1024;

let dir: string;
let server: Server;
let base: string;
let port: number;
let webhookCalls = 0;
/** Bytes the server read from each connection, by the client's port. */
const bytesRead = new Map<number, () => number>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-http-"));
  for (const page of ["admin-page", "org-page"]) {
    mkdirSync(join(dir, page));
    writeFileSync(
      join(dir, page, "index.html"),
      '<!doctype html><html><head></head><body><div id="root"></div></body></html>',
    );
  }
  const now = Date.parse("2026-11-24T00:00:00Z");
  const store = new MemoryStore();
  await seedDemoWorkspace(store, now);
  server = createAppServer({
    ports: { store, now: () => now },
    token: null,
    distDir: dir,
    linearWebhook: () => {
      webhookCalls += 1;
      return Promise.resolve({ status: 200, result: "accepted" });
    },
  });
  server.on("connection", (socket: Socket) => {
    bytesRead.set(socket.remotePort ?? 0, () => socket.bytesRead);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

interface Streamed {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** What the client had handed to the socket when the answer came. */
  readonly sentBeforeAnswer: number;
  /** What the server had read from the connection when the answer came. */
  readonly serverRead: number;
}

/**
 * POSTs up to `total` bytes in 64 KiB chunks, chunked (no content-length), and stops sending as
 * soon as an answer arrives: a server that reads to the end answers only after all of it.
 */
function streamBody(path: string, total: number, type: string): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const request = httpRequest(
      { host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": type } },
      (response) => {
        answered = true;
        const clientPort = request.socket?.localPort ?? 0;
        const serverRead = bytesRead.get(clientPort)?.() ?? Number.NaN;
        const sentBeforeAnswer = sent;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (text: string) => (body += text));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body,
            headers: response.headers,
            sentBeforeAnswer,
            serverRead,
          }),
        );
        response.on("error", reject);
      },
    );
    // The server closes the connection after its answer, so the rest of the body has nowhere to go.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once("drain", pump);
          return;
        }
      }
      if (!answered) request.end();
    };
    pump();
  });
}

describe("every answer's security headers", () => {
  it("sends the CSP, X-Frame-Options and nosniff on pages, the home page, errors and the API", async () => {
    const answers = await Promise.all([
      fetch(`${base}/`),
      fetch(`${base}/pages/admin-page/`),
      fetch(`${base}/pages/nope/`),
      fetch(`${base}/forge-bridge-shim.js`),
      fetch(`${base}/api/resolve/nope/never`, { method: "POST", body: "{}" }),
      fetch(`${base}/`, { method: "DELETE" }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 200, 404, 405]);
    for (const answer of answers) {
      const csp = answer.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(answer.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("a body over its limit", () => {
  it("is cut off at the webhook's limit: 413 long before the whole body is sent, handler never called", async () => {
    const total = 64 * WEBHOOK_LIMIT;
    const answer = await streamBody("/webhooks/linear", total, "application/json");
    expect(answer.status).toBe(413);
    expect(answer.body).toContain(`at most ${WEBHOOK_LIMIT} bytes`);
    expect(answer.headers.connection).toBe("close");
    expect(answer.sentBeforeAnswer).toBeLessThan(total / 4);
    // Reading stopped at the limit, give or take one socket read.
    expect(answer.serverRead).toBeLessThan(WEBHOOK_LIMIT + 256 * 1024);
    expect(webhookCalls).toBe(0);
  });

  it("is cut off at a resolver's limit with 413 and a message", async () => {
    const total = 256 * RESOLVER_LIMIT;
    const answer = await streamBody("/api/resolve/report/get", total, "application/json");
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: false,
      error: {
        code: "BAD_REQUEST",
        message: `The request body is larger than ${RESOLVER_LIMIT} bytes.`,
      },
    });
    expect(answer.sentBeforeAnswer).toBeLessThan(total / 4);
  });

  it("is refused unread when content-length already says it is too large", async () => {
    const answer = await new Promise<{ status: number; serverRead: number }>((resolve, reject) => {
      const request = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/webhooks/linear",
          method: "POST",
          headers: { "content-length": String(10 * WEBHOOK_LIMIT) },
        },
        (response) => {
          const serverRead = bytesRead.get(request.socket?.localPort ?? 0)?.() ?? Number.NaN;
          response.resume();
          response.on("end", () => resolve({ status: response.statusCode ?? 0, serverRead }));
        },
      );
      request.on("error", reject);
      // Headers only: an answer can come only from a server that did not wait for the body.
      request.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(answer.serverRead).toBeLessThan(4096);
    expect(webhookCalls).toBe(0);
  });

  it("leaves the server answering the next request", async () => {
    const answer = await fetch(`${base}/webhooks/linear`, { method: "POST", body: "{}" });
    expect(answer.status).toBe(200);
    expect(webhookCalls).toBe(1);
  });
});

describe("a malformed % escape in the path", () => {
  it.each([
    "/pages/%E0%A4%A",
    "/pages/admin-page/%E0%A4%A",
    "/api/resolve/report%E0%A4%A",
    "/webhooks/linear%ZZ",
  ])("%s is a 400 with a plain message, no stack trace", async (path) => {
    const answer = await fetch(`${base}${path}`, {
      method: path.startsWith("/api/") ? "POST" : "GET",
      headers: { "content-type": "application/json" },
      body: path.startsWith("/api/") ? "{}" : null,
    });
    const text = await answer.text();
    expect(answer.status, text).toBe(400);
    expect(answer.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(text).toBe(`Bad request: the path ${JSON.stringify(path)} has a malformed % escape.\n`);
  });
});
