import { z } from "zod";
import {
  isOwnEcho,
  recordedWriteSchema,
  verifyLinearWebhook,
  WEBHOOK_TIMESTAMP_TOLERANCE_MS,
  type WebhookVerdict,
} from "../linear/index";
import { type Store, storeKeys } from "../store/index";
import { markRelistDue } from "./linear-incremental-pull";
import { isAppEcho, readLinearOAuth } from "./linear-oauth";

export type WebhookOutcome =
  | { readonly status: 200; readonly result: "accepted" | "duplicate" | "ignored" }
  | { readonly status: 400 | 401; readonly result: "refused"; readonly reason: string };

/**
 * A Linear webhook delivery, in either host: verified (401 on a bad, stale or missing signature or
 * timestamp, nothing changed), deduplicated, ignored when it is the echo of the sync's own write
 * (`isOwnEcho`), then handed to `enqueue` for the heavy work, so the answer goes back fast.
 *
 * A delivery counts as seen when its signed body was seen (a replay, whatever its headers) or its
 * `Linear-Delivery` id was (Linear's own retry). Each is claimed with `setIfAbsent`, so of two
 * identical deliveries arriving at once (Linear retrying one it thinks timed out) exactly one is
 * handed over and the other answers "duplicate", on every host's store. Each record expires a
 * minute after its timestamp would be refused as stale anyway, and expired ones are swept on each
 * delivery, so the store holds only the last couple of minutes' deliveries.
 */
export async function handleLinearWebhook(
  request: Parameters<typeof verifyLinearWebhook>[0],
  ports: {
    readonly store: Store;
    readonly enqueue: (event: Extract<WebhookVerdict, { ok: true }>["event"]) => Promise<void>;
    readonly now?: () => number;
  },
): Promise<WebhookOutcome> {
  const verdict = verifyLinearWebhook(request);
  if (!verdict.ok) return { status: verdict.status, result: "refused", reason: verdict.reason };
  const now = ports.now?.() ?? Date.now();
  await sweepDeliveryRecords(ports.store, now);
  const keys = [storeKeys.linearDeliveredBody(verdict.bodyHash)];
  if (verdict.deliveryId !== null) keys.push(storeKeys.linearDelivery(verdict.deliveryId));
  const record: DeliveryRecord = {
    expiresAt:
      verdict.event.webhookTimestamp + WEBHOOK_TIMESTAMP_TOLERANCE_MS + DELIVERY_RECORD_GRACE_MS,
  };
  // A claim won stays: a body seen once is a replay later, whichever claim it lost.
  for (const key of keys) {
    if (!(await ports.store.setIfAbsent(key, record))) return { status: 200, result: "duplicate" };
  }
  // Connected as an app (`actor=app`), the sync's writes carry the app user as their actor.
  if (isAppEcho(verdict.event, await readLinearOAuth(ports.store))) {
    return { status: 200, result: "ignored" };
  }
  const recorded = recordedWriteSchema.safeParse(
    await ports.store.get(storeKeys.linearWrite(verdict.event.data.id)),
  );
  if (isOwnEcho(verdict.event, recorded.success ? recorded.data : undefined, now)) {
    return { status: 200, result: "ignored" };
  }
  if (leavesTeam(verdict.event)) await markRelistDue(ports.store, now);
  try {
    await ports.enqueue(verdict.event);
  } catch (error) {
    // Not handed over: Linear's retry of this delivery must not be taken for a duplicate.
    for (const key of keys) await ports.store.delete(key);
    throw error;
  }
  return { status: 200, result: "accepted" };
}

/**
 * Whether an Issue event tells of an issue leaving its team's issues: removed (Linear's `remove`
 * action, linear.app/developers/webhooks), or updated with a new team, into the trash or archive
 * (`updatedFrom` holds the previous values of the fields that changed).
 */
function leavesTeam(event: Extract<WebhookVerdict, { ok: true }>["event"]): boolean {
  if (event.type !== "Issue") return false;
  if (event.action === "remove") return true;
  const from = event.updatedFrom ?? {};
  return event.action === "update" && ("teamId" in from || "trashed" in from);
}

/**
 * How long a delivery record outlives the window in which its body is accepted: the clock that
 * sweeps (another host's, or read a moment after the signature was checked) may run ahead of the
 * one that checks, and a record swept early would let a replay through at the window's edge.
 */
const DELIVERY_RECORD_GRACE_MS = 60_000;

const deliveryRecordSchema = z.object({ expiresAt: z.number() });
type DeliveryRecord = z.infer<typeof deliveryRecordSchema>;

/** Deletes the delivery records whose deliveries would now be refused as stale. */
async function sweepDeliveryRecords(store: Store, now: number): Promise<void> {
  for (const entry of await store.listByPrefix(storeKeys.linearDeliveryPrefix())) {
    const record = deliveryRecordSchema.safeParse(entry.value);
    if (!record.success || record.data.expiresAt < now) await store.delete(entry.key);
  }
}
