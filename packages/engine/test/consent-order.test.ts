// Consent follows the person's order, not ours: STOP/START (BulkSMS's message time), GHL DND changes (GHL's
// event time) and operator commands (their action time) decide a number's state by when they happened,
// whatever order the webhooks arrive in and the jobs run in. Outcomes are read back from both sandboxes.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ConsentOutcome,
  type Delivery,
  deliver,
  deliverInOrder,
  operator,
  outcome,
  reply,
  setGhlDnd,
} from "./consent-delivery.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const digits = (n: string) => n.replace(/\D/g, "");
function textsTo(harness: Harness, e164: string): string[] {
  return harness.sandbox.bulksms.control
    .sentMessages()
    .filter((m) => digits(m.to) === digits(e164))
    .map((m) => m.body ?? "");
}

let seq = 0;
function person(harness: Harness, name: string): { id: string; phone: string } {
  seq++;
  const local = String(200_000 + seq).padStart(6, "0");
  const c = harness.sandbox.ghl.control.createContact(harness.locationId, {
    firstName: name,
    phone: `07400 ${local}`,
  });
  return { id: c.id, phone: `+447400${local}` };
}

describe("consent follows the person's order", () => {
  it("START at t, STOP at t+5s, STOP delivered first: opted out, DND on, tag on, no resubscribed text", async () => {
    h = await startHarness();
    const p = person(h, "Ana");
    await h.settle();
    // opted out long before
    await deliver(h, await reply(h, p.phone, "STOP"));
    await h.sandbox.clock.advance(60_000);
    const start = await reply(h, p.phone, "START");
    await h.sandbox.clock.advance(5_000);
    const stop = await reply(h, p.phone, "STOP");
    const textsBefore = textsTo(h, p.phone).length;

    await deliver(h, [...stop, ...start]); // delivered (and processed) newest first

    expect(await outcome(h, p.id, p.phone)).toEqual({
      local: "opted_out/sms_stop",
      ghlDnd: true,
      ghlTag: true,
      bulksmsBlocked: true,
    });
    expect(
      textsTo(h, p.phone)
        .slice(textsBefore)
        .filter((b) => /resubscribed/i.test(b)),
    ).toEqual([]);
    // both replies are in the history, by their own times
    const history = await h.store.optOuts.history(h.locationId, p.phone);
    expect(history.map((e) => e.state)).toEqual(["opted_out", "opted_out", "opted_in"]);
    // the sandbox clock also moves with real time (BulkSMS dates replies to the second): 5 s apart, or a
    // second more on a loaded machine
    const gap = (history[1]?.eventAt ?? 0) - (history[2]?.eventAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(5_000);
    expect(gap).toBeLessThanOrEqual(7_000);
  });

  it("30 people texting START then STOP back to back, delivered in random order: 0 subscribed", async () => {
    h = await startHarness();
    const people = Array.from({ length: 30 }, (_, i) => person(h as Harness, `P${i}`));
    await h.settle();
    const deliveries: Delivery[] = [];
    for (const p of people) deliveries.push(...(await reply(h, p.phone, "STOP")));
    await deliver(h, deliveries, { workers: 2 });
    await h.sandbox.clock.advance(60_000);
    const late: Delivery[] = [];
    for (const p of people) {
      late.push(...(await reply(h, p.phone, "START")));
      await h.sandbox.clock.advance(1_000); // back to back: each STOP one second after the START
      late.push(...(await reply(h, p.phone, "STOP")));
    }
    // a seeded shuffle, processed by 3 runners at once
    const order = fc.sample(fc.shuffledSubarray(late, { minLength: late.length }), {
      numRuns: 1,
      seed: 10,
    })[0];
    await deliver(h, order ?? late, { workers: 3 });

    const subscribed: string[] = [];
    for (const p of people) {
      const o = await outcome(h, p.id, p.phone);
      if (o.local !== "opted_out/sms_stop" || !o.ghlDnd || !o.ghlTag || !o.bulksmsBlocked)
        subscribed.push(p.phone);
    }
    expect(subscribed).toEqual([]);
    expect(
      people.flatMap((p) => textsTo(h as Harness, p.phone)).filter((b) => /resubscribed/i.test(b)),
    ).toEqual([]);
  }, 180_000); // a correctness test: ~11 s alone, over 30 s on a loaded 2-core machine
});

// ---- the property: any permutation, duplication and concurrency == applying in send-time order

type Action = "STOP" | "START" | "DND_ON" | "DND_OFF" | "OP_OUT" | "OP_IN";

interface Step {
  action: Action;
  /** Seconds after the previous step (0: the same instant, a tie). */
  gap: number;
}

async function act(harness: Harness, p: { id: string; phone: string }, action: Action): Promise<Delivery[]> {
  switch (action) {
    case "STOP":
    case "START":
      return reply(harness, p.phone, action);
    case "DND_ON":
    case "DND_OFF":
      return setGhlDnd(harness, p.id, action === "DND_ON");
    case "OP_OUT":
    case "OP_IN":
      return operator(harness, p.phone, action === "OP_IN");
    default: {
      const never: never = action;
      throw new Error(`unknown action ${String(never)}`);
    }
  }
}

const stats = { interleavings: 0, wrong: 0, events: 0 };

describe("consent ordering property", () => {
  it("any permutation, duplication and concurrent processing gives the in-order final state", async () => {
    // a clock that moves only when told: A's and B's actions happen at exactly the same instants (at
    // whole seconds, as BulkSMS dates replies), so both people have the same events with the same times
    h = await startHarness({
      config: { defaults: { replies: { stopConfirmation: null, startConfirmation: null } } },
      clockSpeed: 1e-9,
    });
    const harness = h;
    const step = fc.record({
      action: fc.constantFrom<Action>("STOP", "START", "DND_ON", "DND_OFF", "OP_OUT", "OP_IN"),
      gap: fc.constantFrom(0, 1, 2, 5),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 2, maxLength: 6 }),
        fc.func(fc.integer()),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        async (steps: Step[], rank, dupes, workers) => {
          // the same script for two people: A's events are processed in send-time order, B's in chaos
          await harness.sandbox.clock.advance(60_000); // a fresh minute: GHL's rate window moves on
          const a = person(harness, "InOrder");
          const b = person(harness, "Chaos");
          await harness.settle();
          const forA: Delivery[] = [];
          const forB: Delivery[] = [];
          for (const s of steps) {
            await harness.sandbox.clock.advance(s.gap * 1_000);
            forA.push(...(await act(harness, a, s.action)));
            forB.push(...(await act(harness, b, s.action)));
          }
          // the webhooks and commands reach the engine a little later than the people acted
          await harness.sandbox.clock.advance(30_000);
          await deliverInOrder(harness, forA);
          // in-order processing itself gives the person's last word (when it is at least a second after the
          // one before: BulkSMS dates replies to the second, and a tie goes to opted out)
          const last = steps[steps.length - 1] as Step;
          const optedOutBefore = steps
            .slice(0, -1)
            .some((s) => s.action === "STOP" || s.action === "OP_OUT" || s.action === "DND_ON");
          const inOrder = (await harness.store.optOuts.get(harness.locationId, a.phone))?.state;
          if (last.gap >= 2 && (last.action === "STOP" || last.action === "OP_OUT"))
            expect(inOrder).toBe("opted_out");
          if (last.gap >= 2 && (last.action === "START" || last.action === "OP_IN") && optedOutBefore)
            expect(inOrder).toBe("opted_in");
          const chaos = forB
            .map((d, i) => ({ d, r: rank(i) }))
            .sort((x, y) => x.r - y.r)
            .map((x) => x.d);
          const again = forB.length > 0 ? dupes.map((n) => forB[n % forB.length] as Delivery) : [];
          await deliver(harness, chaos, { workers, again });
          const expected: ConsentOutcome = await outcome(harness, a.id, a.phone);
          const got: ConsentOutcome = await outcome(harness, b.id, b.phone);
          stats.interleavings++;
          stats.events += forB.length + again.length;
          if (JSON.stringify(got) !== JSON.stringify(expected)) stats.wrong++;
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: Number(process.env.CONSENT_RUNS ?? 40), seed: Number(process.env.CONSENT_SEED ?? 2026) },
    );
    // the figures for the closing note
    console.info(
      `consent ordering: ${stats.interleavings} interleavings tried (${stats.events} deliveries), ${stats.wrong} wrong final states`,
    );
    expect(stats.wrong).toBe(0);
    expect(stats.interleavings).toBeGreaterThanOrEqual(Number(process.env.CONSENT_RUNS ?? 40));
  }, 600_000);
});
