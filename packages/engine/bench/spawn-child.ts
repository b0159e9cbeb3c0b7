// Spawns bench/reconcile-child.ts with tsx and the workspace source condition.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ChildInput, ChildOutput } from "./reconcile-child.js";

const here = dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface RunningChild {
  child: ChildProcess;
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    output: ChildOutput | null;
    stderr: string;
  }>;
}

/** `onProgress` gets the number of pages the child has committed so far. */
export function spawnReconcileChild(input: ChildInput, onProgress?: (pages: number) => void): RunningChild {
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=dir: a V8 CPU profile of the engine process (open it in Chrome DevTools).
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      "--conditions=@ghl-bulksms/source",
      "--import",
      tsxLoader,
      join(here, "reconcile-child.ts"),
      JSON.stringify(input),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    for (const m of text.matchAll(/^progress \S+ (\d+)$/gm)) onProgress?.(Number(m[1]));
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    output: ChildOutput | null;
    stderr: string;
  }>((resolve) => {
    child.on("exit", (code, signal) => {
      const line = stdout.trim().split("\n").pop();
      let output: ChildOutput | null = null;
      try {
        output = line ? (JSON.parse(line) as ChildOutput) : null;
      } catch {
        output = null;
      }
      resolve({ code, signal, output, stderr });
    });
  });
  return { child, done };
}
