import { describe, expect, it } from "vitest";
import { fakeClock } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

describeEachStore((open) => {
  describe("decisions", () => {
    it("records once per key, lists a contact's and a number's decisions newest first", async () => {
      const clock = fakeClock();
      const store = await open({ now: clock.now });
      const base = { locationId: "L1", purpose: "automated", kind: "welcome" } as const;
      const first = await store.decisions.record({
        ...base,
        key: "welcome:L1:c1",
        contactId: "c1",
        phoneE164: "+447911123456",
        decision: "skipped",
        reason: "not_mobile",
      });
      expect(first.recorded).toBe(true);
      const again = await store.decisions.record({
        ...base,
        key: "welcome:L1:c1",
        contactId: "c1",
        decision: "skipped",
        reason: "dnd",
      });
      expect(again).toEqual({ recorded: false, id: first.id });
      clock.advance(1000);
      // without a key: always recorded; a decision about the number before the contact was known
      await store.decisions.record({
        ...base,
        kind: "stop-confirmation",
        purpose: "stop-confirmation",
        phoneE164: "+447911123456",
        decision: "deferred",
        reason: "quiet_hours",
        until: clock.now() + 60_000,
        detail: { source: "stop_keyword" },
      });
      await store.decisions.record({ ...base, contactId: "c2", decision: "sent", reason: "sent" });

      const c1 = await store.decisions.list({
        locationId: "L1",
        contactIds: ["c1"],
        phoneE164: "+447911123456",
      });
      expect(c1.map((d) => [d.decision, d.reason])).toEqual([
        ["deferred", "quiet_hours"],
        ["skipped", "not_mobile"],
      ]);
      expect(c1[0]).toMatchObject({
        until: clock.now() + 60_000,
        detail: { source: "stop_keyword" },
        contactId: null,
      });
      expect(await store.decisions.list({ contactIds: ["c2"] })).toHaveLength(1);
      expect(await store.decisions.list({ locationId: "L2", contactIds: ["c2"] })).toEqual([]);
      expect(await store.decisions.list({})).toEqual([]);
      // inside a transaction too
      await store.transaction(async (tx) => {
        await tx.decisions.record({ ...base, contactId: "c3", decision: "blocked", reason: "opted_out" });
      });
      expect((await store.decisions.list({ contactIds: ["c3"] }))[0]?.reason).toBe("opted_out");
      await store.close();
    });
  });
});
