// Opt-out both ways: STOP / START / HELP by SMS, GHL DND -> BulkSMS blocked, BulkSMS blocked -> GHL DND.
import { afterEach, describe, expect, it } from "vitest";
import { checkSendGate, pullBlockedNumbers, queueMessage } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

const CONFIG = { defaults: { welcome: { enabled: true, template: "Hi {{firstName}}" } } };

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const digits = (n: string) => n.replace(/\D/g, "");
function sentTo(harness: Harness, e164: string) {
  return harness.sandbox.bulksms.control.sentMessages().filter((m) => digits(m.to) === digits(e164));
}
function blocked(harness: Harness): string[] {
  return harness.sandbox.bulksms.control.blockedNumbers().map((n) => `+${digits(n)}`);
}
async function noteBodies(harness: Harness, contactId: string): Promise<string[]> {
  const r = await harness.ghl.notes.list({ locationId: harness.locationId, contactId });
  if (!r.ok) throw r.error;
  return r.data.notes.map((n) => n.body ?? "");
}

describe("opt-out", () => {
  it("STOP sets GHL DND, tags, notes, blocks at BulkSMS, confirms once; later sends are blocked by the gate", async () => {
    h = await startHarness({ config: CONFIG });
    const phone = "+447400123456";
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Sam", phone: "07400 123456" });
    await h.settle();
    expect(sentTo(h, phone)).toHaveLength(1); // the welcome
    h.sandbox.bulksms.control.simulateReply({ from: phone, body: " stop " });
    await h.settle();

    const contact = h.sandbox.ghl.control.getContact(c.id);
    expect(contact?.dndSettings.SMS?.status).toBe("active");
    expect(contact?.tags).toContain("sms-opted-out");
    expect((await noteBodies(h, c.id)).some((b) => b.startsWith("Opted out of SMS: replied"))).toBe(true);
    expect(blocked(h)).toContain(phone);
    expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({
      state: "opted_out",
      source: "sms_stop",
    });
    const afterStop = sentTo(h, phone);
    expect(afterStop).toHaveLength(2);
    expect(afterStop[1]?.body).toMatch(/unsubscribed/);

    // a second STOP: no second confirmation
    h.sandbox.bulksms.control.simulateReply({ from: phone, body: "STOP" });
    await h.settle();
    expect(sentTo(h, phone)).toHaveLength(2);

    // the gate refuses every other send, whatever path queued it
    expect(
      await checkSendGate(h.engine.deps, {
        locationId: h.locationId,
        contactId: c.id,
        to: phone,
        purpose: "automated",
      }),
    ).toMatchObject({
      block: "opted_out",
    });
    await h.store.transaction((tx) =>
      queueMessage(tx, {
        key: "manual:1",
        locationId: h?.locationId ?? "",
        contactId: c.id,
        to: phone,
        body: "promo",
        sendAfter: h?.sandbox.clock.now() ?? 0,
        meta: { purpose: "automated", kind: "promo" },
      }),
    );
    await h.settle();
    expect(sentTo(h, phone)).toHaveLength(2);
    expect((await h.store.messages.getByKey("manual:1"))?.status).toBe("CANCELLED");
  });

  it("an inbound STOP processed twice (crash before the inbox row was marked) has its effects once", async () => {
    h = await startHarness({ config: CONFIG });
    const phone = "+447400123001";
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Twi", phone: "07400 123001" });
    await h.settle();
    const stop = h.sandbox.bulksms.control.simulateReply({ from: phone, body: "STOP" });
    await h.settle();
    const jobsBefore = await h.store.jobs.counts();
    const item = {
      inboxId: 0,
      source: "bulksms" as const,
      eventId: `${stop.id}:RECEIVED`,
      eventType: "bulksms.incoming-message",
      locationId: null,
      payload: { ...stop, from: phone },
      receivedAt: h.sandbox.clock.now(),
    };
    const signal = new AbortController().signal;
    const again = await h.engine.inbox.bulksms(item, {
      jobId: 0,
      attempt: 2,
      locationId: null,
      finalAttempt: false,
      signal,
    });
    expect(again).toEqual({ ok: true });
    await h.settle();
    expect(await h.store.jobs.counts()).toEqual(jobsBefore);
    expect(sentTo(h, phone)).toHaveLength(2); // welcome + one confirmation
    expect((await noteBodies(h, c.id)).filter((b) => b.startsWith("Opted out of SMS"))).toHaveLength(1);
  });

  it("START re-subscribes (DND cleared, tag removed, gate open); HELP answers with the help text", async () => {
    h = await startHarness({
      config: { defaults: { ...CONFIG.defaults, replies: { help: "Acme: reply STOP to stop." } } },
    });
    const phone = "+447400123457";
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Tia", phone: "07400 123457" });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: phone, body: "STOP" });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: phone, body: "Start" });
    await h.settle();
    expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({ state: "opted_in" });
    const contact = h.sandbox.ghl.control.getContact(c.id);
    expect(contact?.dndSettings.SMS?.status).toBe("inactive");
    expect(contact?.tags).not.toContain("sms-opted-out");
    expect(
      await checkSendGate(h.engine.deps, {
        locationId: h.locationId,
        contactId: c.id,
        to: phone,
        purpose: "reply",
      }),
    ).toEqual({
      allow: true,
    });
    expect(sentTo(h, phone).at(-1)?.body).toMatch(/resubscribed/);

    h.sandbox.bulksms.control.simulateReply({ from: phone, body: "help" });
    await h.settle();
    expect(sentTo(h, phone).at(-1)?.body).toBe("Acme: reply STOP to stop.");
  });

  it("keywords are configurable per location (localised STOP)", async () => {
    h = await startHarness({ config: { locations: {} } });
    const loc = h.locationId;
    await h.store.locations.upsert({
      id: loc,
      settings: { engine: { keywords: { stop: ["STOPP", "AVSLUTA"] } } },
    });
    const phone = "+447400123458";
    h.sandbox.ghl.control.createContact(loc, { firstName: "Sv", phone: "07400 123458" });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: phone, body: "STOP" }); // not a keyword here: a reply
    await h.settle();
    expect(await h.store.optOuts.isOptedOut(loc, phone)).toBe(false);
    h.sandbox.bulksms.control.simulateReply({ from: phone, body: "avsluta" });
    await h.settle();
    expect(await h.store.optOuts.isOptedOut(loc, phone)).toBe(true);
  });

  it("GHL DND set by a person is pushed to BulkSMS blocked numbers", async () => {
    h = await startHarness();
    const phone = "+447400123459";
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Pat", phone: "07400 123459" });
    await h.settle();
    expect(blocked(h)).not.toContain(phone);
    h.sandbox.ghl.control.updateContact(c.id, { dndSettings: { SMS: { status: "active" } } });
    await h.settle();
    expect(blocked(h)).toContain(phone);
    expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({
      state: "opted_out",
      source: "ghl_dnd",
    });
    const audit = await h.store.audit.list({ vendor: "bulksms" });
    expect(audit.filter((a) => a.operation === "blocked-numbers.add")).toHaveLength(1);
  });

  it("a text refused as FAILED.BLOCKED opts the number out and sets GHL DND", async () => {
    h = await startHarness({ config: CONFIG });
    const phone = "+447400123003";
    h.sandbox.bulksms.control.addBlocked([phone]); // blocked at the gateway, not yet pulled
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Bea", phone: "07400 123003" });
    await h.settle();
    await h.advance(10_000);
    expect((await h.store.messages.getByKey(`welcome:${h.locationId}:${c.id}`))?.subtype).toBe("BLOCKED");
    expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({
      state: "opted_out",
      source: "bulksms_blocked",
    });
    expect(h.sandbox.ghl.control.getContact(c.id)?.dndSettings.SMS?.status).toBe("active");
  });

  it("BulkSMS blocked numbers are pulled into GHL DND, from a cursor", async () => {
    h = await startHarness();
    const phone = "+447400200001";
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Bo", phone: "07400 200001" });
    await h.settle();
    h.sandbox.bulksms.control.addBlocked([phone]);
    const first = await pullBlockedNumbers(h.engine.deps, h.locationId);
    expect(first).toMatchObject({ ok: true, data: { scanned: 1, optedOut: 1 } });
    await h.settle();
    expect(h.sandbox.ghl.control.getContact(c.id)?.dndSettings.SMS?.status).toBe("active");
    expect(h.sandbox.ghl.control.getContact(c.id)?.tags).toContain("sms-opted-out");
    expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({
      state: "opted_out",
      source: "bulksms_blocked",
    });
    const again = await pullBlockedNumbers(h.engine.deps, h.locationId);
    expect(again).toMatchObject({ ok: true, data: { scanned: 0, optedOut: 0 } });
  });
});
