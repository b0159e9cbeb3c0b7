// BulkSMS as GHL's SMS provider: a ProviderOutboundMessage becomes exactly one BulkSMS text (or none, with
// the reason in GHL), and its status shows on the message in GHL. Outcomes are read from the simulators'
// own records: the texts BulkSMS sent, the statuses GHL recorded on the message.
import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import type { GhlClient } from "@ghl-bulksms/ghl";
import { afterEach, describe, expect, it } from "vitest";
import {
  applyOptOut,
  type EngineConfigInput,
  loadLocation,
  markAccountBlocked,
  providerMessageKey,
} from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const provider = (extra: Record<string, unknown> = {}): EngineConfigInput => ({
  defaults: { provider: { enabled: true, ...extra } },
});
const digits = (s: string) => s.replace(/\D/g, "");

function textsTo(hh: Harness, phone: string) {
  return hh.sandbox.bulksms.control.sentMessages().filter((m) => digits(m.to) === digits(phone));
}

function statusesOf(hh: Harness, messageId: string) {
  return hh.sandbox.ghl.control.statusUpdates().filter((u) => u.messageId === messageId);
}

function ghlMessage(hh: Harness, messageId: string) {
  return hh.sandbox.ghl.control.outboundMessages().find((m) => m.id === messageId);
}

async function ada(hh: Harness, phone = "+447400123001", extra: Record<string, unknown> = {}) {
  const c = hh.sandbox.ghl.control.createContact(hh.locationId, { firstName: "Ada", phone, ...extra });
  await hh.settle();
  return c;
}

describe("provider mode: a text a person typed in GHL", () => {
  it("is sent once by BulkSMS and shows pending, then delivered, on the message in GHL", async () => {
    h = await startHarness({ config: provider() });
    const c = await ada(h);
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Hi Ada, your table is ready");
    await h.settle();
    expect(textsTo(h, "+447400123001").map((t) => t.body)).toEqual(["Hi Ada, your table is ready"]);
    expect(statusesOf(h, m.id).map((u) => u.status)).toEqual(["pending"]);
    await h.advance(10_000); // BulkSMS reports DELIVERED
    expect(statusesOf(h, m.id).map((u) => u.status)).toEqual(["pending", "delivered"]);
    expect(ghlMessage(h, m.id)?.status).toBe("delivered");
    // one message, keyed by GHL's messageId; no note beside the message in the thread
    const stored = await h.store.messages.getByKey(providerMessageKey(h.locationId, m.id));
    expect(stored?.status).toBe("DELIVERED");
    expect(h.sandbox.ghl.control.getContact(c.id)).toBeDefined();
  });

  it("the same webhook delivered twice (a new webhookId, as a GHL retry) sends one text", async () => {
    h = await startHarness({ config: provider() });
    const c = await ada(h);
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Once only");
    await h.sandbox.ghl.control.flushWebhooks();
    const original = h.receiver.requests.find((r) => (r.body as { messageId?: string }).messageId === m.id);
    expect(original).toBeDefined();
    // a second delivery of the same message to the Delivery URL, processed after the first one was sent
    await h.settle();
    h.receiver.requests.push({
      ...(original as NonNullable<typeof original>),
      body: { ...(original?.body as object), webhookId: "redelivery-1" },
    });
    await h.advance(10_000);
    expect(textsTo(h, "+447400123001")).toHaveLength(1);
    expect(statusesOf(h, m.id).at(-1)?.status).toBe("delivered");
  });

  it("a crash between the BulkSMS submit and its record re-sends with the same dedup id: one text", async () => {
    let crashes = 0;
    h = await startHarness({
      config: provider(),
      wrapSms: (sms: BulkSmsClient) => ({
        ...sms,
        async sendMessages(input) {
          const r = await sms.sendMessages(input);
          if (crashes === 0 && r.ok) {
            crashes++;
            throw new Error("simulated crash after BulkSMS accepted the text");
          }
          return r;
        },
      }),
    });
    const c = await ada(h);
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Crash-proof");
    const run = await h.settle();
    expect(crashes).toBe(1);
    expect(run.failures.some((f) => f.error.includes("simulated crash"))).toBe(true);
    await h.advance(10_000);
    expect(textsTo(h, "+447400123001")).toHaveLength(1);
    expect(statusesOf(h, m.id).map((u) => u.status)).toEqual(["pending", "delivered"]);
  });
});

describe("provider mode: the send gate decides, GHL learns why", () => {
  it("opted out by STOP: no text, failed with who and when", async () => {
    h = await startHarness({ config: provider() });
    const c = await ada(h);
    const ctx = await loadLocation(h.engine.deps, h.locationId);
    if (!ctx) throw new Error("no location");
    const at = Date.UTC(2026, 2, 2, 10, 0);
    await h.store.transaction((tx) =>
      applyOptOut(tx, ctx, {
        phone: "+447400123001",
        source: "sms_stop",
        eventKey: "sms-in:stop",
        why: "replied STOP",
        now: at,
        setGhlDnd: false,
        pushBlock: false,
        confirm: false,
      }),
    );
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Are you there?");
    await h.settle();
    expect(textsTo(h, "+447400123001")).toHaveLength(0);
    expect(statusesOf(h, m.id)).toEqual([
      expect.objectContaining({
        status: "failed",
        error: {
          code: "opted_out",
          type: "saas",
          message: "Not sent: Ada opted out by replying STOP on 2026-03-02",
        },
      }),
    ]);
    expect(ghlMessage(h, m.id)?.status).toBe("failed");
  });

  it("SMS DND on in GHL: no text, failed with the reason", async () => {
    h = await startHarness({ config: provider() });
    const c = await ada(h, "+447400123002", { dndSettings: { SMS: { status: "active" } } });
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Hello?");
    await h.settle();
    expect(textsTo(h, "+447400123002")).toHaveLength(0);
    const [u] = statusesOf(h, m.id);
    expect(u?.status).toBe("failed");
    expect((u?.error as { message: string } | undefined)?.message).toMatch(
      /^Not sent: Ada has SMS DND on in HighLevel/,
    );
  });

  it("a contact whose webhooks GHL dropped is read from GHL first: sent to one, DND honoured for another", async () => {
    h = await startHarness({ config: provider() });
    h.sandbox.ghl.control.setFaults({ webhookDropRate: 1 });
    const fine = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Eve",
      phone: "+447400123005",
    });
    const dnd = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Fay",
      phone: "+447400123006",
      dndSettings: { SMS: { status: "active" } },
    });
    await h.settle();
    h.sandbox.ghl.control.setFaults({ webhookDropRate: 0 });
    expect(await h.store.contacts.get(h.locationId, fine.id)).toBeNull(); // the mirror never heard of them
    const a = h.sandbox.ghl.control.sendProviderMessage(fine.id, "Hi Eve");
    const b = h.sandbox.ghl.control.sendProviderMessage(dnd.id, "Hi Fay");
    await h.advance(10_000);
    expect(textsTo(h, "+447400123005").map((t) => t.body)).toEqual(["Hi Eve"]);
    expect(textsTo(h, "+447400123006")).toHaveLength(0);
    expect(statusesOf(h, a.id).at(-1)?.status).toBe("delivered");
    expect(statusesOf(h, b.id)[0]).toMatchObject({ status: "failed" });
  });

  it("a number BulkSMS blocks: no text, failed 'on the BulkSMS blocked list'", async () => {
    h = await startHarness({ config: provider() });
    const c = await ada(h, "+447400123003");
    await h.store.transaction((tx) =>
      markAccountBlocked(tx, { phone: "+447400123003", evidence: "pull", at: h?.engine.deps.now() ?? 0 }),
    );
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Hi");
    await h.settle();
    expect(textsTo(h, "+447400123003")).toHaveLength(0);
    expect(statusesOf(h, m.id)[0]).toMatchObject({
      status: "failed",
      error: { code: "account_blocked", message: "Not sent: the number is on the BulkSMS blocked list" },
    });
  });

  it("provider mode off: nothing sent, and the message fails in GHL saying so (not pending for ever)", async () => {
    h = await startHarness();
    const c = await ada(h);
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Hi");
    await h.settle();
    expect(textsTo(h, "+447400123001")).toHaveLength(0);
    expect(statusesOf(h, m.id)).toEqual([
      expect.objectContaining({
        status: "failed",
        error: expect.objectContaining({
          code: "provider_off",
          message: expect.stringMatching(/GHL_PROVIDER_MODE/),
        }),
      }),
    ]);
  });
});

describe("provider mode: quiet hours per PROVIDER_QUIET_HOURS", () => {
  const LATE = Date.UTC(2026, 2, 10, 22, 30); // 22:30 in London: outside 08:00-21:00

  it("user-immediate: a person's text goes at once; a workflow text waits (pending, says until when)", async () => {
    h = await startHarness({ config: provider(), clockStart: LATE });
    const c = await ada(h);
    const typed = h.sandbox.ghl.control.sendProviderMessage(c.id, "Typed late");
    const workflow = h.sandbox.ghl.control.sendProviderMessage(c.id, "Workflow late", { userId: null });
    await h.settle();
    expect(textsTo(h, "+447400123001").map((t) => t.body)).toEqual(["Typed late"]);
    expect(statusesOf(h, workflow.id)).toEqual([
      expect.objectContaining({
        status: "pending",
        error: {
          code: "quiet_hours",
          type: "saas",
          message: "Not sent yet: quiet hours until 08:00 Europe/London, will go then",
        },
      }),
    ]);
    await h.advance(10 * 3600_000); // 08:30 next morning
    await h.advance(10_000); // the delivery report
    expect(textsTo(h, "+447400123001").map((t) => t.body)).toEqual(["Typed late", "Workflow late"]);
    expect(statusesOf(h, workflow.id).map((u) => u.status)).toEqual(["pending", "pending", "delivered"]);
    expect(statusesOf(h, typed.id).at(-1)?.status).toBe("delivered");
  });

  it("always: a person's text waits too; never: a workflow text goes at once", async () => {
    h = await startHarness({ config: provider({ quietHours: "always" }), clockStart: LATE });
    const c = await ada(h);
    h.sandbox.ghl.control.sendProviderMessage(c.id, "Typed late");
    await h.settle();
    expect(textsTo(h, "+447400123001")).toHaveLength(0);
    await h.close();
    h = await startHarness({ config: provider({ quietHours: "never" }), clockStart: LATE });
    const c2 = await ada(h);
    h.sandbox.ghl.control.sendProviderMessage(c2.id, "Workflow late", { userId: null });
    await h.settle();
    expect(textsTo(h, "+447400123001").map((t) => t.body)).toEqual(["Workflow late"]);
  });
});

describe("provider mode: attachments (BulkSMS is SMS only)", () => {
  it("by default the message fails in GHL with 'attachments cannot be sent by SMS'", async () => {
    h = await startHarness({ config: provider() });
    const c = await ada(h);
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "See photo", {
      attachments: ["https://cdn.example/p.png"],
    });
    await h.settle();
    expect(textsTo(h, "+447400123001")).toHaveLength(0);
    expect(statusesOf(h, m.id)[0]).toMatchObject({
      status: "failed",
      error: { code: "attachments", message: expect.stringContaining("attachments cannot be sent by SMS") },
    });
  });

  it("with attachments=links the links are appended; too long for the parts limit fails", async () => {
    h = await startHarness({ config: provider({ attachments: "links", maxParts: 1 }) });
    const c = await ada(h);
    h.sandbox.ghl.control.sendProviderMessage(c.id, "See photo", {
      attachments: ["https://cdn.example/p.png"],
    });
    const long = h.sandbox.ghl.control.sendProviderMessage(c.id, "x".repeat(150), {
      attachments: ["https://cdn.example/q.png"],
    });
    await h.settle();
    expect(textsTo(h, "+447400123001").map((t) => t.body)).toEqual(["See photo\nhttps://cdn.example/p.png"]);
    expect(statusesOf(h, long.id)[0]).toMatchObject({
      status: "failed",
      error: { code: "too_long", message: "Not sent: too long for SMS (2 parts, at most 1)" },
    });
  });
});

describe("provider mode: failures and retries", () => {
  it("BulkSMS keeps failing: retried, then failed in GHL with the reason; nothing sent", async () => {
    h = await startHarness({ config: provider() });
    const c = await ada(h);
    h.sandbox.bulksms.control.setFaults({ errorRate: 1 });
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Will not go");
    const run = await h.settle();
    expect(run.failures.filter((f) => f.name === "sms.send").length).toBeGreaterThanOrEqual(4);
    expect(textsTo(h, "+447400123001")).toHaveLength(0);
    expect(statusesOf(h, m.id)).toEqual([
      expect.objectContaining({
        status: "failed",
        error: expect.objectContaining({
          message: expect.stringMatching(/^Not sent: BulkSMS did not accept it after 5 attempts/),
        }),
      }),
    ]);
  });

  it("BulkSMS never answers (timeouts): retried, then failed in GHL with the reason", async () => {
    h = await startHarness({ config: provider(), smsTimeoutMs: 100 });
    const c = await ada(h);
    h.sandbox.bulksms.control.setFaults({ stallRate: 1 });
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Into the void");
    await h.settle();
    h.sandbox.bulksms.control.setFaults({ stallRate: null });
    expect(textsTo(h, "+447400123001")).toHaveLength(0);
    expect(statusesOf(h, m.id)).toEqual([
      expect.objectContaining({
        status: "failed",
        error: expect.objectContaining({
          message: expect.stringMatching(/^Not sent: BulkSMS did not accept it after 5 attempts/),
        }),
      }),
    ]);
  });

  it("a status write GHL refuses for a while is retried until it lands", async () => {
    let refusals = 0;
    h = await startHarness({
      config: provider(),
      wrapGhl: (ghl: GhlClient) => ({
        ...ghl,
        conversations: {
          ...ghl.conversations,
          async updateMessageStatus(p, o) {
            if (refusals < 3) {
              refusals++;
              return {
                ok: false,
                error: {
                  code: "server_error",
                  message: "GHL answered 503",
                  retryable: true,
                  retryAfterMs: null,
                  status: 503,
                },
              } as Awaited<ReturnType<GhlClient["conversations"]["updateMessageStatus"]>>;
            }
            return ghl.conversations.updateMessageStatus(p, o);
          },
        },
      }),
    });
    const c = await ada(h);
    const m = h.sandbox.ghl.control.sendProviderMessage(c.id, "Status survives");
    await h.advance(10_000);
    expect(refusals).toBe(3);
    expect(statusesOf(h, m.id).map((u) => u.status)).toEqual(["pending", "delivered"]);
  });
});
