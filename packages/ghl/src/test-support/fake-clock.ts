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

/**
 * Virtual time that only moves while nothing is on the wire: `sleep(ms)` parks the caller, and once no
 * request made through `fetch` is in flight, the clock jumps to the earliest sleeper and wakes it. Rate
 * windows and Retry-After waits are then exact whatever the machine's load (a loaded CI box delays
 * requests in real time, never in virtual time), and a 30 s test window costs no real time.
 */
export interface IdleClock extends FakeClock {
  /** Wraps a fetch so its requests (body included) hold virtual time still. */
  fetch: typeof fetch;
}

export function createIdleClock(start = Date.UTC(2026, 10, 25, 12, 0, 0)): IdleClock {
  let t = start;
  let slept = 0;
  let inflight = 0;
  let seq = 0;
  let scheduled = false;
  const sleepers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  const tick = (): void => {
    scheduled = false;
    if (inflight > 0 || sleepers.length === 0) return;
    sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const first = sleepers[0];
    if (!first) return;
    t = Math.max(t, first.at);
    const due = sleepers.filter((s) => s.at <= t);
    sleepers.splice(0, due.length);
    for (const s of due) s.resolve();
  };
  // setImmediate runs after pending microtasks and I/O callbacks, so a woken caller has started its
  // next request (inflight > 0) before the clock considers moving again.
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(tick);
  };
  return {
    now: () => t,
    sleep(ms) {
      slept += Math.max(0, ms);
      return new Promise<void>((resolve) => {
        sleepers.push({ at: t + Math.max(0, ms), seq: seq++, resolve });
        schedule();
      });
    },
    advance(ms) {
      t += ms;
    },
    slept: () => slept,
    fetch: async (input, init) => {
      inflight++;
      try {
        const res = await fetch(input, init);
        const body = await res.arrayBuffer();
        return new Response(res.status === 204 || res.status === 304 ? null : body, {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
        });
      } finally {
        inflight--;
        schedule();
      }
    },
  };
}
