// The periodic-job scheduler: calls the engine's `schedule(now)` once at start and then every
// `intervalMs` (default one minute). The engine keys each periodic job by its time slot, so several
// workers (or a restarted one) calling it in the same slot enqueue nothing twice; this loop only has to
// call it often enough. Ticks never overlap (the next timer is armed after a tick finished), the timer is
// unref'd (it never keeps the process alive), and stop() waits for a running tick.
import type { Logger } from "./logger.js";

export interface SchedulerOptions {
  /** Enqueues the due periodic jobs for the time `now`; resolves with how many were new. */
  readonly tick: (now: number) => Promise<number>;
  readonly now: () => number;
  /** Default 60 000 ms. */
  readonly intervalMs?: number;
  readonly logger?: Pick<Logger, "debug" | "info" | "warn" | "error">;
  /** Called after every tick with its result (metrics). */
  readonly onTick?: (result: { enqueued: number } | { error: unknown }) => void;
  /** Injected timers (tests); default the global setTimeout/clearTimeout. */
  readonly timers?: {
    readonly setTimeout: (fn: () => void, ms: number) => unknown;
    readonly clearTimeout: (handle: unknown) => void;
  };
}

export interface Scheduler {
  /** Runs a first tick now and arms the timer. Idempotent. */
  start(): void;
  /** Runs one tick now (between timer ticks); resolves with how many jobs were new. */
  runNow(): Promise<number>;
  /** Disarms the timer and waits for a running tick. Idempotent. */
  stop(): Promise<void>;
  readonly running: boolean;
}

export const DEFAULT_SCHEDULE_INTERVAL_MS = 60_000;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const intervalMs = options.intervalMs ?? DEFAULT_SCHEDULE_INTERVAL_MS;
  if (!Number.isFinite(intervalMs) || intervalMs < 1)
    throw new RangeError(
      `scheduler: intervalMs must be a positive number of milliseconds, got ${intervalMs}`,
    );
  const timers = options.timers ?? {
    setTimeout: (fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      t.unref();
      return t;
    },
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  let started = false;
  let stopped = false;
  let handle: unknown = null;
  let inFlight: Promise<number> | null = null;

  async function tickOnce(): Promise<number> {
    try {
      const enqueued = await options.tick(options.now());
      if (enqueued > 0) options.logger?.info({ enqueued }, "periodic jobs enqueued");
      else options.logger?.debug({ enqueued }, "no periodic job due");
      options.onTick?.({ enqueued });
      return enqueued;
    } catch (error) {
      // a store hiccup must not kill the loop: the next tick tries again (slots are idempotent)
      options.logger?.error({ err: error }, "scheduling periodic jobs failed");
      options.onTick?.({ error });
      return 0;
    }
  }

  function runNow(): Promise<number> {
    // one tick at a time: a call during a running tick waits for it, then runs its own
    const previous = inFlight ?? Promise.resolve(0);
    const next = previous.then(tickOnce);
    inFlight = next;
    void next.finally(() => {
      if (inFlight === next) inFlight = null;
    });
    return next;
  }

  function arm(): void {
    if (stopped) return;
    handle = timers.setTimeout(() => {
      handle = null;
      void runNow().finally(arm);
    }, intervalMs);
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      void runNow().finally(arm);
    },
    runNow,
    async stop() {
      stopped = true;
      if (handle !== null) {
        timers.clearTimeout(handle);
        handle = null;
      }
      while (inFlight) await inFlight.catch(() => undefined);
    },
    get running() {
      return started && !stopped;
    },
  };
}
