import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The repository root, found from this file's location (tools/specs/src → ../../..). */
export const REPO_ROOT: string = resolve(import.meta.dirname, "..", "..", "..");

/**
 * Where the vendor reference documents live: `$GHL_REFERENCE_DIR` when set, otherwise
 * `<repo>/../shared/reference` (a sibling `shared/` folder next to the clone, as on CI and /work).
 */
export function referenceDir(env: NodeJS.ProcessEnv = process.env, repoRoot: string = REPO_ROOT): string {
  const fromEnv = env.GHL_REFERENCE_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== "") return resolve(fromEnv);
  return join(dirname(repoRoot), "shared", "reference");
}

export function referenceExists(dir: string): boolean {
  return existsSync(dir);
}
