// The CLI's version: the `version` of its own package.json, read at run time (the same file sits one
// folder above both src/ and dist/, in the repository, in a `pnpm deploy` bundle and in an npm install).
import { readFileSync } from "node:fs";

export function readPackageVersion(packageJsonUrl: URL): string {
  const { version } = JSON.parse(readFileSync(packageJsonUrl, "utf8")) as { version?: unknown };
  if (typeof version !== "string" || version === "")
    throw new Error(`${packageJsonUrl.pathname} has no "version"`);
  return version;
}

export const CLI_VERSION = readPackageVersion(new URL("../../package.json", import.meta.url));
