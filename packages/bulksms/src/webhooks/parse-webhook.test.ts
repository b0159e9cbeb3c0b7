import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBulkSmsWebhook } from "./parse-webhook.js";
import { verifyWebhookSecret, webhookUrlWithSecret } from "./webhook-secret.js";

const flat = {
  id: "953262833859043328",
  type: "SENT",
  from: "447000000000",
  to: "27821234567",
  body: "Hi",
  encoding: "TEXT",
  submission: { id: "2-00000000001865236111", date: "2026-01-01T00:00:00Z" },
  status: { id: "DELIVERED.null", type: "DELIVERED", subtype: null },
  userSuppliedId: "ghl-1",
  relatedSentMessageId: null,
  numberOfParts: 1,
  creditCost: 1,
};

describe("parseBulkSmsWebhook", () => {
  it("parses the flat v1 shape, E.164 numbers, string ids and headers", () => {
    const r = parseBulkSmsWebhook(JSON.stringify([flat]), {
      "X-BulkSMS-Event": "status-report",
      "X-BulkSMS-Delivery-Attempt": "2",
      "X-BulkSMS-Webhook-Id": "77",
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data).toMatchObject({
      event: "status-report",
      deliveryAttempt: 2,
      webhookId: "77",
      rejected: [],
    });
    expect(r.data.messages[0]).toMatchObject({
      id: "953262833859043328",
      to: "+27821234567",
      status: { id: "DELIVERED.null", type: "DELIVERED", subtype: null },
      submissionId: "2-00000000001865236111",
      userSuppliedId: "ghl-1",
    });
  });

  it("tolerates the nested shape from the vendor's web page, typing it from the event header", () => {
    const nested = {
      id: "312123871239124",
      from: { type: "INTERNATIONAL", address: "+27000000000" },
      to: { type: "INTERNATIONAL", address: "+44000000000" },
      body: { value: "Hello World", encoding: { type: "TEXT" } },
      submission: { id: "564568749793", date: "2014-06-01T12:15:00Z" },
      status: { condition: "SENT", date: "2014-06-01T13:10:00Z", final: false },
    };
    const r = parseBulkSmsWebhook(
      new TextEncoder().encode(JSON.stringify([nested])),
      new Headers({ "x-bulksms-event": "incoming-message" }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.messages[0]).toMatchObject({
      type: "RECEIVED",
      body: "Hello World",
      encoding: "TEXT",
      status: { type: "SENT" },
    });
  });

  it("keeps 19-digit ids that arrive as JSON numbers exact", () => {
    const text = JSON.stringify([{ ...flat, id: "X", relatedSentMessageId: "Y" }])
      .replace('"X"', "9532628338590433281")
      .replace('"Y"', "9532628338590433282");
    const r = parseBulkSmsWebhook(text);
    expect(r.ok && r.data.messages[0]?.id).toBe("9532628338590433281");
    expect(r.ok && r.data.messages[0]?.relatedSentMessageId).toBe("9532628338590433282");
  });

  it("accepts the [] test call", () => {
    expect(parseBulkSmsWebhook("[]")).toEqual({
      ok: true,
      data: {
        event: null,
        webhookId: null,
        deliveryId: null,
        deliveryAttempt: null,
        messages: [],
        rejected: [],
      },
    });
  });

  it("reports bad items by position and keeps the good ones", () => {
    const r = parseBulkSmsWebhook(JSON.stringify([flat, { type: "SENT" }, { ...flat, status: "WEIRD" }]));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.data.rejected.map((x) => x.index)).toEqual([1, 2]);
  });

  it.each([
    ["", /empty/],
    ["{not json", /not valid JSON/],
    ["42", /not a JSON array/],
    ["null", /not a JSON array/],
    ['[1, "a", null]', /no readable message/],
    ['[{"id": {"x": 1}, "type": "SENT"}]', /no usable id/],
  ])("rejects %j with a clear error", (body, pattern) => {
    const r = parseBulkSmsWebhook(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(pattern);
  });

  it("rejects invalid UTF-8 bytes", () => {
    const r = parseBulkSmsWebhook(new Uint8Array([0x5b, 0xff, 0x5d]));
    expect(r).toEqual({ ok: false, error: "webhook body is not valid UTF-8" });
  });

  it("property: never throws, whatever the bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.uint8Array().map((a) => a as Uint8Array),
        ),
        (body) => {
          const r = parseBulkSmsWebhook(body);
          expect(typeof r.ok).toBe("boolean");
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("webhook secret", () => {
  it("adds the secret to the URL and verifies it in constant time", () => {
    const url = webhookUrlWithSecret("https://h.example/hooks/bulksms?x=1", "0123456789abcdefXYZ");
    expect(url).toBe("https://h.example/hooks/bulksms?x=1&secret=0123456789abcdefXYZ");
    expect(verifyWebhookSecret("/hooks/bulksms?x=1&secret=0123456789abcdefXYZ", "0123456789abcdefXYZ")).toBe(
      true,
    );
    expect(verifyWebhookSecret("/hooks/bulksms?secret=0123456789abcdefXYz", "0123456789abcdefXYZ")).toBe(
      false,
    );
    expect(verifyWebhookSecret("/hooks/bulksms", "0123456789abcdefXYZ")).toBe(false);
  });
  it("refuses short secrets and non-http URLs", () => {
    expect(() => webhookUrlWithSecret("https://h", "short")).toThrow(/16/);
    expect(() => webhookUrlWithSecret("ftp://h", "0123456789abcdefXYZ")).toThrow(/http/);
  });
});
