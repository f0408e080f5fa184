import { createHash } from "node:crypto";
import { LINEAR_WEBHOOK_SIGNATURE_HEADER, LinearWebhookClient } from "@linear/sdk/webhooks";
import { z } from "zod";

/*
 * What Linear documents: its SDK guide (https://linear.app/docs/api/sdk-webhooks) verifies a
 * delivery with `Linear-Signature`, the hex HMAC-SHA256 of the raw body under the signing secret,
 * and the body's `webhookTimestamp` (epoch ms, so inside the signed bytes); `verify` in
 * @linear/sdk 88.3.0 allows one minute either way and skips the time check when the timestamp is
 * missing or 0. The webhook guide (https://linear.app/developers/webhooks) names `Linear-Delivery`
 * a per-delivery id, a header and so not signed: anyone replaying a captured body can change it.
 */

/** Linear's delivery id header: the same delivery retried carries the same id. */
export const LINEAR_DELIVERY_HEADER = "linear-delivery";

/**
 * How far `webhookTimestamp` may be from now: the SDK's `verify` allows one minute either way, so a
 * body older than its timestamp plus this is refused as stale and needs no replay record.
 */
export const WEBHOOK_TIMESTAMP_TOLERANCE_MS = 60_000;

/** The part of Linear's Issue and Cycle webhook payloads the sync reacts to. */
const webhookPayloadSchema = z.object({
  type: z.string(),
  action: z.string(),
  webhookTimestamp: z.number(),
  organizationId: z.string().optional(),
  data: z.looseObject({ id: z.string() }),
  // Linear puts the previous values of the fields an update changed here, and nothing else.
  updatedFrom: z.record(z.string(), z.unknown()).optional(),
  // Who made the change; with an `actor=app` connection, the app's own user for the sync's writes.
  actor: z.looseObject({ id: z.string() }).optional(),
});
export type LinearWebhookEvent = z.infer<typeof webhookPayloadSchema>;

export type WebhookVerdict =
  | {
      readonly ok: true;
      readonly event: LinearWebhookEvent;
      /** The unsigned `Linear-Delivery` header: recognises Linear's own retries, nothing more. */
      readonly deliveryId: string | null;
      /** SHA-256 (hex) of the signed body: what a replay cannot change. */
      readonly bodyHash: string;
    }
  | { readonly ok: false; readonly status: 400 | 401; readonly reason: string };

/**
 * Verifies a Linear webhook with the SDK's helper: `Linear-Signature` is the hex HMAC-SHA256 of the
 * raw body under the webhook secret, and the body's `webhookTimestamp` must be within
 * {@link WEBHOOK_TIMESTAMP_TOLERANCE_MS} of now. The SDK skips the time check when the timestamp
 * is missing or zero, and would take one from an unsigned `Linear-Timestamp` header; so only the
 * signed body's timestamp counts here, and a missing, zero or negative one is refused like a bad
 * signature: a replay must never pass for want of a time.
 * Bad or stale signatures → 401, a well-signed body that is not a webhook payload → 400.
 */
export function verifyLinearWebhook(request: {
  readonly rawBody: string | Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly secret: string;
}): WebhookVerdict {
  // Header names are case-insensitive: Node lower-cases them, Forge hands them over as sent.
  const header = (name: string) => {
    const wanted = name.toLowerCase();
    const found = Object.entries(request.headers).find(([key]) => key.toLowerCase() === wanted);
    const value = found?.[1];
    return Array.isArray(value) ? value[0] : value;
  };
  const signature = header(LINEAR_WEBHOOK_SIGNATURE_HEADER);
  if (signature === undefined || signature === "") {
    return { ok: false, status: 401, reason: "missing Linear-Signature header" };
  }
  const raw = typeof request.rawBody === "string" ? Buffer.from(request.rawBody) : request.rawBody;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    body = undefined;
  }
  const timestamp = signedTimestamp(body);
  if (timestamp === null) {
    return {
      ok: false,
      status: 401,
      reason: "missing or invalid webhookTimestamp in the signed body",
    };
  }
  try {
    new LinearWebhookClient(request.secret).verify(raw, signature, timestamp);
  } catch (error) {
    return { ok: false, status: 401, reason: error instanceof Error ? error.message : "invalid" };
  }
  const parsed = webhookPayloadSchema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, status: 400, reason: "body is not a Linear webhook payload" };
  }
  return {
    ok: true,
    event: parsed.data,
    deliveryId: header(LINEAR_DELIVERY_HEADER) ?? null,
    bodyHash: createHash("sha256").update(raw).digest("hex"),
  };
}

/** The body's `webhookTimestamp` when it is a positive whole number of milliseconds. */
function signedTimestamp(body: unknown): number | null {
  if (typeof body !== "object" || body === null || !("webhookTimestamp" in body)) return null;
  const value = body.webhookTimestamp;
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/**
 * A write the sync made to a Linear entity: an issue's labels (classify, write-back), a label,
 * project, document or project update it created or changed. Kept so the webhook that write causes is
 * recognised as the sync's own echo.
 */
export const recordedWriteSchema = z.object({
  type: z.enum(["Issue", "IssueLabel", "Project", "Document", "ProjectUpdate"]),
  at: z.number(),
  /** The labels right after the write (Issue writes only). */
  labelIds: z.array(z.string()).optional(),
});
export type RecordedWrite = z.infer<typeof recordedWriteSchema>;

/**
 * How long after a write its webhook still counts as the echo: Linear delivers within seconds,
 * and a retried delivery comes back after about a minute.
 */
export const ECHO_WINDOW_MS = 5 * 60_000;

/** Fields every update carries besides what changed; they say nothing about who changed what. */
const BOOKKEEPING_FIELDS = new Set(["updatedAt", "sortOrder"]);

/**
 * Whether a webhook event is the echo of the sync's own write. Linear's payload names an
 * `actor`, but with a personal API key that is the key's owner, the same person whose own edits
 * must not be ignored; so the event is matched against the recorded write instead: same entity
 * and type, within {@link ECHO_WINDOW_MS}, and for an issue the labels exactly as the sync left
 * them with nothing but labels changed.
 */
export function isOwnEcho(
  event: LinearWebhookEvent,
  write: RecordedWrite | undefined,
  now: number,
): boolean {
  if (write === undefined || write.type !== event.type) return false;
  if (event.action !== "update" && event.action !== "create") return false;
  if (Math.abs(now - write.at) > ECHO_WINDOW_MS) return false;
  if (event.type !== "Issue") return true;
  const labelIds = z.array(z.string()).safeParse(event.data.labelIds);
  if (!labelIds.success || write.labelIds === undefined) return false;
  const after = new Set(labelIds.data);
  if (after.size !== write.labelIds.length || write.labelIds.some((id) => !after.has(id))) {
    return false;
  }
  const changed = Object.keys(event.updatedFrom ?? {}).filter((f) => !BOOKKEEPING_FIELDS.has(f));
  return changed.every((field) => field === "labelIds");
}
