import Database from "better-sqlite3";
import type { Store, StoredEntry } from "../store";

/**
 * The Store port on one SQLite file: the self-hosted server's truth, so a restart keeps every
 * classification and target. Values are JSON text, like Forge KVS; secrets live in their own
 * table so a prefix listing can never return them.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    // WAL: readers never wait for the writer, and a crash mid-write leaves the last commit intact.
    this.db.pragma("journal_mode = WAL");
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL);" +
        "CREATE TABLE IF NOT EXISTS secrets (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    );
  }

  close(): void {
    this.db.close();
  }

  get(key: string): Promise<unknown> {
    const row = this.db.prepare("SELECT value FROM entries WHERE key = ?").pluck().get(key);
    return Promise.resolve(typeof row === "string" ? parseJson(row) : undefined);
  }

  set(key: string, value: unknown): Promise<void> {
    this.db
      .prepare(
        "INSERT INTO entries (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(key, JSON.stringify(value));
    return Promise.resolve();
  }

  setIfAbsent(key: string, value: unknown): Promise<boolean> {
    // One statement: SQLite's write lock makes it atomic across every connection to the file.
    const result = this.db
      .prepare("INSERT INTO entries (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING")
      .run(key, JSON.stringify(value));
    return Promise.resolve(result.changes === 1);
  }

  delete(key: string): Promise<void> {
    this.db.prepare("DELETE FROM entries WHERE key = ?").run(key);
    return Promise.resolve();
  }

  listByPrefix(prefix: string): Promise<StoredEntry[]> {
    // Compared with substr rather than LIKE, so `_` and `%` in a key are plain characters.
    const rows: unknown[] = this.db
      .prepare("SELECT key, value FROM entries WHERE substr(key, 1, ?) = ? ORDER BY key")
      .all(prefix.length, prefix);
    const entries: StoredEntry[] = [];
    for (const row of rows) {
      if (isRow(row)) entries.push({ key: row.key, value: parseJson(row.value) });
    }
    return Promise.resolve(entries);
  }

  getSecret(key: string): Promise<string | undefined> {
    const row = this.db.prepare("SELECT value FROM secrets WHERE key = ?").pluck().get(key);
    return Promise.resolve(typeof row === "string" ? row : undefined);
  }

  setSecret(key: string, value: string): Promise<void> {
    this.db
      .prepare(
        "INSERT INTO secrets (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(key, value);
    return Promise.resolve();
  }
}

function isRow(row: unknown): row is { key: string; value: string } {
  return (
    typeof row === "object" &&
    row !== null &&
    "key" in row &&
    typeof row.key === "string" &&
    "value" in row &&
    typeof row.value === "string"
  );
}

function parseJson(text: string): unknown {
  return JSON.parse(text);
}
