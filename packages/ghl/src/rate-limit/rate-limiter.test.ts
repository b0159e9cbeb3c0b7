import { describe, expect, it } from "vitest";
import { createSteppingClock } from "../test-support/fake-clock.js";
import { parseRateLimitHeaders, parseRetryAfter } from "./rate-limit-headers.js";
import { createRateLimiter, type RateLimitWaitEvent } from "./rate-limiter.js";

const none = { max: null, remaining: null, intervalMs: null, dailyLimit: null, dailyRemaining: null };

describe("rate limiter", () => {
  it("starts at 100 requests / 10 s per location and waits for the window to roll", async () => {
    const clock = createSteppingClock();
    const waits: RateLimitWaitEvent[] = [];
    const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep, onWait: (w) => waits.push(w) });
    const t0 = clock.now();
    for (let i = 0; i < 100; i++) {
      const r = await limiter.acquire("loc_a");
      expect(r).toEqual({ ok: true, waitedMs: 0 });
    }
    expect(clock.now()).toBe(t0);
    // Another location has its own bucket.
    expect(await limiter.acquire("loc_b")).toEqual({ ok: true, waitedMs: 0 });
    const r = await limiter.acquire("loc_a");
    expect(r.ok && r.waitedMs).toBe(10_000);
    expect(clock.now() - t0).toBe(10_000);
    expect(waits).toEqual([{ key: "loc_a", priority: "realtime", waitMs: 10_000, reason: "window" }]);
    expect(limiter.stats()).toMatchObject({ granted: 102, waits: 1, waitedMs: 10_000 });
  });

  it("never grants more than max in any sliding window", async () => {
    const clock = createSteppingClock();
    const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep, max: 10, intervalMs: 1000 });
    const grants: number[] = [];
    for (let i = 0; i < 55; i++) {
      await limiter.acquire("l");
      grants.push(clock.now());
      clock.advance(37);
    }
    for (let i = 0; i < grants.length; i++) {
      const inWindow = grants.filter((g) => g > (grants[i] as number) - 1000 && g <= (grants[i] as number));
      expect(inWindow.length).toBeLessThanOrEqual(10);
    }
  });

  it("keeps a reserved share for realtime: background waits, realtime still goes", async () => {
    const clock = createSteppingClock();
    const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep, realtimeReservedShare: 0.2 });
    for (let i = 0; i < 80; i++) await limiter.acquire("l", { priority: "background" });
    const t = clock.now();
    // Realtime has the remaining 20 right away.
    for (let i = 0; i < 20; i++)
      expect(await limiter.acquire("l", { priority: "realtime" })).toEqual({ ok: true, waitedMs: 0 });
    expect(clock.now()).toBe(t);
    const bg = await limiter.acquire("l", { priority: "background" });
    expect(bg.ok && bg.waitedMs).toBeGreaterThan(0);
  });

  it("follows X-RateLimit-Max / Interval and the server's Remaining", async () => {
    const clock = createSteppingClock();
    const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep });
    await limiter.acquire("l");
    limiter.update("l", { ...none, max: 5, intervalMs: 2000, remaining: 0 });
    limiter.release("l");
    const r = await limiter.acquire("l");
    // The server said 0 left: wait until its window has rolled.
    expect(r.ok && r.waitedMs).toBe(2000);
  });

  // Drives `ours` background requests 100 ms apart, each answered 5 ms later with what GHL would report
  // if `foreign` requests we did not send were already in its window.
  async function fillWindow(ours: number, foreign: number) {
    const clock = createSteppingClock();
    const waits: RateLimitWaitEvent[] = [];
    const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep, onWait: (w) => waits.push(w) });
    const t0 = clock.now();
    for (let i = 0; i < ours; i++) {
      expect(await limiter.acquire("l", { priority: "background" })).toEqual({ ok: true, waitedMs: 0 });
      clock.advance(5);
      limiter.update("l", { ...none, max: 100, intervalMs: 10_000, remaining: 100 - foreign - (i + 1) });
      limiter.release("l");
      clock.advance(95);
    }
    const r = await limiter.acquire("l", { priority: "background" });
    return { r, t0, clock, waits };
  }

  it("dates GHL's window from our oldest request when every counted request is ours", async () => {
    // 80 of ours: remaining 20 = the reserve. The last answer came at t0+7905; waiting a full interval
    // from it (t0+17905) wastes most of a window. GHL's window began when it received our first request
    // (sent t0, answered t0+5), so it ends by t0+10005.
    const { r, t0, clock, waits } = await fillWindow(80, 0);
    expect(r.ok).toBe(true);
    expect(clock.now() - t0).toBe(10_005);
    expect(waits.map((w) => w.reason)).toContain("server-remaining");
  });

  it("stays conservative when GHL counts requests we did not send", async () => {
    // 10 foreign requests (another process, an earlier run): after 70 of ours remaining is 20. Their
    // times are unknown, so we wait a full interval from the last answer (t0+6905).
    const { r, t0, clock } = await fillWindow(70, 10);
    expect(r.ok).toBe(true);
    expect(clock.now() - t0).toBe(16_905);
  });

  it("blocks a location for Retry-After after a 429", async () => {
    const clock = createSteppingClock();
    const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep });
    await limiter.acquire("l");
    limiter.update("l", none, 3000);
    limiter.release("l");
    const r = await limiter.acquire("l");
    expect(r.ok && r.waitedMs).toBe(3000);
  });

  it("stops background work near the daily limit and rejects everything at zero", async () => {
    const clock = createSteppingClock();
    const limiter = createRateLimiter({
      now: clock.now,
      sleep: clock.sleep,
      dailyRealtimeReservedShare: 0.05,
    });
    await limiter.acquire("l");
    limiter.update("l", { ...none, dailyLimit: 200_000, dailyRemaining: 9_000 });
    const bg = await limiter.acquire("l", { priority: "background" });
    expect(bg.ok).toBe(false);
    if (!bg.ok) expect(bg.retryAfterMs).toBeGreaterThan(0);
    expect((await limiter.acquire("l", { priority: "realtime" })).ok).toBe(true);
    limiter.update("l", { ...none, dailyRemaining: 0 });
    expect((await limiter.acquire("l", { priority: "realtime" })).ok).toBe(false);
    expect(limiter.stats().dailyRejections).toBe(2);
  });

  it("rejects bad configuration with a clear error", () => {
    expect(() => createRateLimiter({ realtimeReservedShare: 1.5 })).toThrow(/realtimeReservedShare/);
    expect(() => createRateLimiter({ max: 0 })).toThrow(/max/);
  });
});

describe("rate-limit headers", () => {
  it("parses X-RateLimit-* and Retry-After", () => {
    const h = new Headers({
      "X-RateLimit-Max": "100",
      "X-RateLimit-Remaining": "7",
      "X-RateLimit-Interval-Milliseconds": "10000",
      "X-RateLimit-Limit-Daily": "200000",
      "X-RateLimit-Daily-Remaining": "199000",
      "Retry-After": "2",
    });
    expect(parseRateLimitHeaders(h)).toEqual({
      max: 100,
      remaining: 7,
      intervalMs: 10_000,
      dailyLimit: 200_000,
      dailyRemaining: 199_000,
    });
    expect(parseRetryAfter(h, 0)).toBe(2000);
    const date = new Headers({ "Retry-After": new Date(5000).toUTCString() });
    expect(parseRetryAfter(date, 1000)).toBe(4000);
    expect(parseRetryAfter(new Headers({ "Retry-After": "soon" }), 0)).toBeNull();
    expect(parseRateLimitHeaders(new Headers({ "X-RateLimit-Max": "abc" })).max).toBeNull();
  });
});
