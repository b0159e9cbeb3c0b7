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

    it("ingest: new events with their jobs in one go, duplicates (stored or in the batch) without", async () => {
      const clock = fakeClock();
      const store = await open({ now: clock.now });
      const before = await store.inbox.insert({ source: "ghl", eventId: "old", payload: "{}" });
      const ev = (eventId: string, source = "ghl") => ({
        source,
        eventId,
        payload: `{"id":"${eventId}"}`,
        eventType: "ContactCreate",
        locationId: eventId === "b" ? null : "loc-1",
        receivedAt: clock.now() - 5,
      });
      const results = await store.inbox.ingest([ev("a"), ev("old"), ev("b"), ev("a"), ev("a", "bulksms")], {
        name: "inbox.process",
        keyPrefix: "inbox:",
      });
      expect(results.map((r) => r.inserted)).toEqual([true, false, true, false, true]);
      const [a, old, b, aAgain, aBulk] = results;
      expect(old).toEqual({ inserted: false, duplicateOf: before.inserted ? before.id : -1 });
      expect(aAgain).toEqual({ inserted: false, duplicateOf: a?.inserted ? a.id : -1 });
      for (const r of [a, b, aBulk]) {
        const id = r?.inserted ? r.id : -1;
        expect(await store.inbox.get(id)).toMatchObject({ status: "pending", receivedAt: clock.now() - 5 });
        expect(await store.jobs.getByKey(`inbox:${id}`)).toMatchObject({
          name: "inbox.process",
          payload: { inboxId: id },
          state: "queued",
          runAt: clock.now() - 5,
          locationId: r === b ? null : "loc-1",
        });
      }
      expect(await store.jobs.counts()).toMatchObject({ queued: 3 });
      expect(await store.inbox.ingest([], { name: "inbox.process", keyPrefix: "inbox:" })).toEqual([]);
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
