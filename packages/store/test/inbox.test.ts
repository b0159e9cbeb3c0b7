import { describe, expect, it } from "vitest";
import { fakeClock } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

describeEachStore((open) => {
  describe("inbox", () => {
    it("is unique per (source, eventId) and reports the duplicate's original", async () => {
      const clock = fakeClock();
      const store = await open({ now: clock.now });
      const first = await store.inbox.insert({
        source: "ghl",
        eventId: "evt-1",
        payload: '{"type":"ContactCreate"}',
      });
      expect(first.inserted).toBe(true);
      const dup = await store.inbox.insert({ source: "ghl", eventId: "evt-1", payload: "different" });
      expect(dup).toEqual({ inserted: false, duplicateOf: first.inserted ? first.id : -1 });
      const otherSource = await store.inbox.insert({ source: "bulksms", eventId: "evt-1", payload: "x" });
      expect(otherSource.inserted).toBe(true);
      const stored = await store.inbox.get(first.inserted ? first.id : -1);
      expect(stored).toMatchObject({
        payload: '{"type":"ContactCreate"}',
        status: "pending",
        receivedAt: clock.now(),
      });
    });

    it("tracks processing and reports the lag of the oldest pending event", async () => {
      const clock = fakeClock();
      const store = await open({ now: clock.now });
      expect(await store.inbox.lag()).toEqual({ pending: 0, oldestReceivedAt: null, lagMs: 0 });
      const a = await store.inbox.insert({
        source: "ghl",
        eventId: "a",
        payload: "{}",
        eventType: "ContactCreate",
      });
      clock.advance(1000);
      const b = await store.inbox.insert({ source: "ghl", eventId: "b", payload: "{}" });
      clock.advance(500);
      expect(await store.inbox.lag()).toEqual({
        pending: 2,
        oldestReceivedAt: clock.now() - 1500,
        lagMs: 1500,
      });
      if (!a.inserted || !b.inserted) throw new Error("expected inserts");
      expect(await store.inbox.markProcessed(a.id)).toBe(true);
      expect(await store.inbox.lag()).toMatchObject({ pending: 1, lagMs: 500 });
      await store.inbox.markFailed(b.id, "bad payload");
      expect(await store.inbox.get(b.id)).toMatchObject({ status: "failed", error: "bad payload" });
      expect(await store.inbox.listPending()).toEqual([]);
      expect(await store.inbox.purgeProcessed(clock.now())).toBe(1);
      expect(await store.inbox.get(a.id)).toBeNull();
    });
  });
});
