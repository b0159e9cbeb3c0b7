import type { GhlError } from "./errors.js";

/** Rate-limit state HighLevel reported on a response (null when the header was absent). */
export interface GhlRateLimitInfo {
  max: number | null;
  remaining: number | null;
  intervalMs: number | null;
  dailyLimit: number | null;
  dailyRemaining: number | null;
}

export interface GhlResponseMeta {
  status: number;
  traceId: string | null;
  rateLimit: GhlRateLimitInfo;
  /** HTTP attempts made (1 = no retry). */
  attempts: number;
  /** Time spent waiting for the rate limiter and backoff, in ms. */
  waitedMs: number;
}

export type GhlResult<T> = { ok: true; data: T; meta: GhlResponseMeta } | { ok: false; error: GhlError };
