import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { StoreError } from "../../errors.js";
import type { LocksRepo } from "../../types.js";
import { affected, type KyselyContext } from "../context.js";

/** Lease rows in `locks`, usable across processes sharing the database; expiry is judged by the store clock. */
export function createLocksRepo(ctx: KyselyContext): LocksRepo {
  const tryAcquire = (name: string, owner: string, ttlMs: number) =>
    ctx.run(async (db) => {
      const now = ctx.now();
      const result = await db
        .insertInto("locks")
        .values({ name, owner, expires_at: now + ttlMs })
        .onConflict((oc) =>
          oc
            .column("name")
            .doUpdateSet((eb) => ({
              owner: eb.ref("excluded.owner"),
              expires_at: eb.ref("excluded.expires_at"),
            }))
            .where((eb) =>
              eb.or([eb("locks.expires_at", "<=", now), eb("locks.owner", "=", eb.ref("excluded.owner"))]),
            ),
        )
        .executeTakeFirst();
      return affected(result) > 0;
    });
  const release = (name: string, owner: string) =>
    ctx.run(
      async (db) =>
        affected(
          await db.deleteFrom("locks").where("name", "=", name).where("owner", "=", owner).executeTakeFirst(),
        ) > 0,
    );
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
      // Renew the lease while `fn` runs (every third of its life), as the SQLite store does: a holder slower
      // than ttlMs (a token refresh) must not see its lease expire under it and a second holder start.
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
