import { describe, expect, it } from "vitest";
import { fakeClock } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

describeEachStore((open) => {
  async function setup() {
    const clock = fakeClock();
    const store = await open({ now: clock.now });
    return { clock, store };
  }

  describe("jobs outbox", () => {
    it("enqueue is idempotent by key", async () => {
      const { store } = await setup();
      const first = await store.jobs.enqueue({ name: "send", payload: { a: 1 }, key: "k1" });
      const again = await store.jobs.enqueue({ name: "send", payload: { a: 2 }, key: "k1" });
      expect(first.enqueued).toBe(true);
      expect(again).toEqual({ enqueued: false, existingId: first.enqueued ? first.id : -1 });
      expect((await store.jobs.getByKey("k1"))?.payload).toEqual({ a: 1 });
    });

    it("claims due jobs by priority, leases them, and does not hand them out twice", async () => {
      const { store, clock } = await setup();
      await store.jobs.enqueue({ name: "low", payload: null, key: "low" });
      await store.jobs.enqueue({ name: "high", payload: null, key: "high", priority: 5 });
      await store.jobs.enqueue({ name: "later", payload: null, key: "later", runAt: clock.now() + 60_000 });
      await store.jobs.enqueue({ name: "other-loc", payload: null, key: "other", locationId: "L2" });
      // due: the three queued for now, not the one for a minute later
      expect(await store.jobs.countDue(clock.now())).toBe(3);
      expect(await store.jobs.countDue(clock.now() + 60_000)).toBe(4);
      const a = await store.jobs.claim({ workerId: "w1", limit: 2, leaseMs: 30_000 });
      expect(a.map((j) => j.name)).toEqual(["high", "low"]);
      expect(a[0]).toMatchObject({
        state: "running",
        leaseOwner: "w1",
        leaseUntil: clock.now() + 30_000,
        attempts: 1,
      });
      const b = await store.jobs.claim({ workerId: "w2", limit: 10, leaseMs: 30_000 });
      expect(b.map((j) => j.name)).toEqual(["other-loc"]);
      expect(
        await store.jobs.claim({ workerId: "w2", limit: 10, leaseMs: 30_000, locationId: "L1" }),
      ).toEqual([]);
      expect(await store.jobs.counts()).toEqual({ queued: 1, running: 3, done: 0, dead: 0 });
      expect(await store.jobs.countDue(clock.now())).toBe(0); // running jobs are not waiting
    });

    it("filters by location and name", async () => {
      const { store } = await setup();
      await store.jobs.enqueue({ name: "a", payload: null, key: "1", locationId: "L1" });
      await store.jobs.enqueue({ name: "b", payload: null, key: "2", locationId: "L1" });
      await store.jobs.enqueue({ name: "a", payload: null, key: "3", locationId: "L2" });
      const claimed = await store.jobs.claim({
        workerId: "w",
        limit: 10,
        leaseMs: 1000,
        locationId: "L1",
        names: ["a"],
      });
      expect(claimed.map((j) => j.key)).toEqual(["1"]);
      expect(await store.jobs.runningByLocation()).toEqual({ L1: 1 });
      await store.jobs.enqueue({ name: "a", payload: null, key: "4" });
      const others = await store.jobs.claim({
        workerId: "w",
        limit: 10,
        leaseMs: 1000,
        excludeLocationIds: ["L1"],
      });
      expect(others.map((j) => j.key).sort()).toEqual(["3", "4"]);
      expect(await store.jobs.runningByLocation()).toEqual({ L1: 1, L2: 1 });
      expect(await store.jobs.counts({ locationId: "L1" })).toEqual({
        queued: 1,
        running: 1,
        done: 0,
        dead: 0,
      });
    });

    it("an expired lease is reclaimable (crashed worker) and the old owner can no longer complete it", async () => {
      const { store, clock } = await setup();
      await store.jobs.enqueue({ name: "send", payload: null, key: "k" });
      const [job] = await store.jobs.claim({ workerId: "crashed", limit: 1, leaseMs: 10_000 });
      clock.advance(9_999);
      expect(await store.jobs.claim({ workerId: "w2", limit: 1, leaseMs: 10_000 })).toEqual([]);
      clock.advance(1);
      const [again] = await store.jobs.claim({ workerId: "w2", limit: 1, leaseMs: 10_000 });
      expect(again).toMatchObject({ id: job!.id, leaseOwner: "w2", attempts: 2 });
      expect(await store.jobs.complete(job!.id, { workerId: "crashed" })).toBe(false);
      expect(await store.jobs.extendLease(job!.id, "crashed", 5000)).toBe(false);
      expect(await store.jobs.extendLease(job!.id, "w2", 50_000)).toBe(true);
      expect(await store.jobs.complete(job!.id, { workerId: "w2" })).toBe(true);
      expect(await store.jobs.get(job!.id)).toMatchObject({
        state: "done",
        leaseOwner: null,
        finishedAt: clock.now(),
      });
      expect(await store.jobs.complete(job!.id)).toBe(false);
    });

    it("fail re-queues for later with the error; dead-letter keeps the last error and attempts", async () => {
      const { store, clock } = await setup();
      await store.jobs.enqueue({ name: "send", payload: null, key: "k" });
      const [job] = await store.jobs.claim({ workerId: "w", limit: 1, leaseMs: 1000 });
      expect(await store.jobs.fail(job!.id, { error: "503 from GHL", retryAt: clock.now() + 5000 })).toBe(
        true,
      );
      expect(await store.jobs.get(job!.id)).toMatchObject({
        state: "queued",
        lastError: "503 from GHL",
        attempts: 1,
      });
      expect(await store.jobs.claim({ workerId: "w", limit: 1, leaseMs: 1000 })).toEqual([]);
      clock.advance(5000);
      const [second] = await store.jobs.claim({ workerId: "w", limit: 1, leaseMs: 1000 });
      expect(second!.attempts).toBe(2);
      expect(await store.jobs.deadLetter(job!.id, "400 invalid phone")).toBe(true);
      const [dead] = await store.deadLetters.list();
      expect(dead).toMatchObject({ id: job!.id, state: "dead", lastError: "400 invalid phone", attempts: 2 });
      expect(await store.jobs.counts()).toEqual({ queued: 0, running: 0, done: 0, dead: 1 });
      expect(await store.jobs.claim({ workerId: "w", limit: 1, leaseMs: 1000 })).toEqual([]);

      expect(await store.deadLetters.replay(job!.id)).toBe(true);
      expect(await store.jobs.get(job!.id)).toMatchObject({ state: "queued", attempts: 0 });
      const [replayed] = await store.jobs.claim({ workerId: "w", limit: 1, leaseMs: 1000 });
      await store.jobs.deadLetter(replayed!.id, "still bad");
      expect(await store.deadLetters.purge({ id: replayed!.id })).toBe(1);
      expect(await store.jobs.get(job!.id)).toBeNull();
    });

    it("release returns a claimed job without counting the attempt (graceful shutdown)", async () => {
      const { store } = await setup();
      await store.jobs.enqueue({ name: "send", payload: null, key: "k" });
      const [job] = await store.jobs.claim({ workerId: "w", limit: 1, leaseMs: 60_000 });
      expect(await store.jobs.release(job!.id, { workerId: "someone-else" })).toBe(false);
      expect(await store.jobs.release(job!.id, { workerId: "w" })).toBe(true);
      expect(await store.jobs.get(job!.id)).toMatchObject({ state: "queued", attempts: 0, leaseOwner: null });
      expect(await store.jobs.claim({ workerId: "w2", limit: 1, leaseMs: 60_000 })).toHaveLength(1);
    });

    it("purges old done jobs and dead letters by time", async () => {
      const { store, clock } = await setup();
      for (const key of ["a", "b", "c"])
        await store.jobs.enqueue({ name: "n", payload: null, key, locationId: "L1" });
      const [a, b, c] = await store.jobs.claim({ workerId: "w", limit: 3, leaseMs: 1000 });
      await store.jobs.complete(a!.id);
      await store.jobs.deadLetter(b!.id, "x");
      clock.advance(10);
      await store.jobs.deadLetter(c!.id, "y");
      expect(await store.jobs.purgeDone(clock.now())).toBe(1);
      expect(await store.deadLetters.purge({ before: clock.now(), locationId: "L1" })).toBe(1);
      expect((await store.deadLetters.list({ locationId: "L1" })).map((j) => j.id)).toEqual([c!.id]);
    });
  });
});
