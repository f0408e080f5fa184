import { createHmac } from "node:crypto";
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
  it("accepts a well-signed, fresh delivery and hands back its event and delivery id", () => {
    const verdict = verifyLinearWebhook({ ...delivery(), secret: SECRET });
    expect(verdict).toMatchObject({
      ok: true,
      deliveryId: "d-1",
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
