// Issue 10 point 2: no automated text to a contact whose GHL DND is on, even when GHL's DND webhook was
// lost. Every automated text is decided on a GHL view no older than `consent.maxAgeMs`: older, the contact
// is re-read from GHL first (nothing else when it is fresh); when GHL cannot be read, the text waits.
import { GhlError } from "@ghl-bulksms/ghl";
import { afterEach, describe, expect, it } from "vitest";
import {
  digestTick,
  type EngineConfigInput,
  type LifecycleConfig,
  reconcile,
  runDueFollowUps,
} from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

const HOUR = 3_600_000;
const digits = (n: string) => n.replace(/\D/g, "");
const LIFECYCLE = {
  defaults: {
    followUps: [
      {
        id: "quote",
        trigger: { type: "tag-added" as const, tag: "quote-sent" },
        steps: [{ afterHours: 48, template: "Hi {{firstName}}, any questions about your quote?" }],
      },
    ],
  },
};

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** Status ids of every text BulkSMS got for the number (DELIVERED, FAILED.BLOCKED, ...). */
function outcomesTo(harness: Harness, e164: string): string[] {
  return harness.sandbox.bulksms.control
    .messages({ type: "SENT" })
    .filter((m) => digits(m.to) === digits(e164))
    .map((m) => m.status.id.replace(/\.null$/, ""));
}

/** GET /contacts/{id} requests GHL has answered so far. */
function contactReads(harness: Harness): number {
  return harness.sandbox.ghl.control
    .requestLog()
    .filter((r) => r.method === "GET" && /^\/contacts\/[^/?]+(\?|$)/.test(r.path) && !/search/.test(r.path))
    .length;
}

/** N people in GHL (webhooks delivered), each tagged quote-sent: one follow-up each, due in 48 h. */
async function taggedPeople(harness: Harness, n: number) {
  const control = harness.sandbox.ghl.control;
  const people = Array.from({ length: n }, (_, i) => {
    const national = `07400 4000${String(i).padStart(2, "0")}`;
    const c = control.createContact(harness.locationId, { firstName: `Q${i}`, phone: national });
    return { id: c.id, e164: `+44${digits(national).slice(1)}` };
  });
  await harness.settle();
  for (const p of people) control.updateContact(p.id, { tags: ["quote-sent"] });
  await harness.settle();
  const active = (
    await Promise.all(people.map((p) => harness.store.followUps.listForContact(harness.locationId, p.id)))
  ).flat();
  expect(active.filter((f) => f.status === "active")).toHaveLength(n);
  return people;
}

/** A person ticks SMS DND in GHL while its webhook is lost (e.g. the worker was restarting). */
function dndWithLostWebhook(harness: Harness, contactIds: string[]) {
  const control = harness.sandbox.ghl.control;
  control.setFaults({ webhookDropRate: 1 });
  for (const id of contactIds) control.updateContact(id, { dndSettings: { SMS: { status: "active" } } });
}

async function start(config: EngineConfigInput = {}) {
  h = await startHarness({ config, lifecycle: LIFECYCLE });
  return h;
}

function lifecycleOf(harness: Harness): LifecycleConfig {
  const l = harness.engine.deps.lifecycle;
  if (!l) throw new Error("no lifecycle");
  return l;
}

describe("automated texts are decided on a fresh GHL view of DND and tags", () => {
  it("DND webhook lost: 0 of 4 due follow-ups go out; each contact is re-read once and opted out", async () => {
    const harness = await start();
    const people = await taggedPeople(harness, 4);
    await harness.sandbox.clock.advance(HOUR);
    dndWithLostWebhook(
      harness,
      people.map((p) => p.id),
    );
    await harness.settle();
    for (const p of people) {
      // the worker never heard of it
      expect(await harness.store.optOuts.isOptedOut(harness.locationId, p.e164)).toBe(false);
    }
    harness.sandbox.ghl.control.setFaults({ webhookDropRate: 0 });
    await harness.sandbox.clock.advance(47 * HOUR + 60_000);
    const reads = contactReads(harness);
    const readAt = harness.sandbox.clock.now();
    const run = await runDueFollowUps(harness.engine.deps, { config: lifecycleOf(harness) });
    expect(run.outcomes.map((o) => o.action)).toEqual(["stopped", "stopped", "stopped", "stopped"]);
    expect(contactReads(harness) - reads).toBe(4); // one read per stale contact, no more
    await harness.advance(60_000);
    for (const p of people) {
      expect(outcomesTo(harness, p.e164)).toEqual([]); // no follow-up submitted
      // applied as a GHL-sourced opt-out, dated by GHL, and pushed to the BulkSMS blocked numbers
      expect(await harness.store.optOuts.get(harness.locationId, p.e164)).toMatchObject({
        state: "opted_out",
        source: "ghl_dnd",
      });
      const mirror = await harness.store.contacts.get(harness.locationId, p.id);
      expect(mirror?.consentCheckedAt).toBeGreaterThanOrEqual(readAt);
    }
    const blocked = harness.sandbox.bulksms.control.blockedNumbers().map((n) => `+${digits(n)}`);
    expect(blocked.sort()).toEqual(people.map((p) => p.e164).sort());
  });

  it("DND webhook lost: no delayed welcome goes out (re-read at send time)", async () => {
    const harness = await start({
      defaults: { welcome: { enabled: true, template: "Hi {{firstName}}", delayMs: HOUR } },
    });
    const control = harness.sandbox.ghl.control;
    const people = [0, 1, 2].map((i) => {
      const c = control.createContact(harness.locationId, { firstName: `W${i}`, phone: `07400 50000${i}` });
      return { id: c.id, e164: `+44740050000${i}` };
    });
    await harness.settle(); // welcomes queued for an hour later, on a view read at creation
    await harness.sandbox.clock.advance(10 * 60_000);
    dndWithLostWebhook(harness, [people[0]?.id ?? "", people[1]?.id ?? ""]);
    await harness.settle();
    control.setFaults({ webhookDropRate: 0 });
    await harness.advance(HOUR);
    await harness.advance(10_000);
    expect(people.map((p) => outcomesTo(harness, p.e164))).toEqual([[], [], ["DELIVERED"]]);
    for (const p of people.slice(0, 2)) {
      const m = await harness.store.messages.getByKey(`welcome:${harness.locationId}:${p.id}`);
      expect(m?.status).toBe("CANCELLED");
    }
  });

  it("a fresh view costs no GHL request: DND webhook delivered, or a view within the bound", async () => {
    // the DND webhook arrived: the mirror knows, nothing is read, nothing is sent
    let harness = await start();
    let people = await taggedPeople(harness, 3);
    harness.sandbox.ghl.control.updateContact(people[0]?.id ?? "", {
      dndSettings: { SMS: { status: "active" } },
    });
    await harness.settle();
    await harness.sandbox.clock.advance(48 * HOUR + 60_000);
    let reads = contactReads(harness);
    await runDueFollowUps(harness.engine.deps, { config: lifecycleOf(harness) });
    await harness.advance(10_000);
    // the two others were last read at creation, two days ago: one read each, then delivered
    expect(contactReads(harness) - reads).toBe(2);
    expect(people.map((p) => outcomesTo(harness, p.e164))).toEqual([[], ["DELIVERED"], ["DELIVERED"]]);
    await harness.close();

    // a bound longer than the wait: the views a reconcile read (search pages) are fresh, no read at all
    h = await startHarness({
      config: { defaults: { consent: { maxAgeMs: 72 * HOUR } } },
      lifecycle: LIFECYCLE,
    });
    harness = h;
    people = await taggedPeople(harness, 3);
    expect(
      await reconcile({ deps: harness.engine.deps, locationId: harness.locationId, kind: "full" }),
    ).toMatchObject({
      ok: true,
    });
    await harness.sandbox.clock.advance(48 * HOUR + 60_000);
    reads = contactReads(harness);
    await runDueFollowUps(harness.engine.deps, { config: lifecycleOf(harness) });
    await harness.advance(10_000);
    expect(contactReads(harness) - reads).toBe(0);
    expect(people.map((p) => outcomesTo(harness, p.e164))).toEqual([
      ["DELIVERED"],
      ["DELIVERED"],
      ["DELIVERED"],
    ]);
  });

  it("GHL cannot be read: the follow-up and the welcome wait (never sent on the stale view), then go", async () => {
    const harness = await start({
      defaults: { welcome: { enabled: true, template: "Hi {{firstName}}", delayMs: HOUR } },
    });
    const [p] = await taggedPeople(harness, 1);
    if (!p) throw new Error("no person");
    await harness.advance(HOUR + 60_000); // the welcome (the view read at creation is an hour old)
    await harness.advance(10_000);
    expect(outcomesTo(harness, p.e164)).toEqual(["DELIVERED"]);
    const control = harness.sandbox.ghl.control;
    control.setFaults({ errorRate: 1, errorStatuses: [503] });
    await harness.sandbox.clock.advance(47 * HOUR);
    const run = await runDueFollowUps(harness.engine.deps, { config: lifecycleOf(harness) });
    expect(run.outcomes).toMatchObject([{ action: "deferred", reason: "ghl_unreachable" }]);
    await harness.advance(10_000);
    expect(outcomesTo(harness, p.e164)).toEqual(["DELIVERED"]);

    // GHL is back, and meanwhile DND was ticked (its webhook lost): the deferred step reads it and stops
    control.setFaults({ errorRate: 0, webhookDropRate: 1 });
    control.updateContact(p.id, { dndSettings: { SMS: { status: "active" } } });
    await harness.sandbox.clock.advance(10 * 60_000);
    const later = await runDueFollowUps(harness.engine.deps, { config: lifecycleOf(harness) });
    expect(later.outcomes).toMatchObject([{ action: "stopped", reason: "opted-out" }]);
    await harness.advance(10_000);
    expect(outcomesTo(harness, p.e164)).toEqual(["DELIVERED"]);
  });

  it("the send job defers a queued automated text while GHL cannot be read, and sends it once it can", async () => {
    const harness = await start({
      defaults: { welcome: { enabled: true, template: "Hi {{firstName}}", delayMs: HOUR } },
    });
    const control = harness.sandbox.ghl.control;
    const c = control.createContact(harness.locationId, { firstName: "Una", phone: "07400 600001" });
    await harness.settle();
    control.setFaults({ errorRate: 1, errorStatuses: [503] });
    await harness.advance(HOUR + 10_000);
    const key = `welcome:${harness.locationId}:${c.id}`;
    const waiting = await harness.store.messages.getByKey(key);
    expect(waiting?.status).toBe("QUEUED");
    expect(waiting?.sendAfter).toBeGreaterThan(harness.sandbox.clock.now() - 10_000);
    expect(outcomesTo(harness, "+447400600001")).toEqual([]);
    control.setFaults({ errorRate: 0 });
    await harness.advance(10 * 60_000);
    await harness.advance(10_000);
    expect(outcomesTo(harness, "+447400600001")).toEqual(["DELIVERED"]);
  });

  it("the digest to a number that is also a contact: refused when GHL says DND, even with its webhook lost", async () => {
    const team = ["+447911000001", "+447911000002"];
    h = await startHarness({
      lifecycle: {
        defaults: { digest: { enabled: true, at: "12:30", recipients: team, maxNames: 3, maxParts: 1 } },
      },
    });
    const harness = h;
    const tom = harness.sandbox.ghl.control.createContact(harness.locationId, {
      firstName: "Tom",
      phone: "07911 000002",
    });
    await harness.settle();
    dndWithLostWebhook(harness, [tom.id]);
    await harness.sandbox.clock.advance(31 * 60_000);
    const tick = await digestTick(harness.engine.deps, { config: lifecycleOf(harness) });
    expect(tick.sent.map((x) => x.recipient)).toEqual(team);
    await harness.advance(10_000);
    await harness.advance(10_000);
    expect(team.map((n) => outcomesTo(harness, n))).toEqual([["DELIVERED"], []]);
    const refused = await harness.store.messages.get(tick.sent[1]?.messageId ?? "");
    expect(refused?.status).toBe("CANCELLED");
  });

  it("a re-read that finds a tag added in GHL (webhook lost) starts its follow-up, as the webhook would have", async () => {
    const harness = await start({
      defaults: { welcome: { enabled: true, template: "Hi {{firstName}}", delayMs: HOUR } },
    });
    const control = harness.sandbox.ghl.control;
    const c = control.createContact(harness.locationId, { firstName: "Tag", phone: "07400 800001" });
    await harness.settle();
    await harness.sandbox.clock.advance(10 * 60_000);
    control.setFaults({ webhookDropRate: 1 });
    control.updateContact(c.id, { tags: ["quote-sent"] });
    await harness.settle();
    control.setFaults({ webhookDropRate: 0 });
    expect(await harness.store.followUps.listForContact(harness.locationId, c.id)).toEqual([]);
    await harness.advance(HOUR); // the welcome's send job re-reads the contact (its view is 70 min old)
    await harness.advance(10_000);
    expect(outcomesTo(harness, "+447400800001")).toEqual(["DELIVERED"]);
    const started = await harness.store.followUps.listForContact(harness.locationId, c.id);
    expect(started.map((f) => [f.ruleId, f.status])).toEqual([["quote", "active"]]);
  });

  it("the GHL daily budget exhausted: the read is refused, the follow-up waits for GHL's retry time", async () => {
    let exhausted = false;
    const retryAfterMs = 3 * HOUR;
    h = await startHarness({
      lifecycle: LIFECYCLE,
      // the client's limiter refuses background reads once the daily budget is down to its reserve
      wrapGhl: (c) => ({
        ...c,
        contacts: {
          ...c.contacts,
          get: (input, o) =>
            exhausted
              ? Promise.resolve({
                  ok: false as const,
                  error: new GhlError({
                    code: "daily_limit_exhausted",
                    message:
                      "The HighLevel daily request budget is exhausted; GET /contacts/{id} was not sent.",
                    operation: "GET /contacts/{contactId}",
                    retryable: true,
                    retryAfterMs,
                  }),
                })
              : c.contacts.get(input, o),
        },
      }),
    });
    const harness = h;
    const [p] = await taggedPeople(harness, 1);
    if (!p) throw new Error("no person");
    await harness.sandbox.clock.advance(48 * HOUR + 60_000);
    exhausted = true;
    const now = harness.sandbox.clock.now();
    const run = await runDueFollowUps(harness.engine.deps, { config: lifecycleOf(harness) });
    expect(run.outcomes).toEqual([
      { id: expect.any(Number), action: "deferred", until: expect.any(Number), reason: "ghl_unreachable" },
    ]);
    const until = (run.outcomes[0] as { until: number }).until;
    expect(until - now).toBeGreaterThanOrEqual(retryAfterMs);
    await harness.advance(10_000);
    expect(outcomesTo(harness, p.e164)).toEqual([]);
  });
});
