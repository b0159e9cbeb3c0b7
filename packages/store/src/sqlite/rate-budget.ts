import type { RateBudgetRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { num, type Row } from "./json.js";

/**
 * The shared vendor rate budget (see `RateBudgetRepo` in types.ts): `rate_budgets` (one row per resource:
 * 429 block, today's count) and `rate_grants` (the sliding log). Each method is one IMMEDIATE transaction
 * that starts by upserting the resource's row, the statement that serialises callers on PostgreSQL too.
 */
export function createRateBudgetRepo(ctx: SqlContext): RateBudgetRepo {
  /** Creates or locks the resource's row; a new UTC day restarts the day count. */
  const lockRow = (resource: string, day: string): Row => {
    ctx
      .prepare(
        `INSERT INTO rate_budgets (resource, blocked_until, day, day_used) VALUES (?, 0, ?, 0)
         ON CONFLICT (resource) DO UPDATE SET
           day_used = CASE WHEN rate_budgets.day = excluded.day THEN rate_budgets.day_used ELSE 0 END,
           day = excluded.day`,
      )
      .run(resource, day);
    return ctx
      .prepare("SELECT blocked_until, day_used FROM rate_budgets WHERE resource = ?")
      .get(resource) as Row;
  };
  const liveCount = (resource: string, now: number): number =>
    num(
      (
        ctx
          .prepare("SELECT COUNT(*) AS n FROM rate_grants WHERE resource = ? AND expires_at > ?")
          .get(resource, now) as Row
      ).n,
    );
  const addGrant = (resource: string, expiresAt: number): number =>
    num(
      (
        ctx
          .prepare("INSERT INTO rate_grants (resource, expires_at) VALUES (?, ?) RETURNING id")
          .get(resource, expiresAt) as Row
      ).id,
    );

  return {
    reserve(input) {
      if (!(input.allowed >= 1)) throw new RangeError(`rateBudget.reserve: allowed must be >= 1`);
      return ctx.write(() => {
        const { resource, now } = input;
        const row = lockRow(resource, input.day);
        ctx.prepare("DELETE FROM rate_grants WHERE resource = ? AND expires_at <= ?").run(resource, now);
        const blockedUntil = num(row.blocked_until);
        if (blockedUntil > now)
          return { ok: false as const, reason: "window" as const, retryAt: blockedUntil };
        const usedToday = num(row.day_used);
        if (input.dailyAllowed !== null && usedToday >= input.dailyAllowed) {
          return { ok: false as const, reason: "daily" as const, usedToday };
        }
        const live = liveCount(resource, now);
        if (live >= input.allowed) {
          // the grant whose expiry brings the live count below `allowed`
          const next = ctx
            .prepare(
              "SELECT expires_at FROM rate_grants WHERE resource = ? AND expires_at > ? ORDER BY expires_at LIMIT 1 OFFSET ?",
            )
            .get(resource, now, live - input.allowed) as Row;
          return { ok: false as const, reason: "window" as const, retryAt: num(next.expires_at) };
        }
        const grantId = addGrant(resource, now + input.pendingTtlMs);
        ctx.prepare("UPDATE rate_budgets SET day_used = day_used + 1 WHERE resource = ?").run(resource);
        return { ok: true as const, grantId };
      });
    },
    settle(grantId, liveUntil) {
      return ctx.run(
        () =>
          ctx.prepare("UPDATE rate_grants SET expires_at = ? WHERE id = ?").run(liveUntil, grantId).changes >
          0,
      );
    },
    reconcile(input) {
      return ctx.write(() => {
        const { resource, now } = input;
        lockRow(resource, input.day);
        let added = 0;
        if (input.windowUsed !== null) {
          const missing = input.windowUsed - liveCount(resource, now);
          for (; added < missing; added++) addGrant(resource, now + input.intervalMs);
        }
        if (input.dailyUsed !== null) {
          ctx
            .prepare("UPDATE rate_budgets SET day_used = ? WHERE resource = ? AND day_used < ?")
            .run(input.dailyUsed, resource, input.dailyUsed);
        }
        return { added };
      });
    },
    block(resource, until) {
      return ctx.write(() => {
        ctx
          .prepare(
            `INSERT INTO rate_budgets (resource, blocked_until, day, day_used) VALUES (?, ?, '', 0)
             ON CONFLICT (resource) DO UPDATE SET blocked_until = excluded.blocked_until
             WHERE rate_budgets.blocked_until < excluded.blocked_until`,
          )
          .run(resource, until);
      });
    },
    usage(resource, now) {
      return ctx.run(() => {
        const row = ctx.prepare("SELECT day, day_used FROM rate_budgets WHERE resource = ?").get(resource) as
          | Row
          | undefined;
        return {
          live: liveCount(resource, now),
          usedToday: row ? num(row.day_used) : 0,
          day: row ? (row.day as string) : null,
        };
      });
    },
  };
}
