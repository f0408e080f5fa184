import { createHmac } from "node:crypto";
import type { FakeWebhookEvent } from "./resolvers";

/**
 * A webhook delivery as Linear makes it: the JSON body, `Linear-Signature` as the hex
 * HMAC-SHA256 of the raw body under the webhook's secret, and `Linear-Delivery`.
 */
export function signedWebhook(
  event: FakeWebhookEvent | Record<string, unknown>,
  options: { readonly secret: string; readonly deliveryId: string; readonly at?: number },
): {
  readonly rawBody: string;
  readonly headers: Record<string, string>;
  readonly secret: string;
} {
  const rawBody = JSON.stringify({ ...event, webhookTimestamp: options.at ?? Date.now() });
  return {
    rawBody,
    headers: {
      "linear-signature": createHmac("sha256", options.secret).update(rawBody).digest("hex"),
      "linear-delivery": options.deliveryId,
      "linear-event": String(event.type),
      "content-type": "application/json",
    },
    secret: options.secret,
  };
}
