import type { GhlRateLimitInfo } from "../core/result.js";

function intHeader(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}

/** Reads HighLevel's X-RateLimit-* response headers. */
export function parseRateLimitHeaders(headers: Headers): GhlRateLimitInfo {
  return {
    max: intHeader(headers, "x-ratelimit-max"),
    remaining: intHeader(headers, "x-ratelimit-remaining"),
    intervalMs: intHeader(headers, "x-ratelimit-interval-milliseconds"),
    dailyLimit: intHeader(headers, "x-ratelimit-limit-daily"),
    dailyRemaining: intHeader(headers, "x-ratelimit-daily-remaining"),
  };
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(headers: Headers, now: number): number | null {
  const raw = headers.get("retry-after");
  if (raw === null || raw.trim() === "") return null;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
