import { describe, expect, it } from "vitest";
import { emptyCounts } from "../src/index.js";
import { fakeClock } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

describeEachStore((open) => {
  async function setup() {
    const clock = fakeClock();
    const store = await open({ now: clock.now });
    await store.locations.upsert({ id: "L1" });
    await store.locations.upsert({ id: "L2" });
    return { clock, store };
  }

  describe("sync runs", () => {
    it("never starts twice for one location while the heartbeat is fresh", async () => {
      const { store, clock } = await setup();
      const first = await store.runs.start({ locationId: "L1", kind: "incremental", owner: "w1" });
      if (!first.started) throw new Error("expected start");
      expect(first.resumed).toBe(false);
      clock.advance(60_000);
      const second = await store.runs.start({
        locationId: "L1",
        kind: "full",
        owner: "cli",
        staleAfterMs: 120_000,
      });
      expect(second).toMatchObject({
        started: false,
        reason: "already_running",
        active: { id: first.run.id },
      });
      expect((await store.runs.start({ locationId: "L2", kind: "full" })).started).toBe(true);
      expect(await store.runs.finish(first.run.id, { status: "succeeded" })).toBe(true);
      expect((await store.runs.start({ locationId: "L1", kind: "full" })).started).toBe(true);
    });

    it("release gives an interrupted run's lock back at once: the next start resumes it from its checkpoint", async () => {
      const { store, clock } = await setup();
      const run = await store.runs.start({ locationId: "L1", kind: "full", owner: "cli-1" });
      if (!run.started) throw new Error("expected start");
      await store.runs.saveCheckpoint(run.run.id, { cursor: "page-2" });
      clock.advance(1_000);
      expect((await store.runs.start({ locationId: "L1", kind: "full" })).started).toBe(false);
      expect(await store.runs.release(run.run.id)).toBe(true);
      const next = await store.runs.start({ locationId: "L1", kind: "full", owner: "cli-2" });
      expect(next).toMatchObject({
        started: true,
        resumed: true,
        run: { id: run.run.id, owner: "cli-2", checkpoint: { cursor: "page-2" }, heartbeatAt: clock.now() },
      });
      expect(await store.runs.finish(run.run.id, { status: "succeeded" })).toBe(true);
      expect(await store.runs.release(run.run.id)).toBe(false); // finished runs are left alone
    });

    it("resumes a crashed run of the same kind from its checkpoint; abandons one of another kind", async () => {
      const { store, clock } = await setup();
      const crashed = await store.runs.start({
        locationId: "L1",
        kind: "full",
        owner: "w1",
        staleAfterMs: 1000,
      });
      if (!crashed.started) throw new Error("expected start");
      const counts = { ...emptyCounts(), scanned: 500, updated: 3, conflicts: { "ghl-wins": 2 } };
      await store.runs.saveCheckpoint(crashed.run.id, { cursor: "page-5", lastId: "c500" }, counts);
      clock.advance(999);
      expect((await store.runs.start({ locationId: "L1", kind: "full", staleAfterMs: 1000 })).started).toBe(
        false,
      );
      clock.advance(1);
      const resumed = await store.runs.start({
        locationId: "L1",
        kind: "full",
        owner: "w2",
        staleAfterMs: 1000,
      });
      expect(resumed).toMatchObject({
        started: true,
        resumed: true,
        run: {
          id: crashed.run.id,
          owner: "w2",
          resumes: 1,
          checkpoint: { cursor: "page-5", lastId: "c500" },
          counts,
        },
      });
      clock.advance(5000);
      const other = await store.runs.start({ locationId: "L1", kind: "incremental", staleAfterMs: 1000 });
      expect(other).toMatchObject({ started: true, resumed: false });
      expect(await store.runs.get(crashed.run.id)).toMatchObject({ status: "abandoned" });
    });

    it("heartbeats, finishes with counts, and finds the latest successful run for the cursor", async () => {
      const { store, clock } = await setup();
      const r1 = await store.runs.start({ locationId: "L1", kind: "incremental" });
      if (!r1.started) throw new Error("expected start");
      clock.advance(10);
      expect(await store.runs.heartbeat(r1.run.id)).toBe(true);
      expect((await store.runs.get(r1.run.id))?.heartbeatAt).toBe(clock.now());
      await store.runs.saveCheckpoint(r1.run.id, { since: 123 });
      await store.runs.finish(r1.run.id, { status: "succeeded", counts: { ...emptyCounts(), scanned: 7 } });
      expect(await store.runs.heartbeat(r1.run.id)).toBe(false);
      expect(await store.runs.finish(r1.run.id, { status: "failed" })).toBe(false);
      const r2 = await store.runs.start({ locationId: "L1", kind: "incremental" });
      if (!r2.started) throw new Error("expected start");
      await store.runs.finish(r2.run.id, { status: "failed", error: "GHL down" });
      const latest = await store.runs.latest("L1", { kind: "incremental" });
      expect(latest).toMatchObject({ id: r1.run.id, checkpoint: { since: 123 }, counts: { scanned: 7 } });
      expect(await store.runs.latest("L1", { kind: "incremental", status: "failed" })).toMatchObject({
        error: "GHL down",
      });
      expect((await store.runs.list({ locationId: "L1" })).map((r) => r.id)).toEqual([r2.run.id, r1.run.id]);
      expect(await store.runs.active("L1")).toBeNull();
    });

    it("records the decision taken for each conflict", async () => {
      const { store } = await setup();
      const run = await store.runs.start({ locationId: "L1", kind: "full" });
      if (!run.started) throw new Error("expected start");
      await store.runs.recordConflict({
        runId: run.run.id,
        contactId: "c1",
        field: "firstName",
        policy: "newest-wins",
        decision: "took remote",
        base: "Ann",
        local: "Anne",
        remote: "Annie",
        chosen: "Annie",
      });
      const [decision] = await store.runs.listConflicts(run.run.id);
      expect(decision).toMatchObject({ locationId: "L1", contactId: "c1", base: "Ann", chosen: "Annie" });
      await expect(
        store.runs.recordConflict({
          runId: 999,
          contactId: "c",
          field: "f",
          policy: "p",
          decision: "d",
          base: null,
          local: null,
          remote: null,
          chosen: null,
        }),
      ).rejects.toThrow(/unknown sync run 999/);
    });
  });
});
