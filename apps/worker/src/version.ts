// The worker's version: the `version` of its own package.json, read at run time. The file sits one folder
// above src/ and dist/ alike, in the repository and in a `pnpm deploy` bundle (or a Docker image built
// from one), so what `--version`, the start-up log and /metrics report is what was deployed.
import { readFileSync } from "node:fs";

export interface BuildInfo {
  /** the worker package's version */
  readonly version: string;
  /** the Node.js version running it (process.version, e.g. "v20.19.0") */
  readonly node: string;
}

function readVersion(): string {
  const url = new URL("../package.json", import.meta.url);
  const { version } = JSON.parse(readFileSync(url, "utf8")) as { version?: unknown };
  if (typeof version !== "string" || version === "") throw new Error(`${url.pathname} has no "version"`);
  return version;
}

export const WORKER_VERSION: string = readVersion();

export function buildInfo(): BuildInfo {
  return { version: WORKER_VERSION, node: process.version };
}
