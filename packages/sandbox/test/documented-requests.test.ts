// The sandbox is as loose as GHL's official documents, not stricter: every field the vendor's
// conversations.json documents on the inbound, send and status bodies is accepted and kept, and every
// contacts operation our client calls is served with its effect (followers, bulk tags, bulk business,
// removeAll, conversation search, one task, one note, the deprecated contacts list).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl, startReceiver } from "./helpers.ts";

let sim: GhlSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let locationId: string;
beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startGhl({ webhookUrl: receiver.url });
  locationId = sim.locations[0]!.id;
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

const contact = (phone: string, extra: Record<string, unknown> = {}) =>
  sim.control.createContact(locationId, { firstName: "Ada", phone, ...extra });

// The 9 fields of ProcessMessageBodyDto our spec used to refuse with 422, with a value the document allows.
const INBOUND_FIELDS: Record<string, unknown> = {
  html: "<p>Hi</p>",
  subject: "Re: your order",
  emailFrom: "shop@example.com",
  emailTo: "ada@example.com",
  emailCc: ["cc@example.com"],
  emailBcc: ["bcc@example.com"],
  emailMessageId: "em_1",
  call: { to: "+447700900001", from: "+447700900002", status: "completed" },
};

// The 15 fields of SendMessageBodyDto our spec used to refuse.
const SEND_FIELDS: Record<string, unknown> = {
  appointmentId: "appt123",
  emailFrom: "shop@example.com",
  emailCc: ["cc@example.com"],
  emailBcc: ["bcc@example.com"],
  html: "<p>Hello</p>",
  subject: "Important Update",
  replyMessageId: "msg123",
  templateId: "template123",
  threadId: "thread123",
  emailTo: "ada@example.com",
  customSubtypeId: "507f1f77bcf86cd799439011",
  emailReplyMode: "reply_all",
  forward: { isForwarded: true, forwardWholeThread: false, messageId: "t22c6DQcTDf3MjRhwf77" },
  usesNativeSchedulingAi: false,
  optimizationPeriod: "24h",
};

describe("message bodies: every documented field is accepted", () => {
  it("inbound `direction` (the field GHL's Node SDK sends) decides which way the message went", async () => {
    const c = contact("+447700900201");
    const inbound = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId: "convD", contactId: c.id, message: "hi", direction: "inbound" },
    });
    expect(inbound.status).toBe(200);
    const outbound = await api(sim, "/conversations/messages/inbound", {
      body: {
        type: "SMS",
        conversationId: "convD",
        contactId: c.id,
        message: "Welcome!",
        direction: "outbound",
        altId: "bulksms-77",
      },
    });
    expect(outbound.status).toBe(200);
    expect(sim.control.inboundMessages().map((m) => m.body)).toEqual(["hi"]);
    const [sent] = sim.control.outboundMessages();
    expect(sent).toMatchObject({ body: "Welcome!", direction: "outbound", altId: "bulksms-77" });
    await sim.control.flushWebhooks();
    const types = receiver.received.map((r) => r.json.type);
    expect(types).toContain("InboundMessage");
    expect(types).toContain("OutboundMessage");
  });

  it.each(Object.entries(INBOUND_FIELDS))("inbound message accepts and keeps %s", async (field, value) => {
    const c = contact("+447700900202");
    const res = await api(sim, "/conversations/messages/inbound", {
      body: { type: "Email", conversationId: "convE", contactId: c.id, message: "x", [field]: value },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(sim.control.inboundMessages().at(-1)?.details).toEqual({ [field]: value });
  });

  it.each(Object.entries(SEND_FIELDS))("send message accepts and keeps %s", async (field, value) => {
    const c = contact("+447700900203");
    const res = await api(sim, "/conversations/messages", {
      body: { type: "SMS", subType: "SMS", contactId: c.id, message: "x", status: "pending", [field]: value },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(sim.control.outboundMessages().at(-1)?.details).toEqual({ [field]: value });
  });

  it("an Email send (a documented type) needs no phone and does not go to the SMS provider", async () => {
    const c = sim.control.createContact(locationId, { firstName: "Mail", email: "mail@example.com" });
    const res = await api(sim, "/conversations/messages", {
      body: {
        type: "Email",
        subType: "Email",
        contactId: c.id,
        subject: "Hello",
        html: "<p>Hi</p>",
        status: "pending",
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(sim.control.outboundMessages().at(-1)).toMatchObject({
      type: "Email",
      details: { subject: "Hello", html: "<p>Hi</p>" },
    });
    const sms = await api(sim, "/conversations/messages", {
      body: { type: "SMS", subType: "SMS", contactId: c.id, message: "x", status: "pending" },
    });
    expect(sms.status).toBe(400);
  });

  it("status update accepts and keeps emailMessageId and recipients", async () => {
    const c = contact("+447700900204");
    const m = sim.control.sendProviderMessage(c.id, "hello");
    const res = await api(sim, `/conversations/messages/${m.id}/status`, {
      method: "PUT",
      body: { status: "delivered", emailMessageId: "em_9", recipients: ["a@example.com"] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(sim.control.statusUpdates().at(-1)).toMatchObject({
      messageId: m.id,
      status: "delivered",
      emailMessageId: "em_9",
      recipients: ["a@example.com"],
    });
  });

  it("still refuses what the document does not have (422, GHL's wording)", async () => {
    const c = contact("+447700900205");
    const res = await api(sim, "/conversations/messages/inbound", {
      body: { type: "SMS", conversationId: "convF", contactId: c.id, colour: "red" },
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("property colour should not exist");
  });
});

describe("contacts operations our client calls", () => {
  it("DELETE campaigns/removeAll leaves every campaign, and no campaign named removeAll", async () => {
    const c = contact("+447700900210");
    for (const id of ["campA", "campB"]) {
      const r = await api(sim, `/contacts/${c.id}/campaigns/${id}`, { method: "POST", body: {} });
      expect(r.status).toBe(201);
    }
    await api(sim, `/contacts/${c.id}/campaigns/campA`, { method: "DELETE" });
    const res = await api(sim, `/contacts/${c.id}/campaigns/removeAll`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ succeded: true });
    const removals = sim.control.memberships().filter((m) => m.action === "remove");
    expect(removals.map((m) => m.id)).toEqual(["campA", "campB"]);
    expect(sim.control.memberships().some((m) => m.id === "removeAll")).toBe(false);
  });

  it("followers: add and remove change the contact's followers", async () => {
    const c = contact("+447700900211");
    const added = await api(sim, `/contacts/${c.id}/followers`, { body: { followers: ["u1", "u2"] } });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ followers: ["u1", "u2"], followersAdded: ["u1", "u2"] });
    const again = await api(sim, `/contacts/${c.id}/followers`, { body: { followers: ["u2", "u3"] } });
    expect(again.body).toEqual({ followers: ["u1", "u2", "u3"], followersAdded: ["u3"] });
    const removed = await api(sim, `/contacts/${c.id}/followers`, {
      method: "DELETE",
      body: { followers: ["u1", "nobody"] },
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ followers: ["u2", "u3"], followersRemoved: ["u1"] });
    expect(sim.control.getContact(c.id)?.followers).toEqual(["u2", "u3"]);
  });

  it("bulk tags: add, remove, removeAllTags, and a per-contact error for a contact it cannot change", async () => {
    const a = contact("+447700900212", { tags: ["old"] });
    const b = contact("+447700900213");
    const other = sim.control.createContact(sim.locations[1]!.id, { firstName: "Other" });
    const add = await api(sim, "/contacts/bulk/tags/update/add", {
      body: { locationId, contacts: [a.id, b.id, other.id, "missing"], tags: ["VIP", "sms"] },
    });
    expect(add.status).toBe(201);
    expect(add.body.errorCount).toBe(2);
    expect(add.body.succeded).toBe(false);
    expect(add.body.responses[0]).toMatchObject({
      contactId: a.id,
      type: "success",
      oldTags: ["old"],
      tagsAdded: ["vip", "sms"],
    });
    expect(add.body.responses[2]).toMatchObject({ contactId: other.id, type: "error" });
    expect(sim.control.getContact(b.id)?.tags).toEqual(["vip", "sms"]);
    expect(sim.control.getContact(other.id)?.tags).toEqual([]);

    const remove = await api(sim, "/contacts/bulk/tags/update/remove", {
      body: { locationId, contacts: [a.id], tags: ["vip"] },
    });
    expect(remove.body).toMatchObject({ succeded: true, errorCount: 0 });
    expect(sim.control.getContact(a.id)?.tags).toEqual(["old", "sms"]);

    const clear = await api(sim, "/contacts/bulk/tags/update/remove", {
      body: { locationId, contacts: [a.id, b.id], tags: [], removeAllTags: true },
    });
    expect(clear.status).toBe(201);
    expect(sim.control.getContact(a.id)?.tags).toEqual([]);
    expect(sim.control.getContact(b.id)?.tags).toEqual([]);

    const badType = await api(sim, "/contacts/bulk/tags/update/replace", {
      body: { locationId, contacts: [a.id], tags: ["x"] },
    });
    expect(badType.status).toBe(422);
  });

  it("bulk business attaches contacts so contacts-by-business finds them; null detaches", async () => {
    const a = contact("+447700900214");
    const b = contact("+447700900215");
    const attach = await api(sim, "/contacts/bulk/business", {
      body: { locationId, ids: [a.id, b.id], businessId: "biz1" },
    });
    expect(attach.status).toBe(200);
    expect(attach.body).toEqual({ success: true, ids: [a.id, b.id] });
    const listed = await api(sim, `/contacts/business/biz1?locationId=${locationId}`);
    expect(listed.body.contacts.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id].sort());
    await api(sim, "/contacts/bulk/business", { body: { locationId, ids: [a.id], businessId: null } });
    const after = await api(sim, `/contacts/business/biz1?locationId=${locationId}`);
    expect(after.body.contacts.map((c: { id: string }) => c.id)).toEqual([b.id]);
    expect(sim.control.getContact(a.id)?.businessId).toBeNull();
  });

  it("conversation search finds a contact's conversation with its last message", async () => {
    const c = contact("+447700900216");
    const other = contact("+447700900217");
    for (const [who, conv, text] of [
      [c.id, "convC", "first"],
      [c.id, "convC", "second"],
      [other.id, "convO", "hello"],
    ] as const) {
      await api(sim, "/conversations/messages/inbound", {
        body: { type: "SMS", conversationId: conv, contactId: who, message: text },
      });
    }
    const res = await api(sim, `/conversations/search?locationId=${locationId}&contactId=${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.conversations[0]).toMatchObject({
      id: "convC",
      contactId: c.id,
      lastMessageBody: "second",
      lastMessageType: "TYPE_SMS",
      unreadCount: 2,
      phone: "+447700900216",
    });
    const all = await api(sim, `/conversations/search?locationId=${locationId}`);
    expect(all.body.total).toBe(2);
    const readOnly = await api(sim, `/conversations/search?locationId=${locationId}`, {
      token: sim.locations[0]!.readOnlyToken,
    });
    expect(readOnly.status).toBe(200);
  });

  it("get one task and one note", async () => {
    const c = contact("+447700900218");
    const task = sim.control.addTask(c.id, { title: "Call back", dueDate: "2026-03-02T09:00:00.000Z" });
    const note = sim.control.addNote(c.id, "prefers SMS");
    const t = await api(sim, `/contacts/${c.id}/tasks/${task.id}`);
    expect(t.status).toBe(200);
    expect(t.body.task).toMatchObject({ id: task.id, title: "Call back" });
    const n = await api(sim, `/contacts/${c.id}/notes/${note.id}`);
    expect(n.status).toBe(200);
    expect(n.body.note).toMatchObject({ id: note.id, body: "prefers SMS" });
  });

  it("the deprecated contacts list pages with startAfter + startAfterId", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(contact(`+4477009003${String(i).padStart(2, "0")}`).id);
      await sim.control.advanceClock(1000);
    }
    const seen: string[] = [];
    let cursor = "";
    for (;;) {
      const page = await api(sim, `/contacts/?locationId=${locationId}&limit=2${cursor}`);
      expect(page.status).toBe(200);
      expect(page.body.count).toBe(5);
      if (page.body.contacts.length === 0) break;
      const last = page.body.contacts.at(-1);
      seen.push(...page.body.contacts.map((c: { id: string }) => c.id));
      cursor = `&startAfter=${Date.parse(last.dateAdded)}&startAfterId=${last.id}`;
    }
    expect(seen).toEqual(ids);
    const tooMany = await api(sim, `/contacts/?locationId=${locationId}&limit=abc`);
    expect(tooMany.status).toBe(422);
  });
});

describe("no contract violations", () => {
  it("every new operation answers 2xx and matches specs/ghl", async () => {
    const c = contact("+447700900230");
    const statuses = [
      await api(sim, `/contacts/${c.id}/followers`, { body: { followers: ["u1"] } }),
      await api(sim, "/contacts/bulk/tags/update/add", {
        body: { locationId, contacts: [c.id], tags: ["a"] },
      }),
      await api(sim, "/contacts/bulk/business", { body: { locationId, ids: [c.id], businessId: "b" } }),
      await api(sim, `/contacts/${c.id}/campaigns/removeAll`, { method: "DELETE" }),
      await api(sim, `/conversations/search?locationId=${locationId}`),
      await api(sim, `/contacts/?locationId=${locationId}`),
    ].map((r) => r.status);
    expect(statuses).toEqual([201, 201, 200, 200, 200, 200]);
    expect(sim.control.contractViolations()).toEqual([]);
  });
});
