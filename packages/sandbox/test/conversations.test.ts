import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl, startReceiver } from "./helpers.ts";

let sim: GhlSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startGhl({ webhookUrl: receiver.url });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

describe("conversations", () => {
  it("stores inbound messages, visible via control, and fires InboundMessage", async () => {
    const c = sim.control.createContact(sim.locations[0]!.id, { firstName: "In", phone: "+447700900111" });
    const res = await api(sim, "/conversations/messages/inbound", {
      body: {
        type: "SMS",
        conversationId: "convA",
        contactId: c.id,
        message: "STOP",
        conversationProviderId: "prov1",
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, conversationId: "convA", contactId: c.id });
    const [m] = sim.control.inboundMessages();
    expect(m).toMatchObject({
      body: "STOP",
      contactId: c.id,
      conversationId: "convA",
      conversationProviderId: "prov1",
    });
    await sim.control.flushWebhooks();
    expect(receiver.received.map((r) => r.json.type)).toContain("InboundMessage");
    const wrongVersionFamily = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId: "convA", contactId: "missing", message: "x" },
    });
    expect(wrongVersionFamily.status).toBe(400);
  });

  it("records status updates for outbound messages (provider flow) and refuses unknown ids", async () => {
    const c = sim.control.createContact(sim.locations[0]!.id, { firstName: "Out", phone: "+447700900112" });
    const m = sim.control.sendProviderMessage(c.id, "Your appointment is tomorrow");
    await sim.control.flushWebhooks();
    const provider = receiver.received.find((r) => r.json.type === "SMS");
    expect(provider?.json).toMatchObject({
      contactId: c.id,
      messageId: m.id,
      phone: "+447700900112",
      message: "Your appointment is tomorrow",
    });
    const res = await api(sim, `/conversations/messages/${m.id}/status`, {
      method: "PUT",
      body: { status: "failed", error: { code: "30003", type: "saas", message: "Unreachable" } },
    });
    expect(res.status).toBe(200);
    expect(sim.control.statusUpdates()).toEqual([
      {
        messageId: m.id,
        status: "failed",
        error: { code: "30003", type: "saas", message: "Unreachable" },
        at: expect.any(String),
      },
    ]);
    expect(sim.control.outboundMessages()[0]?.status).toBe("failed");
    const unknown = await api(sim, "/conversations/messages/nope/status", {
      method: "PUT",
      body: { status: "delivered" },
    });
    expect(unknown.status).toBe(404);
  });

  it("sends a message through GHL", async () => {
    const c = sim.control.createContact(sim.locations[0]!.id, { firstName: "S", phone: "+447700900113" });
    const res = await api(sim, "/conversations/messages", {
      body: { type: "SMS", subType: "SMS", contactId: c.id, message: "hello", status: "pending" },
    });
    expect(res.status).toBe(200);
    expect(sim.control.outboundMessages().map((m) => m.body)).toEqual(["hello"]);
  });

  it("with a provider Delivery URL, SMS sent through GHL go to the provider (and other events do not)", async () => {
    const provider = await startReceiver();
    const withProvider = await startGhl({ webhookUrl: receiver.url, providerDeliveryUrl: provider.url });
    try {
      const c = withProvider.control.createContact(withProvider.locations[0]!.id, {
        firstName: "P",
        phone: "+447700900114",
      });
      const res = await api(withProvider, "/conversations/messages", {
        body: { type: "SMS", subType: "SMS", contactId: c.id, message: "via provider", status: "pending" },
      });
      await withProvider.control.flushWebhooks();
      expect(provider.received.map((r) => r.json)).toEqual([
        expect.objectContaining({
          type: "SMS",
          messageId: res.body.messageId,
          phone: "+447700900114",
          message: "via provider",
        }),
      ]);
      expect(receiver.received.map((r) => r.json.type)).toEqual(["ContactCreate", "OutboundMessage"]);
    } finally {
      await withProvider.close();
      await provider.close();
    }
  });
});
