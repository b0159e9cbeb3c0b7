// The shared rate budget through several independent Store instances on one database (what several
// worker processes see: one SQLite file, or several pools on one PostgreSQL schema): grants never exceed
// `allowed` among them, and settle / reconcile / block / the day counter behave as documented in types.ts.
import { describe, expect, it } from "vitest";
import type { Store } from "../src/index.js";
import { describeEachStore } from "./support/stores.js";

const T0 = 1_800_000_000_000;
const DAY = "2027-01-15";

const reserve = (s: Store, now: number, extra: Partial<Parameters<Store["rateBudget"]["reserve"]>[0]> = {}) =>
  s.rateBudget.reserve({
    resource: "L1",
    now,
    allowed: 80,
    pendingTtlMs: 60_000,
    day: DAY,
    dailyAllowed: null,
    ...extra,
  });

describeEachStore((_open, _name, openShared) => {
  describe("rateBudget: one budget for several stores on one database", () => {
    it("three stores racing 300 reservations get exactly `allowed` grants, then a retry time", async () => {
      const [a, b, c] = (await openShared(3)) as [Store, Store, Store];
      const all = await Promise.all(Array.from({ length: 300 }, (_, i) => reserve([a, b, c][i % 3]!, T0)));
      expect(all.filter((r) => r.ok)).toHaveLength(80);
      const refused = all.filter((r) => !r.ok);
      // every refusal points at the end of a pending grant's life
      for (const r of refused) expect(r).toEqual({ ok: false, reason: "window", retryAt: T0 + 60_000 });
      expect(await c.rateBudget.usage("L1", T0)).toEqual({ live: 80, usedToday: 80, day: DAY });
    });

    it("a settled grant lives one interval from its answer; then its slot is free for another store", async () => {
      const [a, b] = (await openShared(2)) as [Store, Store];
      const grants: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await reserve(a, T0, { allowed: 3 });
        if (!r.ok) throw new Error("expected a grant");
        grants.push(r.grantId);
      }
      expect(await reserve(b, T0 + 10, { allowed: 3 })).toEqual({
        ok: false,
        reason: "window",
        retryAt: T0 + 60_000,
      });
      expect(await a.rateBudget.settle(grants[1]!, T0 + 200 + 10_000)).toBe(true);
      // the settled grant is the next to expire
      expect(await reserve(b, T0 + 300, { allowed: 3 })).toEqual({
        ok: false,
        reason: "window",
        retryAt: T0 + 10_200,
      });
      expect(await reserve(b, T0 + 10_199, { allowed: 3 })).toMatchObject({ ok: false });
      expect(await reserve(b, T0 + 10_200, { allowed: 3 })).toMatchObject({ ok: true });
    });

    it("a crashed holder's pending grant frees itself after pendingTtlMs", async () => {
      const [a, b] = (await openShared(2)) as [Store, Store];
      expect(await reserve(a, T0, { allowed: 1, pendingTtlMs: 5_000 })).toMatchObject({ ok: true });
      // a's process dies here: its grant is never settled
      expect(await reserve(b, T0 + 4_999, { allowed: 1 })).toEqual({
        ok: false,
        reason: "window",
        retryAt: T0 + 5_000,
      });
      expect(await reserve(b, T0 + 5_000, { allowed: 1 })).toMatchObject({ ok: true });
    });

    it("reconcile adds the requests the vendor counted that nobody logged, and raises the day count", async () => {
      const [a, b] = (await openShared(2)) as [Store, Store];
      for (let i = 0; i < 10; i++) await reserve(a, T0);
      const input = { resource: "L1", now: T0 + 100, day: DAY, intervalMs: 10_000 };
      // the vendor saw 25 in its window: 15 we did not send
      expect(await b.rateBudget.reconcile({ ...input, windowUsed: 25, dailyUsed: 1_000 })).toEqual({
        added: 15,
      });
      expect(await a.rateBudget.usage("L1", T0 + 100)).toEqual({ live: 25, usedToday: 1_000, day: DAY });
      // a lower report adds nothing and never lowers the day count
      expect(await b.rateBudget.reconcile({ ...input, windowUsed: 5, dailyUsed: 3 })).toEqual({ added: 0 });
      expect((await a.rateBudget.usage("L1", T0 + 100)).usedToday).toBe(1_000);
      // the unlogged ones expire one interval after the report
      expect((await a.rateBudget.usage("L1", T0 + 10_100)).live).toBe(10);
    });

    it("a 429 block stops every store until it ends; a shorter block never shortens it", async () => {
      const [a, b] = (await openShared(2)) as [Store, Store];
      await a.rateBudget.block("L1", T0 + 5_000);
      await a.rateBudget.block("L1", T0 + 1_000);
      expect(await reserve(b, T0)).toEqual({ ok: false, reason: "window", retryAt: T0 + 5_000 });
      expect(await reserve(b, T0 + 5_000)).toMatchObject({ ok: true });
    });

    it("the day budget stops a priority at its daily allowance and restarts on a new UTC day", async () => {
      const [a] = (await openShared(1)) as [Store];
      for (let i = 0; i < 3; i++)
        expect(await reserve(a, T0, { dailyAllowed: 3 })).toMatchObject({ ok: true });
      expect(await reserve(a, T0, { dailyAllowed: 3 })).toEqual({ ok: false, reason: "daily", usedToday: 3 });
      expect(await reserve(a, T0, { dailyAllowed: 4 })).toMatchObject({ ok: true }); // real-time has more
      expect(await reserve(a, T0 + 70_000, { day: "2027-01-16", dailyAllowed: 3 })).toMatchObject({
        ok: true,
      });
      expect((await a.rateBudget.usage("L1", T0 + 70_000)).usedToday).toBe(1);
    });
  });
});
