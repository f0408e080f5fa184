import {
  LINEAR_WEBHOOK_SIGNATURE_HEADER,
  LINEAR_WEBHOOK_TS_HEADER,
  LinearWebhookClient,
} from "@linear/sdk/webhooks";
import { z } from "zod";

/** Linear's delivery id header: the same delivery retried carries the same id. */
export const LINEAR_DELIVERY_HEADER = "linear-delivery";

/** The part of Linear's Issue and Cycle webhook payloads the sync reacts to. */
const webhookPayloadSchema = z.object({
  type: z.string(),
  action: z.string(),
  webhookTimestamp: z.number(),
  organizationId: z.string().optional(),
  data: z.looseObject({ id: z.string() }),
});
export type LinearWebhookEvent = z.infer<typeof webhookPayloadSchema>;

export type WebhookVerdict =
  | { readonly ok: true; readonly event: LinearWebhookEvent; readonly deliveryId: string | null }
  | { readonly ok: false; readonly status: 400 | 401; readonly reason: string };

/**
 * Verifies a Linear webhook with the SDK's helper: `Linear-Signature` is the hex HMAC-SHA256 of the
 * raw body under the webhook secret, and the delivery's timestamp must be within 60 s of now.
 * The SDK skips the time check when it gets no timestamp, so a payload without
 * `webhookTimestamp` is refused here: a replay must never pass for want of a time.
 * Bad or stale signatures → 401, a well-signed body that is not a webhook payload → 400.
 */
export function verifyLinearWebhook(request: {
  readonly rawBody: string | Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly secret: string;
}): WebhookVerdict {
  const header = (name: string) => {
    const value = request.headers[name] ?? request.headers[name.toLowerCase()];
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
  const parsed = webhookPayloadSchema.safeParse(body);
  const timestamp = parsed.success
    ? parsed.data.webhookTimestamp
    : header(LINEAR_WEBHOOK_TS_HEADER);
  if (timestamp === undefined) {
    return { ok: false, status: 401, reason: "missing webhook timestamp" };
  }
  try {
    new LinearWebhookClient(request.secret).verify(raw, signature, timestamp);
  } catch (error) {
    return { ok: false, status: 401, reason: error instanceof Error ? error.message : "invalid" };
  }
  if (!parsed.success) {
    return { ok: false, status: 400, reason: "body is not a Linear webhook payload" };
  }
  return { ok: true, event: parsed.data, deliveryId: header(LINEAR_DELIVERY_HEADER) ?? null };
}
