// A fake clock for tests: virtual time runs `speed` times faster than real time, and `advance` jumps.
// sleep(ms) waits ms/speed real milliseconds, so concurrent sleepers behave like real timers.
export interface FakeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  advance(ms: number): void;
  /** Virtual ms slept in total (all callers). */
  slept(): number;
}

export function createFakeClock(options: { start?: number; speed?: number } = {}): FakeClock {
  const speed = options.speed ?? 1000;
  const realStart = performance.now();
  const start = options.start ?? Date.UTC(2026, 10, 25, 12, 0, 0);
  let offset = 0;
  let slept = 0;
  return {
    now: () => Math.floor(start + (performance.now() - realStart) * speed + offset),
    sleep(ms) {
      slept += ms;
      return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / speed)));
    },
    advance(ms) {
      offset += ms;
    },
    slept: () => slept,
  };
}

/** A clock that only moves when told to; sleep() advances it immediately (no real waiting). */
export function createSteppingClock(start = Date.UTC(2026, 10, 25, 12, 0, 0)): FakeClock {
  let t = start;
  let slept = 0;
  return {
    now: () => t,
    async sleep(ms) {
      slept += ms;
      t += Math.max(0, ms);
    },
    advance(ms) {
      t += ms;
    },
    slept: () => slept,
  };
}
