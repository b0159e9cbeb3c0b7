// Thread mode: every reply lands in the contact's GHL conversation (read back from the sandbox's
// conversation), once even when redelivered or crashed mid-way; STOP keeps its meaning in every order;
// replies from an earlier number, and texts from strangers, are never lost.
import { type BulkSmsMessage, parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import type { GhlClient } from "@ghl-bulksms/ghl";
import { afterEach, describe, expect, it } from "vitest";
import { runContactFromSms } from "../src/conversations/unknown-sender.js";
import { type EngineConfigInput, handleInboundMessage, sweepBegunVendorWrites } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

const THREAD: EngineConfigInput = { defaults: { conversations: { thread: true } } };
const WELCOME_THREAD: EngineConfigInput = {
  defaults: { conversations: { thread: true }, welcome: { enabled: true, template: "Hi {{firstName}}" } },
};

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function thread(harness: Harness, contactId: string) {
  return harness.sandbox.ghl.control.thread(contactId).map((m) => ({ direction: m.direction, body: m.body }));
}
function inboundBodies(harness: Harness, contactId: string): string[] {
  return thread(harness, contactId)
    .filter((m) => m.direction === "inbound")
    .map((m) => m.body);
}
async function noteBodies(harness: Harness, contactId: string): Promise<string[]> {
  const r = await harness.ghl.notes.list({ locationId: harness.locationId, contactId });
  if (!r.ok) throw r.error;
  return r.data.notes.map((n) => n.body ?? "");
}
const digits = (n: string) => n.replace(/\D/g, "");
function contactsWithPhone(harness: Harness, e164: string) {
  return harness.sandbox.ghl.control
    .listContacts(harness.locationId)
    .filter((c) => c.phone && digits(c.phone) === digits(e164));
}

/** The text as the worker hands it to the engine (the BulkSMS webhook body, parsed). */
function asWebhook(m: unknown): BulkSmsMessage {
  const r = parseBulkSmsWebhook(JSON.stringify([m]), {} as never);
  if (!r.ok || !r.data.messages[0]) throw new Error("not a BulkSMS message");
  return r.data.messages[0];
}

/** A client whose `method` of `group` reaches GHL and then "crashes" once (the answer is lost). */
function crashOnceAfter<G extends "conversations" | "contacts">(
  group: G,
  method: keyof GhlClient[G],
  state: { crashes: number },
): (c: GhlClient) => GhlClient {
  return (c) => {
    const api = c[group] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    return {
      ...c,
      [group]: {
        ...c[group],
        async [method](...args: unknown[]) {
          const r = await api[method as string]?.(...args);
          if (state.crashes === 0) {
            state.crashes++;
            throw new Error("simulated crash after the vendor call");
          }
          return r;
        },
      },
    };
  };
}

describe("every reply in the thread", () => {
  it("an inbound text lands in the contact's conversation, once even when the text is processed again", async () => {
    h = await startHarness({ config: THREAD });
    const ada = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Ada",
      phone: "07400 100001",
    });
    await h.settle();
    const reply = h.sandbox.bulksms.control.simulateReply({
      from: "+447400100001",
      body: "Yes, Tuesday works",
    });
    await h.settle();
    expect(inboundBodies(h, ada.id)).toEqual(["Yes, Tuesday works"]);
    // GHL requests per recorded text: search + create the conversation the first time, then search + post
    const convCalls = () =>
      h?.sandbox.ghl.control.requestLog().filter((r) => r.path.startsWith("/conversations")).length ?? 0;
    expect(convCalls()).toBe(3);
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100001", body: "Or Wednesday" });
    await h.settle();
    expect(convCalls()).toBe(5);
    expect(inboundBodies(h, ada.id)).toEqual(["Yes, Tuesday works", "Or Wednesday"]);
    // a redelivered webhook processed again (after the inbox forgot it) posts nothing twice
    await handleInboundMessage(h.engine.deps, asWebhook(reply));
    await h.settle();
    expect(inboundBodies(h, ada.id)).toEqual(["Yes, Tuesday works", "Or Wednesday"]);
    // thread mode turns the SMS notes off by default: the reply is not repeated as a note
    expect((await noteBodies(h, ada.id)).filter((b) => b.startsWith("SMS reply received"))).toEqual([]);
    const [m] = h.sandbox.ghl.control.thread(ada.id);
    expect(m).toMatchObject({ type: "SMS", direction: "inbound", altId: reply.id });
    expect(m?.conversationProviderId).toBeUndefined(); // the default provider needs no id
  });

  it("a crash after GHL recorded the text and before we did: the retry finds it, nothing is posted twice", async () => {
    const state = { crashes: 0 };
    h = await startHarness({
      config: THREAD,
      wrapGhl: crashOnceAfter("conversations", "inboundMessage", state),
    });
    const ada = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Ada",
      phone: "07400 100002",
    });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100002", body: "Running late" });
    const run = await h.settle();
    expect(state.crashes).toBe(1);
    expect(run.failures.some((f) => f.name === "ghl.thread.message")).toBe(true);
    expect(inboundBodies(h, ada.id)).toEqual(["Running late"]);
    expect(await h.store.vendorWrites.listBegun()).toEqual([]);
    const audit = await h.store.audit.list({ vendor: "ghl" });
    expect(audit.some((a) => a.operation === "conversation.message" && a.resultStatus === "recovered")).toBe(
      true,
    );
  });

  it("a write that died in the dead letters is finished by the sweep, still once", async () => {
    const broken = { lookups: true, crashes: 0 };
    h = await startHarness({
      config: THREAD,
      wrapGhl: (c) => ({
        ...c,
        conversations: {
          ...c.conversations,
          async inboundMessage(p, o) {
            const r = await c.conversations.inboundMessage(p, o);
            if (broken.crashes++ === 0) throw new Error("simulated crash after the vendor call");
            return r;
          },
          listMessages: (p, o) => {
            if (broken.lookups) throw new Error("GHL unavailable");
            return c.conversations.listMessages(p, o);
          },
        },
      }),
    });
    const ada = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Ada",
      phone: "07400 100006",
    });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100006", body: "See you" });
    const run = await h.settle();
    expect(run.dead).toBe(1); // the lookup after the crash never answered: the job gave up
    expect(await h.store.vendorWrites.listBegun()).toHaveLength(1);
    broken.lookups = false;
    const swept = await sweepBegunVendorWrites(h.engine.deps, { olderThanMs: 0 });
    expect(swept).toMatchObject({ requeued: 1 });
    await h.settle();
    expect(inboundBodies(h, ada.id)).toEqual(["See you"]);
    expect(await h.store.vendorWrites.listBegun()).toEqual([]);
  });

  it("an extra provider: every inbound message carries the conversationProviderId (GHL requires it)", async () => {
    h = await startHarness({
      config: {
        defaults: { conversations: { thread: true, provider: "extra", providerId: "prov-extra-7" } },
      },
    });
    h.sandbox.ghl.control.setConversationProvider({ id: "prov-extra-7", kind: "extra", type: "SMS" });
    const ada = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Ada",
      phone: "07400 100003",
    });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100003", body: "Thanks" });
    await h.settle();
    expect(h.sandbox.ghl.control.thread(ada.id)).toMatchObject([
      { direction: "inbound", body: "Thanks", conversationProviderId: "prov-extra-7" },
    ]);
  });

  it("the texts we send (the welcome) appear in the thread too, once", async () => {
    h = await startHarness({ config: WELCOME_THREAD });
    const ada = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Ada",
      phone: "07400 100004",
    });
    await h.settle();
    await h.advance(10_000);
    expect(thread(h, ada.id)).toEqual([{ direction: "outbound", body: "Hi Ada" }]);
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100004", body: "Hello!" });
    await h.settle();
    expect(thread(h, ada.id)).toEqual([
      { direction: "outbound", body: "Hi Ada" },
      { direction: "inbound", body: "Hello!" },
    ]);
  });

  it("GHL_SMS_NOTES on: thread mode and the reply note together", async () => {
    h = await startHarness({
      config: { defaults: { conversations: { thread: true }, notes: { sms: "on" } } },
    });
    const ada = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Ada",
      phone: "07400 100005",
    });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100005", body: "ok" });
    await h.settle();
    expect(inboundBodies(h, ada.id)).toEqual(["ok"]);
    expect((await noteBodies(h, ada.id)).some((b) => b.startsWith("SMS reply received:\nok"))).toBe(true);
  });
});

describe("STOP keeps its meaning in the thread", () => {
  for (const first of ["opt-out", "thread"] as const) {
    it(`STOP is in the thread AND the person is opted out (the ${first} first)`, async () => {
      const fail = { thread: first === "opt-out", dnd: first === "thread" };
      h = await startHarness({
        config: THREAD,
        // one failed attempt pushes a job behind the other: both orders of processing are run
        wrapGhl: (c) => ({
          ...c,
          conversations: {
            ...c.conversations,
            inboundMessage: (p, o) => {
              if (fail.thread) {
                fail.thread = false;
                throw new Error("GHL unavailable once");
              }
              return c.conversations.inboundMessage(p, o);
            },
          },
          contacts: {
            ...c.contacts,
            update: (p, o) => {
              if (fail.dnd) {
                fail.dnd = false;
                throw new Error("GHL unavailable once");
              }
              return c.contacts.update(p, o);
            },
          },
        }),
      });
      const phone = "+447400100010";
      const sam = h.sandbox.ghl.control.createContact(h.locationId, {
        firstName: "Sam",
        phone: "07400 100010",
      });
      await h.settle();
      h.sandbox.bulksms.control.simulateReply({ from: phone, body: "STOP" });
      await h.settle();
      expect(inboundBodies(h, sam.id)).toEqual(["STOP"]);
      expect(h.sandbox.ghl.control.getContact(sam.id)?.dndSettings.SMS?.status).toBe("active");
      expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({ state: "opted_out" });
      expect(fail).toEqual({ thread: false, dnd: false });
      // START: in the thread and opted back in
      h.sandbox.bulksms.control.simulateReply({ from: phone, body: "START" });
      await h.settle();
      expect(inboundBodies(h, sam.id)).toEqual(["STOP", "START"]);
      expect(await h.store.optOuts.get(h.locationId, phone)).toMatchObject({ state: "opted_in" });
    });
  }
});

describe("no reply lost", () => {
  it("a reply from the number we texted lands on that contact after they changed it in GHL", async () => {
    h = await startHarness({ config: WELCOME_THREAD });
    const ada = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Ada",
      phone: "07400 100020",
    });
    await h.settle();
    await h.advance(10_000); // the welcome goes to 07400 100020
    h.sandbox.ghl.control.updateContact(ada.id, { phone: "07400 100021" });
    await h.settle();
    expect(await h.store.contacts.findByPhone(h.locationId, "+447400100020")).toEqual([]);
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100020", body: "It's Ada, old phone" });
    await h.settle();
    expect(inboundBodies(h, ada.id)).toEqual(["It's Ada, old phone"]);
    expect(contactsWithPhone(h, "+447400100020")).toEqual([]); // no stranger contact was made for it
  });

  it("a reply from a contact's previous number (never texted by us) lands on that contact", async () => {
    h = await startHarness({ config: THREAD });
    const bo = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Bo", phone: "07400 100030" });
    await h.settle();
    h.sandbox.ghl.control.updateContact(bo.id, { phone: "07400 100031" });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100030", body: "Bo here" });
    await h.settle();
    expect(inboundBodies(h, bo.id)).toEqual(["Bo here"]);
    expect(h.sandbox.ghl.control.listContacts(h.locationId)).toHaveLength(1);
  });

  it("a stranger becomes one contact (phone, source SMS, tag) with every text in its thread", async () => {
    h = await startHarness({ config: THREAD });
    const stranger = "+447400100040";
    const first = h.sandbox.bulksms.control.simulateReply({ from: stranger, body: "Do you deliver?" });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: stranger, body: "To Leeds?" });
    await h.settle();
    await handleInboundMessage(h.engine.deps, asWebhook(first)); // processed again
    await h.settle();
    const made = contactsWithPhone(h, stranger);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ source: "SMS", tags: ["sms-inbound-unknown"] });
    expect(inboundBodies(h, made[0]?.id ?? "")).toEqual(["Do you deliver?", "To Leeds?"]);
  });

  it("the stranger's new contact gets no welcome text (they wrote to us first)", async () => {
    h = await startHarness({ config: WELCOME_THREAD });
    const stranger = "+447400100045";
    h.sandbox.bulksms.control.simulateReply({ from: stranger, body: "Price list please" });
    await h.settle();
    await h.advance(60_000);
    expect(contactsWithPhone(h, stranger)).toHaveLength(1);
    expect(h.sandbox.bulksms.control.sentMessages().filter((m) => digits(m.to) === digits(stranger))).toEqual(
      [],
    );
  });

  it("two texts from one stranger handled at the same time: still one contact, both texts in its thread", async () => {
    h = await startHarness({ config: THREAD });
    const harness = h;
    const stranger = "+447400100055";
    const date = new Date(harness.sandbox.clock.now()).toISOString();
    const job = (inboundId: string, body: string) =>
      runContactFromSms(harness.engine.deps, {
        locationId: harness.locationId,
        phone: stranger,
        inboundId,
        body,
        date,
      });
    const outcomes = await Promise.all([job("9001", "first"), job("9002", "second")]);
    expect(outcomes).toEqual([{ ok: true }, { ok: true }]);
    const made = contactsWithPhone(harness, stranger);
    expect(made).toHaveLength(1);
    expect(inboundBodies(harness, made[0]?.id ?? "").sort()).toEqual(["first", "second"]);
  });

  it("a crash after GHL created the stranger's contact: the retry finds it by phone, one contact", async () => {
    const state = { crashes: 0 };
    h = await startHarness({ config: THREAD, wrapGhl: crashOnceAfter("contacts", "create", state) });
    const stranger = "+447400100050";
    h.sandbox.bulksms.control.simulateReply({ from: stranger, body: "Hello?" });
    await h.settle();
    expect(state.crashes).toBe(1);
    const made = contactsWithPhone(h, stranger);
    expect(made).toHaveLength(1);
    expect(inboundBodies(h, made[0]?.id ?? "")).toEqual(["Hello?"]);
  });

  it("UNKNOWN_SENDER=task: a task for a person on the inbox contact, no contact created", async () => {
    h = await startHarness({ config: THREAD });
    // the contact that holds the tasks is set per location (the sandbox makes its id)
    const box = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "SMS inbox" });
    await h.store.locations.upsert({
      id: h.locationId,
      settings: {
        engine: { conversations: { unknownSender: "task", taskContactId: box.id, taskAssignee: "user-7" } },
      },
    });
    await h.settle();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100060", body: "Who is this?" });
    await h.settle();
    expect(contactsWithPhone(h, "+447400100060")).toEqual([]);
    const tasks = await h.ghl.tasks.list({ locationId: h.locationId, contactId: box.id });
    if (!tasks.ok) throw tasks.error;
    expect(tasks.data.tasks).toHaveLength(1);
    expect(tasks.data.tasks[0]).toMatchObject({
      title: "SMS from an unknown number +447400100060",
      assignedTo: "user-7",
    });
    expect(tasks.data.tasks[0]?.body).toContain("Who is this?");
  });

  it("UNKNOWN_SENDER=create-contact without thread mode: the contact, and the text as a reply note", async () => {
    h = await startHarness({ config: { defaults: { conversations: { unknownSender: "create-contact" } } } });
    const stranger = "+447400100065";
    h.sandbox.bulksms.control.simulateReply({ from: stranger, body: "Open on Sunday?" });
    await h.settle();
    const made = contactsWithPhone(h, stranger);
    expect(made).toHaveLength(1);
    expect(h.sandbox.ghl.control.thread(made[0]?.id ?? "")).toEqual([]);
    expect(await noteBodies(h, made[0]?.id ?? "")).toEqual([
      expect.stringMatching(/^SMS reply received:\nOpen on Sunday\?/),
    ]);
  });

  it("thread mode off (today's behaviour): a stranger's text creates nothing", async () => {
    h = await startHarness();
    h.sandbox.bulksms.control.simulateReply({ from: "+447400100070", body: "hi" });
    await h.settle();
    expect(contactsWithPhone(h, "+447400100070")).toEqual([]);
  });
});
