// The job runner on PostgreSQL: graphile-worker (0.16) picks, locks and schedules the jobs; each job's
// task leases the store's ledger row and runs the same handler, with the same retry / dead-letter rules,
// as the embedded outbox runner (job-runner.ts). See packages/store/src/postgres/graphile-queue.ts.
//
// - New jobs reach a worker through graphile-worker's LISTEN/NOTIFY; retries and scheduled jobs by its poll.
// - Retries: the runner decides the time (backoff + jitter, or the vendor's Retry-After) and
//   `jobs.fail` re-adds the graphile job for that time in the same transaction as the ledger change.
// - Per-location concurrency is cluster-wide: `queueEngine.start` takes a seat under the location's lock,
//   or puts the job back until a seat frees (the job that frees it wakes the next one).
// - Crashes: a killed worker's graphile jobs stay locked (graphile-worker would wait 4 hours); every runner
//   unlocks, each `leaseMs / 2`, the graphile jobs whose ledger lease ran out (`unlockAbandoned`).
// - stop(): graphile-worker takes no new job; running jobs get `timeoutMs` to finish; the rest are aborted
//   and released (their ledger rows queued again, their attempt not counted).
import type { QueueEngine } from "@ghl-bulksms/store";
import type { Runner, Task, TaskList } from "graphile-worker";
import {
  decideAttempt,
  type JobRegistryLike,
  type JobRunner,
  type JobRunnerOptions,
  recordDecision,
  runJobHandler,
  type StopResult,
} from "./job-runner.js";
import type { ClaimedJob, JobQueue } from "./ports.js";

/** The outbox runner's options, less what only a claiming runner has; plus graphile-worker's engine. */
export type GraphileRunnerOptions<Catalog extends Record<string, unknown>> = Omit<
  JobRunnerOptions<Catalog>,
  "queue" | "locations" | "maxBuffered"
> & {
  /** `store.queueEngine` of a PostgreSQL store. */
  readonly engine: QueueEngine;
  /** `store.jobs`: records each attempt's result on the ledger. */
  readonly queue: Pick<JobQueue, "complete" | "fail" | "deadLetter" | "release" | "extendLease">;
};

interface Held {
  readonly job: ClaimedJob;
  readonly controller: AbortController;
  /** released by stop() or its lease lost: the result is not ours to record */
  abandoned: boolean;
  readonly settled: Promise<void>;
  readonly abandon: () => void;
}

/** A task that must stay in graphile-worker (it retries it later): the ledger row is not ours right now. */
class NotYetError extends Error {}

export function createGraphileJobRunner<Catalog extends Record<string, unknown>>(
  options: GraphileRunnerOptions<Catalog>,
): JobRunner {
  const { engine, queue, workerId, logger, metrics } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 15 * 60_000 };
  const registry = options.registry as JobRegistryLike;
  const running = new Map<number, Held>();
  const runningByLocation = new Map<string, number>();
  let graphile: Promise<Runner | null> | null = null;
  let stopping = false;
  let timers: NodeJS.Timeout[] = [];
  let idleWaiters: Array<() => void> = [];

  function notifyIdle() {
    if (running.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function whenIdle(): Promise<void> {
    if (running.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => idleWaiters.push(resolve));
  }

  function track(held: Held, delta: 1 | -1) {
    const loc = held.job.locationId;
    if (delta === 1) running.set(held.job.id, held);
    else running.delete(held.job.id);
    if (loc !== null) runningByLocation.set(loc, (runningByLocation.get(loc) ?? 0) + delta);
    if (delta === -1) notifyIdle();
  }

  async function record(held: Held): Promise<void> {
    const { job } = held;
    const startedAt = performance.now();
    const outcome = await Promise.race([
      runJobHandler(registry, job, {
        workerId,
        maxAttempts: options.maxAttempts,
        signal: held.controller.signal,
      }),
      held.settled.then(() => null),
    ]);
    if (outcome === null || held.abandoned) {
      logger.warn({ jobId: job.id, job: job.name }, "job released or its lease lost; result not recorded");
      return;
    }
    if (!outcome.ok && outcome.error.vendor !== undefined) {
      metrics?.vendorErrors.inc({ vendor: outcome.error.vendor, code: outcome.error.code });
    }
    const decision = decideAttempt(outcome, job.attempts, {
      maxAttempts: options.maxAttempts,
      now: now(),
      backoff,
      random,
    });
    metrics?.jobLatencySeconds.observe(
      { job: job.name, outcome: decision.kind },
      (performance.now() - startedAt) / 1000,
    );
    metrics?.jobsTotal.inc({ job: job.name, outcome: decision.kind });
    await recordDecision(queue, job, decision, { workerId, logger });
  }

  /** The one graphile task behind every job name: payload `{ id }` names the ledger row. */
  const task: Task = async (payload) => {
    const id = Number((payload as { id?: unknown } | null)?.id);
    if (!Number.isSafeInteger(id) || id <= 0) {
      logger.error({ payload: typeof payload }, "graphile job without a ledger id; dropped");
      return;
    }
    if (stopping) throw new NotYetError("worker stopping; the job runs on another worker or later");
    const started = await engine.start(id, {
      workerId,
      leaseMs: options.leaseMs,
      maxRunningPerLocation: options.perLocationConcurrency,
    });
    if (started.status === "finished" || started.status === "deferred") return;
    if (started.status === "held") {
      // another worker runs it under a live lease: keep this graphile job until the ledger row is settled
      throw new NotYetError(`job ${id} is running on another worker`);
    }
    let settle = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const held: Held = {
      job: started.job,
      controller: new AbortController(),
      abandoned: false,
      settled,
      abandon: () => {
        held.abandoned = true;
        held.controller.abort();
        settle();
      },
    };
    track(held, 1);
    try {
      await record(held);
    } catch (e) {
      // The result could not be written: graphile-worker keeps this job and runs it again after its
      // backoff; by then the ledger lease (no longer extended) has run out and the attempt is redone.
      logger.error({ err: e, jobId: id }, "recording the job result failed");
      throw e;
    } finally {
      track(held, -1);
    }
  };

  async function extendLeases() {
    for (const held of running.values()) {
      if (held.abandoned) continue;
      try {
        if (!(await queue.extendLease(held.job.id, workerId, options.leaseMs))) {
          logger.warn({ jobId: held.job.id }, "job lease lost");
          held.abandon();
        }
      } catch (e) {
        logger.error({ err: e, jobId: held.job.id }, "extending a job lease failed");
      }
    }
  }

  async function unlockAbandoned() {
    try {
      const n = await engine.unlockAbandoned({ olderThanMs: options.leaseMs });
      if (n > 0)
        logger.warn({ workers: n }, "unlocked the jobs of workers that stopped without finishing them");
    } catch (e) {
      logger.error({ err: e }, "unlocking abandoned jobs failed");
    }
  }

  async function startGraphile(): Promise<Runner | null> {
    const { run, Logger } = await import("graphile-worker");
    const taskList: TaskList = {};
    for (const name of Object.keys(options.registry)) taskList[name] = task;
    const graphileLogger = new Logger((scope) => (level, message, meta) => {
      // graphile-worker logs every job at info; ours are the job runner's own lines
      const fields = {
        component: "graphile-worker",
        ...(scope.workerId ? { graphileWorker: scope.workerId } : {}),
      };
      if (level === "error") {
        const err = (meta as { error?: unknown } | undefined)?.error;
        if (err instanceof NotYetError) logger.debug({ ...fields, reason: err.message }, "job postponed");
        else logger.error(fields, message);
      } else if (level === "warning") logger.warn(fields, message);
      else logger.debug(fields, message);
    });
    for (;;) {
      try {
        return await run({
          connectionString: engine.connectionString,
          schema: engine.schema,
          concurrency: options.concurrency,
          maxPoolSize: options.concurrency + 2,
          pollInterval: options.pollIntervalMs ?? 1_000,
          noHandleSignals: true,
          taskList,
          logger: graphileLogger,
        });
      } catch (e) {
        if (stopping) return null;
        logger.error({ err: e }, "graphile-worker did not start; retrying in 2 s");
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        if (stopping) return null;
      }
    }
  }

  return {
    start() {
      if (graphile) return;
      graphile = startGraphile();
      const beat = Math.max(1_000, Math.floor(options.leaseMs / 3));
      timers = [
        setInterval(() => void extendLeases(), beat),
        setInterval(() => void unlockAbandoned(), Math.max(1_000, Math.floor(options.leaseMs / 2))),
      ];
      for (const t of timers) t.unref?.();
      void unlockAbandoned();
    },

    whenIdle,

    async stop({ timeoutMs }): Promise<StopResult> {
      stopping = true;
      const runner = graphile ? await graphile : null;
      // graphile-worker takes no new job, then waits for the running tasks (released ones return at once)
      const graphileStopped = runner
        ?.stop()
        .catch((e: unknown) => logger.warn({ err: e }, "graphile-worker stop"));
      const inFlight = running.size;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        whenIdle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      let released = 0;
      for (const held of [...running.values()]) {
        held.abandon();
        try {
          if (await queue.release(held.job.id, { workerId })) released++;
          metrics?.jobsTotal.inc({ job: held.job.name, outcome: "released" });
        } catch (e) {
          logger.error({ err: e, jobId: held.job.id }, "job release failed (the lease will expire)");
        }
      }
      await graphileStopped;
      for (const t of timers) clearInterval(t);
      timers = [];
      return { finished: inFlight - released, released };
    },

    stats() {
      return { running: running.size, waiting: 0, runningByLocation: Object.fromEntries(runningByLocation) };
    },
  };
}
