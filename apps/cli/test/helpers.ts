// Runs the BUILT CLI (dist/bin.js) as a child process, as an operator would.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BIN = join(CLI_DIR, "dist", "bin.js");

/** Builds the CLI (and, through turbo's dependsOn in CI, its dependencies) when dist is missing. */
export function ensureBuilt(): void {
  if (existsSync(BIN)) return;
  execFileSync("pnpm", ["--filter", "@ghl-bulksms/cli", "build"], { cwd: CLI_DIR, stdio: "inherit" });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // `--`: Node reads a `--env-file` anywhere on its command line unless it comes after `--`
    const child = spawn(process.execPath, ["--", BIN, ...args], {
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
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Runs the CLI from its TypeScript sources (tsx, workspace packages resolved to their sources): no build
 * needed, so a test exercises the code of this checkout.
 */
export function runCliFromSources(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@ghl-bulksms/source", "--import", "tsx", join(CLI_DIR, "src", "bin.ts"), ...args],
      {
        cwd: options.cwd ?? CLI_DIR,
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...(options.env ?? {}) },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}
