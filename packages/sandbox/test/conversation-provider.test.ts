// The conversation-provider rules of "Add an inbound message" (ConversationProviders.md), one conversation
// per contact, and the thread tests read back.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl } from "./helpers.ts";

let sim: GhlSimulator;
beforeEach(async () => {
  sim = await startGhl();
});
afterEach(async () => {
  await sim.close();
});

const locationId = () => sim.locations[0]?.id ?? "";

async function conversationOf(contactId: string): Promise<string> {
  const res = await api(sim, "/conversations/", { body: { locationId: locationId(), contactId } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { conversation: { id: string } }).conversation.id;
}

describe("conversation provider rules", () => {
  it("an extra provider's inbound message without conversationProviderId is refused; with it, recorded", async () => {
    sim.control.setConversationProvider({ id: "provX", kind: "extra", type: "SMS" });
    const c = sim.control.createContact(locationId(), { firstName: "Ada", phone: "+447700900301" });
    const conversationId = await conversationOf(c.id);
    const without = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId, contactId: c.id, message: "hi" },
    });
    expect(without.status).toBe(400);
    expect(without.body).toMatchObject({ message: /conversationProviderId is required/ });
    const wrongId = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId, contactId: c.id, message: "hi", conversationProviderId: "other" },
    });
    expect(wrongId.status).toBe(400);
    const wrongType = await api(sim, "/conversations/messages/inbound", {
      body: {
        type: "Email",
        conversationId,
        contactId: c.id,
        message: "hi",
        conversationProviderId: "provX",
      },
    });
    expect(wrongType.status).toBe(400);
    expect(sim.control.thread(c.id)).toEqual([]);
    const ok = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId, contactId: c.id, message: "hi", conversationProviderId: "provX" },
    });
    expect(ok.status).toBe(200);
    expect(sim.control.thread(c.id)).toMatchObject([{ body: "hi", conversationProviderId: "provX" }]);
  });

  it("a default provider needs no conversationProviderId; the contact must exist", async () => {
    sim.control.setConversationProvider({ id: "provD", kind: "default", type: "SMS" });
    const c = sim.control.createContact(locationId(), { firstName: "Bo", phone: "+447700900302" });
    const conversationId = await conversationOf(c.id);
    const ok = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId, contactId: c.id, message: "yes" },
    });
    expect(ok.status).toBe(200);
    const missing = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId, contactId: "nobody", message: "yes" },
    });
    expect(missing.status).toBe(400);
    expect(sim.control.thread(c.id).map((m) => m.body)).toEqual(["yes"]);
  });
});

describe("conversations", () => {
  it("one conversation per contact: a second create is refused, search finds the first", async () => {
    const c = sim.control.createContact(locationId(), { firstName: "Cy", phone: "+447700900303" });
    const id = await conversationOf(c.id);
    const again = await api(sim, "/conversations/", { body: { locationId: locationId(), contactId: c.id } });
    expect(again.status).toBe(400);
    const found = await api(sim, `/conversations/search?locationId=${locationId()}&contactId=${c.id}`);
    expect(found.body).toMatchObject({ conversations: [{ id, contactId: c.id }] });
  });

  it("lists a conversation's messages newest first, page by page", async () => {
    const c = sim.control.createContact(locationId(), { firstName: "Di", phone: "+447700900304" });
    const conversationId = await conversationOf(c.id);
    for (const message of ["one", "two", "three"])
      await api(sim, "/conversations/messages/inbound", {
        body: { type: "SMS", conversationId, contactId: c.id, message },
      });
    const first = await api(sim, `/conversations/${conversationId}/messages?limit=2`);
    expect(first.status).toBe(200);
    const page = first.body as {
      messages: Array<{ body: string }>;
      nextPage: boolean;
      lastMessageId: string;
    };
    expect(page.messages.map((m) => m.body)).toEqual(["three", "two"]);
    expect(page.nextPage).toBe(true);
    const second = await api(
      sim,
      `/conversations/${conversationId}/messages?limit=2&lastMessageId=${page.lastMessageId}`,
    );
    expect((second.body as { messages: Array<{ body: string }> }).messages.map((m) => m.body)).toEqual([
      "one",
    ]);
    expect(sim.control.contractViolations()).toEqual([]);
    expect((await api(sim, "/conversations/nope/messages")).status).toBe(404);
  });
});

describe("control over HTTP", () => {
  it("sets the provider and reads a thread through /__sandbox/", async () => {
    const { createGhlControlClient } = await import("../src/ghl/control-client.ts");
    const control = createGhlControlClient(sim.url);
    await control.setConversationProvider({ id: "provH", kind: "extra", type: "SMS" });
    const c = sim.control.createContact(locationId(), { firstName: "Ed", phone: "+447700900305" });
    const conversationId = await conversationOf(c.id);
    const refused = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId, contactId: c.id, message: "x" },
    });
    expect(refused.status).toBe(400);
    await control.setConversationProvider(null);
    const accepted = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId, contactId: c.id, message: "x" },
    });
    expect(accepted.status).toBe(200);
    expect((await control.thread(c.id)).map((m) => m.body)).toEqual(["x"]);
  });
});
