/**
 * Opaque page tokens, as Jira's `nextPageToken`: they name a query and an offset and carry the
 * site's token generation, so expiring every token is one counter bump.
 */
export interface PageToken {
  readonly query: string;
  readonly offset: number;
  readonly generation: number;
}

export function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify([token.query, token.offset, token.generation])).toString(
    "base64url",
  );
}

/** The token's contents, or null when it is not one of ours. */
export function decodeToken(text: string): PageToken | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [query, offset, generation] = value as unknown[];
    if (typeof query !== "string" || typeof offset !== "number" || typeof generation !== "number") {
      return null;
    }
    return { query, offset, generation };
  } catch {
    return null;
  }
}
