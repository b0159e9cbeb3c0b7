// End-to-end: every flow through the REAL worker (Fastify on 127.0.0.1:0, engine, job runner, SQLite on
// disk) against both simulators. Events enter the way they do in production: GHL signs webhooks for UI
// edits, BulkSMS posts status reports and replies to the secret URL. Evidence is read back from the
// simulators (the BulkSMS send log, GHL contacts, notes and tasks).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_HELP, type DemoStack, startDemoStack } from "../src/demo/stack.ts";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "worker-e2e-flows-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const OPT_OUT_TAG = "sms-opted-out";
let n = 0;
/** A fresh UK mobile per test: [national, E.164]. */
function mobile(): [string, string] {
  n++;
  const local = String(200000 + n);
  return [`07400 ${local}`, `+447400${local}`];
}

/** BulkSMS's own STOP words (the simulator's defaults); ARRET is a STOP word of ours only. */
const BULKSMS_STOP_WORDS = "STOP,STOPALL,UNSUBSCRIBE,CANCEL,END,QUIT";

describe("daytime flows (12:00 London)", () => {
  let s: DemoStack;
  beforeAll(async () => {
    s = await startDemoStack({
      dataDir: tempDir(),
      // confirmations where they can arrive: BulkSMS blocks on its STOP words, not on ARRET
      env: {
        STOP_WORDS: `${BULKSMS_STOP_WORDS},ARRET`,
        BULKSMS_STOP_WORDS,
        STOP_CONFIRMATION: "unless-blocked",
        START_CONFIRMATION: "unless-blocked",
      },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function newContact(firstName: string, phone: string) {
    const c = s.sandbox.ghl.control.createContact(s.locationId, { firstName, phone });
    await s.settle();
    return c;
  }

  it("welcome SMS: a contact created in GHL gets exactly one, rendered from the template", async () => {
    const [phone, e164] = mobile();
    const c = await newContact("Ada", phone);
    expect(s.sentTo(e164).map((m) => m.body)).toEqual(["Hi Ada, welcome to Acme! Reply STOP to opt out."]);
    // a later edit in GHL (ContactUpdate) sends nothing more
    s.sandbox.ghl.control.updateContact(c.id, { lastName: "Lovelace" });
    await s.settle();
    expect(s.sentTo(e164)).toHaveLength(1);
    expect((await s.store().contacts.get(s.locationId, c.id))?.welcomeSentAt).not.toBeNull();
  });

  it("no welcome for a landline or a contact created with DND", async () => {
    const land = s.sandbox.ghl.control.createContact(s.locationId, {
      firstName: "Lan",
      phone: "020 7946 0001",
    });
    const [phone, e164] = mobile();
    s.sandbox.ghl.control.createContact(s.locationId, {
      firstName: "Dee",
      phone,
      dndSettings: { SMS: { status: "active" } },
    });
    await s.settle();
    expect(s.sentTo("+442079460001")).toEqual([]);
    expect(s.sentTo(e164)).toEqual([]);
    expect(land.id).toBeTruthy();
  });

  it("delivery report: the status moves to DELIVERED and one note is written", async () => {
    const [phone, e164] = mobile();
    const c = await newContact("Bea", phone);
    await s.advance(10_000);
    const message = await s.store().messages.getByKey(`welcome:${s.locationId}:${c.id}`);
    expect(message?.status).toBe("DELIVERED");
    const notes = (await s.notes(c.id)).filter((x) => x.body.startsWith("SMS (welcome) delivered."));
    expect(notes).toHaveLength(1);
    await s.advance(10_000); // nothing more arrives, nothing more is written
    expect((await s.notes(c.id)).filter((x) => x.body.startsWith("SMS (welcome) delivered."))).toHaveLength(
      1,
    );
    expect(s.sentTo(e164)).toHaveLength(1);
  });

  it("failure: a failed text creates one task; the retry an hour later completes it", async () => {
    const [phone, e164] = mobile();
    s.sandbox.bulksms.control.setNumberOutcome(e164, "EXPIRED");
    const c = await newContact("Cat", phone);
    await s.advance(10_000);
    let tasks = await s.tasks(c.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.title).toMatch(/^SMS failed/);
    expect(tasks[0]?.completed).toBe(false);
    s.sandbox.bulksms.control.setNumberOutcome(e164, null);
    await s.advance(3_600_000 + 20_000, 600_000);
    expect(s.sentTo(e164)).toHaveLength(2);
    tasks = await s.tasks(c.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.completed).toBe(true);
    expect(tasks[0]?.title).toMatch(/^Resolved: /);
  });

  it("reply: an inbound text is matched by number and written as one note", async () => {
    const [phone, e164] = mobile();
    const c = await newContact("Dot", phone);
    s.sandbox.bulksms.control.simulateReply({ from: e164, body: "Can I move my booking to 3pm?" });
    await s.settle();
    const notes = (await s.notes(c.id)).filter((x) => x.body.includes("Can I move my booking to 3pm?"));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toMatch(/^SMS reply received:/);
  });

  it("STOP: DND, tag, note, blocked number, no billed confirmation; a second STOP and later events send nothing", async () => {
    const [phone, e164] = mobile();
    const c = await newContact("Eve", phone);
    s.sandbox.bulksms.control.simulateReply({ from: e164, body: "Stop" });
    await s.settle();
    await s.advance(10_000);
    const contact = s.contact(c.id);
    expect(contact.dndSettings.SMS?.status).toBe("active");
    expect(contact.tags).toContain(OPT_OUT_TAG);
    expect((await s.notes(c.id)).filter((x) => x.body.startsWith("Opted out of SMS"))).toHaveLength(1);
    expect(s.blocked(e164)).toBe(true);
    // BulkSMS blocked the number on STOP: the confirmation is refused by our gate, never submitted (billed)
    expect(s.outcomes(e164).map((o) => o.status)).toEqual(["DELIVERED"]); // the welcome
    const confirmation = (await s.store().messages.listForContact(s.locationId, c.id)).find((m) =>
      m.key.startsWith("stop-confirmation:"),
    );
    expect(confirmation).toMatchObject({
      status: "CANCELLED",
      error: "blocked by the send gate: account_blocked (stop)",
    });
    expect((await s.store().optOuts.get(s.locationId, e164))?.state).toBe("opted_out");

    s.sandbox.bulksms.control.simulateReply({ from: e164, body: "STOP" });
    s.sandbox.ghl.control.updateContact(c.id, { firstName: "Evelyn", tags: ["vip"] });
    await s.advance(20_000);
    expect(s.sentTo(e164)).toHaveLength(1);
    expect((await s.notes(c.id)).filter((x) => x.body.startsWith("Opted out of SMS"))).toHaveLength(1);
  });

  // Regression test of a race the crash test found (fixed in the engine, 1b19fbc): applyOptOut used to
  // cancel the still-queued STOP confirmation when our own DND write echoed back before it was sent.
  it("STOP confirmation (a STOP word BulkSMS does not block on) survives a BulkSMS outage and the DND echo, delivered", async () => {
    const [phone, e164] = mobile();
    const c = await newContact("Ned", phone);
    // BulkSMS answers 429 to everything for a minute: the confirmation's first send attempt fails and is
    // retried later, while the GHL side (DND, tag, note) goes through and GHL echoes ContactDndUpdate back
    s.sandbox.bulksms.control.setFaults({ rateLimitStormUntil: s.sandbox.clock.now() + 60_000 });
    s.sandbox.bulksms.control.simulateReply({ from: e164, body: "ARRET" });
    await s.settle();
    expect(s.contact(c.id).dndSettings.SMS?.status).toBe("active");
    await s.advance(120_000, 15_000);
    const confirmation = (await s.store().messages.listForContact(s.locationId, c.id)).find((m) =>
      m.key.startsWith("stop-confirmation:"),
    );
    expect(confirmation?.providerIds).toHaveLength(1);
    // reached the handset (BulkSMS did not block on ARRET), then the number was blocked by our push
    expect(s.outcomes(e164).map((o) => `${o.status} ${o.body}`)).toEqual([
      "DELIVERED Hi Ned, welcome to Acme! Reply STOP to opt out.",
      expect.stringMatching(/^DELIVERED You have been unsubscribed/),
    ]);
    expect(s.blocked(e164)).toBe(true);
  });

  it("START: re-subscribes (DND off, tag removed); no confirmation while BulkSMS still blocks the number", async () => {
    const [phone, e164] = mobile();
    const c = await newContact("Fin", phone);
    s.sandbox.bulksms.control.simulateReply({ from: e164, body: "STOP" });
    await s.settle();
    s.sandbox.bulksms.control.simulateReply({ from: e164, body: "start" });
    await s.settle();
    await s.advance(10_000);
    const contact = s.contact(c.id);
    expect(contact.dndSettings.SMS?.status).not.toBe("active");
    expect(contact.tags).not.toContain(OPT_OUT_TAG);
    // the START confirmation would end FAILED.BLOCKED, billed: refused, never submitted; a task instead
    expect(s.outcomes(e164).map((o) => o.status)).toEqual(["DELIVERED"]); // the welcome
    expect((await s.tasks(c.id)).map((t) => t.body).join()).toContain(
      `ask BulkSMS support to unblock ${e164}`,
    );
    expect((await s.store().optOuts.get(s.locationId, e164))?.state).toBe("opted_in");
  });

  it("HELP: answered once with the configured help text", async () => {
    const [phone, e164] = mobile();
    await newContact("Gil", phone);
    s.sandbox.bulksms.control.simulateReply({ from: e164, body: "help" });
    await s.settle();
    expect(s.sentTo(e164).map((m) => m.body)).toEqual([
      "Hi Gil, welcome to Acme! Reply STOP to opt out.",
      DEMO_HELP,
    ]);
  });

  it("GHL DND set by a person -> the number is added to the BulkSMS blocked numbers and no longer texted", async () => {
    const [phone, e164] = mobile();
    const c = await newContact("Hal", phone);
    s.sandbox.ghl.control.updateContact(c.id, { dndSettings: { SMS: { status: "active" } } });
    await s.settle();
    expect(s.blocked(e164)).toBe(true);
    expect(await s.store().optOuts.get(s.locationId, e164)).toMatchObject({
      state: "opted_out",
      source: "ghl_dnd",
    });
    s.sandbox.bulksms.control.simulateReply({ from: e164, body: "HELP" }); // answers to the person still go out
    s.sandbox.ghl.control.updateContact(c.id, { firstName: "Hank" });
    await s.settle();
    expect(s.sentTo(e164).filter((m) => m.body.startsWith("Hi "))).toHaveLength(1);
  });

  it("BulkSMS blocked numbers -> GHL DND (the periodic pull job, enqueued as the scheduler does)", async () => {
    const [phone, e164] = mobile();
    const c = await newContact("Ivy", phone);
    s.sandbox.bulksms.control.addBlocked([e164.slice(1)]);
    await s.store().jobs.enqueue({
      name: "bulksms.pull-blocked",
      payload: { locationId: s.locationId },
      key: `e2e-pull:${e164}`,
      locationId: s.locationId,
    });
    await s.settle();
    const contact = s.contact(c.id);
    expect(contact.dndSettings.SMS?.status).toBe("active");
    expect(contact.tags).toContain(OPT_OUT_TAG);
    expect((await s.store().optOuts.get(s.locationId, e164))?.source).toBe("bulksms_blocked");
  });

  it("BulkSMS refusing a blocked number (FAILED.BLOCKED) -> opt-out and GHL DND", async () => {
    const [phone, e164] = mobile();
    s.sandbox.bulksms.control.addBlocked([e164.slice(1)]);
    const c = await newContact("Jo", phone);
    await s.advance(10_000);
    expect(s.contact(c.id).dndSettings.SMS?.status).toBe("active");
    expect((await s.store().optOuts.get(s.locationId, e164))?.state).toBe("opted_out");
  });

  it("nothing ends in the dead letters and every webhook was processed", async () => {
    await s.settle();
    expect(await s.store().deadLetters.list()).toEqual([]);
    expect((await s.store().inbox.lag()).pending).toBe(0);
    const ids = s.sandbox.bulksms.control.sentMessages().map((m) => m.deduplicationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("night flows (22:00 London: outside the 08:00-21:00 window)", () => {
  const TEN_PM = Date.UTC(2026, 2, 10, 22, 0);
  let s: DemoStack;
  beforeAll(async () => {
    s = await startDemoStack({ dataDir: tempDir(), clockStart: TEN_PM });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("quiet hours: the welcome is deferred to 08:00 local, not dropped, and sent once", async () => {
    const [phone, e164] = mobile();
    const c = s.sandbox.ghl.control.createContact(s.locationId, { firstName: "Kit", phone });
    await s.settle();
    expect(s.sentTo(e164)).toEqual([]);
    await s.advance(9 * 3_600_000, 900_000); // 07:00 next day
    expect(s.sentTo(e164)).toEqual([]);
    await s.advance(2 * 3_600_000, 900_000); // 09:00
    const sent = s.sentTo(e164);
    expect(sent).toHaveLength(1);
    const at = new Date(sent[0]?.at ?? 0);
    expect(at.getUTCHours()).toBeGreaterThanOrEqual(8); // London is on GMT in March before the change
    expect(at.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 11, 8, 0));
    expect((await s.store().messages.getByKey(`welcome:${s.locationId}:${c.id}`))?.status).not.toBe(
      "CANCELLED",
    );
  });

  it("ContactDelete cancels the pending (deferred) send", async () => {
    const [phone, e164] = mobile();
    // the clock is now ~09:00; a 30-minute welcome delay keeps the text pending while the contact is deleted
    await s.store().locations.upsert({
      id: s.locationId,
      active: true,
      settings: { engine: { welcome: { delayMs: 30 * 60_000 } } },
    });
    const c = s.sandbox.ghl.control.createContact(s.locationId, { firstName: "Lou", phone });
    await s.settle();
    expect(s.sentTo(e164)).toEqual([]);
    s.sandbox.ghl.control.deleteContact(c.id);
    await s.settle();
    await s.advance(3_600_000, 600_000);
    expect(s.sentTo(e164)).toEqual([]);
    const m = await s.store().messages.getByKey(`welcome:${s.locationId}:${c.id}`);
    expect(m?.status).toBe("CANCELLED");
    expect(await s.store().deadLetters.list()).toEqual([]);
  });
});
