// `pnpm demo` as a user runs it, for the demo tests: a child process (node + tsx on the sources) whose
// output is collected; `runDemo` resolves when it exits.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export interface DemoOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const WORKER_DIR = join(import.meta.dirname, "..", "..");

export function startDemo(
  args: readonly string[],
  env: Record<string, string> = {},
): ChildProcess & { output: Promise<DemoOutput>; stderrSoFar(): string } {
  const child = spawn(
    process.execPath,
    ["--conditions=@ghl-bulksms/source", "--import", "tsx", "src/demo/main.ts", ...args],
    { cwd: WORKER_DIR, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const output = new Promise<DemoOutput>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { output, stderrSoFar: () => stderr });
}

export function runDemo(args: readonly string[], env: Record<string, string> = {}): Promise<DemoOutput> {
  return startDemo(args, env).output;
}
