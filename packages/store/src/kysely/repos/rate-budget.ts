import type { RateBudgetRepo } from "../../types.js";
import { affected, type Db, type KyselyContext, num } from "../context.js";

/**
 * The shared vendor rate budget (see `RateBudgetRepo` in types.ts): `rate_budgets` (one row per resource:
 * 429 block, today's count) and `rate_grants` (the sliding log). Each method is one transaction whose first
 * statement upserts the resource's row: on PostgreSQL that row lock serialises every caller of the resource
 * (across pools and processes) until commit, and each later statement (READ COMMITTED) sees the grants the
 * previous holder committed; on SQLite the write transaction excludes every other writer.
 */
export function createRateBudgetRepo(ctx: KyselyContext): RateBudgetRepo {
  /** Creates or locks the resource's row; a new UTC day restarts the day count. */
  const lockRow = async (db: Db, resource: string, day: string) => {
    await db
      .insertInto("rate_budgets")
      .values({ resource, blocked_until: 0, day, day_used: 0 })
      .onConflict((oc) =>
        oc.column("resource").doUpdateSet((eb) => ({
          day_used: eb
            .case()
            .when("rate_budgets.day", "=", eb.ref("excluded.day"))
            .then(eb.ref("rate_budgets.day_used"))
            .else(0)
            .end(),
          day: eb.ref("excluded.day"),
        })),
      )
      .execute();
    const row = await db
      .selectFrom("rate_budgets")
      .select(["blocked_until", "day_used"])
      .where("resource", "=", resource)
      .executeTakeFirstOrThrow();
    return { blockedUntil: num(row.blocked_until), dayUsed: num(row.day_used) };
  };
  const liveCount = async (db: Db, resource: string, now: number): Promise<number> =>
    num(
      (
        await db
          .selectFrom("rate_grants")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("resource", "=", resource)
          .where("expires_at", ">", now)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const addGrant = async (db: Db, resource: string, expiresAt: number): Promise<number> =>
    num(
      (
        await db
          .insertInto("rate_grants")
          .values({ resource, expires_at: expiresAt })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id,
    );

  return {
    reserve(input) {
      if (!(input.allowed >= 1)) {
        return Promise.reject(new RangeError("rateBudget.reserve: allowed must be >= 1"));
      }
      return ctx.write(null, async (db) => {
        const { resource, now } = input;
        const row = await lockRow(db, resource, input.day);
        await db
          .deleteFrom("rate_grants")
          .where("resource", "=", resource)
          .where("expires_at", "<=", now)
          .execute();
        if (row.blockedUntil > now) {
          return { ok: false as const, reason: "window" as const, retryAt: row.blockedUntil };
        }
        if (input.dailyAllowed !== null && row.dayUsed >= input.dailyAllowed) {
          return { ok: false as const, reason: "daily" as const, usedToday: row.dayUsed };
        }
        const live = await liveCount(db, resource, now);
        if (live >= input.allowed) {
          // the grant whose expiry brings the live count below `allowed`
          const next = await db
            .selectFrom("rate_grants")
            .select("expires_at")
            .where("resource", "=", resource)
            .where("expires_at", ">", now)
            .orderBy("expires_at")
            .limit(1)
            .offset(live - input.allowed)
            .executeTakeFirstOrThrow();
          return { ok: false as const, reason: "window" as const, retryAt: num(next.expires_at) };
        }
        const grantId = await addGrant(db, resource, now + input.pendingTtlMs);
        await db
          .updateTable("rate_budgets")
          .set((eb) => ({ day_used: eb("day_used", "+", 1) }))
          .where("resource", "=", resource)
          .execute();
        return { ok: true as const, grantId };
      });
    },
    settle(grantId, liveUntil) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("rate_grants")
              .set({ expires_at: liveUntil })
              .where("id", "=", grantId)
              .executeTakeFirst(),
          ) > 0,
      );
    },
    reconcile(input) {
      return ctx.write(null, async (db) => {
        const { resource, now } = input;
        await lockRow(db, resource, input.day);
        let added = 0;
        if (input.windowUsed !== null) {
          const missing = input.windowUsed - (await liveCount(db, resource, now));
          for (; added < missing; added++) await addGrant(db, resource, now + input.intervalMs);
        }
        if (input.dailyUsed !== null) {
          await db
            .updateTable("rate_budgets")
            .set({ day_used: input.dailyUsed })
            .where("resource", "=", resource)
            .where("day_used", "<", input.dailyUsed)
            .execute();
        }
        return { added };
      });
    },
    block(resource, until) {
      return ctx.write(null, async (db) => {
        await db
          .insertInto("rate_budgets")
          .values({ resource, blocked_until: until, day: "", day_used: 0 })
          .onConflict((oc) =>
            oc
              .column("resource")
              .doUpdateSet((eb) => ({ blocked_until: eb.ref("excluded.blocked_until") }))
              .where("rate_budgets.blocked_until", "<", (eb) => eb.ref("excluded.blocked_until")),
          )
          .execute();
      });
    },
    usage(resource, now) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("rate_budgets")
          .select(["day", "day_used"])
          .where("resource", "=", resource)
          .executeTakeFirst();
        return {
          live: await liveCount(db, resource, now),
          usedToday: row ? num(row.day_used) : 0,
          day: row ? row.day : null,
        };
      });
    },
  };
}
