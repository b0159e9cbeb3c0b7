import { withLease } from "../lease-lock.js";
import type { LocksRepo } from "../types.js";
import type { SqlContext } from "./context.js";

/** Lease rows in `locks`; expiry is judged by the store clock. */
export function createLocksRepo(ctx: SqlContext): LocksRepo {
  const tryAcquire = (name: string, owner: string, ttlMs: number) =>
    ctx.run(() => {
      const now = ctx.now();
      return (
        ctx
          .prepare(
            `INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
             WHERE locks.expires_at <= ? OR locks.owner = excluded.owner`,
          )
          .run(name, owner, now + ttlMs, now).changes > 0
      );
    });
  const release = (name: string, owner: string) =>
    ctx.run(() => ctx.prepare("DELETE FROM locks WHERE name = ? AND owner = ?").run(name, owner).changes > 0);
  return {
    tryAcquire,
    release,
    withLock: withLease({ tryAcquire, release }),
  };
}
