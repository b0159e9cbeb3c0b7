import { describe, expect, it } from "vitest";
import { fakeClock } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

describeEachStore((open) => {
  async function setup() {
    const clock = fakeClock();
    const store = await open({ now: clock.now });
    return { clock, store };
  }

  describe("messages.list", () => {
    it("lists newest first, filtered by location, status and since, with a limit", async () => {
      const { store, clock } = await setup();
      await store.locations.upsert({ id: "L1" });
      await store.locations.upsert({ id: "L2" });
      const made: string[] = [];
      for (const [i, loc] of ["L1", "L1", "L2", "L1"].entries()) {
        const r = await store.messages.create({
          key: `k${i}`,
          locationId: loc,
          to: "+447911123456",
          body: `b${i}`,
        });
        if (!r.created) throw new Error("not created");
        made.push(r.message.id);
        clock.advance(1000);
      }
      const [m0, m1, m2, m3] = made as [string, string, string, string];
      await store.messages.markSubmitted(m1, { providerIds: ["p1"], status: "ACCEPTED" });
      await store.messages.updateStatus(m3, { status: "FAILED", error: "x" });

      expect((await store.messages.list()).map((m) => m.id)).toEqual([m3, m2, m1, m0]);
      expect((await store.messages.list({ locationId: "L1" })).map((m) => m.id)).toEqual([m3, m1, m0]);
      expect((await store.messages.list({ status: "QUEUED" })).map((m) => m.id)).toEqual([m2, m0]);
      expect(
        (await store.messages.list({ locationId: "L1", status: ["FAILED", "ACCEPTED"] })).map((m) => m.id),
      ).toEqual([m3, m1]);
      const t0 = clock.now() - 4000;
      expect((await store.messages.list({ since: t0 + 2000 })).map((m) => m.id)).toEqual([m3, m2]);
      expect((await store.messages.list({ limit: 1 })).map((m) => m.id)).toEqual([m3]);
      expect(await store.messages.list({ status: [] })).toEqual([]);
      await expect(store.messages.list({ status: "NOPE" as never })).rejects.toThrow(
        /unknown message status/,
      );
      await expect(store.messages.list({ limit: -1 })).rejects.toThrow(/limit/);
    });

    it("cancelPendingForLocation cancels only that location's queued messages, with or without a contact", async () => {
      const { store } = await setup();
      await store.locations.upsert({ id: "L1" });
      await store.locations.upsert({ id: "L2" });
      await store.messages.create({
        key: "a",
        locationId: "L1",
        contactId: "c1",
        to: "+447911123456",
        body: "a",
      });
      await store.messages.create({
        key: "b",
        locationId: "L1",
        contactId: null,
        to: "+447911123457",
        body: "b",
      });
      const sent = await store.messages.create({
        key: "c",
        locationId: "L1",
        to: "+447911123458",
        body: "c",
      });
      if (sent.created)
        await store.messages.markSubmitted(sent.message.id, { providerIds: ["p"], status: "SENT" });
      await store.messages.create({ key: "d", locationId: "L2", to: "+447911123459", body: "d" });
      expect(await store.messages.cancelPendingForLocation("L1", "app uninstalled")).toBe(2);
      expect(await store.messages.getByKey("a")).toMatchObject({
        status: "CANCELLED",
        error: "app uninstalled",
      });
      expect((await store.messages.getByKey("b"))?.status).toBe("CANCELLED");
      expect((await store.messages.getByKey("c"))?.status).toBe("SENT");
      expect((await store.messages.getByKey("d"))?.status).toBe("QUEUED");
    });
  });

  describe("messages.cancelPending", () => {
    it("spares messages whose key starts with an excepted prefix", async () => {
      const { store } = await setup();
      await store.locations.upsert({ id: "L1" });
      const base = { locationId: "L1", contactId: "c1", to: "+447911123456" };
      await store.messages.create({ ...base, key: "welcome:L1:c1", body: "hi" });
      await store.messages.create({ ...base, key: "stop-confirmation:L1:in-1", body: "bye" });
      await store.messages.create({ ...base, key: "stop-confirmationX", body: "x" });
      expect(
        await store.messages.cancelPending("L1", "c1", "opted out", {
          exceptKeyPrefixes: ["stop-confirmation:"],
        }),
      ).toBe(2);
      expect((await store.messages.getByKey("welcome:L1:c1"))?.status).toBe("CANCELLED");
      expect((await store.messages.getByKey("stop-confirmationX"))?.status).toBe("CANCELLED");
      expect((await store.messages.getByKey("stop-confirmation:L1:in-1"))?.status).toBe("QUEUED");
      expect(await store.messages.cancelPending("L1", "c1", "deleted")).toBe(1);
    });
  });

  describe("jobs.cancelForLocation", () => {
    it("cancels queued jobs of the location only, keeps running ones and the keys", async () => {
      const { store } = await setup();
      await store.jobs.enqueue({ name: "sms.send", payload: {}, key: "a", locationId: "L1" });
      await store.jobs.enqueue({ name: "ghl.note.create", payload: {}, key: "b", locationId: "L1" });
      await store.jobs.enqueue({ name: "sms.send", payload: {}, key: "c", locationId: "L2" });
      await store.jobs.enqueue({ name: "sms.send", payload: {}, key: "d", locationId: null });
      const [running] = await store.jobs.claim({
        workerId: "w",
        limit: 1,
        leaseMs: 60_000,
        locationId: "L1",
      });
      expect(running?.key).toBe("a");
      await store.jobs.enqueue({ name: "sms.send", payload: {}, key: "e", locationId: "L1" });

      expect(
        await store.jobs.cancelForLocation("L1", { reason: "app uninstalled", names: ["ghl.note.create"] }),
      ).toBe(1);
      expect(await store.jobs.cancelForLocation("L1", { reason: "app uninstalled" })).toBe(1);
      expect(await store.jobs.getByKey("b")).toMatchObject({
        state: "done",
        lastError: "cancelled: app uninstalled",
      });
      expect((await store.jobs.getByKey("e"))?.state).toBe("done");
      expect((await store.jobs.getByKey("a"))?.state).toBe("running");
      expect((await store.jobs.getByKey("c"))?.state).toBe("queued");
      expect((await store.jobs.getByKey("d"))?.state).toBe("queued");
      // cancelled jobs are not claimed, and their keys still deduplicate
      expect(
        (await store.jobs.claim({ workerId: "w", limit: 10, leaseMs: 1000, locationId: "L1" })).length,
      ).toBe(0);
      expect(
        (await store.jobs.enqueue({ name: "sms.send", payload: {}, key: "e", locationId: "L1" })).enqueued,
      ).toBe(false);
      expect(await store.jobs.cancelForLocation("L1", { reason: "x", names: [] })).toBe(0);
      await expect(store.jobs.cancelForLocation("L1", { reason: "" })).rejects.toThrow(/reason/);
    });
  });
});
