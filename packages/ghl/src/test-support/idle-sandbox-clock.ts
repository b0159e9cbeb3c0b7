// The sandbox's clock interface on top of an IdleClock (see fake-clock.ts): the simulator, the client's
// rate limiter and its backoff all read one virtual time that stands still while requests are on the
// wire, so rate windows are exact on a loaded CI machine. Simulator timers fire when time passes them;
// they never drive the clock themselves (only client sleeps do, when the wire is idle).
import type { SandboxClock } from "@ghl-bulksms/sandbox";
import { createIdleClock, type IdleClock } from "./fake-clock.js";

export interface IdleSandboxClock extends IdleClock {
  sandbox: SandboxClock;
}

export function createIdleSandboxClock(start?: number): IdleSandboxClock {
  const idle = createIdleClock(start);
  let seq = 0;
  const timers = new Set<{ at: number; seq: number; fn: () => void }>();
  const fireDue = (): void => {
    const t = idle.now();
    const due = [...timers].filter((x) => x.at <= t).sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const timer of due) {
      timers.delete(timer);
      timer.fn();
    }
  };
  // Check timers whenever time may have moved: after each wake-up and each advance.
  const sleep = async (ms: number): Promise<void> => {
    await idle.sleep(ms);
    fireDue();
  };
  const setTimer = (delayMs: number, fn: () => void): (() => void) => {
    const timer = { at: idle.now() + Math.max(0, delayMs), seq: seq++, fn };
    timers.add(timer);
    return () => timers.delete(timer);
  };
  const sandbox: SandboxClock = {
    speed: 0,
    now: idle.now,
    async advance(ms) {
      idle.advance(ms);
      fireDue();
      await new Promise((resolve) => setImmediate(resolve));
    },
    setTimer,
    sleep: (ms) => new Promise<void>((resolve) => setTimer(ms, resolve)),
    clear: () => timers.clear(),
  };
  return { ...idle, sleep, sandbox };
}
