import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyLinearWebhook } from "../../src/linear/index";

const SECRET = "lin_wh_fake_secret";

function delivery(overrides: { body?: Record<string, unknown>; secret?: string } = {}) {
  const body = JSON.stringify(
    overrides.body ?? {
      type: "Issue",
      action: "update",
      webhookTimestamp: Date.now(),
      data: { id: "issue-1", title: "Retire v1 queue" },
    },
  );
  const signature = createHmac("sha256", overrides.secret ?? SECRET)
    .update(body)
    .digest("hex");
  return { rawBody: body, headers: { "linear-signature": signature, "linear-delivery": "d-1" } };
}

describe("verifyLinearWebhook", () => {
  it("accepts a well-signed, fresh delivery and hands back its event, delivery id and body hash", () => {
    const request = delivery();
    const verdict = verifyLinearWebhook({ ...request, secret: SECRET });
    expect(verdict).toMatchObject({
      ok: true,
      deliveryId: "d-1",
      bodyHash: createHash("sha256").update(request.rawBody).digest("hex"),
      event: { type: "Issue", action: "update", data: { id: "issue-1" } },
    });
  });

  it.each([
    ["a forged signature", { ...delivery({ secret: "someone-else" }) }],
    [
      "a stale timestamp",
      delivery({
        body: {
          type: "Issue",
          action: "update",
          webhookTimestamp: Date.now() - 61_000,
          data: { id: "i" },
        },
      }),
    ],
    [
      "no timestamp at all",
      delivery({ body: { type: "Issue", action: "update", data: { id: "i" } } }),
    ],
    [
      "a zero timestamp, which the SDK's own check lets through",
      delivery({
        body: { type: "Issue", action: "update", webhookTimestamp: 0, data: { id: "i" } },
      }),
    ],
    [
      "a timestamp that is not a whole number of milliseconds",
      delivery({
        body: { type: "Issue", action: "update", webhookTimestamp: "now", data: { id: "i" } },
      }),
    ],
    [
      "a fresh time only in the unsigned Linear-Timestamp header",
      {
        ...delivery({ body: { type: "Issue", action: "update", data: { id: "i" } } }),
        headers: {
          ...delivery({ body: { type: "Issue", action: "update", data: { id: "i" } } }).headers,
          "linear-timestamp": String(Date.now()),
        },
      },
    ],
    ["no signature", { rawBody: "{}", headers: {} }],
  ])("refuses %s with 401", (_name, request) => {
    expect(verifyLinearWebhook({ ...request, secret: SECRET })).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it("refuses a tampered body with 401", () => {
    const request = delivery();
    const tampered = request.rawBody.replace("Retire", "Keep");
    expect(
      verifyLinearWebhook({ rawBody: tampered, headers: request.headers, secret: SECRET }),
    ).toMatchObject({ ok: false, status: 401 });
  });
});
