// One demo worker in a process of its own (`pnpm demo --workers N`, N > 1: every one of the N workers): the
// real WorkerApp on the demo's database, started by the demo with `fork()` and driven over IPC, because the
// demo moves the sandbox clock by hours and days: the demo sends the sandbox time after every jump (this
// process's clock follows it, and its vendor waits on that clock end when their moment has come), and asks
// for the scheduler ticks a real worker's timer would give it. Its logs go to stdout, which the demo writes
// to a file per worker. Not an operator tool: the worker's own `src/main.ts` runs production workers.
import process from "node:process";
import { loadConfig, loadPolicyFile } from "@ghl-bulksms/config";
import { createWorkerApp, type WorkerApp } from "../app.js";
import { createEnginePlugin } from "../engine-plugin.js";
import { createLogger } from "../logger.js";

export type ToWorkerProcess =
  | {
      type: "start";
      env: Record<string, string>;
      policyPath: string | null;
      now: number;
      speed: number;
      pollIntervalMs: number;
    }
  | { type: "clock"; now: number; seq: number }
  | { type: "tick"; seq: number }
  | { type: "stop"; seq: number };

export type FromWorkerProcess =
  | { type: "started"; url: string }
  | { type: "done"; seq: number; value: number }
  | { type: "failed"; message: string };

/** The sandbox clock as seen from here: the last time the demo sent, moving on at the sandbox's speed. */
function followedClock(start: number, speed: number) {
  let base = start;
  let realAt = performance.now();
  const sleepers = new Set<{ until: number; wake: () => void; timer: NodeJS.Timeout }>();
  const now = () => Math.floor(base + (performance.now() - realAt) * speed);
  const wakeDue = () => {
    for (const s of sleepers) if (s.until <= now()) s.wake();
  };
  return {
    now,
    set(t: number) {
      if (t > now()) {
        base = t;
        realAt = performance.now();
      }
      wakeDue();
    },
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const s = {
          until: now() + ms,
          wake: () => {
            clearTimeout(s.timer);
            sleepers.delete(s);
            resolve();
          },
          timer: setTimeout(() => s.wake(), Math.max(0, ms / speed)),
        };
        sleepers.add(s);
      });
    },
  };
}

const STOP_GRACE_MS = 5_000;
const send = (m: FromWorkerProcess) => process.send?.(m);
let app: WorkerApp | null = null;
let clock: ReturnType<typeof followedClock> | null = null;

process.on("message", (m: ToWorkerProcess) => {
  void handle(m).catch((e: unknown) => send({ type: "failed", message: (e as Error).stack ?? String(e) }));
});
let stopAsked = false;
/**
 * Stops the app, then the process; a stop that hangs (a job that does not drain) is cut short. Without the
 * demo (it died before asking for a stop) the end is a SIGKILL of our own: the log's flush at exit writes
 * to the demo's closed pipe and can block forever, and there is nobody left to read it anyway.
 */
function exitAfterStop(code: number, demoGone: boolean): void {
  const end = () => (demoGone ? process.kill(process.pid, "SIGKILL") : process.exit(code));
  setTimeout(end, STOP_GRACE_MS).unref();
  void (app?.stop() ?? Promise.resolve()).finally(end);
}
// the demo disconnects after the stop it asked for, or is gone (crashed or killed: the IPC channel closes in
// every case): either way stop at once, so no worker outlives its demo (the database does; leased jobs
// return after their lease)
process.on("disconnect", () => exitAfterStop(0, !stopAsked));
// Ctrl-C in a terminal reaches the whole process group: the demo stops its workers in order, so this
// process leaves SIGINT to it (and the disconnect above covers a demo that dies instead)
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => exitAfterStop(143, false));

async function handle(m: ToWorkerProcess): Promise<void> {
  switch (m.type) {
    case "start": {
      const c = followedClock(m.now, m.speed);
      clock = c;
      const config = loadConfig(m.env);
      const policy = m.policyPath ? loadPolicyFile({ path: m.policyPath }) : null;
      app = createWorkerApp({
        config,
        logger: createLogger({ level: config.logLevel }),
        now: c.now,
        pollIntervalMs: m.pollIntervalMs,
        engine: createEnginePlugin({ sleep: c.sleep, policy }),
      });
      const { url } = await app.start();
      send({ type: "started", url });
      return;
    }
    case "clock":
      clock?.set(m.now);
      send({ type: "done", seq: m.seq, value: 0 });
      return;
    case "tick":
      send({ type: "done", seq: m.seq, value: (await app?.scheduler()?.runNow()) ?? 0 });
      return;
    case "stop":
      stopAsked = true;
      await app?.stop();
      send({ type: "done", seq: m.seq, value: 0 });
      return;
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}
