// Runs the BUILT CLI (dist/bin.js) as a child process, as an operator would.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BIN = join(CLI_DIR, "dist", "bin.js");

/** Builds the CLI and the workspace packages it imports (the documented `pnpm cli:build`) when dist is missing. */
export function ensureBuilt(): void {
  if (existsSync(BIN)) return;
  execFileSync("pnpm", ["run", "cli:build"], { cwd: join(CLI_DIR, "..", ".."), stdio: "inherit" });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type RunOptions = { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number };

/** Spawns node with `nodeArgs`, feeds stdin, collects stdout/stderr and the exit code (SIGKILL on timeout). */
function runNode(
  nodeArgs: readonly string[],
  options: RunOptions,
  defaultTimeoutMs: number,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, {
      cwd: options.cwd ?? CLI_DIR,
      // Only what we give: no operator .env, no inherited GHL_* variables.
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...(options.env ?? {}) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? defaultTimeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Runs the built CLI (`dist/bin.js`). */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  // `--`: Node reads a `--env-file` anywhere on its command line unless it comes after `--`
  return runNode(["--", BIN, ...args], options, 20_000);
}

/**
 * Runs the CLI from its TypeScript sources (tsx, workspace packages resolved to their sources): no build
 * needed, so a test exercises the code of this checkout.
 */
export function runCliFromSources(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runNode(
    ["--conditions=@ghl-bulksms/source", "--import", "tsx", join(CLI_DIR, "src", "bin.ts"), ...args],
    options,
    30_000,
  );
}
