// The conversation provider flow as GHL documents it (docs/marketplace modules/ConversationProviders.md,
// docs/webhook events/ProviderOutboundMessage.md, conversations.json update-message-status): the outbound
// payload's documented fields, signed like every webhook; `userId` only for a person's text; the status
// endpoint takes the documented values, only for messages sent through the provider, the same one twice.
import { createPublicKey, verify } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl, startReceiver } from "./helpers.ts";

let sim: GhlSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let provider: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  receiver = await startReceiver();
  provider = await startReceiver();
  sim = await startGhl({ webhookUrl: receiver.url, providerDeliveryUrl: provider.url });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
  await provider.close();
});

const DOCUMENTED_SMS_FIELDS = [
  "contactId",
  "locationId",
  "messageId",
  "type",
  "attachments",
  "message",
  "phone",
  "userId",
];
const ENVELOPE = ["webhookId", "timestamp", "appId"];

describe("ProviderOutboundMessage", () => {
  it("a person's text: the documented SMS fields, userId included, signed at the Delivery URL", async () => {
    const loc = sim.locations[0]!;
    const c = sim.control.createContact(loc.id, { firstName: "Ada", phone: "+447700900301" });
    const m = sim.control.sendProviderMessage(c.id, "See you at 3", {
      attachments: ["https://x.test/a.png"],
    });
    await sim.control.flushWebhooks();
    const [d] = provider.received;
    expect(d?.json).toMatchObject({
      type: "SMS",
      locationId: loc.id,
      contactId: c.id,
      messageId: m.id,
      phone: "+447700900301",
      message: "See you at 3",
      attachments: ["https://x.test/a.png"],
      userId: expect.any(String),
    });
    expect(Object.keys(d?.json ?? {}).sort()).toEqual([...DOCUMENTED_SMS_FIELDS, ...ENVELOPE].sort());
    const sig = Buffer.from(String(d?.headers["x-ghl-signature"]), "base64");
    expect(verify(null, d?.raw ?? Buffer.alloc(0), createPublicKey(sim.keys.ed25519PublicKeyPem), sig)).toBe(
      true,
    );
    // the provider payload goes to the Delivery URL, the OutboundMessage event to the webhook URL
    expect(receiver.received.map((r) => r.json.type)).toEqual(["ContactCreate", "OutboundMessage"]);
  });

  it("a workflow or bulk send carries no userId", async () => {
    const c = sim.control.createContact(sim.locations[0]!.id, { firstName: "Bo", phone: "+447700900302" });
    sim.control.sendProviderMessage(c.id, "Reminder", { userId: null });
    await sim.control.flushWebhooks();
    expect(provider.received[0]?.json).not.toHaveProperty("userId");
  });
});

describe("enabling the SMS provider per sub-account", () => {
  it("disabled: GHL's SMS stay in GHL and no provider message can be sent; enabled: they go to its URL", async () => {
    const loc = sim.locations[0]!;
    const c = sim.control.createContact(loc.id, { phone: "+447700900306" });
    sim.control.setSmsProvider(loc.id, null);
    await api(sim, "/conversations/messages", {
      body: { type: "SMS", subType: "SMS", contactId: c.id, message: "stays", status: "pending" },
    });
    expect(() => sim.control.sendProviderMessage(c.id, "nowhere")).toThrow(/no SMS provider/);
    const other = await startReceiver();
    try {
      sim.control.setSmsProvider(loc.id, other.url);
      sim.control.sendProviderMessage(c.id, "there");
      await sim.control.flushWebhooks();
      expect(provider.received).toEqual([]);
      expect(other.received.map((r) => r.json.message)).toEqual(["there"]);
    } finally {
      await other.close();
    }
  });
});

describe("PUT /conversations/messages/{messageId}/status", () => {
  it("records each status; the same status twice is fine; unknown values are refused (422)", async () => {
    const c = sim.control.createContact(sim.locations[0]!.id, { firstName: "Cy", phone: "+447700900303" });
    const m = sim.control.sendProviderMessage(c.id, "hi");
    const put = (body: unknown) =>
      api(sim, `/conversations/messages/${m.id}/status`, { method: "PUT", body });
    expect((await put({ status: "pending" })).status).toBe(200);
    expect((await put({ status: "delivered" })).status).toBe(200);
    expect((await put({ status: "delivered" })).status).toBe(200);
    expect((await put({ status: "sent" })).status).toBe(422);
    expect((await put({ status: "failed", error: { code: "x" } })).status).toBe(422); // type, message required
    expect(sim.control.statusUpdates().map((u) => u.status)).toEqual(["pending", "delivered", "delivered"]);
    expect(sim.control.outboundMessages().find((x) => x.id === m.id)?.status).toBe("delivered");
  });

  it("refuses a status for a message that did not go through the provider (403)", async () => {
    const noProvider = await startGhl({ webhookUrl: receiver.url });
    try {
      const c = noProvider.control.createContact(noProvider.locations[0]!.id, { phone: "+447700900304" });
      const sent = await api(noProvider, "/conversations/messages", {
        body: { type: "SMS", subType: "SMS", contactId: c.id, message: "x", status: "pending" },
      });
      const r = await api(noProvider, `/conversations/messages/${sent.body.messageId}/status`, {
        method: "PUT",
        body: { status: "delivered" },
      });
      expect(r.status).toBe(403);
      expect(noProvider.control.statusUpdates()).toEqual([]);
    } finally {
      await noProvider.close();
    }
  });

  it("a message sent through GHL's API goes to the provider (no userId) and takes its status", async () => {
    const c = sim.control.createContact(sim.locations[0]!.id, { phone: "+447700900305" });
    const sent = await api(sim, "/conversations/messages", {
      body: { type: "SMS", subType: "SMS", contactId: c.id, message: "api", status: "pending" },
    });
    await sim.control.flushWebhooks();
    expect(provider.received[0]?.json).toMatchObject({ messageId: sent.body.messageId, message: "api" });
    expect(provider.received[0]?.json).not.toHaveProperty("userId");
    const r = await api(sim, `/conversations/messages/${sent.body.messageId}/status`, {
      method: "PUT",
      body: { status: "delivered" },
    });
    expect(r.status).toBe(200);
  });
});
