/**
 * The sandbox clock: virtual time shared by both simulators.
 *
 * Virtual time runs `speed` times faster than real time and can be jumped forward with `advance()`.
 * Timers are scheduled in virtual milliseconds and fire when virtual time reaches them, whether it got
 * there by waiting or by `advance()`. Token expiry, dedup windows, rate-limit windows and webhook retry
 * schedules all read this clock, so a test can cover "24 hours later" in a millisecond.
 */
export interface SandboxClock {
  /** Virtual epoch milliseconds. */
  now(): number;
  /** Jump virtual time forward; due timers fire (in order) before the returned promise resolves. */
  advance(ms: number): Promise<void>;
  /** Run `fn` once virtual time has moved `delayMs` forward. Returns a cancel function. */
  setTimer(delayMs: number, fn: () => void): () => void;
  /** Resolves after `delayMs` of virtual time. */
  sleep(delayMs: number): Promise<void>;
  /** Cancel every pending timer (used by close/reset). */
  clear(): void;
  readonly speed: number;
}

export interface SandboxClockOptions {
  /** Virtual start time (epoch ms). Default: the real time at creation. */
  start?: number;
  /** How many virtual ms pass per real ms. Default 1. */
  speed?: number;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export function createSandboxClock(options: SandboxClockOptions = {}): SandboxClock {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error(`sandbox clock: speed must be > 0, got ${speed}`);
  const realStart = Date.now();
  const virtualStart = options.start ?? realStart;
  let offset = 0;
  let seq = 0;
  const timers = new Set<Timer>();
  let wake: ReturnType<typeof setTimeout> | undefined;

  const now = (): number => Math.floor(virtualStart + (Date.now() - realStart) * speed + offset);

  const fireDue = (): void => {
    const t = now();
    const due = [...timers].filter((x) => x.at <= t).sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const timer of due) {
      timers.delete(timer);
      timer.fn();
    }
    schedule();
  };

  const schedule = (): void => {
    if (wake) clearTimeout(wake);
    wake = undefined;
    if (timers.size === 0) return;
    let next = Number.POSITIVE_INFINITY;
    for (const x of timers) next = Math.min(next, x.at);
    const realDelay = Math.max(0, Math.ceil((next - now()) / speed));
    wake = setTimeout(fireDue, Math.min(realDelay, 2_147_483_647));
    wake.unref?.();
  };

  const setTimer = (delayMs: number, fn: () => void): (() => void) => {
    const timer: Timer = { at: now() + Math.max(0, delayMs), seq: seq++, fn };
    timers.add(timer);
    schedule();
    return () => {
      timers.delete(timer);
      schedule();
    };
  };

  return {
    speed,
    now,
    async advance(ms: number): Promise<void> {
      if (!(ms >= 0)) throw new Error(`sandbox clock: cannot advance by ${ms} ms`);
      offset += ms;
      fireDue();
      // Let promise continuations started by the timers run before the caller goes on.
      await new Promise((resolve) => setImmediate(resolve));
    },
    setTimer,
    sleep(delayMs: number): Promise<void> {
      return new Promise((resolve) => {
        setTimer(delayMs, resolve);
      });
    },
    clear(): void {
      timers.clear();
      schedule();
    },
  };
}
