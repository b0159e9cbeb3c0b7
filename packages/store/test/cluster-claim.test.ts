// Job claims from several stores on one database (several worker processes: one SQLite file, or several
// pools on one PostgreSQL schema): no job is claimed twice, and `maxRunningPerLocation` bounds a location's
// live running jobs across all of them.
import { describe, expect, it } from "vitest";
import type { Store } from "../src/index.js";
import { describeEachStore } from "./support/stores.js";

const T0 = 1_800_000_000_000;

describeEachStore((_open, _name, openShared) => {
  describe("claims across stores on one database", () => {
    it("three stores claiming at once never get the same job; the per-location cap holds among them", async () => {
      const stores: Store[] = await openShared(3);
      const s0 = stores[0]!;
      for (let i = 0; i < 20; i++)
        await s0.jobs.enqueue({ name: "t", key: `a${i}`, payload: {}, locationId: "A", runAt: T0 });
      for (let i = 0; i < 20; i++) await s0.jobs.enqueue({ name: "t", key: `n${i}`, payload: {}, runAt: T0 });
      const claim = (s: Store, i: number) =>
        s.jobs.claim({ workerId: `w${i}`, limit: 5, leaseMs: 60_000, now: T0, maxRunningPerLocation: 3 });
      const rounds = await Promise.all(stores.flatMap((s, i) => [claim(s, i), claim(s, i)]));
      const jobs = rounds.flat();
      expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length); // nothing twice
      expect(jobs.filter((j) => j.locationId === "A")).toHaveLength(3);
      expect(jobs.filter((j) => j.locationId === null)).toHaveLength(20);
      // a finished job frees one slot; an expired lease (crashed worker) frees its slot too
      const a = jobs.filter((j) => j.locationId === "A");
      expect(await stores[1]!.jobs.complete(a[0]!.id)).toBe(true);
      const next = await stores[2]!.jobs.claim({
        workerId: "w2",
        limit: 5,
        leaseMs: 60_000,
        now: T0,
        maxRunningPerLocation: 3,
      });
      expect(next.map((j) => j.locationId)).toEqual(["A"]);
      const afterLease = await stores[0]!.jobs.claim({
        workerId: "w0",
        limit: 10,
        leaseMs: 60_000,
        now: T0 + 60_000,
        maxRunningPerLocation: 3,
      });
      // the three leases ran out at T0 + 60 s: three jobs of A again (re-claims of the expired ones first)
      expect(afterLease.filter((j) => j.locationId === "A")).toHaveLength(3);
    });
  });
});
