// The worker reads the same `.env` the CLI's `ghl-bulksms init` writes, so `pnpm start` works without
// `node --env-file`. Which file: `--env-file <path>`, else GHL_BULKSMS_ENV_FILE (both must exist), else
// `./.env` if present, else `$INIT_CWD/.env` if present (the directory `pnpm` was run from). Variables
// already in the environment always win; the file only fills in the missing ones.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";

export const ENV_FILE_VARIABLE = "GHL_BULKSMS_ENV_FILE";

type Env = Record<string, string | undefined>;

export class WorkerArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerArgsError";
  }
}

export interface WorkerArgs {
  /** `--env-file <path>` */
  readonly envFile: string | null;
  /** `--config <path>`: the policy file */
  readonly config: string | null;
}

/** The worker's command-line options (`--env-file`, `--config`; `--opt value` or `--opt=value`). */
export function parseWorkerArgs(argv: readonly string[]): WorkerArgs {
  const out: { envFile: string | null; config: string | null } = { envFile: null, config: null };
  const keys = { "--env-file": "envFile", "--config": "config" } as const;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") continue;
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(flag in keys))
      throw new WorkerArgsError(`unknown option ${JSON.stringify(arg)} (the worker takes --env-file <path> and --config <path>)`);
    const key = keys[flag as keyof typeof keys];
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.trim() === "" || (eq < 0 && value.startsWith("--")))
      throw new WorkerArgsError(`${flag} needs a path`);
    out[key] = value;
  }
  return out;
}

export interface LoadEnvFileOptions {
  /** `--env-file` */
  readonly path?: string | null;
  /** read GHL_BULKSMS_ENV_FILE and INIT_CWD from here, and fill the file's variables into it */
  readonly env: Env;
  readonly cwd: string;
  /** injected for tests */
  readonly exists?: (path: string) => boolean;
  readonly readFile?: (path: string) => string;
}

export interface LoadedEnvFile {
  /** absolute path of the file read; null when there was none */
  readonly path: string | null;
  /** names of the variables the file set (those not already in the environment) */
  readonly set: readonly string[];
}

/** Loads the `.env` file into `env` without overriding what is set. Throws WorkerArgsError naming the file. */
export function loadEnvFile(options: LoadEnvFileOptions): LoadedEnvFile {
  const exists = options.exists ?? existsSync;
  const read = options.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  const fromEnv = options.env[ENV_FILE_VARIABLE]?.trim();
  const explicit =
    options.path != null && options.path.trim() !== ""
      ? { path: options.path, named: "--env-file" }
      : fromEnv
        ? { path: fromEnv, named: ENV_FILE_VARIABLE }
        : null;
  let path: string | null = null;
  if (explicit) {
    path = resolve(options.cwd, explicit.path);
    if (!exists(path)) throw new WorkerArgsError(`env file ${path} (named by ${explicit.named}) does not exist`);
  } else {
    const candidates = [resolve(options.cwd, ".env")];
    const initCwd = options.env.INIT_CWD?.trim();
    if (initCwd) candidates.push(resolve(initCwd, ".env"));
    path = candidates.find((p) => exists(p)) ?? null;
  }
  if (path === null) return { path: null, set: [] };
  let parsed: Record<string, string>;
  try {
    parsed = parseEnv(read(path)) as Record<string, string>;
  } catch (e) {
    throw new WorkerArgsError(`cannot read env file ${path}: ${(e as Error).message}`);
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (options.env[name] !== undefined) continue;
    options.env[name] = value;
    set.push(name);
  }
  return { path, set };
}
