// The demo's side of its worker processes (src/demo/worker-process.ts): fork one, start its WorkerApp,
// push the sandbox time to it, run its scheduler, stop it. Each call waits for the process's answer.
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import type { FromWorkerProcess, ToWorkerProcess } from "./worker-process.js";

export interface WorkerProcess {
  readonly url: string;
  readonly pid: number | undefined;
  /** Tells the process the sandbox time (after a jump); resolves once it follows it. */
  clock(now: number): Promise<void>;
  /** One scheduler tick in the process; resolves with the jobs it enqueued. */
  tick(): Promise<number>;
  /** Graceful stop (drains its jobs), then the process exits. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

export async function startWorkerProcess(
  start: Extract<ToWorkerProcess, { type: "start" }>,
): Promise<WorkerProcess> {
  // the sources under tsx (`pnpm demo`), or the built dist
  const entry = `worker-process${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`;
  const child: ChildProcess = fork(join(import.meta.dirname, entry), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let seq = 0;
  const waiting = new Map<number, { resolve: (v: number) => void; reject: (e: Error) => void }>();
  let onStarted: ((url: string) => void) | null = null;
  let failure: Error | null = null;
  const fail = (e: Error) => {
    failure = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  child.on("message", (m: FromWorkerProcess) => {
    if (m.type === "started") onStarted?.(m.url);
    else if (m.type === "done") {
      waiting.get(m.seq)?.resolve(m.value);
      waiting.delete(m.seq);
    } else fail(new Error(`worker process ${child.pid}: ${m.message}`));
  });
  child.on("exit", (code, signal) =>
    fail(new Error(`worker process ${child.pid} exited (${signal ?? code})`)),
  );
  const call = (m: { type: "clock"; now: number } | { type: "tick" } | { type: "stop" }) =>
    new Promise<number>((resolve, reject) => {
      if (failure) return reject(failure);
      const n = ++seq;
      waiting.set(n, { resolve, reject });
      child.send({ ...m, seq: n } as ToWorkerProcess);
    });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("a worker process did not start in time")),
      STARTUP_TIMEOUT_MS,
    );
    onStarted = (u) => {
      clearTimeout(timer);
      resolve(u);
    };
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`a worker process exited at start (${code})`));
    });
    child.send(start);
  });
  return {
    url,
    pid: child.pid,
    clock: async (now) => {
      await call({ type: "clock", now });
    },
    tick: () => call({ type: "tick" }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      await call({ type: "stop" }).catch(() => undefined);
      child.disconnect();
      await exited;
    },
  };
}
