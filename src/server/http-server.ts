import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { timingSafeEqual } from "node:crypto";
import {
  type AppErrorCode,
  type Envelope,
  type ResolverPorts,
  RESOLVERS,
  runResolver,
  type WebhookOutcome,
} from "../app/index";
import { escapeJsonControls } from "../render/index";
import { BRIDGE_SHIM_JS } from "./bridge-shim";
import { PAGES, STATIC_DIST } from "./build-static";
import { BOARDS_PATH, HOME_PAGE, renderBoardsPage } from "./home-page";
import { BROWSE_PREFIX, issueViewPath } from "./issue-view";
import { readWorkspaceFile } from "./workspace-board-source";

export interface ServerOptions {
  readonly ports: ResolverPorts;
  /** Required on every request when set: a non-loopback host is reachable by others. */
  readonly token: string | null;
  /** Where the built pages are; tests point it elsewhere. */
  readonly distDir?: string;
  /**
   * Whether a request's `Host` names this server. A loopback server answers only to loopback names,
   * so a web page the person visits cannot reach it through a DNS name it rebinds to 127.0.0.1.
   */
  readonly allowHost?: (hostname: string) => boolean;
  /** Linear's webhook deliveries (`POST /webhooks/linear`); absent when no Linear is mirrored. */
  readonly linearWebhook?: (request: {
    readonly rawBody: Buffer;
    readonly headers: IncomingMessage["headers"];
  }) => Promise<WebhookOutcome>;
  /**
   * "Connect Linear" through OAuth: `GET /linear/connect` redirects to Linear's consent page and
   * `GET /linear/oauth/callback` takes the redirect back; absent when no OAuth app is configured.
   */
  readonly linearOAuth?: {
    readonly start: () => Promise<string>;
    /** Answers the sentence to show; throws a LinearSyncError (or other) when refused. */
    readonly finish: (query: URLSearchParams) => Promise<string>;
  };
}

/** Larger bodies are refused unread: the biggest real payload (50 keys) is under 2 KB. */
const MAX_BODY = 64 * 1024;
/** An Issue event carries the issue's description, which may be long. */
const MAX_WEBHOOK_BODY = 1024 * 1024;
const TOKEN_COOKIE = "capacity_split_token";
/** Browsers ask every site for /favicon.ico; the app's icon answers it rather than a 404. */
const FAVICON = join(STATIC_DIST, "..", "assets", "icon.svg");
const PROJECT_KEY = /^[A-Z][A-Z0-9_]+$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/**
 * Sent with every answer. The pages load their scripts, styles and data from this server only and
 * may be framed by nothing but this server's own pages; the home page's one `<style>` block and
 * the pages' SVG charts need inline styles, which cannot run code.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; "),
  "x-frame-options": "SAMEORIGIN",
  "x-content-type-options": "nosniff",
};

const STATUS: Readonly<Record<AppErrorCode, number>> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UPSTREAM: 502,
  INTERNAL: 500,
};

/** The self-hosted host: the pages, the bridge shim, and the resolvers over HTTP. */
export function createAppServer(options: ServerOptions): Server {
  return createServer(createAppHandler(options));
}

/** What `createAppServer` answers requests with, for a server that is listening already. */
export function createAppHandler(options: ServerOptions): RequestListener {
  return (request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    handle(request, response, options).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) {
        sendJson(response, 500, failure("UPSTREAM", "The server failed; see its log."));
      } else response.end();
    });
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServerOptions,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const hostname = hostnameOf(request.headers.host);
  if (options.allowHost && (hostname === null || !options.allowHost(hostname))) {
    send(
      response,
      421,
      "text/plain; charset=utf-8",
      `This server does not answer to ${JSON.stringify(request.headers.host ?? "")}; open it by the address it printed.\n`,
    );
    return;
  }
  if (decodePathPart(url.pathname) === null) {
    send(response, 400, "text/plain; charset=utf-8", `${malformedPath(url.pathname)}\n`);
    return;
  }
  // Linear cannot send the access token; its signature is what authenticates a delivery.
  if (url.pathname === "/webhooks/linear") {
    await handleLinearWebhookRequest(request, response, options);
    return;
  }
  if (options.token !== null && !authorize(request, response, url, options.token)) {
    const message =
      "Unauthorized: open the URL with ?token=… that the server printed when it started.";
    if (url.pathname.startsWith("/api/")) sendJson(response, 401, failure("FORBIDDEN", message));
    else send(response, 401, "text/plain; charset=utf-8", `${message}\n`);
    return;
  }
  if (url.pathname.startsWith("/api/resolve/")) {
    await handleResolve(request, response, url, options.ports);
    return;
  }
  if (url.pathname === "/linear/connect" || url.pathname === "/linear/oauth/callback") {
    await handleLinearOAuth(response, url, options);
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  if (url.pathname === "/") {
    // The whole company first: the org page, its assets named from its own folder (the CSP's
    // `base-uri 'none'` rules out a <base>).
    await servePage(response, `/pages/${HOME_PAGE}/`, options.distDir ?? STATIC_DIST, {
      assetsFrom: `/pages/${HOME_PAGE}/`,
    });
    return;
  }
  if (url.pathname === BOARDS_PATH) {
    const file = await readWorkspaceFile(options.ports.store);
    send(response, 200, CONTENT_TYPES[".html"] ?? "", renderBoardsPage(file));
    return;
  }
  if (url.pathname === "/forge-bridge-shim.js") {
    send(response, 200, CONTENT_TYPES[".js"] ?? "", BRIDGE_SHIM_JS);
    return;
  }
  if (url.pathname === "/favicon.ico") {
    send(response, 200, CONTENT_TYPES[".svg"] ?? "", await readFile(FAVICON));
    return;
  }
  if (url.pathname.startsWith(BROWSE_PREFIX)) {
    const key = decodeURIComponent(url.pathname.slice(BROWSE_PREFIX.length));
    const path = issueViewPath(await readWorkspaceFile(options.ports.store), key);
    if (path === null) {
      send(
        response,
        404,
        "text/plain; charset=utf-8",
        `No board here holds an issue ${escapeJsonControls(JSON.stringify(key))}; the home page lists every board.\n`,
      );
    } else response.writeHead(302, { location: path }).end();
    return;
  }
  await servePage(response, url.pathname, options.distDir ?? STATIC_DIST);
}

/** "Connect Linear": off to Linear's consent page, and back with the code. Text only, no markup. */
async function handleLinearOAuth(
  response: ServerResponse,
  url: URL,
  options: ServerOptions,
): Promise<void> {
  const text = "text/plain; charset=utf-8";
  if (options.linearOAuth === undefined) {
    send(
      response,
      404,
      text,
      "Connect Linear needs an OAuth application: start the server with --linear and LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET set.\n",
    );
    return;
  }
  if (url.pathname === "/linear/connect") {
    response.writeHead(302, { location: await options.linearOAuth.start() }).end();
    return;
  }
  try {
    send(response, 200, text, `${await options.linearOAuth.finish(url.searchParams)}\n`);
  } catch (error) {
    send(response, 400, text, `${error instanceof Error ? error.message : String(error)}\n`);
  }
}

async function handleLinearWebhookRequest(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServerOptions,
): Promise<void> {
  if (options.linearWebhook === undefined) {
    sendJson(response, 404, {
      ok: false,
      error: "This server mirrors no Linear workspace; start it with --linear to receive webhooks.",
    });
    return;
  }
  if (request.method !== "POST") {
    response.writeHead(405, { allow: "POST" }).end();
    return;
  }
  const rawBody = await readRawBody(request, MAX_WEBHOOK_BODY);
  if (rawBody === null) {
    refuseTooLarge(request, response, {
      ok: false,
      error: `Deliveries are at most ${MAX_WEBHOOK_BODY} bytes.`,
    });
    return;
  }
  const outcome = await options.linearWebhook({ rawBody, headers: request.headers });
  sendJson(
    response,
    outcome.status,
    outcome.result === "refused"
      ? { ok: false, error: outcome.reason }
      : { ok: true, result: outcome.result },
  );
}

async function handleResolve(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  ports: ResolverPorts,
): Promise<void> {
  // `handle` answered 400 to a path with a malformed escape, so this part decodes.
  const key = decodeURIComponent(url.pathname.slice("/api/resolve/".length));
  if (request.method !== "POST") {
    sendJson(
      response,
      405,
      failure("BAD_REQUEST", "Resolvers are called with POST and a JSON body."),
    );
    return;
  }
  if (!Object.hasOwn(RESOLVERS, key)) {
    sendJson(
      response,
      404,
      failure(
        "NOT_FOUND",
        `Unknown resolver ${JSON.stringify(key)}. Known: ${Object.keys(RESOLVERS).join(", ")}.`,
      ),
    );
    return;
  }
  // A form or a no-cors fetch from another site cannot send this type without a CORS preflight,
  // which this server never grants: only the pages' own bridge can call a resolver.
  if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) {
    sendJson(
      response,
      415,
      failure("BAD_REQUEST", "Resolvers take a JSON body: send content-type: application/json."),
    );
    return;
  }
  const raw = await readRawBody(request, MAX_BODY);
  if (raw === null) {
    refuseTooLarge(
      request,
      response,
      failure("BAD_REQUEST", `The request body is larger than ${MAX_BODY} bytes.`),
    );
    return;
  }
  const body = raw.toString("utf8");
  let payload: unknown;
  try {
    payload = body.trim() === "" ? {} : JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    sendJson(response, 400, failure("BAD_REQUEST", `The request body is not JSON (${reason}).`));
    return;
  }
  const header = request.headers["x-capacity-project"];
  const projectKey = typeof header === "string" && PROJECT_KEY.test(header) ? header : null;
  const envelope = await runResolver(key, payload, { accountId: "local-user", projectKey }, ports);
  sendJson(response, envelope.ok ? 200 : STATUS[envelope.error.code], envelope);
}

async function servePage(
  response: ServerResponse,
  pathname: string,
  distDir: string,
  options: { readonly assetsFrom?: string } = {},
): Promise<void> {
  const match = /^\/pages\/([a-z-]+)\/(.*)$/.exec(pathname);
  const page = match?.[1];
  if (!match || !page || !PAGES.some((known) => known === page)) {
    send(
      response,
      404,
      "text/plain; charset=utf-8",
      `Not found: ${pathname}. The pages are listed at /.\n`,
    );
    return;
  }
  const pageDir = join(distDir, page);
  // `handle` answered 400 to a path with a malformed escape, so this part decodes.
  const relative = decodeURIComponent(match[2] ?? "") || "index.html";
  const path = normalize(join(pageDir, relative));
  if (!path.startsWith(pageDir + sep)) {
    send(response, 404, "text/plain; charset=utf-8", "Not found.\n");
    return;
  }
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch {
    send(
      response,
      404,
      "text/plain; charset=utf-8",
      `Not found: ${pathname}. Run npm run build:static.\n`,
    );
    return;
  }
  const type = CONTENT_TYPES[extname(path)] ?? "application/octet-stream";
  if (relative === "index.html") {
    // A classic script in <head> runs before the page's module script, which is deferred.
    const page = content.toString("utf8");
    const html = (
      options.assetsFrom === undefined ? page : page.replaceAll('="./', `="${options.assetsFrom}`)
    ).replace("<head>", '<head>\n    <script src="/forge-bridge-shim.js"></script>');
    send(response, 200, type, html);
    return;
  }
  send(response, 200, type, content);
}

function authorize(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  token: string,
): boolean {
  const given =
    url.searchParams.get("token") ??
    /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ??
    parseCookie(request.headers.cookie ?? "", TOKEN_COOKIE);
  if (given === null || given === undefined || !sameSecret(given, token)) return false;
  if (url.searchParams.has("token")) {
    // The pages' own requests carry the cookie, so the token is typed once per browser.
    response.setHeader(
      "set-cookie",
      `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
    );
  }
  return true;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseCookie(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/**
 * The body as sent (a webhook's signature is over these bytes), or null as soon as it passes
 * `limit` bytes: reading stops there (or before the first byte, when `content-length` says so),
 * so a huge body costs no more than the limit.
 */
function readRawBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off("data", onData);
      request.pause();
      resolve(null);
    };
    request.on("data", onData);
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/**
 * 413 and the connection closed once the answer is out: the rest of the body is never read, and
 * no later request can follow on a connection whose body was left unread.
 */
function refuseTooLarge(request: IncomingMessage, response: ServerResponse, body: unknown): void {
  response.setHeader("connection", "close");
  response.on("finish", () => request.socket.destroy());
  sendJson(response, 413, body);
}

/** A percent-decoded path, or null when its `%` escapes are malformed or not UTF-8. */
function decodePathPart(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

function malformedPath(pathname: string): string {
  return `Bad request: the path ${JSON.stringify(pathname)} has a malformed % escape.`;
}

/** `127.0.0.1` from `127.0.0.1:3000`, `::1` from `[::1]:3000`; null when absent or unreadable. */
function hostnameOf(host: string | undefined): string | null {
  if (host === undefined || host === "") return null;
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[(.*)\]$/, "$1");
  } catch {
    return null;
  }
}

function failure(code: AppErrorCode, message: string): Envelope {
  return { ok: false, error: { code, message } };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, "application/json; charset=utf-8", JSON.stringify(body));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  response.end(body);
}
