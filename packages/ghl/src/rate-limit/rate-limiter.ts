import { type Now, type Sleep, systemNow, systemSleep } from "../core/clock.js";
import type { GhlRateLimitInfo } from "../core/result.js";

export type GhlPriority = "realtime" | "background";

export interface RateLimitWaitEvent {
  key: string;
  priority: GhlPriority;
  waitMs: number;
  reason: "window" | "server-remaining" | "retry-after";
}

export interface RateLimiterOptions {
  now?: Now;
  sleep?: Sleep;
  /** Requests per interval before HighLevel's headers are seen. Default 100 (GHL's documented burst). */
  max?: number;
  /** Interval in ms before HighLevel's headers are seen. Default 10 000. */
  intervalMs?: number;
  /**
   * Share of each burst window (0..1) that background calls may not use, so real-time traffic
   * (webhook-driven writes, delivery receipts) keeps its budget while reconciliation runs. Default 0.2.
   */
  realtimeReservedShare?: number;
  /** Same idea for the daily budget: background stops when this share of the daily limit is left. Default 0.05. */
  dailyRealtimeReservedShare?: number;
  /** Called every time a caller has to wait (for metrics). */
  onWait?: (event: RateLimitWaitEvent) => void;
}

export type AcquireResult =
  /** `ticket` (when the limiter gives one) goes back to `release`, so it knows which grant ended. */
  | { ok: true; waitedMs: number; ticket?: number }
  | { ok: false; reason: "daily_limit_exhausted"; retryAfterMs: number };

export interface RateLimiterStats {
  granted: number;
  waits: number;
  waitedMs: number;
  dailyRejections: number;
}

/** Per-resource (location or company) limiter that starts at 100/10 s and follows X-RateLimit-* headers. */
export interface GhlRateLimiter {
  acquire(key: string, options?: { priority?: GhlPriority }): Promise<AcquireResult>;
  /** Call once per granted acquire when its response (or failure) arrives, with the grant's ticket. */
  release(key: string, ticket?: number): void;
  /** Feed what the server reported; `retryAfterMs` (from a 429) blocks the key for that long. */
  update(key: string, info: GhlRateLimitInfo, retryAfterMs?: number | null): void;
  stats(): RateLimiterStats;
}

interface KeyState {
  max: number;
  intervalMs: number;
  starts: number[];
  serverRemaining: number | null;
  serverAt: number;
  /**
   * Until when the server's Remaining still binds us: the end of GHL's window, dated from the oldest of
   * our own requests that GHL can have counted in it (plus a round-trip bound), or — when the count shows
   * requests we did not send (other processes, earlier runs) — conservatively the last answer + interval.
   */
  serverValidUntil: number;
  grantsSinceServer: number;
  inflight: number;
  inflightAtServer: number;
  /** Send times of granted-but-unreleased requests, oldest first (released in order). */
  inflightStarts: number[];
  /** Largest observed upper bound of a round trip (answer time - oldest in-flight send time). */
  rttBound: number;
  blockedUntil: number;
  dailyLimit: number | null;
  dailyRemaining: number | null;
  grantsSinceDaily: number;
}

type Decision = { ok: true } | { ok: false; waitMs: number; reason: RateLimitWaitEvent["reason"] };

export function createRateLimiter(options: RateLimiterOptions = {}): GhlRateLimiter {
  const now = options.now ?? systemNow;
  const sleep = options.sleep ?? systemSleep;
  const defaultMax = options.max ?? 100;
  const defaultInterval = options.intervalMs ?? 10_000;
  const share = clampShare(options.realtimeReservedShare ?? 0.2, "realtimeReservedShare");
  const dailyShare = clampShare(options.dailyRealtimeReservedShare ?? 0.05, "dailyRealtimeReservedShare");
  if (!(defaultMax >= 1)) throw new Error(`rate limiter: max must be >= 1, got ${defaultMax}`);
  if (!(defaultInterval >= 1))
    throw new Error(`rate limiter: intervalMs must be >= 1, got ${defaultInterval}`);
  const states = new Map<string, KeyState>();
  const stats: RateLimiterStats = { granted: 0, waits: 0, waitedMs: 0, dailyRejections: 0 };

  const stateFor = (key: string): KeyState => {
    let s = states.get(key);
    if (!s) {
      s = {
        max: defaultMax,
        intervalMs: defaultInterval,
        starts: [],
        serverRemaining: null,
        serverAt: 0,
        serverValidUntil: 0,
        grantsSinceServer: 0,
        inflight: 0,
        inflightAtServer: 0,
        inflightStarts: [],
        rttBound: 0,
        blockedUntil: 0,
        dailyLimit: null,
        dailyRemaining: null,
        grantsSinceDaily: 0,
      };
      states.set(key, s);
    }
    return s;
  };

  const decide = (s: KeyState, priority: GhlPriority, t: number): Decision => {
    if (s.blockedUntil > t) return { ok: false, waitMs: s.blockedUntil - t, reason: "retry-after" };
    const windowStart = t - s.intervalMs;
    while (s.starts.length > 0 && (s.starts[0] as number) <= windowStart) s.starts.shift();
    const reserve = priority === "realtime" ? 0 : Math.min(s.max - 1, Math.ceil(s.max * share));
    const allowed = s.max - reserve; // grants this priority may have in one window
    if (s.starts.length >= allowed) {
      const mustExpire = s.starts.length - allowed; // index of the start that must leave the window
      const oldest = s.starts[mustExpire] as number;
      return { ok: false, waitMs: Math.max(1, oldest + s.intervalMs - t), reason: "window" };
    }
    if (s.serverRemaining !== null && t < s.serverValidUntil) {
      const serverAvailable = s.serverRemaining - s.grantsSinceServer - s.inflightAtServer;
      if (serverAvailable <= reserve) {
        return { ok: false, waitMs: Math.max(1, s.serverValidUntil - t), reason: "server-remaining" };
      }
    }
    return { ok: true };
  };

  const dailyExhausted = (s: KeyState, priority: GhlPriority): boolean => {
    if (s.dailyRemaining === null) return false;
    const left = s.dailyRemaining - s.grantsSinceDaily;
    const reserve =
      priority === "realtime" || s.dailyLimit === null ? 0 : Math.ceil(s.dailyLimit * dailyShare);
    return left <= reserve;
  };

  return {
    async acquire(key, acquireOptions = {}) {
      const priority = acquireOptions.priority ?? "realtime";
      const s = stateFor(key);
      let waited = 0;
      for (;;) {
        if (dailyExhausted(s, priority)) {
          stats.dailyRejections++;
          return { ok: false, reason: "daily_limit_exhausted", retryAfterMs: msUntilNextUtcMidnight(now()) };
        }
        const t = now();
        const decision = decide(s, priority, t);
        if (decision.ok) {
          s.starts.push(t);
          s.grantsSinceServer++;
          s.grantsSinceDaily++;
          s.inflight++;
          s.inflightStarts.push(t);
          stats.granted++;
          return { ok: true, waitedMs: waited };
        }
        stats.waits++;
        stats.waitedMs += decision.waitMs;
        options.onWait?.({ key, priority, waitMs: decision.waitMs, reason: decision.reason });
        await sleep(decision.waitMs);
        waited += decision.waitMs;
      }
    },
    release(key) {
      const s = states.get(key);
      if (s && s.inflight > 0) {
        s.inflight--;
        s.inflightStarts.shift();
      }
    },
    update(key, info, retryAfterMs) {
      const s = stateFor(key);
      const t = now();
      if (info.max !== null && info.max > 0) s.max = info.max;
      if (info.intervalMs !== null && info.intervalMs > 0) s.intervalMs = info.intervalMs;
      const oldestInflight = s.inflightStarts[0];
      if (oldestInflight !== undefined) s.rttBound = Math.max(s.rttBound, t - oldestInflight);
      if (info.remaining !== null) {
        s.serverRemaining = info.remaining;
        s.serverAt = t;
        s.grantsSinceServer = 0;
        s.inflightAtServer = Math.max(0, s.inflight - 1);
        s.serverValidUntil = serverWindowEnd(s, info.remaining, t);
      }
      if (info.dailyLimit !== null) s.dailyLimit = info.dailyLimit;
      if (info.dailyRemaining !== null) {
        s.dailyRemaining = info.dailyRemaining;
        s.grantsSinceDaily = 0;
      }
      if (retryAfterMs !== undefined && retryAfterMs !== null && retryAfterMs > 0) {
        s.blockedUntil = Math.max(s.blockedUntil, t + retryAfterMs);
      }
    },
    stats() {
      return { ...stats };
    },
  };
}

/**
 * When GHL's window (as reported at time t) ends at the latest. GHL does not say when its window started,
 * so by default we assume it started at this answer (t + interval). If every request GHL counts can be
 * ours — used <= our requests of the last interval that were already answered — the window cannot have
 * started after GHL received the used-th most recent of our requests, i.e. after its send time plus a
 * round-trip bound; the window ends one interval after that. More used than ours = foreign requests
 * (other processes, earlier runs) whose times we do not know: keep the conservative end.
 */
function serverWindowEnd(s: KeyState, remaining: number, t: number): number {
  const conservative = t + s.intervalMs;
  const windowStart = t - s.intervalMs;
  while (s.starts.length > 0 && (s.starts[0] as number) <= windowStart) s.starts.shift();
  const used = s.max - remaining;
  const answeredOwn = s.starts.length - s.inflightAtServer;
  if (used < 1 || used > answeredOwn) return conservative;
  const oldestCounted = s.starts[s.starts.length - used] as number;
  return Math.min(conservative, oldestCounted + s.rttBound + s.intervalMs);
}

function clampShare(value: number, name: string): number {
  if (!(value >= 0 && value < 1)) throw new Error(`rate limiter: ${name} must be in [0, 1), got ${value}`);
  return value;
}

/** HighLevel does not document when the daily budget resets; we assume midnight UTC [inferred]. */
function msUntilNextUtcMidnight(t: number): number {
  const d = new Date(t);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return next - t;
}
