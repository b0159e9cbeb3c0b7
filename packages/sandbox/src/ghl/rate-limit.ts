/**
 * GHL's per-resource request budget: a burst window (100 requests / 10 s) and a daily budget
 * (200,000 / day), counted in sandbox time. Headers go on every authenticated answer.
 */
export interface RateLimitConfig {
  burstMax: number;
  burstIntervalMs: number;
  dailyMax: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  burstMax: 100,
  burstIntervalMs: 10_000,
  dailyMax: 200_000,
};

interface Bucket {
  burstStart: number;
  burstCount: number;
  dayStart: number;
  dayCount: number;
}

export function createRateLimiter(config: RateLimitConfig, now: () => number) {
  const buckets = new Map<string, Bucket>();
  const DAY = 24 * 3600 * 1000;
  const bucketFor = (resource: string): Bucket => {
    const t = now();
    let b = buckets.get(resource);
    if (!b) {
      b = { burstStart: t, burstCount: 0, dayStart: t, dayCount: 0 };
      buckets.set(resource, b);
    }
    if (t - b.burstStart >= config.burstIntervalMs) {
      b.burstStart = t;
      b.burstCount = 0;
    }
    if (t - b.dayStart >= DAY) {
      b.dayStart = t;
      b.dayCount = 0;
    }
    return b;
  };
  const headers = (b: Bucket): Record<string, string> => ({
    "x-ratelimit-max": String(config.burstMax),
    "x-ratelimit-remaining": String(Math.max(0, config.burstMax - b.burstCount)),
    "x-ratelimit-interval-milliseconds": String(config.burstIntervalMs),
    "x-ratelimit-limit-daily": String(config.dailyMax),
    "x-ratelimit-daily-remaining": String(Math.max(0, config.dailyMax - b.dayCount)),
  });
  return {
    /** Count one request; `allowed: false` means answer 429 (the request is not counted). */
    take(resource: string): { allowed: boolean; headers: Record<string, string> } {
      const b = bucketFor(resource);
      if (b.burstCount >= config.burstMax || b.dayCount >= config.dailyMax) {
        return { allowed: false, headers: headers(b) };
      }
      b.burstCount++;
      b.dayCount++;
      return { allowed: true, headers: headers(b) };
    },
    peek(resource: string): Record<string, string> {
      return headers(bucketFor(resource));
    },
    clear(): void {
      buckets.clear();
    },
  };
}
