// The job runner: leases jobs from the store's outbox and dispatches them through a typed registry.
// - global and per-location concurrency (the GHL rate limit is per location),
// - retries with exponential backoff + jitter, honouring the error's `retryable` / `retryAfterMs`,
// - dead-letter after `maxAttempts` (or at once for a non-retryable error), keeping the last error,
// - leases are extended while a job runs or waits for its location's slot,
// - stop(): claims nothing more, releases jobs still waiting, lets running jobs finish within a bounded
//   wait, then aborts and releases the rest (their late results are ignored: the lease is no longer ours).
import type { Logger } from "./logger.js";
import type { WorkerMetrics } from "./metrics.js";
import type {
  ClaimedJob,
  JobContext,
  JobDefinition,
  JobError,
  JobOutcome,
  JobQueue,
  JobRegistry,
} from "./ports.js";

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export interface JobRunnerOptions<Catalog extends Record<string, unknown>> {
  readonly queue: JobQueue;
  readonly registry: JobRegistry<Catalog>;
  readonly workerId: string;
  readonly concurrency: number;
  readonly perLocationConcurrency: number;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  /** claimed jobs that may wait locally for their location's slot (default concurrency * 32) */
  readonly maxBuffered?: number;
  /** locations to claim for one by one when the local buffer is full (configured + installed ones) */
  readonly locations?: () => Promise<readonly string[]>;
  /** how often to look for due jobs when idle */
  readonly pollIntervalMs?: number;
  readonly backoff?: BackoffOptions;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly logger: Logger;
  readonly metrics?: WorkerMetrics;
}

export interface StopResult {
  /** running jobs that finished during the grace period */
  readonly finished: number;
  /** claimed jobs handed back to the queue (waiting ones, and running ones past the grace period) */
  readonly released: number;
}

export interface JobRunner {
  start(): void;
  /** Resolves when nothing is running or waiting. */
  whenIdle(): Promise<void>;
  stop(options: { timeoutMs: number }): Promise<StopResult>;
  stats(): { running: number; waiting: number; runningByLocation: Record<string, number> };
}

/** The embedded runner: it claims from the store's outbox, and can be asked to claim right now. */
export interface OutboxJobRunner extends JobRunner {
  /** Claims and starts what it can right now; resolves with how many jobs were claimed. */
  pollOnce(): Promise<number>;
}

/** What to do with a finished attempt. */
export type AttemptDecision =
  | { readonly kind: "complete" }
  | { readonly kind: "retry"; readonly retryAt: number; readonly error: string }
  | { readonly kind: "dead"; readonly error: string };

/** Writes an attempt's decision to the queue, fenced by the lease owner; throws if the write fails. */
export async function recordDecision(
  queue: Pick<JobQueue, "complete" | "fail" | "deadLetter">,
  job: ClaimedJob,
  decision: AttemptDecision,
  options: { workerId: string; logger: Logger },
): Promise<void> {
  const { workerId, logger } = options;
  switch (decision.kind) {
    case "complete":
      await queue.complete(job.id, { workerId });
      return;
    case "retry":
      logger.warn(
        { jobId: job.id, job: job.name, attempt: job.attempts, retryAt: decision.retryAt },
        "job failed, will retry",
      );
      await queue.fail(job.id, { error: decision.error, retryAt: decision.retryAt, workerId });
      return;
    case "dead":
      logger.error({ jobId: job.id, job: job.name, attempt: job.attempts }, "job dead-lettered");
      await queue.deadLetter(job.id, decision.error, { workerId });
      return;
    default: {
      const unreachable: never = decision;
      throw new Error(`unhandled decision ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Exponential backoff with equal jitter: half the delay is fixed, half random. `attempt` starts at 1. */
export function backoffDelay(attempt: number, backoff: BackoffOptions, random: () => number): number {
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

export function formatJobError(error: JobError): string {
  return JSON.stringify({
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    vendor: error.vendor,
  });
}

/** Pure decision for an attempt's outcome. */
export function decideAttempt(
  outcome: JobOutcome,
  attempt: number,
  options: { maxAttempts: number; now: number; backoff: BackoffOptions; random: () => number },
): AttemptDecision {
  if (outcome.ok) return { kind: "complete" };
  const error = formatJobError(outcome.error);
  if (!outcome.error.retryable) return { kind: "dead", error };
  if (attempt >= options.maxAttempts) return { kind: "dead", error };
  const backoff = backoffDelay(attempt, options.backoff, options.random);
  const hinted = outcome.error.retryAfterMs;
  const delay =
    hinted !== undefined && hinted > 0
      ? Math.max(hinted + Math.round(hinted * 0.1 * options.random()), backoff / 4)
      : backoff;
  return { kind: "retry", retryAt: options.now + Math.round(delay), error };
}

export type JobRegistryLike = Record<string, JobDefinition<unknown> | undefined>;

/**
 * Runs one attempt of a job through its registry entry: an unknown name or a payload that fails the job's
 * schema is a non-retryable error; a throw is a retryable "exception" (bounded by maxAttempts).
 */
export async function runJobHandler(
  registry: JobRegistryLike,
  job: ClaimedJob,
  options: { workerId: string; maxAttempts: number; signal: AbortSignal },
): Promise<JobOutcome> {
  const def = Object.hasOwn(registry, job.name) ? registry[job.name] : undefined;
  if (def === undefined) {
    return {
      ok: false,
      error: { code: "unknown_job", message: `no handler for job "${job.name}"`, retryable: false },
    };
  }
  const parsed = def.schema.safeParse(job.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join(".") || "payload";
    return {
      ok: false,
      error: {
        code: "invalid_payload",
        message: `${job.name}: ${where}: ${issue?.message ?? "invalid"}`,
        retryable: false,
      },
    };
  }
  const context: JobContext = {
    jobId: job.id,
    attempt: job.attempts,
    locationId: job.locationId,
    finalAttempt: job.attempts >= options.maxAttempts,
    workerId: options.workerId,
    signal: options.signal,
  };
  try {
    return await def.handler(parsed.data, context);
  } catch (e) {
    // A throw is a bug or an unexpected infrastructure fault; retry it, bounded by maxAttempts.
    return {
      ok: false,
      error: { code: "exception", message: (e as Error)?.message ?? String(e), retryable: true },
    };
  }
}

interface Held {
  readonly job: ClaimedJob;
  readonly controller: AbortController;
  /** set when the lease is given up (released on shutdown or lost): results are then ignored */
  abandoned: boolean;
  done?: Promise<void>;
}

const NO_LOCATION = "";

export function createJobRunner<Catalog extends Record<string, unknown>>(
  options: JobRunnerOptions<Catalog>,
): OutboxJobRunner {
  const { queue, workerId, logger, metrics } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 15 * 60_000 };
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const maxWaiting = options.maxBuffered ?? options.concurrency * 32;
  const registry = options.registry as JobRegistryLike;

  const running = new Map<number, Held>();
  const waiting = new Map<string, Held[]>(); // location -> FIFO
  const runningByLocation = new Map<string, number>();
  const knownLocations = new Set<string>();
  let started = false;
  let stopping = false;
  let pollTimer: NodeJS.Timeout | null = null;
  let leaseTimer: NodeJS.Timeout | null = null;
  let pumping: Promise<number> | null = null;
  let pumpAgain = false;
  let idleWaiters: Array<() => void> = [];

  const locKey = (job: ClaimedJob) => job.locationId ?? NO_LOCATION;
  const waitingCount = () => {
    let n = 0;
    for (const list of waiting.values()) n += list.length;
    return n;
  };
  const locationHasRoom = (loc: string) =>
    loc === NO_LOCATION || (runningByLocation.get(loc) ?? 0) < options.perLocationConcurrency;

  function notifyIdle() {
    if (running.size === 0 && waitingCount() === 0) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  }

  function admit(job: ClaimedJob) {
    const held: Held = { job, controller: new AbortController(), abandoned: false };
    const loc = locKey(job);
    if (loc !== NO_LOCATION) knownLocations.add(loc);
    const list = waiting.get(loc) ?? [];
    list.push(held);
    waiting.set(loc, list);
  }

  function startWaiting() {
    for (const [loc, list] of waiting) {
      while (list.length > 0 && running.size < options.concurrency && locationHasRoom(loc)) {
        const held = list.shift() as Held;
        running.set(held.job.id, held);
        runningByLocation.set(loc, (runningByLocation.get(loc) ?? 0) + 1);
        held.done = execute(held).finally(() => {
          running.delete(held.job.id);
          runningByLocation.set(loc, (runningByLocation.get(loc) ?? 1) - 1);
          if (!stopping) {
            startWaiting();
            schedulePump(0);
          }
          notifyIdle();
        });
      }
      if (list.length === 0) waiting.delete(loc);
    }
  }

  async function claimBatch(): Promise<ClaimedJob[]> {
    const free = options.concurrency - running.size;
    if (free <= 0) return [];
    const saturated = [...knownLocations].filter(
      (loc) => !locationHasRoom(loc) || (waiting.get(loc)?.length ?? 0) > 0,
    );
    if (waitingCount() < maxWaiting) {
      const claimed = await queue.claim({
        workerId,
        limit: free,
        leaseMs: options.leaseMs,
        now: now(),
        maxRunningPerLocation: options.perLocationConcurrency,
        ...(saturated.length > 0 ? { excludeLocationIds: saturated } : {}),
      });
      return [...claimed];
    }
    // The local buffer is full of jobs for saturated locations: claim only for locations with room,
    // so one busy location cannot starve the others.
    if (options.locations) {
      try {
        for (const loc of await options.locations()) knownLocations.add(loc);
      } catch (e) {
        logger.warn({ err: e }, "listing locations failed");
      }
    }
    const out: ClaimedJob[] = [];
    for (const loc of knownLocations) {
      const room = options.perLocationConcurrency - (runningByLocation.get(loc) ?? 0);
      if (room <= 0 || (waiting.get(loc)?.length ?? 0) > 0) continue;
      const limit = Math.min(room, options.concurrency - running.size - out.length);
      if (limit <= 0) break;
      out.push(
        ...(await queue.claim({
          workerId,
          limit,
          leaseMs: options.leaseMs,
          now: now(),
          locationId: loc,
          maxRunningPerLocation: options.perLocationConcurrency,
        })),
      );
    }
    return out;
  }

  async function pump(): Promise<number> {
    let total = 0;
    for (;;) {
      if (stopping) return total;
      let claimed: ClaimedJob[];
      try {
        claimed = await claimBatch();
      } catch (e) {
        logger.error({ err: e }, "job claim failed");
        return total;
      }
      if (stopping) {
        // claimed while stop() began: hand them straight back
        for (const job of claimed) await safeRelease(job);
        return total;
      }
      for (const job of claimed) admit(job);
      startWaiting();
      total += claimed.length;
      if (claimed.length === 0 || running.size >= options.concurrency) return total;
    }
  }

  function runPump(): Promise<number> {
    if (pumping) {
      pumpAgain = true;
      return pumping;
    }
    pumping = pump().finally(() => {
      pumping = null;
      notifyIdle();
      if (pumpAgain && !stopping) {
        pumpAgain = false;
        schedulePump(0);
      }
    });
    return pumping;
  }

  function schedulePump(delayMs: number) {
    if (!started || stopping) return;
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = setTimeout(() => {
      pollTimer = null;
      void runPump().then(() => schedulePump(pollIntervalMs));
    }, delayMs);
    pollTimer.unref?.();
  }

  async function safeRelease(job: ClaimedJob): Promise<boolean> {
    try {
      const ok = await queue.release(job.id, { workerId });
      metrics?.jobsTotal.inc({ job: job.name, outcome: "released" });
      return ok;
    } catch (e) {
      logger.error({ err: e, jobId: job.id }, "job release failed (the lease will expire)");
      return false;
    }
  }

  function runHandler(held: Held): Promise<JobOutcome> {
    return runJobHandler(registry, held.job, {
      workerId,
      maxAttempts: options.maxAttempts,
      signal: held.controller.signal,
    });
  }

  async function execute(held: Held): Promise<void> {
    const { job } = held;
    const startedAt = performance.now();
    const outcome = await runHandler(held);
    const seconds = (performance.now() - startedAt) / 1000;
    if (!outcome.ok && outcome.error.vendor !== undefined) {
      metrics?.vendorErrors.inc({ vendor: outcome.error.vendor, code: outcome.error.code });
    }
    if (held.abandoned) {
      logger.warn(
        { jobId: job.id, job: job.name },
        "job finished after its lease was given up; result ignored",
      );
      return;
    }
    const decision = decideAttempt(outcome, job.attempts, {
      maxAttempts: options.maxAttempts,
      now: now(),
      backoff,
      random,
    });
    metrics?.jobLatencySeconds.observe({ job: job.name, outcome: decision.kind }, seconds);
    metrics?.jobsTotal.inc({ job: job.name, outcome: decision.kind });
    try {
      await recordDecision(queue, job, decision, { workerId, logger });
    } catch (e) {
      // The store write failed: the lease expires and the job runs again (handlers are idempotent).
      logger.error({ err: e, jobId: job.id }, "recording the job result failed");
    }
  }

  async function extendLeases() {
    const held = [...running.values(), ...[...waiting.values()].flat()];
    for (const h of held) {
      if (h.abandoned) continue;
      try {
        const ok = await queue.extendLease(h.job.id, workerId, options.leaseMs);
        if (!ok) {
          h.abandoned = true;
          h.controller.abort();
          for (const [loc, list] of waiting) {
            const i = list.indexOf(h);
            if (i >= 0) list.splice(i, 1);
            if (list.length === 0) waiting.delete(loc);
          }
          logger.warn({ jobId: h.job.id }, "job lease lost");
        }
      } catch (e) {
        logger.error({ err: e, jobId: h.job.id }, "extending a job lease failed");
      }
    }
    notifyIdle();
  }

  return {
    start() {
      if (started) return;
      started = true;
      leaseTimer = setInterval(() => void extendLeases(), Math.max(1_000, Math.floor(options.leaseMs / 3)));
      leaseTimer.unref?.();
      schedulePump(0);
    },

    pollOnce() {
      return runPump();
    },

    whenIdle() {
      if (running.size === 0 && waitingCount() === 0 && pumping === null) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },

    async stop({ timeoutMs }) {
      stopping = true;
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = null;
      if (pumping) await pumping.catch(() => 0);
      let released = 0;
      const queued = [...waiting.values()].flat();
      waiting.clear();
      for (const h of queued) {
        h.abandoned = true;
        if (await safeRelease(h.job)) released++;
      }
      const inFlight = [...running.values()];
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      await Promise.race([Promise.all(inFlight.map((h) => h.done)), timedOut]);
      clearTimeout(timer);
      let finished = 0;
      for (const h of inFlight) {
        if (!running.has(h.job.id)) {
          finished++;
          continue;
        }
        h.abandoned = true;
        h.controller.abort();
        if (await safeRelease(h.job)) released++;
      }
      if (leaseTimer) clearInterval(leaseTimer);
      leaseTimer = null;
      notifyIdle();
      return { finished, released };
    },

    stats() {
      return {
        running: running.size,
        waiting: waitingCount(),
        runningByLocation: Object.fromEntries(runningByLocation),
      };
    },
  };
}
