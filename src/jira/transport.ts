/**
 * The port every Jira request goes through. A request carries its path as literal parts and the
 * values between them, never as one interpolated string: Forge's `route` tag checks each value it
 * is given (https://go.atlassian.com/product-fetch-api-route), so the Forge transport must be able to
 * hand the values over separately, and the Node transport encodes each one itself.
 */

export type JiraMethod = "GET" | "POST" | "PUT" | "DELETE";

/** `parts.length === params.length + 1`, like a template literal's strings and values. */
export interface JiraPath {
  readonly parts: readonly string[];
  readonly params: readonly (string | number)[];
}

export type QueryValue = string | number | boolean | readonly (string | number)[];

export interface JiraRequest {
  readonly method: JiraMethod;
  readonly path: JiraPath;
  /** Sent as `?key=value&…`; arrays become one comma-separated value, as Jira's list parameters expect. */
  readonly query?: Readonly<Record<string, QueryValue | undefined>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /**
   * Whose permissions decide (Forge `asApp()` or `asUser()`). The Node transport has one identity,
   * the API token's owner, and ignores it.
   */
  readonly as?: "app" | "user";
  /**
   * `manual`: a redirect is answered as it came (its status and `Location`), not followed, as
   * `fetch`'s `redirect: "manual"`. For Jira's asynchronous endpoints, whose 303 names a task.
   */
  readonly redirect?: "manual";
}

export interface JiraResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The raw body; the client parses it, so a malformed body is the client's error to type. */
  readonly text: string;
}

/** Where requests go and which credentials they use, for messages that say what to fix. */
export interface TransportDescription {
  /** `https://example.atlassian.net`, or a phrase such as "this Jira site". */
  readonly site: string;
  /** What to check when Jira answers 401: `JIRA_EMAIL and JIRA_API_TOKEN`. */
  readonly credentials: string;
}

export interface JiraTransport {
  readonly description: TransportDescription;
  /**
   * Sends one request and resolves with whatever Jira answered, error statuses included. Rejects
   * only when no answer arrived: an `UpstreamError` for network failures and timeouts, or the
   * host platform's own error as it was (Forge's "no consent yet"), which is no Jira failure.
   */
  send(request: JiraRequest): Promise<JiraResponse>;
}

/**
 * Builds a {@link JiraPath} from a template literal, so call sites read like the endpoint they
 * call: `jiraPath\`/rest/api/3/issue/${key}\``.
 */
export function jiraPath(
  strings: TemplateStringsArray,
  ...params: readonly (string | number)[]
): JiraPath {
  return { parts: [...strings], params };
}

/** `/rest/api/3/issue/{0}`: the path with placeholders, for request counting and messages. */
export function pathPattern(path: JiraPath): string {
  return path.parts.reduce((out, part, i) => (i === 0 ? part : `${out}{${i - 1}}${part}`), "");
}

/** The path with its values filled in as they are, for messages only (never sent). */
export function describePath(path: JiraPath): string {
  return path.parts.reduce(
    (out, part, i) => `${out}${i === 0 ? "" : String(path.params[i - 1])}${part}`,
    "",
  );
}

/**
 * `key=value&…` of the defined entries, each key and value encoded, arrays joined with commas.
 * Keys are the client's own literals, checked here so a typo cannot smuggle a `&` or `=` in.
 */
export function encodeQuery(query: JiraRequest["query"]): string {
  if (query === undefined) return "";
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    assertQueryKey(key);
    const text = Array.isArray(value) ? value.join(",") : String(value);
    pairs.push(`${key}=${encodeURIComponent(text)}`);
  }
  return pairs.join("&");
}

export function assertQueryKey(key: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(key)) {
    throw new Error(`Invalid Jira query parameter name ${JSON.stringify(key)}.`);
  }
}
