import type { Report } from "../domain/index";
import { PROPERTY_BATCH_SIZE } from "../jira/index";
import { TaskPool } from "../shared/index";
import type { BoardData } from "./board-data";
import { readWrittenCategories, writeWrittenCategories, type SyncPorts } from "./board-sync";

/** Property write requests in flight at once. */
const PROPERTY_WRITE_CONCURRENCY = 4;

/**
 * Writes the `capacity-split` property of every item whose category, source or ancestor differs
 * from what was last written, 100 issues a request. What Jira took is recorded as it goes, so a
 * failure midway leaves only the rest to write, and a repeat writes nothing.
 */
export async function writeChangedProperties(
  boardId: number,
  ports: SyncPorts,
  data: BoardData,
  items: Report["teams"][number]["items"],
): Promise<number> {
  const written = await readWrittenCategories(ports.store, boardId);
  const idByKey = new Map([...data.issues.values()].map((issue) => [issue.key, issue.id]));
  const pending = items.filter((item) => {
    const last = written.get(item.id);
    return (
      idByKey.has(item.id) &&
      (last === undefined ||
        last.category !== item.category ||
        last.source !== item.source ||
        last.via !== item.via)
    );
  });
  const updatedAt = new Date(ports.now()).toISOString();
  const pool = new TaskPool(PROPERTY_WRITE_CONCURRENCY);
  let count = 0;
  for (let start = 0; start < pending.length; start += PROPERTY_BATCH_SIZE) {
    const batch = pending.slice(start, start + PROPERTY_BATCH_SIZE);
    pool.add(async () => {
      await ports.jira.setCategoryProperties(
        batch.map((item) => ({
          issueId: idByKey.get(item.id) ?? "",
          value: { category: item.category, source: item.source, via: item.via, updatedAt },
        })),
      );
      for (const { id, category, source, via } of batch) written.set(id, { category, source, via });
      count += batch.length;
    });
  }
  try {
    await pool.drain();
  } finally {
    if (count > 0) await writeWrittenCategories(ports.store, boardId, written);
  }
  return count;
}
