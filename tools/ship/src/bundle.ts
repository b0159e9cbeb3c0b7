// Making the production bundles with the documented root scripts and running them as an operator does:
// `node <bundle>/dist/main.js` for the worker, `node -- <bundle>/dist/bin.js` (or its shebang) for the CLI.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { type CommandResult, run } from "./clean-copy.js";
import { DEPLOY_SCRIPTS, ENTRY } from "./layout.js";

export type App = keyof typeof DEPLOY_SCRIPTS;

/** `pnpm worker:deploy <outDir>` / `pnpm cli:deploy <outDir>` in a copy of the repository. */
export function deployBundle(repoDir: string, app: App, outDir: string): string {
  run("pnpm", [DEPLOY_SCRIPTS[app], outDir], repoDir);
  return outDir;
}

/** Only what is given: PATH (for `env node` in the shebang) and HOME, nothing from the test's environment. */
function bareEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1", ...env };
}

export function runCliBundle(
  bundleDir: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd: string; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--", join(bundleDir, ENTRY.cli), ...args], {
      cwd: options.cwd,
      env: bareEnv(options.env ?? {}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 180_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningWorker {
  readonly child: ChildProcess;
  /** the worker's listening URL, from its "worker listening" log line */
  readonly url: string;
  /** every log line so far (pino JSON on stdout) */
  logs(): Array<Record<string, unknown>>;
  stderr(): string;
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>;
}

/** Starts `node <bundle>/dist/main.js` and resolves once it listens (rejects if it exits first). */
export function startWorkerBundle(
  bundleDir: string,
  options: { env: Record<string, string>; cwd: string; args?: readonly string[]; timeoutMs?: number },
): Promise<RunningWorker> {
  const child = spawn(process.execPath, [join(bundleDir, ENTRY.worker), ...(options.args ?? [])], {
    cwd: options.cwd,
    env: bareEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = "";
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the worker did not listen in time:\n${stderr}`));
    }, options.timeoutMs ?? 180_000);
    const worker: Omit<RunningWorker, "url"> = {
      child,
      logs: () => lines,
      stderr: () => stderr,
      async stop() {
        if (child.exitCode === null) child.kill("SIGTERM");
        return exited;
      },
    };
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const part of parts) {
        if (!part.startsWith("{")) continue;
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        if (line.msg === "worker listening" && typeof line.url === "string") {
          clearTimeout(timer);
          resolve({ ...worker, url: line.url });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with ${code} before listening:\n${stderr}`));
    });
  });
}
