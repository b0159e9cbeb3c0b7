import { describe, expect, it } from "vitest";
import { backoffDelay, resolveRetryOptions } from "./backoff.js";

describe("backoff", () => {
  it("uses full jitter under an exponential ceiling capped at maxDelayMs", () => {
    const max = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect(backoffDelay(1, max, null)).toBe(99);
    expect(backoffDelay(2, max, null)).toBe(199);
    expect(backoffDelay(3, max, null)).toBe(399);
    expect(backoffDelay(10, max, null)).toBe(999);
    const zero = resolveRetryOptions({ baseDelayMs: 100, random: () => 0 });
    expect(backoffDelay(5, zero, null)).toBe(0);
  });

  it("never waits less than Retry-After (itself capped)", () => {
    const o = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 5000, random: () => 0 });
    expect(backoffDelay(1, o, 2500)).toBe(2500);
    expect(backoffDelay(1, o, 60_000)).toBe(5000);
  });

  it("validates options", () => {
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => resolveRetryOptions({ baseDelayMs: 10, maxDelayMs: 5 })).toThrow(/baseDelayMs/);
  });
});
