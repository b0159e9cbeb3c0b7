// One demo worker in a process of its own (`pnpm demo --workers N`: workers 2..N): the real WorkerApp on
// the demo's database, started by the demo with `fork()` and driven over IPC, because the demo moves the
// sandbox clock by hours and days: the demo sends the sandbox time after every jump (this process's clock
// follows it, and its vendor waits on that clock end when their moment has come), and asks for scheduler
// ticks as the in-process worker gets them. Not an operator tool: the worker's own `src/main.ts` runs
// production workers.
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

const send = (m: FromWorkerProcess) => process.send?.(m);
let app: WorkerApp | null = null;
let clock: ReturnType<typeof followedClock> | null = null;

process.on("message", (m: ToWorkerProcess) => {
  void handle(m).catch((e: unknown) => send({ type: "failed", message: (e as Error).stack ?? String(e) }));
});
process.on("disconnect", () => {
  // the demo is gone: stop at once (its database outlives us; leased jobs return after their lease)
  void (app?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});

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
      await app?.stop();
      send({ type: "done", seq: m.seq, value: 0 });
      return;
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}
