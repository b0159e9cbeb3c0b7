// The demo's side of its worker processes (src/demo/worker-process.ts): fork one, start its WorkerApp,
// push the sandbox time to it, run its scheduler, stop it. Each call waits for the process's answer.
//
// Every process's output (its pino log) goes to a file of its own, and its last lines are kept in memory, so
// a worker that fails or dies says why in the demo's own error. No worker outlives the demo: a graceful stop
// ends in SIGKILL if it hangs, the demo's exit kills whatever is still running, and a demo that dies without
// exiting (SIGKILL) closes the IPC channel, on which each worker stops by itself.
import { type ChildProcess, fork } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import type { FromWorkerProcess, ToWorkerProcess } from "./worker-process.js";

export interface WorkerProcess {
  readonly url: string;
  readonly pid: number;
  /** The file the process's stdout and stderr go to. */
  readonly logFile: string;
  /** The last lines the process wrote (its log), oldest first. */
  tail(): string[];
  /** Why the process can no longer work (it failed or exited), or null while it is fine. */
  failure(): Error | null;
  /** Tells the process the sandbox time (after a jump); resolves once it follows it. */
  clock(now: number): Promise<void>;
  /** One scheduler tick in the process; resolves with the jobs it enqueued. */
  tick(): Promise<number>;
  /** Graceful stop (drains its jobs), then the process exits; killed if that takes too long. */
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  /** What the process is called in errors (its WORKER_ID). */
  readonly name: string;
  readonly logFile: string;
  /** Also copy the process's output here (the demo's --verbose). */
  readonly echo?: NodeJS.WritableStream;
}

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_LINES = 40;

// the processes still running, killed when the demo exits however it exits (an 'exit' handler runs on
// process.exit() and on an uncaught error; a signal's default action skips it, hence the IPC fallback)
const live = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const c of live) c.kill("SIGKILL");
  });
}

/** Keeps the last lines of a stream. */
function lineTail(max: number) {
  const lines: string[] = [];
  let partial = "";
  return {
    push(chunk: Buffer) {
      const parts = (partial + chunk.toString()).split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts.filter((l) => l.length > 0));
      if (lines.length > max) lines.splice(0, lines.length - max);
    },
    lines: () => (partial ? [...lines, partial] : [...lines]),
  };
}

export async function startWorkerProcess(
  start: Extract<ToWorkerProcess, { type: "start" }>,
  options: WorkerProcessOptions,
): Promise<WorkerProcess> {
  // the sources under tsx (`pnpm demo`), or the built dist
  const entry = `worker-process${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`;
  const child: ChildProcess = fork(join(import.meta.dirname, entry), [], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  if (child.pid === undefined) throw new Error(`${options.name}: the process could not be started`);
  const pid = child.pid;
  track(child);
  const log = createWriteStream(options.logFile, { flags: "a" });
  log.on("error", () => undefined); // a full disk must not take the demo down; the tail still works
  const tail = lineTail(TAIL_LINES);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (c: Buffer) => {
      tail.push(c);
      log.write(c);
      options.echo?.write(c);
    });
  }
  // the output is complete once both pipes close (not the child's own 'close' event: after the demo's
  // disconnect() Node never emits it)
  const closed = Promise.all(
    [child.stdout, child.stderr].map((p) => (p ? new Promise((r) => p.once("close", r)) : null)),
  ).then(() => new Promise<void>((r) => log.end(r)));
  const describe = (what: string) =>
    new Error(
      `${options.name} (process ${pid}) ${what}; its log: ${options.logFile}${
        tail.lines().length > 0 ? `\n  last lines:\n    ${tail.lines().slice(-15).join("\n    ")}` : ""
      }`,
    );

  let seq = 0;
  const waiting = new Map<number, { resolve: (v: number) => void; reject: (e: Error) => void }>();
  let onStarted: ((url: string) => void) | null = null;
  let onFailure: ((e: Error) => void) | null = null;
  let failure: Error | null = null;
  let stopping = false;
  const fail = (e: Error) => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
    onFailure?.(failure);
  };
  child.on("message", (m: FromWorkerProcess) => {
    if (m.type === "started") onStarted?.(m.url);
    else if (m.type === "done") {
      waiting.get(m.seq)?.resolve(m.value);
      waiting.delete(m.seq);
    } else fail(describe(`failed: ${m.message}`));
  });
  child.on("exit", (code, signal) => {
    // the tail is complete once the pipes close
    void closed.then(() => fail(describe(stopping ? "was stopped" : `exited (${signal ?? code})`)));
  });
  const call = (m: { type: "clock"; now: number } | { type: "tick" } | { type: "stop" }) =>
    new Promise<number>((resolve, reject) => {
      if (failure) return reject(failure);
      const n = ++seq;
      waiting.set(n, { resolve, reject });
      child.send({ ...m, seq: n } as ToWorkerProcess);
    });
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  async function stop(): Promise<void> {
    if (exited()) {
      await closed;
      return;
    }
    stopping = true;
    const gone = new Promise((r) => child.once("exit", r));
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await call({ type: "stop" }).catch(() => undefined);
    if (child.connected) child.disconnect();
    await gone;
    clearTimeout(timer);
    await closed;
  }

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(describe(`did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)),
        STARTUP_TIMEOUT_MS,
      );
      onStarted = (u) => {
        clearTimeout(timer);
        resolve(u);
      };
      // a failure to start (a bad database URL, a migration error) is reported at once
      onFailure = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      child.send(start);
    }).finally(() => {
      onStarted = null;
      onFailure = null;
    });
    return {
      url,
      pid,
      logFile: options.logFile,
      tail: () => tail.lines(),
      failure: () => failure,
      clock: async (now) => {
        await call({ type: "clock", now });
      },
      tick: () => call({ type: "tick" }),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
