import { afterEach, describe, expect, it } from "vitest";
import { operatorOptOut } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

const WELCOME = {
  defaults: { welcome: { enabled: true, template: 'Hi {{firstName | "there"}}, welcome!' } },
};

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function sentTo(harness: Harness, e164: string) {
  return harness.sandbox.bulksms.control.sentMessages().filter((m) => m.to === e164 || `+${m.to}` === e164);
}

describe("welcome SMS", () => {
  it("is sent exactly once to a new contact with a valid mobile, with a fixed dedup id", async () => {
    h = await startHarness({ config: WELCOME });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Ada", phone: "07911 123456" });
    const run = await h.settle();
    expect(run.dead).toBe(0);
    const sent = await sentTo(h, "+447911123456");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toBe("Hi Ada, welcome!");
    const message = await h.store.messages.getByKey(`welcome:${h.locationId}:${c.id}`);
    expect(message?.dedupId).toBe(sent[0]?.deduplicationId);
    const mirror = await h.store.contacts.get(h.locationId, c.id);
    expect(mirror?.phoneE164).toBe("+447911123456");
    expect(mirror?.welcomeSentAt).not.toBeNull();

    // the same contact again: an update, and a redelivered ContactCreate under a new webhook id
    h.sandbox.ghl.control.updateContact(c.id, { lastName: "Lovelace" });
    const { ingestEvent } = await import("../src/testing/index.js");
    await ingestEvent(h.store, {
      source: "ghl",
      eventId: "redelivered-1",
      eventType: "ContactCreate",
      locationId: h.locationId,
      payload: {
        type: "ContactCreate",
        locationId: h.locationId,
        id: c.id,
        firstName: "Ada",
        phone: "+447911123456",
      },
    });
    await h.settle();
    expect(await sentTo(h, "+447911123456")).toHaveLength(1);
    // every vendor write is in the audit log
    const audit = await h.store.audit.list({ vendor: "bulksms" });
    expect(audit.filter((a) => a.operation === "messages.send")).toHaveLength(1);
  });

  it("is not sent to DND, landline, invalid or opted-out numbers", async () => {
    h = await startHarness({ config: WELCOME });
    const ctl = h.sandbox.ghl.control;
    const dnd = ctl.createContact(h.locationId, {
      firstName: "D",
      phone: "07911 200001",
      dndSettings: { SMS: { status: "active" } },
    });
    ctl.createContact(h.locationId, { firstName: "L", phone: "020 7946 0958" });
    const invalid = ctl.createContact(h.locationId, { firstName: "I", phone: "12345" });
    await operatorOptOut(h.engine.deps, { locationId: h.locationId, phone: "+447911200003" });
    ctl.createContact(h.locationId, { firstName: "O", phone: "07911 200003" });
    await h.settle();
    expect(h.sandbox.bulksms.control.sentMessages()).toHaveLength(0);
    const mirror = await h.store.contacts.get(h.locationId, invalid.id);
    expect(mirror?.phoneE164).toBeNull();
    // GHL DND set by a person is an opt-out here and is pushed to BulkSMS blocked numbers
    expect(await h.store.optOuts.get(h.locationId, "+447911200001")).toMatchObject({
      state: "opted_out",
      source: "ghl_dnd",
    });
    const blocked = h.sandbox.bulksms.control.blockedNumbers().map((n) => n.replace(/^\+?/, "+"));
    expect(blocked).toContain("+447911200001");
    expect(dnd.id).toBeTruthy();
  });

  it("works from a GHL workflow webhook (the worker's ContactEvent) too", async () => {
    h = await startHarness({ config: WELCOME });
    const { ingestEvent } = await import("../src/testing/index.js");
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Wyn", phone: "07400 123002" });
    h.receiver.requests.length = 0; // as if only the workflow webhook arrived
    await h.sandbox.ghl.control.flushWebhooks();
    h.receiver.requests.length = 0;
    const event = {
      type: "ContactCreate",
      locationId: h.locationId,
      id: c.id,
      firstName: "Wyn",
      lastName: null,
      name: "Wyn",
      email: null,
      phone: "07400 123002",
      tags: ["vip"],
      timezone: null,
      origin: { kind: "workflow", workflowId: "wf1", workflowName: "New contact" },
    };
    await ingestEvent(h.store, {
      source: "ghl-workflow",
      eventId: "wf:abc",
      eventType: "ContactCreate",
      locationId: h.locationId,
      payload: event,
    });
    await h.settle();
    const sent = await sentTo(h, "+447400123002");
    expect(sent.map((m) => m.body)).toEqual(["Hi Wyn, welcome!"]);
    const mirror = await h.store.contacts.get(h.locationId, c.id);
    expect(mirror?.phoneE164).toBe("+447400123002");
    expect((mirror!.ghl as { origin?: unknown }).origin).toBeUndefined();
  });

  it("is deferred by quiet hours, then sent when the window opens", async () => {
    // 22:30 in London: after the default 08:00-21:00 window
    h = await startHarness({ config: WELCOME, clockStart: Date.UTC(2026, 2, 10, 22, 30) });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Q", phone: "07400 300001" });
    await h.settle();
    expect(h.sandbox.bulksms.control.sentMessages()).toHaveLength(0);
    const queued = await h.store.messages.getByKey(`welcome:${h.locationId}:${c.id}`);
    expect(queued?.status).toBe("QUEUED");
    expect(queued?.sendAfter).toBe(Date.UTC(2026, 2, 11, 8, 0));
    await h.advance(Date.UTC(2026, 2, 11, 8, 1) - h.sandbox.clock.now());
    expect(await sentTo(h, "+447400300001")).toHaveLength(1);
  });

  it("is cancelled when the contact is deleted before it is sent", async () => {
    h = await startHarness({ config: { defaults: { welcome: { enabled: true, delayMs: 3600_000 } } } });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Z", phone: "07400 400001" });
    await h.settle();
    expect((await h.store.messages.getByKey(`welcome:${h.locationId}:${c.id}`))?.status).toBe("QUEUED");
    h.sandbox.ghl.control.deleteContact(c.id);
    await h.settle();
    const m = await h.store.messages.getByKey(`welcome:${h.locationId}:${c.id}`);
    expect(m?.status).toBe("CANCELLED");
    expect((await h.store.contacts.get(h.locationId, c.id))?.retired).toBe(true);
    await h.advance(2 * 3600_000);
    expect(h.sandbox.bulksms.control.sentMessages()).toHaveLength(0);
  });
});
