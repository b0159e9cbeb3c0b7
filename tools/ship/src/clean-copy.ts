// A clean copy of the repository as `git clone` gives it (the tracked files plus new, not ignored ones, so
// uncommitted work is tested too; no node_modules, no dist, no data, no .env), installed from the local
// pnpm store the way the README says, and helpers to run the documented commands in it.
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of commands run in the copy: no CI report dir, no turbo telemetry. */
export function commandEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    ...extra,
  };
  delete env.CI_REPORT_DIR; // the copy's builds must not write reports the outer CI run sums up
  delete env.INIT_CWD;
  return env;
}

/** Runs a command to completion (no shell); throws with its output if it fails. */
export function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
): string {
  const r = spawnSync(cmd, args, {
    cwd,
    env: commandEnv(extraEnv),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(" ")} (in ${cwd}) failed with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`,
    );
  return r.stdout;
}

/** Copies the repository's files (as a clone would have them) into a new temporary folder. */
export function copyRepository(from = REPO_ROOT): string {
  const to = mkdtempSync(join(tmpdir(), "ghl-bulksms-clone-"));
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: from,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of new Set(listed.split("\0").filter(Boolean))) {
    const source = join(from, file);
    if (!existsSync(source)) continue; // deleted, not yet committed
    const target = join(to, file);
    mkdirSync(dirname(target), { recursive: true });
    if (lstatSync(source).isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else copyFileSync(source, target);
  }
  // a repository of its own, as after `git clone` (turbo hashes with git)
  run("git", ["init", "-q"], to);
  run("git", ["add", "-A"], to);
  run("git", ["-c", "user.name=ship", "-c", "user.email=ship@localhost", "commit", "-qm", "snapshot"], to);
  return to;
}

/**
 * A clean copy, installed: `pnpm install --frozen-lockfile` from the local store (`--offline`: CI installed
 * the same lockfile just before, so no registry is needed).
 */
export function cleanInstalledCopy(): string {
  const dir = copyRepository();
  run("pnpm", ["install", "--offline", "--frozen-lockfile"], dir);
  return dir;
}

export function removeCopy(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
