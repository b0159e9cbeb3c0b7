import { describe, expect, it } from "vitest";
import { compareStatus } from "../src/index.js";
import { fakeClock } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

describeEachStore((open) => {
  const TO = "+27820000001";

  async function setup() {
    const clock = fakeClock();
    const store = await open({ now: clock.now });
    await store.locations.upsert({ id: "L1", timezone: "Africa/Johannesburg", region: "ZA" });
    return { clock, store };
  }

  describe("messages", () => {
    it("creates once per logical key with one int32 dedup id for its whole life", async () => {
      const { store } = await setup();
      const a = await store.messages.create({
        key: "welcome:L1:c1",
        locationId: "L1",
        contactId: "c1",
        to: TO,
        body: "Hi",
      });
      if (!a.created) throw new Error("expected created");
      expect(a.message).toMatchObject({ status: "QUEUED", attempts: 0, providerIds: [], body: "Hi" });
      expect(a.message.id.length).toBeLessThanOrEqual(20);
      expect(
        Number.isInteger(a.message.dedupId) && a.message.dedupId >= 1 && a.message.dedupId < 2 ** 31,
      ).toBe(true);
      expect(a.message.bodyHash).toMatch(/^[0-9a-f]{32}$/);
      const b = await store.messages.create({
        key: "welcome:L1:c1",
        locationId: "L1",
        to: TO,
        body: "Other",
      });
      expect(b).toMatchObject({ created: false, existing: { id: a.message.id, dedupId: a.message.dedupId } });
      await store.messages.recordAttempt(a.message.id, { error: "timeout" });
      expect((await store.messages.get(a.message.id))?.dedupId).toBe(a.message.dedupId);
    });

    it("accepts a caller-chosen dedup id and refuses a used one", async () => {
      const { store } = await setup();
      await store.messages.create({ key: "k1", locationId: "L1", to: TO, body: "x", dedupId: 42 });
      await expect(
        store.messages.create({ key: "k2", locationId: "L1", to: TO, body: "x", dedupId: 42 }),
      ).rejects.toThrow(/dedupId 42 is already used/);
      await expect(
        store.messages.create({ key: "k3", locationId: "L1", to: "0820000001", body: "x" }),
      ).rejects.toThrow(/must be an E.164 number/);
    });

    it("status updates are monotonic: late, repeated and out-of-order reports never move backwards", async () => {
      const { store, clock } = await setup();
      const created = await store.messages.create({ key: "k", locationId: "L1", to: TO, body: "x" });
      if (!created.created) throw new Error("expected created");
      const id = created.message.id;
      const sub = await store.messages.markSubmitted(id, { providerIds: ["900001", "900002"], cost: 2 });
      expect(sub).toMatchObject({
        updated: true,
        previous: "QUEUED",
        message: { status: "ACCEPTED", cost: 2 },
      });
      expect((await store.messages.findByProviderId("900002"))?.id).toBe(id);
      clock.advance(10);
      expect(await store.messages.updateStatus(id, { status: "DELIVERED" })).toMatchObject({ updated: true });
      expect(await store.messages.updateStatus(id, { status: "SENT" })).toMatchObject({
        updated: false,
        reason: "stale",
      });
      expect(await store.messages.updateStatus(id, { status: "DELIVERED" })).toMatchObject({
        updated: false,
        reason: "duplicate",
      });
      expect(await store.messages.updateStatus(id, { status: "FAILED", subtype: "EXPIRED" })).toMatchObject({
        updated: false,
        reason: "stale",
      });
      expect(await store.messages.get(id)).toMatchObject({ status: "DELIVERED", statusAt: clock.now() });
      expect(await store.messages.updateStatus("missing", { status: "SENT" })).toEqual({
        updated: false,
        reason: "not_found",
      });
      await expect(store.messages.updateStatus(id, { status: "BOGUS" as "SENT" })).rejects.toThrow(
        /unknown message status/,
      );
    });

    it("follows the bulksms rule: DELIVERED beats FAILED, a newer FAILED subtype replaces the old", () => {
      expect(compareStatus({ status: "FAILED", subtype: "EXPIRED" }, { status: "DELIVERED" })).toBe("apply");
      expect(
        compareStatus({ status: "FAILED", subtype: "EXPIRED" }, { status: "FAILED", subtype: "BLOCKED" }),
      ).toBe("apply");
      expect(
        compareStatus({ status: "FAILED", subtype: "BLOCKED" }, { status: "FAILED", subtype: "BLOCKED" }),
      ).toBe("duplicate");
      expect(compareStatus({ status: "UNKNOWN" }, { status: "SENT" })).toBe("stale");
      expect(compareStatus({ status: "SCHEDULED" }, { status: "ACCEPTED" })).toBe("stale");
      expect(compareStatus({ status: "CANCELLED" }, { status: "QUEUED" })).toBe("stale");
      expect(compareStatus({ status: "CANCELLED" }, { status: "SENT" })).toBe("apply");
    });

    it("defers, lists due sends, and cancels a contact's pending sends", async () => {
      const { store, clock } = await setup();
      const now = clock.now();
      await store.messages.create({ key: "a", locationId: "L1", contactId: "c1", to: TO, body: "a" });
      const b = await store.messages.create({
        key: "b",
        locationId: "L1",
        contactId: "c1",
        to: TO,
        body: "b",
      });
      await store.messages.create({ key: "c", locationId: "L1", contactId: "c2", to: TO, body: "c" });
      if (!b.created) throw new Error("expected created");
      expect(await store.messages.defer(b.message.id, now + 3_600_000)).toBe(true);
      expect((await store.messages.listDue({})).map((m) => m.key)).toEqual(["a", "c"]);
      expect((await store.messages.listDue({ now: now + 3_600_000 })).map((m) => m.key).sort()).toEqual([
        "a",
        "b",
        "c",
      ]);
      expect(await store.messages.cancelPending("L1", "c1", "contact deleted")).toBe(2);
      expect((await store.messages.listDue({ now: now + 3_600_000 })).map((m) => m.key)).toEqual(["c"]);
      expect(await store.messages.get(b.message.id)).toMatchObject({
        status: "CANCELLED",
        error: "contact deleted",
      });
      expect(await store.messages.defer(b.message.id, now)).toBe(false);
      expect((await store.messages.listForContact("L1", "c1")).length).toBe(2);
      const counts = await store.messages.countByStatus("L1");
      expect(counts).toMatchObject({ QUEUED: 1, CANCELLED: 2, DELIVERED: 0 });
    });
  });
});
