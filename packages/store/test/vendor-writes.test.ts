import { describe, expect, it } from "vitest";
import { fakeClock } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

describeEachStore((open) => {
  describe("vendor-write ledger and audit log", () => {
    it("begin → complete; a second begin reports the completed result", async () => {
      const clock = fakeClock();
      const store = await open({ now: clock.now });
      const info = { vendor: "ghl" as const, operation: "notes.create", locationId: "L1" };
      const first = await store.vendorWrites.begin("note:evt-1", info);
      expect(first).toMatchObject({
        state: "new",
        write: { state: "begun", attempts: 1, begunAt: clock.now() },
      });
      expect(await store.vendorWrites.complete("note:evt-1", "note-abc")).toBe(true);
      const again = await store.vendorWrites.begin("note:evt-1", info);
      expect(again).toMatchObject({
        state: "completed",
        write: { resultId: "note-abc", completedAt: clock.now() },
      });
    });

    it("a write begun but never completed (crash) is reported as begun and listed for reconciliation", async () => {
      const clock = fakeClock();
      const store = await open({ now: clock.now });
      const info = { vendor: "ghl" as const, operation: "tasks.create" };
      await store.vendorWrites.begin("task:evt-2", info);
      clock.advance(60_000);
      const retry = await store.vendorWrites.begin("task:evt-2", info);
      expect(retry).toMatchObject({ state: "begun", write: { attempts: 2 } });
      expect((await store.vendorWrites.listBegun({ before: clock.now() })).map((w) => w.key)).toEqual([
        "task:evt-2",
      ]);
      expect(await store.vendorWrites.listBegun({ before: clock.now() - 60_000 })).toEqual([]);
      await store.vendorWrites.begin("apply:1", { vendor: "ghl", operation: "reconcile.apply" });
      clock.advance(1);
      expect(
        (await store.vendorWrites.listBegun({ before: clock.now(), operations: ["tasks.create"] })).map(
          (w) => w.key,
        ),
      ).toEqual(["task:evt-2"]);
      expect(
        (await store.vendorWrites.listBegun({ before: clock.now(), operations: ["reconcile.apply"] })).map(
          (w) => w.key,
        ),
      ).toEqual(["apply:1"]);
      expect(await store.vendorWrites.listBegun({ operations: [] })).toEqual([]);
      expect(await store.vendorWrites.forget("task:evt-2")).toBe(true);
      expect(await store.vendorWrites.get("task:evt-2")).toBeNull();
      expect((await store.vendorWrites.begin("task:evt-2", info)).state).toBe("new");
      await store.vendorWrites.complete("task:evt-2", "t1");
      expect(await store.vendorWrites.forget("task:evt-2")).toBe(false);
    });

    it("a begin inside a rolled-back transaction leaves no trace", async () => {
      const store = await open();
      await store
        .transaction(async (tx) => {
          await tx.vendorWrites.begin("k", { vendor: "bulksms", operation: "blocked.add" });
          throw new Error("x");
        })
        .catch(() => undefined);
      expect(await store.vendorWrites.get("k")).toBeNull();
    });

    it("records and filters the audit log of vendor writes", async () => {
      const clock = fakeClock();
      const store = await open({ now: clock.now });
      await store.audit.record({
        locationId: "L1",
        vendor: "ghl",
        operation: "contacts.update",
        targetId: "c1",
        idempotencyKey: "k1",
        resultStatus: "200",
      });
      clock.advance(5);
      await store.audit.record({
        locationId: "L2",
        vendor: "bulksms",
        operation: "messages.send",
        targetId: null,
        idempotencyKey: "k2",
        resultStatus: "201",
        detail: { parts: 2 },
      });
      expect((await store.audit.list()).map((e) => e.idempotencyKey)).toEqual(["k2", "k1"]);
      expect(await store.audit.list({ vendor: "bulksms" })).toMatchObject([
        { detail: { parts: 2 }, at: clock.now() },
      ]);
      expect(await store.audit.list({ locationId: "L1", since: clock.now() })).toEqual([]);
      expect(await store.audit.list({ idempotencyKey: "k1" })).toHaveLength(1);
    });
  });
});
