import type { DeadLettersRepo, Job, JobState, JobsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { fromJson, num, numOrNull, type Row, str, strOrNull, toJson } from "./json.js";

const JOB_STATES: JobState[] = ["queued", "running", "done", "dead"];

export function toJob(row: Row): Job {
  return {
    id: num(row.id),
    name: str(row.name),
    payload: fromJson(row.payload),
    key: str(row.key),
    locationId: strOrNull(row.location_id),
    priority: num(row.priority),
    state: str(row.state) as JobState,
    runAt: num(row.run_at),
    attempts: num(row.attempts),
    lastError: strOrNull(row.last_error),
    leaseOwner: strOrNull(row.lease_owner),
    leaseUntil: numOrNull(row.lease_until),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    finishedAt: numOrNull(row.finished_at),
  };
}

/** SQL fragment + params: "the lease is held by this worker" when a workerId is given. */
function owner(workerId: string | undefined): [string, unknown[]] {
  return workerId === undefined ? ["", []] : [" AND lease_owner = ?", [workerId]];
}

/**
 * The transactional outbox. Enqueue through `tx.jobs` to commit a job with the state change that causes
 * it. A claim leases jobs to a worker; a job whose lease expired (its worker crashed) is claimable again,
 * and every claim counts an attempt, so a job that keeps crashing its worker reaches the dead letters.
 */
function jobRow(ctx: SqlContext, id: number): Row | undefined {
  return ctx.prepare("SELECT * FROM jobs WHERE id = ?").get(id) as Row | undefined;
}

export function createJobsRepo(ctx: SqlContext): JobsRepo {
  return {
    enqueue(job) {
      return ctx.run(() => {
        if (!job.name || !job.key) throw new TypeError("jobs.enqueue: name and key are required");
        const now = ctx.now();
        const row = ctx
          .prepare(
            `INSERT INTO jobs (name, payload, key, location_id, priority, state, run_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`,
          )
          .get(
            job.name,
            toJson(job.payload) ?? "null",
            job.key,
            job.locationId ?? null,
            job.priority ?? 0,
            job.runAt ?? now,
            now,
            now,
          ) as Row | undefined;
        if (row) return { enqueued: true, id: num(row.id) };
        const existing = ctx.prepare("SELECT id FROM jobs WHERE key = ?").get(job.key) as Row;
        return { enqueued: false, existingId: num(existing.id) };
      });
    },
    get(id) {
      return ctx.run(() => {
        const row = jobRow(ctx, id);
        return row ? toJob(row) : null;
      });
    },
    getByKey(key) {
      return ctx.run(() => {
        const row = ctx.prepare("SELECT * FROM jobs WHERE key = ?").get(key) as Row | undefined;
        return row ? toJob(row) : null;
      });
    },
    claim(options) {
      return ctx.run(() => {
        if (!options.workerId) throw new TypeError("jobs.claim: workerId is required");
        if (!(options.leaseMs > 0)) throw new TypeError("jobs.claim: leaseMs must be > 0");
        const now = options.now ?? ctx.now();
        const where: string[] = [
          "((state = 'queued' AND run_at <= ?) OR (state = 'running' AND lease_until <= ?))",
        ];
        const params: unknown[] = [now, now];
        if (options.locationId !== undefined) {
          where.push("location_id = ?");
          params.push(options.locationId);
        }
        if (options.excludeLocationIds && options.excludeLocationIds.length > 0) {
          where.push(
            `(location_id IS NULL OR location_id NOT IN (${options.excludeLocationIds.map(() => "?").join(", ")}))`,
          );
          params.push(...options.excludeLocationIds);
        }
        if (options.names && options.names.length > 0) {
          where.push(`name IN (${options.names.map(() => "?").join(", ")})`);
          params.push(...options.names);
        }
        const cap = options.maxRunningPerLocation;
        const limit = Math.max(0, options.limit);
        if (cap !== undefined) {
          // locations at their cluster-wide limit are skipped in SQL; the loop below keeps this claim's own
          // jobs within it (over-fetch a little so a busy location's backlog does not hide the others)
          where.push(
            `(location_id IS NULL OR (SELECT COUNT(*) FROM jobs r WHERE r.location_id = jobs.location_id
               AND r.state = 'running' AND r.lease_until > ?) < ?)`,
          );
          params.push(now, cap);
        }
        return ctx.atomic(() => {
          const rows = ctx
            .prepare(
              `SELECT id, location_id FROM jobs WHERE ${where.join(" AND ")} ORDER BY priority DESC, run_at, id LIMIT ?`,
            )
            .all(...params, cap === undefined ? limit : limit * 4 + 16) as Row[];
          const lease = ctx.prepare(
            `UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
             WHERE id = ?`,
          );
          const runningAt = ctx.prepare(
            "SELECT COUNT(*) AS n FROM jobs WHERE location_id = ? AND state = 'running' AND lease_until > ?",
          );
          const jobs: Job[] = [];
          for (const row of rows) {
            if (jobs.length >= limit) break;
            if (cap !== undefined && row.location_id !== null) {
              const n = num((runningAt.get(row.location_id, now) as Row).n);
              if (n >= cap) continue;
            }
            lease.run(options.workerId, now + options.leaseMs, now, row.id);
            jobs.push(toJob(jobRow(ctx, num(row.id))!));
          }
          return jobs;
        });
      });
    },
    extendLease(id, workerId, leaseMs) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              "UPDATE jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
            )
            .run(ctx.now() + leaseMs, ctx.now(), id, workerId).changes > 0,
      );
    },
    complete(id, options = {}) {
      return ctx.run(() => {
        const [cond, extra] = owner(options.workerId);
        const now = ctx.now();
        return (
          ctx
            .prepare(
              `UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL, finished_at = ?, updated_at = ?
               WHERE id = ? AND state = 'running'${cond}`,
            )
            .run(now, now, id, ...extra).changes > 0
        );
      });
    },
    fail(id, options) {
      return ctx.run(() => {
        const [cond, extra] = owner(options.workerId);
        return (
          ctx
            .prepare(
              `UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL,
                 updated_at = ? WHERE id = ? AND state = 'running'${cond}`,
            )
            .run(options.retryAt, options.error, ctx.now(), id, ...extra).changes > 0
        );
      });
    },
    deadLetter(id, error, options = {}) {
      return ctx.run(() => {
        const [cond, extra] = owner(options.workerId);
        const now = ctx.now();
        return (
          ctx
            .prepare(
              `UPDATE jobs SET state = 'dead', last_error = ?, lease_owner = NULL, lease_until = NULL, finished_at = ?,
                 updated_at = ? WHERE id = ? AND state IN ('queued', 'running')${cond}`,
            )
            .run(error, now, now, id, ...extra).changes > 0
        );
      });
    },
    release(id, options = {}) {
      return ctx.run(() => {
        const [cond, extra] = owner(options.workerId);
        return (
          ctx
            .prepare(
              `UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0), lease_owner = NULL, lease_until = NULL,
                 updated_at = ? WHERE id = ? AND state = 'running'${cond}`,
            )
            .run(ctx.now(), id, ...extra).changes > 0
        );
      });
    },
    counts(options = {}) {
      return ctx.run(() => {
        const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
        const rows = (
          options.locationId !== undefined
            ? ctx
                .prepare("SELECT state, COUNT(*) AS n FROM jobs WHERE location_id = ? GROUP BY state")
                .all(options.locationId)
            : ctx.prepare("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").all()
        ) as Row[];
        for (const row of rows) counts[row.state as JobState] = num(row.n);
        return counts;
      });
    },
    countDue(now) {
      return ctx.run(() =>
        num(
          (
            ctx
              .prepare("SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued' AND run_at <= ?")
              .get(now) as Row
          ).n,
        ),
      );
    },
    runningByLocation() {
      return ctx.run(() => {
        const rows = ctx
          .prepare(
            "SELECT location_id, COUNT(*) AS n FROM jobs WHERE state = 'running' AND location_id IS NOT NULL GROUP BY location_id",
          )
          .all() as Row[];
        return Object.fromEntries(rows.map((row) => [str(row.location_id), num(row.n)]));
      });
    },
    purgeDone(before) {
      return ctx.run(
        () => ctx.prepare("DELETE FROM jobs WHERE state = 'done' AND finished_at < ?").run(before).changes,
      );
    },
    cancelForLocation(locationId, options) {
      return ctx.run(() => {
        if (!options?.reason) throw new TypeError("jobs.cancelForLocation: a reason is required");
        const now = ctx.now();
        const names = options.names;
        if (names !== undefined && names.length === 0) return 0;
        const nameCond = names ? ` AND name IN (${names.map(() => "?").join(", ")})` : "";
        return ctx
          .prepare(
            `UPDATE jobs SET state = 'done', last_error = ?, finished_at = ?, updated_at = ?
             WHERE location_id = ? AND state = 'queued'${nameCond}`,
          )
          .run(`cancelled: ${options.reason}`, now, now, locationId, ...(names ?? [])).changes;
      });
    },
  };
}

/** Dead letters are jobs in the `dead` state, kept with their last error and attempts. */
export function createDeadLettersRepo(ctx: SqlContext): DeadLettersRepo {
  return {
    list(options = {}) {
      return ctx.run(() => {
        const where = ["state = 'dead'"];
        const params: unknown[] = [];
        if (options.locationId !== undefined) {
          where.push("location_id = ?");
          params.push(options.locationId);
        }
        if (options.name !== undefined) {
          where.push("name = ?");
          params.push(options.name);
        }
        return (
          ctx
            .prepare(
              `SELECT * FROM jobs WHERE ${where.join(" AND ")} ORDER BY finished_at DESC, id DESC LIMIT ?`,
            )
            .all(...params, options.limit ?? 100) as Row[]
        ).map(toJob);
      });
    },
    replay(id, options = {}) {
      return ctx.run(() => {
        const now = ctx.now();
        return (
          ctx
            .prepare(
              `UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?, finished_at = NULL, updated_at = ?
               WHERE id = ? AND state = 'dead'`,
            )
            .run(options.runAt ?? now, now, id).changes > 0
        );
      });
    },
    purge(options) {
      return ctx.run(() => {
        if ("id" in options) {
          return ctx.prepare("DELETE FROM jobs WHERE id = ? AND state = 'dead'").run(options.id).changes;
        }
        const where = ["state = 'dead'"];
        const params: unknown[] = [];
        if (options.before !== undefined) {
          where.push("finished_at < ?");
          params.push(options.before);
        }
        if (options.locationId !== undefined) {
          where.push("location_id = ?");
          params.push(options.locationId);
        }
        return ctx.prepare(`DELETE FROM jobs WHERE ${where.join(" AND ")}`).run(...params).changes;
      });
    },
  };
}
