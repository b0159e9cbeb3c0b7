// The status GHL gets is the message as it stands (a report made for an older state never regresses GHL),
// and a provider message is accepted only as a signed marketplace webhook.
import type { MessageRecord } from "@ghl-bulksms/store";
import { describe, expect, it } from "vitest";
import {
  dispatchGhlEvent,
  ghlEventType,
  providerMessageKey,
  providerText,
  runProviderStatus,
  statusBody,
} from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

function message(patch: Partial<MessageRecord>): MessageRecord {
  return {
    id: "m1",
    key: "provider:L:g1",
    locationId: "L",
    contactId: "c1",
    to: "+447400000001",
    body: "hi",
    bodyHash: "",
    template: null,
    dedupId: 1,
    providerIds: [],
    status: "QUEUED",
    subtype: null,
    statusAt: 0,
    sendAfter: 0,
    attempts: 0,
    error: null,
    cost: null,
    retryOf: null,
    meta: { purpose: "notification", kind: "provider:user", ghlMessageId: "g1" },
    createdAt: 0,
    updatedAt: 0,
    ...patch,
  };
}

describe("statusBody", () => {
  it("a 'submitted' report that runs after the delivery report says delivered, not pending", () => {
    expect(statusBody(message({ status: "DELIVERED" }), { state: "ACCEPTED" })).toEqual({
      status: "delivered",
    });
  });

  it("a deferral's reason goes with pending only while the message still waits", () => {
    const reason = {
      code: "quiet_hours",
      message: "Not sent yet: quiet hours until 08:00 Europe/London, will go then",
    };
    expect(statusBody(message({ status: "QUEUED" }), { state: "QUEUED", reason })).toEqual({
      status: "pending",
      error: { code: "quiet_hours", type: "saas", message: reason.message },
    });
    expect(statusBody(message({ status: "SENT" }), { state: "QUEUED", reason })).toEqual({
      status: "pending",
    });
  });

  it("a failure reported late still carries its reason", () => {
    expect(statusBody(message({ status: "FAILED", subtype: "HANDSET_ERROR" }), { state: "SENT" })).toEqual({
      status: "failed",
      error: {
        code: "bulksms_handset_error",
        type: "saas",
        message: "Not delivered: the phone could not receive it (switched off, full or unreachable)",
      },
    });
  });
});

describe("runProviderStatus", () => {
  it("waits while another report of the same message runs (no PUT), then reports the message as it is", async () => {
    let h: Harness | null = null;
    try {
      h = await startHarness({ config: { defaults: { provider: { enabled: true } } } });
      const c = h.sandbox.ghl.control.createContact(h.locationId, {
        firstName: "Ada",
        phone: "+447400123301",
      });
      await h.settle();
      const g = h.sandbox.ghl.control.sendProviderMessage(c.id, "hi");
      await h.advance(10_000);
      const m = await h.store.messages.getByKey(providerMessageKey(h.locationId, g.id));
      if (!m) throw new Error("no message");
      const before = h.sandbox.ghl.control.statusUpdates().length;
      await h.store.locks.tryAcquire(`provider-status:${m.id}`, "other-report", 10_000);
      const busy = await runProviderStatus(h.engine.deps, {
        locationId: h.locationId,
        messageId: m.id,
        state: "ACCEPTED",
      });
      expect(busy).toMatchObject({ ok: false, error: { code: "status_busy", retryable: true } });
      expect(h.sandbox.ghl.control.statusUpdates()).toHaveLength(before);
      await h.store.locks.release(`provider-status:${m.id}`, "other-report");
      // a report made when it was submitted, run after delivery: delivered again, never pending
      expect(
        await runProviderStatus(h.engine.deps, {
          locationId: h.locationId,
          messageId: m.id,
          state: "ACCEPTED",
        }),
      ).toEqual({ ok: true });
      expect(h.sandbox.ghl.control.statusUpdates().at(-1)).toMatchObject({
        messageId: g.id,
        status: "delivered",
      });
    } finally {
      await h?.close();
    }
  });
});

describe("ProviderOutboundMessage intake", () => {
  it("is told apart by its channel type and messageId", () => {
    expect(ghlEventType({ type: "SMS", messageId: "g1" })).toBe("ProviderOutboundMessage");
    expect(ghlEventType({ type: "SMS" })).toBe("SMS");
    expect(ghlEventType({ type: "ContactCreate" })).toBe("ContactCreate");
  });

  it("a workflow webhook (path secret only) cannot ask for a text", async () => {
    let h: Harness | null = null;
    try {
      h = await startHarness({ config: { defaults: { provider: { enabled: true } } } });
      const c = h.sandbox.ghl.control.createContact(h.locationId, {
        firstName: "Ada",
        phone: "+447400123201",
      });
      await h.settle();
      const r = await dispatchGhlEvent(
        h.engine.deps,
        { type: "SMS", locationId: h.locationId, contactId: c.id, messageId: "forged1", message: "hi" },
        "ghl-workflow:x",
        "workflow",
      );
      expect(r).toMatchObject({ ok: false, error: { code: "invalid_origin", retryable: false } });
      await h.settle();
      expect(h.sandbox.bulksms.control.sentMessages()).toEqual([]);
    } finally {
      await h?.close();
    }
  });

  it("text rules: links appended only when allowed, parts limit, empty refused", () => {
    const links = { attachments: "links" as const, maxParts: 6 };
    expect(providerText({ message: " Hi ", attachments: ["https://a.example/x"] }, links)).toEqual({
      ok: true,
      body: "Hi\nhttps://a.example/x",
    });
    expect(providerText({ message: "", attachments: [] }, links)).toMatchObject({
      ok: false,
      reason: { code: "empty" },
    });
    expect(
      providerText(
        { message: "Hi", attachments: ["https://a.example/x"] },
        { attachments: "fail", maxParts: 6 },
      ),
    ).toMatchObject({ ok: false, reason: { code: "attachments" } });
  });
});
