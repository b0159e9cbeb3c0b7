import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { StoreError } from "../errors.js";
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
    async withLock(name, fn, options = {}) {
      const ttlMs = options.ttlMs ?? 60_000;
      const waitMs = options.waitMs ?? 30_000;
      const owner = randomUUID();
      const deadline = Date.now() + waitMs;
      while (!(await tryAcquire(name, owner, ttlMs))) {
        if (Date.now() >= deadline) {
          throw new StoreError(
            "lock_timeout",
            `could not acquire lock ${JSON.stringify(name)} within ${waitMs} ms`,
          );
        }
        await sleep(20 + Math.floor(Math.random() * 30));
      }
      // Renew the lease while `fn` runs (every third of its life): a slow holder (a token refresh that
      // takes longer than ttlMs) must not see its lease expire under it and a second holder start the same
      // work (a second refresh would spend a single-use refresh token twice).
      const renew = setInterval(
        () => {
          tryAcquire(name, owner, ttlMs).catch(() => undefined);
        },
        Math.max(10, Math.floor(ttlMs / 3)),
      );
      renew.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        await release(name, owner);
      }
    },
  };
}
