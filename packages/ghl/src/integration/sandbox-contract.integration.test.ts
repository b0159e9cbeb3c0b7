// The client against the project's GHL simulator (@ghl-bulksms/sandbox), which validates every request
// and response against specs/ghl: each client method is exercised once end to end, webhooks the sandbox
// signs are verified with verifyGhlWebhook, and the OAuth code -> token -> refresh path runs for real.
import { createSandboxClock, type GhlSimulator, startGhlSimulator } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryTokenStore } from "../auth/token-store.js";
import { createGhlClient, type GhlClient } from "../client/create-ghl-client.js";
import type { GhlResult } from "../core/result.js";
import { startWebhookReceiver, type WebhookReceiver } from "../test-support/webhook-receiver.js";

let sim: GhlSimulator;
let client: GhlClient;
let locationId: string;
let receiver: WebhookReceiver;

function must<T>(r: GhlResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

beforeAll(async () => {
  const clock = createSandboxClock({ speed: 1 });
  sim = await startGhlSimulator({ clock, seedContacts: 25, locations: 1 });
  locationId = sim.locations[0]!.id;
  receiver = await startWebhookReceiver({
    now: clock.now,
    publicKeys: { ed25519: sim.keys.ed25519PublicKeyPem },
  });
  client = createGhlClient({
    auth: { kind: "private-integration", token: sim.tokens.locations[locationId]!.token },
    baseUrl: sim.url,
    now: clock.now,
    sleep: clock.sleep,
  });
});
afterAll(async () => {
  await receiver?.close();
  await sim?.close();
});

describe("client vs sandbox GHL simulator", () => {
  it("contacts, tags, notes, tasks, appointments, workflows, campaigns", async () => {
    const created = must(
      await client.contacts.create({ locationId, firstName: "Ada", phone: "+447700900123" }),
    );
    const contactId = created.contact.id;
    expect(must(await client.contacts.get({ locationId, contactId })).contact.firstName).toBe("Ada");
    must(await client.contacts.update({ locationId, contactId, body: { lastName: "Lovelace" } }));
    const dup = must(await client.contacts.findDuplicate({ locationId, number: "+447700900123" }));
    expect(dup.contact?.id).toBe(contactId);
    const up = must(await client.contacts.upsert({ locationId, phone: "+447700900123", firstName: "Ada" }));
    expect(up.new).toBe(false);

    must(await client.tags.add({ locationId, contactId, tags: ["vip", "sms"] }));
    must(await client.tags.remove({ locationId, contactId, tags: ["vip"] }));
    expect(must(await client.contacts.get({ locationId, contactId })).contact.tags).toEqual(["sms"]);

    const note = must(await client.notes.create({ locationId, contactId, body: { body: "called" } })).note;
    must(
      await client.notes.update({ locationId, contactId, noteId: note.id, body: { body: "called back" } }),
    );
    expect(must(await client.notes.list({ locationId, contactId })).notes.map((n) => n.body)).toEqual([
      "called back",
    ]);
    must(await client.notes.delete({ locationId, contactId, noteId: note.id }));

    const task = must(
      await client.tasks.create({
        locationId,
        contactId,
        body: { title: "follow up", dueDate: "2026-12-01T10:00:00.000Z", completed: false },
      }),
    ).task;
    must(
      await client.tasks.update({ locationId, contactId, taskId: task.id, body: { title: "follow up!" } }),
    );
    expect(must(await client.tasks.complete({ locationId, contactId, taskId: task.id })).task.completed).toBe(
      true,
    );
    expect(must(await client.tasks.list({ locationId, contactId })).tasks).toHaveLength(1);
    must(await client.tasks.delete({ locationId, contactId, taskId: task.id }));

    expect(Array.isArray(must(await client.appointments.list({ locationId, contactId })).events)).toBe(true);
    must(await client.workflows.add({ locationId, contactId, workflowId: "wf1" }));
    must(await client.workflows.remove({ locationId, contactId, workflowId: "wf1" }));
    must(await client.campaigns.add({ locationId, contactId, campaignId: "cmp1" }));
    must(await client.campaigns.remove({ locationId, contactId, campaignId: "cmp1" }));

    must(await client.contacts.delete({ locationId, contactId }));
    const gone = await client.contacts.get({ locationId, contactId });
    expect(!gone.ok && gone.error.status).toBe(404);
    expect(sim.control.contractViolations()).toEqual([]);
  });

  it("search iterator walks every contact of the location", async () => {
    const ids = new Set<string>();
    for await (const page of client.searchContactsIterator({ locationId, pageLimit: 7 })) {
      if (!page.ok) throw page.error;
      for (const c of page.contacts) ids.add(c.id);
    }
    expect(ids.size).toBe(sim.control.listContacts(locationId).length);
  });

  it("delivery receipts for provider messages", async () => {
    const contact = sim.control.listContacts(locationId)[0]!;
    const message = sim.control.sendProviderMessage(contact.id, "hello");
    must(
      await client.conversations.updateMessageStatus({
        locationId,
        messageId: message.id,
        body: { status: "delivered" },
      }),
    );
    expect(sim.control.statusUpdates().some((u) => u.messageId === message.id)).toBe(true);
  });

  it("conversations: send a message, record an inbound reply", async () => {
    const contact = sim.control.listContacts(locationId).find((c) => c.phone)!;
    const sent = must(
      await client.conversations.sendMessage({
        locationId,
        body: { type: "SMS", subType: "SMS", contactId: contact.id, message: "hi", status: "pending" },
      }),
    );
    const inbound = must(
      await client.conversations.inboundMessage({
        locationId,
        body: { type: "SMS", contactId: contact.id, conversationId: sent.conversationId, message: "STOP" },
      }),
    );
    expect(inbound.conversationId).toBe(sent.conversationId);
    expect(sim.control.inboundMessages().some((m) => m.id === inbound.messageId && m.body === "STOP")).toBe(
      true,
    );
    expect(sim.control.contractViolations()).toEqual([]);
  });

  it("agency install: location tokens are minted from the agency token", async () => {
    const { companyId, agency, clientId, clientSecret } = sim.tokens;
    const store = createMemoryTokenStore({
      [companyId]: {
        accessToken: agency,
        refreshToken: null,
        expiresAt: sim.clock.now() + 365 * 86_400_000,
        userType: "Company",
        companyId,
      },
    });
    const agencyClient = createGhlClient({
      auth: { kind: "oauth", clientId, clientSecret, companyId },
      tokenStore: store,
      baseUrl: sim.url,
      now: sim.clock.now,
      sleep: sim.clock.sleep,
    });
    const contact = sim.control.listContacts(locationId)[0]!;
    expect(must(await agencyClient.contacts.get({ locationId, contactId: contact.id })).contact.id).toBe(
      contact.id,
    );
    expect(store.snapshot()[locationId]?.userType).toBe("Location");
  });

  it("webhooks signed by the sandbox verify with verifyGhlWebhook", async () => {
    sim.control.setWebhookUrl(receiver.url);
    sim.control.createContact(locationId, { firstName: "Grace", phone: "+447700900456" });
    await sim.control.flushWebhooks();
    expect(receiver.accepted).toContain("ContactCreate");
    const sent = sim.control.webhookDeliveries().filter((d) => d.url === receiver.url);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((d) => d.outcome === "delivered")).toBe(true);
    // A copy of a real delivery whose signature header says "N/A" is refused (no signature: fail closed).
    const replay = await fetch(receiver.url, {
      method: "POST",
      body: sent[0]!.body,
      headers: { "x-ghl-signature": "N/A" },
    });
    expect(replay.status).toBe(401);
  });

  it("OAuth: code exchange, then a refresh after expiry, through the token store", async () => {
    const store = createMemoryTokenStore();
    const oauthClient = createGhlClient({
      auth: { kind: "oauth", clientId: sim.tokens.clientId, clientSecret: sim.tokens.clientSecret },
      tokenStore: store,
      baseUrl: sim.url,
      now: sim.clock.now,
      sleep: sim.clock.sleep,
    });
    const code = sim.control.issueAuthorizationCode({ locationId });
    const installed = must(await oauthClient.oauth.exchangeCode({ code }));
    expect(installed.resourceId).toBe(locationId);
    const first = store.snapshot()[locationId]!;
    expect((await oauthClient.contacts.findDuplicate({ locationId, number: "+447700900999" })).ok).toBe(true);
    await sim.control.advanceClock(first.expiresAt - sim.clock.now() - 60_000); // inside the 5-minute window
    expect((await oauthClient.contacts.findDuplicate({ locationId, number: "+447700900999" })).ok).toBe(true);
    const second = store.snapshot()[locationId]!;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
  });
});
