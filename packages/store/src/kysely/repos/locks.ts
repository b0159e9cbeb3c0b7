import { withLease } from "../../lease-lock.js";
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
    withLock: withLease({ tryAcquire, release }),
  };
}
