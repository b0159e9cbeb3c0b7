// The `.env` file, read the same way by the worker and the CLI: `--env-file <path>`, else
// GHL_BULKSMS_ENV_FILE, else ./.env when present. The process environment wins over the file.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";

export const DEFAULT_ENV_FILE = ".env";
export const ENV_FILE_VARIABLE = "GHL_BULKSMS_ENV_FILE";

export class EnvFileError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`env file ${path} ${message}`);
    this.name = "EnvFileError";
    this.path = path;
  }
}

export interface LoadEnvFileOptions {
  /** An explicit path (`--env-file`): must exist. */
  readonly path?: string | undefined;
  /** The process environment (default process.env); it wins over the file. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly readFile?: (path: string) => string;
}

/**
 * The environment to configure from: the file's variables under the process environment. Returns the
 * file read (null when no path was given and ./.env does not exist). Throws EnvFileError for a missing
 * explicit file or an unreadable one.
 */
export function loadEnvFile(options: LoadEnvFileOptions = {}): {
  env: Record<string, string | undefined>;
  path: string | null;
} {
  const processEnv = options.env ?? process.env;
  const explicit =
    options.path !== undefined && options.path.trim() !== "" ? options.path : processEnv[ENV_FILE_VARIABLE];
  const path = resolve(options.cwd ?? process.cwd(), explicit ?? DEFAULT_ENV_FILE);
  const read = options.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") {
      if (explicit === undefined) return { env: { ...processEnv }, path: null };
      throw new EnvFileError(path, "does not exist");
    }
    throw new EnvFileError(path, `cannot be read: ${(error as Error).message}`);
  }
  const fromFile = parseEnv(text) as Record<string, string>;
  return { env: { ...fromFile, ...processEnv }, path };
}
