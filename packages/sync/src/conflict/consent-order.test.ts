import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ConsentRecordSource, decideConsent, type TimedConsentEvent } from "./consent-order.js";

const ev = (
  state: TimedConsentEvent["state"],
  source: ConsentRecordSource,
  eventAt: number,
  eventKey: string,
): TimedConsentEvent => ({ state, source, eventAt, eventKey });

describe("decideConsent", () => {
  it("an older START processed after a newer STOP does not re-subscribe", () => {
    const stop0 = ev("opted_out", "sms_stop", 0, "a");
    const start = ev("opted_in", "sms_stop", 1_000, "b");
    const stop = ev("opted_out", "sms_stop", 6_000, "c");
    expect(decideConsent([stop0, stop, start]).state).toBe("opted_out");
    expect(decideConsent([stop0, stop, start]).decidedBy).toBe(stop);
  });

  it("a tie goes to opted out", () => {
    const stop = ev("opted_out", "sms_stop", 5, "z");
    const start = ev("opted_in", "operator", 5, "a");
    expect(decideConsent([ev("opted_out", "import", 0, "x"), stop, start]).state).toBe("opted_out");
  });

  it("DND off lifts only a DND opt-out; the first cause of an opted-out stretch is kept", () => {
    const stop = ev("opted_out", "sms_stop", 1, "s");
    const dndOn = ev("opted_out", "ghl_dnd", 2, "d1");
    const dndOff = ev("opted_in", "ghl_dnd", 3, "d2");
    // the DND echo arrives first: replayed by time, the STOP is still the cause and DND off does not lift it
    const d = decideConsent([dndOn, dndOff, stop]);
    expect(d.state).toBe("opted_out");
    expect(d.decidedBy).toBe(stop);
    expect(decideConsent([dndOn, dndOff]).state).toBe("opted_in");
  });

  it("at the same instant a STOP is the cause, so DND switched off later does not lift it", () => {
    const dndOn = ev("opted_out", "ghl_dnd", 5, "a");
    const stop = ev("opted_out", "sms_stop", 5, "b");
    const dndOff = ev("opted_in", "ghl_dnd", 7, "c");
    const d = decideConsent([dndOn, stop, dndOff]);
    expect(d.state).toBe("opted_out");
    expect(d.decidedBy).toBe(stop);
  });

  it("two replies dated to the same second keep BulkSMS's order (its message ids)", () => {
    const stop = { ...ev("opted_out", "sms_stop", 0, "a"), eventSeq: "9" };
    const start = { ...ev("opted_in", "sms_stop", 1_000, "b"), eventSeq: "10" };
    const stopAgain = { ...ev("opted_out", "sms_stop", 1_000, "c"), eventSeq: "11" };
    expect(decideConsent([start, stop]).state).toBe("opted_in"); // different seconds: time decides
    expect(decideConsent([{ ...start, eventAt: 0 }, stop]).state).toBe("opted_in"); // same second: the id
    expect(decideConsent([{ ...start, eventAt: 0, eventSeq: "8" }, stop]).state).toBe("opted_out");
    expect(decideConsent([stop, { ...start, eventAt: 0 }, { ...stopAgain, eventAt: 0 }]).state).toBe(
      "opted_out",
    );
  });

  it("a BulkSMS block never overrides an explicit opt-in, older or newer", () => {
    const stop = ev("opted_out", "sms_stop", 1, "s");
    const start = ev("opted_in", "sms_stop", 2, "t");
    const pulled = ev("opted_out", "bulksms_blocked", 3, "p");
    expect(decideConsent([pulled, start, stop]).state).toBe("opted_in");
    expect(decideConsent([pulled]).state).toBe("opted_out");
  });

  it("any permutation and duplication of the same events gives the same decision", () => {
    const source = fc.constantFrom<ConsentRecordSource>("sms_stop", "ghl_dnd", "bulksms_blocked", "operator");
    const event = fc.record({
      state: fc.constantFrom<TimedConsentEvent["state"]>("opted_out", "opted_in"),
      source,
      eventAt: fc.integer({ min: 0, max: 20 }), // narrow range: many ties
    });
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 8 }),
        fc.func(fc.integer()),
        fc.array(fc.nat(), { maxLength: 4 }),
        (raw, order, dupes) => {
          const events = raw.map((e, i) => ({ ...e, eventKey: `k${i}` }));
          const reference = decideConsent([...events].sort((a, b) => a.eventAt - b.eventAt));
          const shuffled = [...events, ...dupes.map((d) => events[d % events.length] as TimedConsentEvent)]
            .map((e, i) => ({ e: { ...e }, rank: order(i) }))
            .sort((a, b) => a.rank - b.rank)
            .map((x) => x.e);
          const got = decideConsent(shuffled);
          expect(got.state).toBe(reference.state);
          expect(got.decidedBy?.eventKey ?? null).toBe(reference.decidedBy?.eventKey ?? null);
          expect(got.effective.map((e) => e.eventKey)).toEqual(reference.effective.map((e) => e.eventKey));
        },
      ),
      { numRuns: 500 },
    );
  });
});
