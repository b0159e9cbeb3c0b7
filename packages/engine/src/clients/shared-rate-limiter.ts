// The GHL rate limiter for several workers on one database: every grant is a row in the store's shared
// budget (`store.rateBudget`, a sliding log per location), so N workers together stay under GHL's
// 100 requests / 10 s and 200k / day per location, with the same real-time reserve as the in-process
// limiter (@ghl-bulksms/ghl `createRateLimiter`, still the faster choice for a single worker). The log is
// reconciled from the X-RateLimit-* headers (requests we did not log count too) and a 429 blocks the
// location for every worker. Within one process, one waiter per (location, priority) polls the store and
// the others queue behind it, so a full window costs one store query per freed slot, not one per waiter.
import type {
  AcquireResult,
  GhlPriority,
  GhlRateLimiter,
  GhlRateLimitInfo,
  RateLimiterStats,
  RateLimitWaitEvent,
} from "@ghl-bulksms/ghl";
import type { RateBudgetRepo } from "@ghl-bulksms/store";

export interface SharedRateLimiterOptions {
  readonly budget: RateBudgetRepo;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Requests per interval before GHL's headers are seen. Default 100. */
  readonly max?: number;
  /** Interval (ms) before GHL's headers are seen. Default 10 000. */
  readonly intervalMs?: number;
  /** Share of each window background calls may not use (kept for real-time traffic). Default 0.2. */
  readonly realtimeReservedShare?: number;
  /** Share of the daily limit background calls may not use. Default 0.05. */
  readonly dailyRealtimeReservedShare?: number;
  /**
   * How long a grant whose answer never came (a crashed worker) counts. Default 60 000 ms; keep it above
   * the GHL client's `timeoutMs` (default 30 s), or a slow request's grant could lapse while in flight.
   */
  readonly pendingTtlMs?: number;
  /** Longest single wait before asking the store again. Default 250 ms. */
  readonly maxPollMs?: number;
  readonly onWait?: (event: RateLimitWaitEvent) => void;
  /** A store write after an answer failed (the grant then simply expires later). */
  readonly onError?: (error: unknown) => void;
}

export interface SharedRateLimiter extends GhlRateLimiter {
  /** Resolves when the store writes started by `release` / `update` have finished (tests, shutdown). */
  settled(): Promise<void>;
}

interface KeyState {
  max: number;
  intervalMs: number;
  dailyLimit: number | null;
  /** The tail of each priority's local queue of waiters. */
  tails: Record<GhlPriority, Promise<void>>;
}

export function createSharedRateLimiter(options: SharedRateLimiterOptions): SharedRateLimiter {
  const { budget } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const share = options.realtimeReservedShare ?? 0.2;
  const dailyShare = options.dailyRealtimeReservedShare ?? 0.05;
  const pendingTtlMs = options.pendingTtlMs ?? 60_000;
  const maxPollMs = options.maxPollMs ?? 250;
  if (!(share >= 0 && share < 1))
    throw new RangeError(`realtimeReservedShare must be in [0, 1), got ${share}`);
  if (!(dailyShare >= 0 && dailyShare < 1))
    throw new RangeError(`dailyRealtimeReservedShare must be in [0, 1), got ${dailyShare}`);
  const states = new Map<string, KeyState>();
  const pending = new Set<Promise<unknown>>();
  const stats: RateLimiterStats = { granted: 0, waits: 0, waitedMs: 0, dailyRejections: 0 };

  const stateFor = (key: string): KeyState => {
    let s = states.get(key);
    if (!s) {
      s = {
        max: options.max ?? 100,
        intervalMs: options.intervalMs ?? 10_000,
        dailyLimit: null,
        tails: { realtime: Promise.resolve(), background: Promise.resolve() },
      };
      states.set(key, s);
    }
    return s;
  };

  const background = (work: Promise<unknown>): void => {
    const p = work.catch((error: unknown) => options.onError?.(error));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const reserveLoop = async (key: string, s: KeyState, priority: GhlPriority): Promise<AcquireResult> => {
    let waited = 0;
    for (;;) {
      const t = now();
      const reserve = priority === "realtime" ? 0 : Math.min(s.max - 1, Math.ceil(s.max * share));
      const dailyAllowed =
        s.dailyLimit === null
          ? null
          : priority === "realtime"
            ? s.dailyLimit
            : s.dailyLimit - Math.ceil(s.dailyLimit * dailyShare);
      const r = await budget.reserve({
        resource: key,
        now: t,
        allowed: s.max - reserve,
        pendingTtlMs,
        day: utcDay(t),
        dailyAllowed,
      });
      if (r.ok) {
        stats.granted++;
        return { ok: true, waitedMs: waited, ticket: r.grantId };
      }
      if (r.reason === "daily") {
        stats.dailyRejections++;
        return { ok: false, reason: "daily_limit_exhausted", retryAfterMs: msUntilNextUtcMidnight(t) };
      }
      const waitMs = Math.max(1, Math.min(maxPollMs, r.retryAt - t));
      stats.waits++;
      stats.waitedMs += waitMs;
      options.onWait?.({ key, priority, waitMs, reason: "window" });
      await sleep(waitMs);
      waited += waitMs;
    }
  };

  return {
    async acquire(key, acquireOptions = {}) {
      const priority = acquireOptions.priority ?? "realtime";
      const s = stateFor(key);
      // join this priority's local queue: only its head asks the store
      const before = s.tails[priority];
      let done!: () => void;
      const mine = new Promise<void>((resolve) => {
        done = resolve;
      });
      s.tails[priority] = before.then(() => mine);
      await before;
      try {
        return await reserveLoop(key, s, priority);
      } finally {
        done();
      }
    },
    release(key, ticket) {
      if (ticket === undefined) return;
      const s = stateFor(key);
      background(budget.settle(ticket, now() + s.intervalMs));
    },
    update(key, info: GhlRateLimitInfo, retryAfterMs) {
      const s = stateFor(key);
      const t = now();
      if (info.max !== null && info.max > 0) s.max = info.max;
      if (info.intervalMs !== null && info.intervalMs > 0) s.intervalMs = info.intervalMs;
      if (info.dailyLimit !== null && info.dailyLimit > 0) s.dailyLimit = info.dailyLimit;
      const windowUsed = info.remaining === null ? null : Math.max(0, s.max - info.remaining);
      const dailyUsed =
        info.dailyRemaining === null || s.dailyLimit === null
          ? null
          : Math.max(0, s.dailyLimit - info.dailyRemaining);
      if (windowUsed !== null || dailyUsed !== null) {
        background(
          budget.reconcile({
            resource: key,
            now: t,
            day: utcDay(t),
            intervalMs: s.intervalMs,
            windowUsed,
            dailyUsed,
          }),
        );
      }
      if (retryAfterMs !== undefined && retryAfterMs !== null && retryAfterMs > 0) {
        background(budget.block(key, t + retryAfterMs));
      }
    },
    stats() {
      return { ...stats };
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

function utcDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** HighLevel does not document when the daily budget resets; we assume midnight UTC [inferred]. */
function msUntilNextUtcMidnight(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - t;
}
