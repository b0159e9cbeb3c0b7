// The engine core's shared use-cases: welcome reuse, the mirror base shape, lifecycle wiring (follow-ups
// from webhooks, reply stops), background priority of write-once notes, the jobs registry and schedule.
import type { GhlCallOptions, GhlClient } from "@ghl-bulksms/ghl";
import { afterEach, describe, expect, it } from "vitest";
import {
  createNoteOnce,
  handleContactChanged,
  LIFECYCLE_JOB_NAMES,
  loadLocation,
  maybeSendWelcome,
  reconcile,
  welcomeKey,
} from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

const WELCOME = { defaults: { welcome: { enabled: true, template: 'Hi {{firstName | "there"}}!' } } };
const QUOTE_RULES = {
  defaults: {
    followUps: [
      {
        id: "quote",
        trigger: { type: "tag-added" as const, tag: "quote-sent" },
        steps: [{ afterHours: 1, template: "Any questions, {{firstName}}?" }],
      },
      {
        id: "nurture",
        trigger: { type: "tag-added" as const, tag: "nurture" },
        steps: [{ afterHours: 1, template: "Hello again {{firstName}}" }],
        stopOn: { reply: false, optOut: true, tagRemoved: true, fieldChanged: true },
      },
    ],
  },
};

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function sentTo(harness: Harness, e164: string) {
  return harness.sandbox.bulksms.control.sentMessages().filter((m) => m.to === e164 || `+${m.to}` === e164);
}

/** Mirrors a contact as a ContactUpdate would (no welcome: that is ContactCreate's). */
async function mirror(harness: Harness, contact: { id: string; firstName?: string; phone?: string }) {
  const ctx = await loadLocation(harness.engine.deps, harness.locationId);
  if (!ctx) throw new Error("no location");
  const r = await handleContactChanged(harness.engine.deps, ctx, {
    type: "ContactUpdate",
    contact: { ...contact, locationId: harness.locationId } as never,
    eventKey: `test:${contact.id}`,
  });
  expect(r.ok).toBe(true);
}

describe("maybeSendWelcome (shared with reconciliation)", () => {
  it("welcomes a mirrored contact once, under the welcome key and marker", async () => {
    h = await startHarness({ config: WELCOME });
    // in GHL, its ContactCreate webhook lost (the send gate re-reads the contact from GHL before the text)
    h.sandbox.ghl.control.setFaults({ webhookDropRate: 1 });
    const lost = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Lou",
      phone: "07911 200001",
    });
    await h.settle();
    h.sandbox.ghl.control.setFaults({ webhookDropRate: 0 });
    await mirror(h, { id: lost.id, firstName: "Lou", phone: "+447911200001" });
    const first = await maybeSendWelcome(h.engine.deps, h.locationId, lost.id);
    expect(first.sent).toBe(true);
    const again = await maybeSendWelcome(h.engine.deps, h.locationId, lost.id);
    expect(again).toEqual({ sent: false, reason: "already_welcomed" });
    const message = await h.store.messages.getByKey(welcomeKey(h.locationId, lost.id));
    expect(message?.id).toBe(first.sent ? first.messageId : "");
    expect((await h.store.contacts.get(h.locationId, lost.id))?.welcomeSentAt).not.toBeNull();
    await h.settle();
    expect(sentTo(h, "+447911200001").map((m) => m.body)).toEqual(["Hi Lou!"]);
  });

  it("says why it does not welcome: unknown contact, opted out, disabled, landline", async () => {
    h = await startHarness({ config: WELCOME });
    expect(await maybeSendWelcome(h.engine.deps, h.locationId, "nobody")).toEqual({
      sent: false,
      reason: "contact_unknown",
    });
    expect(await maybeSendWelcome(h.engine.deps, "no-such-location", "nobody")).toEqual({
      sent: false,
      reason: "location_unknown",
    });
    await mirror(h, { id: "c-out", firstName: "Oz", phone: "+447911200002" });
    await h.store.optOuts.set({
      locationId: h.locationId,
      phoneE164: "+447911200002",
      state: "opted_out",
      source: "import",
      at: h.engine.deps.now(),
    });
    expect(await maybeSendWelcome(h.engine.deps, h.locationId, "c-out")).toMatchObject({
      sent: false,
      reason: "opted_out",
    });
    await mirror(h, { id: "c-land", firstName: "La", phone: "+442079460000" });
    expect(await maybeSendWelcome(h.engine.deps, h.locationId, "c-land")).toMatchObject({
      sent: false,
      reason: "not_mobile",
    });
    // none of them was marked: a later, valid attempt could still welcome them
    expect((await h.store.contacts.get(h.locationId, "c-out"))?.welcomeSentAt).toBeNull();
    await h.close();
    h = await startHarness({});
    await mirror(h, { id: "c-off", firstName: "Off", phone: "+447911200003" });
    expect(await maybeSendWelcome(h.engine.deps, h.locationId, "c-off")).toEqual({
      sent: false,
      reason: "disabled",
    });
  });
});

describe("contact webhooks keep the base in reconciliation's shape", () => {
  it("writes the SMS-side SyncContact, and reconciliation then finds nothing to do", async () => {
    h = await startHarness({});
    const c = h.sandbox.ghl.control.createContact(h.locationId, {
      firstName: "Bea",
      lastName: "Base",
      phone: "07911 200010",
    });
    await h.settle();
    h.sandbox.ghl.control.updateContact(c.id, { firstName: "Beatrice", tags: ["vip"] });
    await h.settle();
    const record = await h.store.contacts.get(h.locationId, c.id);
    const base = record?.base as { fields: Record<string, unknown>; tags: string[]; consent: unknown };
    expect(Object.keys(base.fields).sort()).toEqual(["firstName", "lastName", "phone", "timezone"]);
    expect(base.fields).toMatchObject({ firstName: "Beatrice", lastName: "Base", phone: "+447911200010" });
    expect(base.tags).toEqual(["vip"]);
    expect(base.consent).toBeTypeOf("object");
    const r = await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "full" });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.counts).toMatchObject({ scanned: 1, updated: 0, created: 0, unchanged: 1, conflicts: {} });
  });
});

describe("lifecycle wiring", () => {
  it("a tag added in GHL starts a follow-up from the webhook; a reply stops only rules with stopOn.reply", async () => {
    h = await startHarness({ lifecycle: QUOTE_RULES });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Flo", phone: "07911 200020" });
    await h.settle();
    h.sandbox.ghl.control.updateContact(c.id, { tags: ["quote-sent", "nurture"] });
    await h.settle();
    const started = await h.store.followUps.listForContact(h.locationId, c.id);
    expect(started.map((f) => [f.ruleId, f.status]).sort()).toEqual([
      ["nurture", "active"],
      ["quote", "active"],
    ]);
    h.sandbox.bulksms.control.simulateReply({ from: "+447911200020", body: "what about the price?" });
    await h.settle();
    const after = await h.store.followUps.listForContact(h.locationId, c.id);
    expect(after.find((f) => f.ruleId === "quote")?.status).toBe("stopped");
    expect(after.find((f) => f.ruleId === "nurture")?.status).toBe("active");
  });

  it("without a lifecycle config, webhooks start no sequence", async () => {
    h = await startHarness({});
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "No", phone: "07911 200021" });
    await h.settle();
    h.sandbox.ghl.control.updateContact(c.id, { tags: ["quote-sent"] });
    await h.settle();
    expect(await h.store.followUps.listForContact(h.locationId, c.id)).toEqual([]);
  });

  it("the registry holds the lifecycle jobs and schedule() enqueues each due job once", async () => {
    h = await startHarness({});
    for (const name of [...LIFECYCLE_JOB_NAMES, "sms.send", "bulksms.pull-blocked", "vendor-writes.sweep"])
      expect(Object.keys(h.engine.jobs)).toContain(name);
    const n = await h.engine.schedule();
    expect(n).toBeGreaterThanOrEqual(6); // pull-blocked, sweep, housekeeping, reconcile.incremental, followups.run, digest.tick
    expect(await h.engine.schedule()).toBe(0);
    const now = h.engine.deps.now();
    expect(
      await h.store.jobs.getByKey(`bulksms.pull-blocked:${h.locationId}:${Math.floor(now / 900_000)}`),
    ).not.toBeNull();
    const run = await h.settle();
    expect(run.dead).toBe(0);
    expect(run.ran["bulksms.pull-blocked"]).toBe(1);
    expect(run.ran["vendor-writes.sweep"]).toBe(1);
    expect(run.ran["store.housekeeping"]).toBe(1);
    expect(run.ran["reconcile.incremental"]).toBe(1);
    // the next slot enqueues again
    await h.sandbox.clock.advance(15 * 60_000);
    expect(await h.engine.schedule()).toBeGreaterThanOrEqual(2);
  });
});

describe("store.housekeeping", () => {
  it("purges finished jobs and processed inbox events past the retention, keeps recent and unfinished ones", async () => {
    h = await startHarness({});
    const { store } = h;
    const finishedJob = async (key: string) => {
      await store.jobs.enqueue({ name: "test.work", payload: {}, key });
      const [job] = await store.jobs.claim({ workerId: "t", limit: 1, leaseMs: 1000, names: ["test.work"] });
      await store.jobs.complete(job!.id, { workerId: "t" });
    };
    const processedEvent = async (eventId: string) => {
      const r = await store.inbox.insert({ source: "test", eventId, payload: "{}" });
      if (!r.inserted) throw new Error("duplicate");
      await store.inbox.markProcessed(r.id);
      return r.id;
    };
    await finishedJob("old");
    const oldEvent = await processedEvent("old");
    await store.jobs.enqueue({
      name: "test.later",
      payload: {},
      key: "queued-old",
      runAt: h.engine.deps.now() + 30 * 86_400_000,
    });
    await h.sandbox.clock.advance(8 * 86_400_000);
    await finishedJob("recent");
    const recentEvent = await processedEvent("recent");
    const housekeeping = h.engine.jobs["store.housekeeping"];
    const context = {
      jobId: 0,
      attempt: 1,
      locationId: null,
      finalAttempt: false,
      signal: new AbortController().signal,
    };
    expect(await housekeeping.handler({}, context)).toEqual({ ok: true });
    expect(await store.jobs.getByKey("old")).toBeNull();
    expect(await store.inbox.get(oldEvent)).toBeNull();
    expect(await store.jobs.getByKey("recent")).not.toBeNull();
    expect(await store.inbox.get(recentEvent)).not.toBeNull();
    expect((await store.jobs.getByKey("queued-old"))?.state).toBe("queued");
    // a shorter retention purges the recent ones too
    await h.sandbox.clock.advance(2 * 3_600_000);
    await housekeeping.handler({ retentionMs: 3_600_000 }, context);
    expect(await store.jobs.getByKey("recent")).toBeNull();
  });
});

describe("write-once priority", () => {
  it("passes the priority to every GHL call of the write (lookup and create)", async () => {
    const seen: Array<string | undefined> = [];
    const wrap = (client: GhlClient): GhlClient => ({
      ...client,
      notes: {
        ...client.notes,
        list: (p, o?: GhlCallOptions) => {
          seen.push(`list:${o?.priority}`);
          return client.notes.list(p, o);
        },
        create: (p, o?: GhlCallOptions) => {
          seen.push(`create:${o?.priority}`);
          return client.notes.create(p, o);
        },
      },
    });
    h = await startHarness({ wrapGhl: wrap });
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Pri", phone: "07911 200030" });
    await h.settle();
    const t = { locationId: h.locationId, contactId: c.id, key: "prio-1", body: "background note" };
    // a begun write (crash before complete) makes the retry look the note up first
    await h.store.vendorWrites.begin("prio-1", {
      vendor: "ghl",
      operation: "note.create",
      locationId: h.locationId,
    });
    const r = await createNoteOnce(h.engine.deps, { ...t, priority: "background" });
    expect(r).toMatchObject({ ok: true, created: true });
    expect(seen).toEqual(["list:background", "create:background"]);
    seen.length = 0;
    await createNoteOnce(h.engine.deps, { ...t, key: "prio-2" });
    expect(seen).toEqual(["create:undefined"]);
  });
});
