import { z } from "zod";
import { type Store, storeKeys } from "../store/index";

/**
 * The record each Linear sync run leaves (`runLinearSync` writes it, the admin page shows it). Its
 * own module so the admin page's types reach it without the sync's Node-only parts.
 */
export const lastLinearSyncSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  message: z.string(),
  teams: z.array(z.string()),
  changes: z.array(z.string()),
  /** Set when the run stopped for Linear's rate limit and the host continues it then. */
  continuesAt: z.string().optional(),
});

export type LastLinearSync = z.infer<typeof lastLinearSyncSchema>;

/** The outcome of the last sync run that was not a dry run; null before the first. */
export async function readLastLinearSync(store: Store): Promise<LastLinearSync | null> {
  const parsed = lastLinearSyncSchema.safeParse(await store.get(storeKeys.linearLastSync()));
  return parsed.success ? parsed.data : null;
}
