import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { MemoryStore, type Store, type StoredEntry } from "../store/index";
import { CliError } from "./args";
import { syncDirectory, writeFileAtomically } from "./io";

/** Below this, the journal is never folded into the file: small runs write the file once. */
const MIN_JOURNAL_BYTES = 4 * 1024 * 1024;

const journalLineSchema = z.union([
  z.object({ set: z.string(), value: z.unknown() }),
  z.object({ delete: z.string() }),
]);

/**
 * The sync's store for a CLI run: in memory, kept in `--state FILE` (one JSON object of keys and
 * values) so a later run continues from the cursors and knows which labels it wrote.
 *
 * Every change is saved as it is made, as the server's SQLite store saves it: appended as one
 * line to `FILE.journal`, which the next open replays over the file. A run killed at any point
 * therefore keeps everything it recorded, the write-back record before each batch included; a
 * line cut short by the kill is the last one and is dropped, as its change was never relied on.
 * `save` folds the journal into the file (written whole to a temporary sibling, flushed, renamed,
 * the directory flushed) and removes the journal; it also runs when the journal outgrows the
 * file, so the journal never costs more than rewriting the file would. Each journal line is
 * flushed to disk before the change is relied on, so a crash of the machine, not only of the
 * process, keeps what was recorded and never loses the state before it.
 */
export class StateFileStore implements Store {
  private readonly memory = new MemoryStore();
  private journalBytes = 0;
  private fileBytes = 0;

  private constructor(
    private readonly file: string | undefined,
    private readonly readOnly: boolean,
  ) {}

  /** The state of `file` (none: an empty state kept nowhere); `readOnly` saves nothing. */
  static async open(
    file: string | undefined,
    options: { readonly readOnly?: boolean } = {},
  ): Promise<StateFileStore> {
    const store = new StateFileStore(file, options.readOnly === true);
    if (file !== undefined) await store.load(file);
    return store;
  }

  private get journal(): string | undefined {
    return this.file === undefined ? undefined : `${this.file}.journal`;
  }

  private async load(file: string): Promise<void> {
    if (existsSync(file)) {
      const text = readState(file, file);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw unreadable(file, error);
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new CliError(`--state ${file} is not a sync state file. Remove it to start afresh.`);
      }
      for (const [key, value] of Object.entries(parsed)) await this.memory.set(key, value);
      this.fileBytes = Buffer.byteLength(text);
    }
    const journal = `${file}.journal`;
    if (!existsSync(journal)) return;
    const text = readState(journal, file);
    const lines = text.split("\n");
    const complete = lines.slice(0, -1);
    // A cut-short last line is dropped from the file too, or this run's first change would be
    // appended to it and make a damaged line of both.
    if (lines.at(-1) !== "" && !this.readOnly) {
      const kept = Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1));
      try {
        truncateSync(journal, kept);
      } catch (error) {
        throw new CliError(`Cannot write --state ${file}: ${reason(error)}`, 1);
      }
    }
    for (const [index, line] of complete.entries()) {
      const change = parseJournalLine(line);
      if (change === null) {
        throw new CliError(
          `--state ${file}: line ${index + 1} of ${journal} is damaged. Remove both files to start afresh.`,
        );
      }
      if ("set" in change) await this.memory.set(change.set, change.value);
      else await this.memory.delete(change.delete);
    }
    this.journalBytes = Buffer.byteLength(complete.join("\n"));
  }

  /** Folds the journal into the file; nothing to do without a file or when read-only. */
  async save(): Promise<void> {
    const journal = this.journal;
    if (this.file === undefined || journal === undefined || this.readOnly) return;
    if (this.journalBytes === 0 && existsSync(this.file)) return;
    const entries: Record<string, unknown> = {};
    for (const { key, value } of await this.memory.listByPrefix("")) entries[key] = value;
    const text = JSON.stringify(entries);
    writeAtomically(this.file, text);
    // The file now holds every change in the journal; replaying it again would change nothing.
    rmSync(journal, { force: true });
    this.fileBytes = Buffer.byteLength(text);
    this.journalBytes = 0;
  }

  get(key: string): Promise<unknown> {
    return this.memory.get(key);
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.memory.set(key, value);
    await this.record({ set: key, value });
  }

  async setIfAbsent(key: string, value: unknown): Promise<boolean> {
    if (!(await this.memory.setIfAbsent(key, value))) return false;
    await this.record({ set: key, value });
    return true;
  }

  async delete(key: string): Promise<void> {
    await this.memory.delete(key);
    await this.record({ delete: key });
  }

  listByPrefix(prefix: string): Promise<StoredEntry[]> {
    return this.memory.listByPrefix(prefix);
  }

  getSecret(): Promise<string | undefined> {
    // The CLI's only secret is LINEAR_API_KEY, read from the environment.
    return Promise.resolve(undefined);
  }

  setSecret(): Promise<void> {
    return Promise.reject(new Error("The CLI keeps no secrets."));
  }

  private async record(change: z.infer<typeof journalLineSchema>): Promise<void> {
    const journal = this.journal;
    if (this.file === undefined || journal === undefined || this.readOnly) return;
    const line = `${JSON.stringify(change)}\n`;
    try {
      mkdirSync(dirname(journal), { recursive: true });
      appendDurably(journal, line);
    } catch (error) {
      throw new CliError(`Cannot write --state ${this.file}: ${reason(error)}`, 1);
    }
    this.journalBytes += Buffer.byteLength(line);
    if (this.journalBytes > Math.max(MIN_JOURNAL_BYTES, this.fileBytes)) await this.save();
  }
}

/** Appends `line` and flushes it; a journal just created gets its directory entry flushed too. */
function appendDurably(journal: string, line: string): void {
  const created = !existsSync(journal);
  const fd = openSync(journal, "a");
  try {
    // writeFileSync on a descriptor writes every byte, looping over short writes.
    writeFileSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) syncDirectory(dirname(journal));
}

function parseJournalLine(line: string): z.infer<typeof journalLineSchema> | null {
  try {
    const parsed = journalLineSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function readState(path: string, file: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw unreadable(file, error);
  }
}

function unreadable(file: string, error: unknown): CliError {
  return new CliError(`Cannot read --state ${file}: ${reason(error)}. Remove it to start afresh.`);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The file is the old state or the new, never half (see `writeFileAtomically`). */
function writeAtomically(path: string, content: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new CliError(`Cannot write --state ${path}: ${reason(error)}`, 1);
  }
  writeFileAtomically(path, content, "--state");
}
