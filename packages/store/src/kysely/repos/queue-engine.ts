/**
 * The store's half of running jobs on graphile-worker (PostgreSQL; see postgres/graphile-queue.ts): the
 * lease a graphile task takes on its ledger job, the cluster-wide seats per location, and the recovery of
 * graphile jobs locked by a worker that died.
 */
import { sql } from "kysely";
import { type JobDispatcher, SIMULATED_CLOCK_RECHECK_MS } from "../../postgres/graphile-queue.js";
import type { QueueEngine } from "../../types.js";
import { type KyselyContext, num } from "../context.js";
import { jobMapper } from "./jobs.js";

/**
 * A job graphile-worker hands over this little before its run time by the store's clock runs (the two
 * clocks of one deployment differ by milliseconds: the database's and the worker host's).
 */
const EARLY_TOLERANCE_MS = 1_000;

/** A job without a seat waits at most this long before it looks again (a freed seat wakes it sooner). */
const DEFAULT_SEAT_WAIT_MS = 5_000;

export function createQueueEngine(
  ctx: KyselyContext & { readonly queue: JobDispatcher },
  options: { connectionString: string },
): QueueEngine {
  const toJob = jobMapper(ctx);
  const gw = sql.raw(`"${ctx.queue.schema.replaceAll('"', '""')}"`);
  return {
    name: "graphile-worker",
    connectionString: options.connectionString,
    schema: ctx.queue.schema,

    start(id, { workerId, leaseMs, maxRunningPerLocation, seatWaitMs }) {
      if (!workerId) return Promise.reject(new TypeError("queueEngine.start: workerId is required"));
      if (!(leaseMs > 0)) return Promise.reject(new TypeError("queueEngine.start: leaseMs must be > 0"));
      return ctx.write(null, async (db) => {
        const now = ctx.now();
        const row = await db
          .selectFrom("jobs")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        if (!row || row.state === "done" || row.state === "dead") return { status: "finished" as const };
        if (row.state === "running" && num(row.lease_until) > now) return { status: "held" as const };
        if (row.state === "queued" && num(row.run_at) > now + EARLY_TOLERANCE_MS) {
          // due by graphile-worker's (the database's) clock, not yet by the store's: put it back
          await ctx.queue.dispatch(db, [
            {
              id,
              name: row.name,
              runAt: num(row.run_at),
              priority: num(row.priority),
              delayMs: SIMULATED_CLOCK_RECHECK_MS,
            },
          ]);
          return { status: "deferred" as const };
        }
        const locationId = row.location_id ?? null;
        if (locationId !== null && maxRunningPerLocation !== undefined) {
          // seats are counted under the location's lock, so two workers never take the last seat together
          await ctx.dialect.lockKey(db, `jobs:seats:${locationId}`);
          const { n } = await db
            .selectFrom("jobs")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("location_id", "=", locationId)
            .where("state", "=", "running")
            .where("lease_until", ">", now)
            .where("id", "!=", id)
            .executeTakeFirstOrThrow();
          if (num(n) >= maxRunningPerLocation) {
            const waitMs = seatWaitMs ?? DEFAULT_SEAT_WAIT_MS;
            // the ledger row stays due (a job whose worker died was running: it waits as queued, no attempt
            // counted); only graphile-worker's job waits, until a seat frees (wakeSeatWaiters) or waitMs
            await db
              .updateTable("jobs")
              .set({ state: "queued", lease_owner: null, lease_until: null, updated_at: now })
              .where("id", "=", id)
              .execute();
            await ctx.queue.dispatch(db, [
              {
                id,
                name: row.name,
                runAt: now + waitMs,
                priority: num(row.priority),
                seatWait: true,
                delayMs: waitMs,
              },
            ]);
            await ctx.queue.markSeatWaiter(db, locationId);
            return { status: "deferred" as const };
          }
        }
        const started = await db
          .updateTable("jobs")
          .set((eb) => ({
            state: "running",
            lease_owner: workerId,
            lease_until: now + leaseMs,
            attempts: eb("attempts", "+", 1),
            updated_at: now,
          }))
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { status: "started" as const, job: toJob(started) };
      });
    },

    unlockAbandoned({ olderThanMs }) {
      return ctx.run(async (db) => {
        const { rows } = await sql<{ worker: string }>`
          SELECT DISTINCT g.locked_by AS worker
          FROM ${gw}.jobs g
          LEFT JOIN jobs j ON g.key LIKE 'job:%' AND j.id = substring(g.key from 5)::bigint
          WHERE g.locked_by IS NOT NULL
            AND g.locked_at < now() - make_interval(secs => ${olderThanMs / 1000})
            AND NOT COALESCE(j.state = 'running' AND j.lease_until > ${ctx.now()}, false)`.execute(db);
        if (rows.length === 0) return 0;
        await sql`SELECT ${gw}.force_unlock_workers(${rows.map((r) => r.worker)}::text[])`.execute(db);
        return rows.length;
      });
    },
  };
}
